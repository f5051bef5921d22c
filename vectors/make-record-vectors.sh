#!/usr/bin/env bash
# Regenerates vectors/records/ from real tools and RFC text: records written by opendkim-genkey
# (opendkim-tools) and dknewkey (python3-dkim), the example records of RFC 6376 and RFC 8463,
# provider-style records built from openssl output, and damaged variants of those. Each
# vector states its expected result by hand; nothing here is produced by dkim-engine.
# Usage: bash vectors/make-record-vectors.sh   (installs its Debian tools; needs openssl, python3)
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v opendkim-genkey >/dev/null || ! command -v dknewkey >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq opendkim-tools python3-dkim >/dev/null
fi
out=records
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# RFC 6376 Appendix C: the example private key; its record is in the manifest below.
cat > "$out/rfc6376.key.pem" <<'PEM'
-----BEGIN RSA PRIVATE KEY-----
MIICXwIBAAKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFC
jxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gb
to/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB
AoGBALmn+XwWk7akvkUlqb+dOxyLB9i5VBVfje89Teolwc9YJT36BGN/l4e0l6QX
/1//6DWUTB3KI6wFcm7TWJcxbS0tcKZX7FsJvUz1SbQnkS54DJck1EZO/BLa5ckJ
gAYIaqlA9C0ZwM6i58lLlPadX/rtHb7pWzeNcZHjKrjM461ZAkEA+itss2nRlmyO
n1/5yDyCluST4dQfO8kAB3toSEVc7DeFeDhnC1mZdjASZNvdHS4gbLIA1hUGEF9m
3hKsGUMMPwJBAPW5v/U+AWTADFCS22t72NUurgzeAbzb1HWMqO4y4+9Hpjk5wvL/
eVYizyuce3/fGke7aRYw/ADKygMJdW8H/OcCQQDz5OQb4j2QDpPZc0Nc4QlbvMsj
7p7otWRO5xRa6SzXqqV3+F0VpqvDmshEBkoCydaYwc2o6WQ5EBmExeV8124XAkEA
qZzGsIxVP+sEVRWZmW6KNFSdVUpk3qzK0Tz/WjQMe5z0UunY9Ax9/4PVhp/j61bf
eAYXunajbBSOLlx4D+TunwJBANkPI5S9iylsbLs6NkaMHV6k5ioHBBmgCak95JGX
GMot/L2x0IYyMLAz6oLWh2hm7zwtb0CgOrPo1ke44hFYnfc=
-----END RSA PRIVATE KEY-----
PEM
openssl rsa -in "$out/rfc6376.key.pem" -pubout -outform DER -out "$work/rfc6376.spki.der" 2>/dev/null

# opendkim-genkey, 1024 and 2048 bits (its default record carries h=sha256 and splits strings its own way).
for bits in 1024 2048; do
  opendkim-genkey -b "$bits" -d example.com -s "og$bits" -D "$work"
  cp "$work/og$bits.private" "$out/opendkim-$bits.key.pem"
  cp "$work/og$bits.txt" "$out/opendkim-$bits.txt"
done
# dknewkey: RSA 2048 (PKCS #8 key) and Ed25519 (raw seed, turned into PKCS #8 for openssl).
(cd "$work" && dknewkey dk2048 >/dev/null && dknewkey --ktype ed25519 dked >/dev/null)
cp "$work/dk2048.key" "$out/dknewkey-2048.key.pem"
cp "$work/dk2048.dns" "$out/dknewkey-2048.dns"
cp "$work/dked.dns" "$out/dknewkey-ed25519.dns"
python3 - "$work/dked.key" "$work/dked.pkcs8.der" <<'PY'
import base64, sys
seed = base64.b64decode(open(sys.argv[1]).read().strip())
assert len(seed) == 32
open(sys.argv[2], 'wb').write(bytes.fromhex('302e020100300506032b657004220420') + seed)
PY
openssl pkey -inform DER -in "$work/dked.pkcs8.der" -pubout -outform DER -out "$out/dknewkey-ed25519.spki.der"

# Provider-style keys from openssl: 2048 (two strings), 512 (weak), 2047 (odd size).
openssl genrsa -traditional -out "$out/provider-2048.key.pem" 2048 2>/dev/null
openssl genrsa -traditional -out "$work/weak-512.pem" 512 2>/dev/null
openssl genrsa -traditional -out "$work/odd-2047.pem" 2047 2>/dev/null
for k in "$out/provider-2048.key.pem" "$work/weak-512.pem" "$work/odd-2047.pem"; do
  openssl rsa -in "$k" -pubout -outform DER -out "${k%.pem}.spki.der" 2>/dev/null
  openssl rsa -in "$k" -RSAPublicKey_out -outform DER -out "${k%.pem}.pkcs1pub.der" 2>/dev/null
done
openssl pkey -in "$out/provider-2048.key.pem" -pubout -out "$work/provider.pub.pem"

python3 - "$out" "$work" <<'PY'
import base64, json, re, sys
out, work = sys.argv[1], sys.argv[2]
b64 = lambda path: base64.b64encode(open(path, 'rb').read()).decode()
def zone_strings(path):
    return re.findall(r'"([^"]*)"', open(path).read())
def split255(value):
    return [value[i:i + 255] for i in range(0, len(value), 255)]

rfc6376 = ['v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQ', 'KBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYt',
           'IxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v', '/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhi',
           'tdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB']
assert 'p=' + b64(f'{work}/rfc6376.spki.der') == ''.join(rfc6376).split('; ')[1], 'RFC 6376 key and record disagree'
rfc8463_ed = ['v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=']
rfc8463_rsa = ['v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR',
               'iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC',
               'DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3',
               'Ip3G+2kryOTIKT+l/K4w3QIDAQAB']
provider_spki = b64(f'{out}/provider-2048.key.spki.der')
provider = f'v=DKIM1; k=rsa; p={provider_spki}'
provider_pkcs1 = f'v=DKIM1; k=rsa; p={b64(f"{out}/provider-2048.key.pkcs1pub.der")}'
weak = f'v=DKIM1; k=rsa; p={b64(f"{work}/weak-512.spki.der")}'
odd = f'v=DKIM1; k=rsa; p={b64(f"{work}/odd-2047.spki.der")}'
pem_body = ''.join(l for l in open(f'{work}/provider.pub.pem').read().splitlines())

R = []
def rec(id, strings, kind, comment, key=None, **expect):
    R.append(dict(id=id, strings=strings, expected=dict(kind=kind, **expect), key=key, comment=comment))
rec('rfc6376-appendix-c', rfc6376, 'key', 'RFC 6376 Appendix C, five strings, no k=', key='rfc6376.key.pem',
    keyType='rsa', form='spki', bits=1024)
rec('rfc8463-ed25519', rfc8463_ed, 'key', 'RFC 8463 Appendix A.2, Ed25519', keyType='ed25519', form='raw', bits=256)
rec('rfc8463-rsa', rfc8463_rsa, 'key', 'RFC 8463 Appendix A.2, RSA', keyType='rsa', form='spki', bits=1024)
for bits in (1024, 2048):
    rec(f'opendkim-genkey-{bits}', zone_strings(f'{out}/opendkim-{bits}.txt'), 'key', f'opendkim-genkey -b {bits}',
        key=f'opendkim-{bits}.key.pem', keyType='rsa', form='spki', bits=bits, hashAlgorithms=['sha256'])
rec('dknewkey-2048', [open(f'{out}/dknewkey-2048.dns').read().strip()], 'key', 'dknewkey (one string of 410+ octets as written)',
    key='dknewkey-2048.key.pem', keyType='rsa', form='spki', bits=2048, hashAlgorithms=['sha256'])
rec('dknewkey-ed25519', [open(f'{out}/dknewkey-ed25519.dns').read().strip()], 'key', 'dknewkey --ktype ed25519',
    keyType='ed25519', form='raw', bits=256, spki='dknewkey-ed25519.spki.der')
rec('provider-2048-split', split255(provider), 'key', 'provider style: 2048-bit SPKI split at 255 octets',
    key='provider-2048.key.pem', keyType='rsa', form='spki', bits=2048)
rec('provider-2048-pkcs1', split255(provider_pkcs1), 'key', 'p= in PKCS #1 RSAPublicKey form (RFC 6376 text)',
    key='provider-2048.key.pem', keyType='rsa', form='pkcs1', bits=2048)
rec('testing-strict-notes', split255(f'v=DKIM1; k=rsa; t=y:s; s=email; n=Key=20for=20SES; p={provider_spki}'), 'key',
    't=y:s, s=email, n= notes', key='provider-2048.key.pem', keyType='rsa', form='spki', bits=2048,
    flags=dict(testing=True, strict=True), notes='Key for SES', warnings=['TESTING'])
rec('no-version', split255(f'k=rsa; p={provider_spki}'), 'key', 'v= is optional', key='provider-2048.key.pem',
    keyType='rsa', form='spki', bits=2048)
rec('folded-white-space', split255(f' v = DKIM1 ;\tk=rsa ;  p = {provider_spki[:200]}  {provider_spki[200:]} ; '),
    'key', 'white space around tags and inside p= (legal FWS)', key='provider-2048.key.pem', keyType='rsa', form='spki',
    bits=2048, warnings=['SPACE_IN_KEY'])
rec('joined-with-space', [f'{provider[:255]} {provider[255:]}'], 'key',
    'a panel joined the two strings with a space: legal inside p=, flagged', key='provider-2048.key.pem', keyType='rsa',
    form='spki', bits=2048, warnings=['SPACE_IN_KEY'])
rec('revoked', ['v=DKIM1; k=rsa; p='], 'revoked', 'empty p= revokes the key')
rec('revoked-with-space', ['v=DKIM1; p= '], 'revoked', 'p= with only white space')
rec('weak-512', [weak], 'key', 'RSA 512 published', keyType='rsa', bits=512, warnings=['WEAK_KEY'], usableForSes=False)
rec('odd-2047', split255(odd), 'key', 'RSA 2047: an unexpected size', keyType='rsa', bits=2047,
    warnings=['KEY_SIZE_UNEXPECTED'])
rec('h-sha1-only', split255(f'v=DKIM1; h=sha1; k=rsa; p={provider_spki}'), 'key', 'h=sha1: SES signs with sha256',
    key='provider-2048.key.pem', keyType='rsa', bits=2048, warnings=['HASH_EXCLUDES_SHA256'], usableForSes=False)
rec('s-not-email', split255(f'v=DKIM1; s=tlsrpt; p={provider_spki}'), 'key', 's=tlsrpt excludes email',
    key='provider-2048.key.pem', keyType='rsa', bits=2048, warnings=['SERVICE_EXCLUDES_EMAIL'], usableForSes=False)
rec('zone-quotes', [f'"{provider[:255]}" "{provider[255:]}"'], 'invalid', 'zone-file strings pasted into a panel',
    code='ZONE_SYNTAX')
rec('zone-escaped-semicolons', split255(provider.replace(';', '\\;')), 'invalid', 'backslash-escaped semicolons',
    code='ZONE_SYNTAX')
rec('pem-armour', [f'v=DKIM1; k=rsa; p=-----BEGIN PUBLIC KEY-----{pem_body[26:-24]}-----END PUBLIC KEY-----'], 'invalid',
    'PEM armour pasted into p=', code='PEM_ARMOUR')
rec('truncated-255', [provider[:255]], 'invalid', 'a panel kept only the first 255 octets', code='TRUNCATED_AT_255')
rec('truncated-short', [provider[:200]], 'invalid', 'cut, but not at 255: plain KEY_INVALID', code='KEY_INVALID')
rec('missing-semicolon', split255(f'v=DKIM1; k=rsa p={provider_spki}'), 'invalid', 'k=rsa p=...', code='MISSING_SEMICOLON')
rec('missing-semicolon-after-version', split255(f'v=DKIM1 k=rsa; p={provider_spki}'), 'invalid', 'v=DKIM1 k=rsa',
    code='MISSING_SEMICOLON')
rec('duplicate-tag', split255(f'v=DKIM1; k=rsa; k=rsa; p={provider_spki}'), 'invalid', 'k= twice', code='DUPLICATE_TAG')
rec('version-not-first', split255(f'k=rsa; v=DKIM1; p={provider_spki}'), 'invalid', 'v= second', code='VERSION_NOT_FIRST')
rec('no-key', ['v=DKIM1; k=rsa'], 'invalid', 'no p=', code='KEY_MISSING')
rec('unknown-key-type', ['v=DKIM1; k=dsa; p=AAAA'], 'invalid', 'k=dsa', code='KEY_TYPE_UNKNOWN')
rec('ed25519-declared-rsa-key', split255(f'v=DKIM1; k=ed25519; p={provider_spki}'), 'invalid', 'k=ed25519 over an RSA key',
    code='KEY_TYPE_MISMATCH')
rec('rsa-declared-ed25519-key', ['v=DKIM1; k=rsa; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='], 'invalid',
    'k=rsa over the RFC 8463 Ed25519 key', code='KEY_TYPE_MISMATCH')
rec('bad-base64', ['v=DKIM1; k=rsa; p=MIGf!MA0G'], 'invalid', "a '!' in p=", code='KEY_INVALID')
rec('empty-tag', split255(f'v=DKIM1;; k=rsa; p={provider_spki}'), 'invalid', ';; is not a tag-list', code='TAG_SYNTAX')
rec('spf', ['v=spf1 include:amazonses.com ~all'], 'not-dkim', 'an SPF record')
rec('site-verification', ['google-site-verification=abc123'], 'not-dkim', 'a verification token')
rec('dkim2', ['v=DKIM2; k=rsa; p=AAAA'], 'not-dkim', 'another version')

S = []
def rrset(id, records, verdict, comment, key=None, **expect):
    S.append(dict(id=id, records=records, expected=dict(verdict=verdict, **expect), key=key, comment=comment))
rrset('match', [split255(provider)], 'MATCH', 'the expected key', key='provider-2048.key.pem')
rrset('match-pkcs1-form', [split255(provider_pkcs1)], 'MATCH', 'PKCS #1 p= matches by modulus and exponent',
      key='provider-2048.key.pem')
rrset('match-beside-spf', [['v=spf1 -all'], split255(provider)], 'MATCH', 'non-DKIM TXT ignored', key='provider-2048.key.pem')
rrset('valid-no-expectation', [split255(provider)], 'VALID', 'no expected key given')
rrset('mismatch', [rfc6376], 'MISMATCH', 'another key', key='provider-2048.key.pem')
rrset('mismatch-ed25519', [rfc8463_ed], 'MISMATCH', 'an Ed25519 key where an RSA key was expected', key='provider-2048.key.pem')
rrset('revoked', [['v=DKIM1; p=']], 'REVOKED', 'revoked', key='provider-2048.key.pem')
rrset('weak', [[weak]], 'WEAK_KEY', '512 bits')
rrset('multiple', [split255(provider), rfc6376], 'MULTIPLE_RECORDS', 'two key records', key='provider-2048.key.pem')
rrset('multiple-same', [split255(provider), split255(provider)], 'MULTIPLE_RECORDS', 'the same record twice (distinct strings)',
      key='provider-2048.key.pem')
rrset('only-spf', [['v=spf1 -all']], 'NOT_DKIM', 'something else where the key belongs')
rrset('empty', [], 'NOT_FOUND', 'no records')
rrset('invalid', [[provider[:255]]], 'INVALID', 'truncated', code='TRUNCATED_AT_255')
rrset('match-but-h-sha1', [split255(f'v=DKIM1; h=sha1; k=rsa; p={provider_spki}')], 'INVALID', 'matches, SES cannot sign',
      key='provider-2048.key.pem', code='HASH_EXCLUDES_SHA256')
json.dump({'comment': 'Generated by vectors/make-record-vectors.sh; expected results are written by hand.',
           'records': R, 'rrsets': S}, open(f'{out}/manifest.json', 'w'), indent=2)
PY
echo "wrote $(ls "$out" | wc -l) files to vectors/$out" >&2
