#!/usr/bin/env bash
# Regenerates vectors/easy-dkim/tokens.json: deterministic Easy DKIM tokens computed with
# openssl (HMAC-SHA-256) and coreutils base32, independently of dkim-engine.
# Token i = lowercase base32 of the first 20 bytes of HMAC-SHA-256(secret, "<domain>\n<generation>\n<i>").
# (vectors/easy-dkim/regions.json is written by hand from AWS's guide and third-party sources.)
set -euo pipefail
cd "$(dirname "$0")/easy-dkim"
token() { # secret domain generation index
  printf '%s\n%s\n%s' "$2" "$3" "$4" | openssl dgst -sha256 -hmac "$1" -binary | head -c 20 | base32 | tr 'A-Z' 'a-z'
}
{
  echo '{"comment": "Made by vectors/make-easy-dkim-vectors.sh with openssl and base32.", "vectors": ['
  first=1
  while IFS='|' read -r secret domain generation; do
    [ $first -eq 1 ] || echo ','
    first=0
    t0=$(token "$secret" "$domain" "$generation" 0)
    t1=$(token "$secret" "$domain" "$generation" 1)
    t2=$(token "$secret" "$domain" "$generation" 2)
    printf '  {"secret": "%s", "domain": "%s", "generation": %s, "tokens": ["%s", "%s", "%s"]}' \
      "$secret" "$domain" "$generation" "$t0" "$t1" "$t2"
  done <<'LIST'
emulator-secret|example.com|0
emulator-secret|example.com|1
emulator-secret|example.org|0
another secret|mail.example.co.uk|7
s|xn--bcher-kva.example|0
LIST
  echo
  echo ']}'
} > tokens.json
cat tokens.json
