#!/usr/bin/env bash
# Regenerates vectors/keys/ with OpenSSL. Everything the tests take as truth about keys comes
# from here: keys and their SPKI from openssl, inconsistent keys assembled by
# `openssl asn1parse -genconf`, and byte-level damage applied to openssl's output.
# Usage: bash vectors/make-key-vectors.sh   (needs openssl 3 and python3)
set -euo pipefail
cd "$(dirname "$0")/keys"
rm -f ./*.pem ./*.der ./*.b64 ./*.cnf manifest.json
openssl version >&2

b64() { base64 -w0 "$1"; }

for bits in 1024 2048; do
  openssl genrsa -traditional -out "rsa$bits.pkcs1.pem" "$bits" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "rsa$bits.pkcs1.pem" -out "rsa$bits.pkcs8.pem"
  openssl rsa -in "rsa$bits.pkcs1.pem" -traditional -outform DER -out "rsa$bits.pkcs1.der" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "rsa$bits.pkcs1.pem" -outform DER -out "rsa$bits.pkcs8.der"
  b64 "rsa$bits.pkcs1.der" > "rsa$bits.pkcs1.b64"
  b64 "rsa$bits.pkcs8.der" > "rsa$bits.pkcs8.b64"
  sed 's/$/\r/' "rsa$bits.pkcs1.pem" > "rsa$bits.pkcs1.crlf.pem"
  sed 's/$/\r/' "rsa$bits.pkcs8.pem" > "rsa$bits.pkcs8.crlf.pem"
  openssl rsa -in "rsa$bits.pkcs1.pem" -pubout -outform DER -out "rsa$bits.spki.der" 2>/dev/null
  openssl rsa -in "rsa$bits.pkcs1.pem" -RSAPublicKey_out -outform DER -out "rsa$bits.rsapublickey.der" 2>/dev/null
done
# A key with e = 3: valid, with a warning.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -pkeyopt rsa_keygen_pubexp:3 -out rsa1024-e3.pkcs8.pem 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in rsa1024-e3.pkcs8.pem -outform DER -out rsa1024-e3.pkcs8.der
openssl rsa -in rsa1024-e3.pkcs8.pem -pubout -outform DER -out rsa1024-e3.spki.der 2>/dev/null

for bits in 512 768 3072 4096; do
  openssl genrsa -traditional -out "rsa$bits.pkcs1.pem" "$bits" 2>/dev/null
done
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-p256.pkcs8.pem
openssl ecparam -name prime256v1 -genkey -out ec-p256.sec1.pem
openssl ec -in ec-p256.sec1.pem -outform DER -out ec-p256.sec1.der 2>/dev/null
b64 ec-p256.sec1.der > ec-p256.sec1.b64
openssl genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
openssl genpkey -algorithm ED25519 -outform DER -out ed25519.pkcs8.der
openssl dsaparam -genkey -out dsa.pem 1024 2>/dev/null
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsa-pss.pkcs8.pem 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_primes:3 -out rsa-3prime.pkcs8.pem 2>/dev/null
openssl rsa -in rsa-3prime.pkcs8.pem -traditional -out rsa-3prime.pkcs1.pem 2>/dev/null
openssl req -x509 -new -key rsa2048.pkcs1.pem -subj /CN=dkim-engine-vector -days 1 -out cert.pem
openssl x509 -in cert.pem -outform DER -out cert.der
b64 cert.der > cert.b64
openssl rsa -in rsa2048.pkcs1.pem -pubout -out rsa2048.spki.pem 2>/dev/null
openssl rsa -in rsa2048.pkcs1.pem -RSAPublicKey_out -out rsa2048.rsapublickey.pem 2>/dev/null
b64 rsa2048.spki.der > rsa2048.spki.b64
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:vector -in rsa2048.pkcs1.pem -out encrypted.pkcs8.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:vector -in rsa2048.pkcs1.pem -outform DER -out encrypted.pkcs8.der
b64 encrypted.pkcs8.der > encrypted.pkcs8.b64
openssl rsa -aes256 -traditional -passout pass:vector -in rsa2048.pkcs1.pem -out encrypted.legacy.pem 2>/dev/null

# Inconsistent keys: the components of rsa1024 with one relation broken, assembled by openssl.
python3 - <<'PY'
import re, subprocess
out = subprocess.run(['openssl', 'asn1parse', '-in', 'rsa1024.pkcs1.pem'], check=True, capture_output=True, text=True).stdout
ints = [int(m, 16) for m in re.findall(r'INTEGER\s+:([0-9A-F]+)', out)]
version, n, e, d, p, q, dp, dq, qinv = ([0] + ints) if len(ints) == 8 else ints
def write(name, n, e, d, p, q, dp, dq, qinv):
    fields = dict(version=0, modulus=n, publicExponent=e, privateExponent=d, prime1=p, prime2=q,
                  exponent1=dp, exponent2=dq, coefficient=qinv)
    with open(f'{name}.cnf', 'w') as f:
        f.write('asn1=SEQUENCE:rsa_key\n[rsa_key]\n')
        for k, v in fields.items():
            f.write(f'{k}=INTEGER:{hex(v)}\n')
    subprocess.run(['openssl', 'asn1parse', '-genconf', f'{name}.cnf', '-out', f'{name}.der', '-noout'], check=True)
write('inconsistent-n', n ^ 2, e, d, p, q, dp, dq, qinv)
write('inconsistent-d', n, e, d + 2, p, q, dp, dq, qinv)
write('inconsistent-dp', n, e, d, p, q, dp + 2, dq, qinv)
write('inconsistent-qinv', n, e, d, p, q, dp, dq, qinv + 1)
write('inconsistent-e', n, e + 2, d, p, q, dp, dq, qinv)
write('inconsistent-swapped', n, e, d, q, p, dq, dp, qinv)
write('equal-primes', p * p, e, d, p, p, dp, dp, 1)
write('even-exponent', n, 65536, d, p, q, dp, dq, qinv)
write('rebuilt-valid', n, e, d, p, q, dp, dq, qinv)
# A composite "prime": p = r*s (two openssl primes), q an openssl prime, every CRT relation
# computed as if p were prime. Only strict mode can tell.
def prime(bits):
    return int(subprocess.run(['openssl', 'prime', '-generate', '-bits', str(bits)], check=True, capture_output=True, text=True).stdout)
from math import gcd
while True:
    r, s, q2 = prime(256), prime(256), prime(512)
    p2 = r * s
    n2 = p2 * q2
    if n2.bit_length() != 1024: continue
    lam = (p2 - 1) * (q2 - 1) // gcd(p2 - 1, q2 - 1)
    if gcd(65537, lam) != 1: continue
    d2 = pow(65537, -1, lam)
    write('composite-p', n2, 65537, d2, p2, q2, d2 % (p2 - 1), d2 % (q2 - 1), pow(q2, -1, p2))
    break
PY

# Byte-level damage to openssl's output.
python3 - <<'PY'
import base64
der = open('rsa2048.pkcs1.der', 'rb').read()
b64 = base64.b64encode(der).decode()
open('truncated.b64', 'w').write(b64[:1000])
open('bad-char.b64', 'w').write(b64[:100] + '!' + b64[101:])
open('base64url.b64', 'w').write(b64.replace('+', '-').replace('/', '_'))
open('trailing-bytes.b64', 'w').write(base64.b64encode(der + b'\x00\x00').decode())
open('newlines.b64', 'w').write('\n'.join(b64[i:i + 64] for i in range(0, len(b64), 64)))
# Padding vectors need a key whose DER length is not a multiple of 3.
padded = next(d for d in (open(f, 'rb').read() for f in ('rsa2048.pkcs1.der', 'rsa2048.pkcs8.der', 'rsa1024.pkcs1.der', 'rsa1024.pkcs8.der')) if len(d) % 3)
open('missing-padding.b64', 'w').write(base64.b64encode(padded).decode().rstrip('='))
# Non-canonical trailing bits: the last symbol before '=' changed so that unused bits are set.
alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
s = base64.b64encode(padded).decode()
if s.endswith('=='):
    i = len(s) - 3; s = s[:i] + alphabet[alphabet.index(s[i]) | 1] + s[i + 1:]
elif s.endswith('='):
    i = len(s) - 2; s = s[:i] + alphabet[alphabet.index(s[i]) | 1] + s[i + 1:]
assert s != base64.b64encode(padded).decode()
open('nonzero-trailing-bits.b64', 'w').write(s)
# BER: indefinite length on the outer SEQUENCE.
assert der[0] == 0x30 and der[1] == 0x82
open('ber-indefinite.der', 'wb').write(b'\x30\x80' + der[4:] + b'\x00\x00')
# Non-minimal length: the outer length in 3 octets instead of 2.
open('nonminimal-length.der', 'wb').write(b'\x30\x83\x00' + der[2:])
# Non-minimal INTEGER: the version 0 written as 00 00.
assert der[4:7] == b'\x02\x01\x00'
body = der[4:7].replace(b'\x02\x01\x00', b'\x02\x02\x00\x00') + der[7:]
open('nonminimal-integer.der', 'wb').write(b'\x30\x82' + len(body).to_bytes(2, 'big') + body)
# Negative modulus: the sign octet of n dropped so its high bit is set (length adjusted).
assert der[7:11] == b'\x02\x82\x01\x01' and der[11] == 0
body = der[4:7] + b'\x02\x82\x01\x00' + der[12:]
open('negative-modulus.der', 'wb').write(b'\x30\x82' + len(body).to_bytes(2, 'big') + body)
# PKCS #8 contents under the PKCS #1 label.
pem8 = open('rsa2048.pkcs8.pem').read()
open('label-mismatch.pem', 'w').write(pem8.replace('PRIVATE KEY', 'RSA PRIVATE KEY'))
# Two blocks: key followed by certificate.
open('key-and-cert.pem', 'w').write(open('rsa2048.pkcs1.pem').read() + open('cert.pem').read())
# PEM with no END line.
open('no-end.pem', 'w').write(''.join(open('rsa2048.pkcs1.pem').readlines()[:-1]))
PY

# The manifest: every vector with its expected result and why.
python3 - <<'PY'
import json
V = []
def valid(id, file, form, encoding, bits, spki, comment, warnings=()):
    V.append(dict(id=id, file=file, valid=True, form=form, encoding=encoding, bits=bits, spki=spki,
                  warnings=list(warnings), comment=comment))
def invalid(id, file, code, comment, text=None, strictOnly=False):
    v = dict(id=id, valid=False, code=code, comment=comment)
    if file is not None: v['file'] = file
    if text is not None: v['text'] = text
    if strictOnly: v['strictOnly'] = True
    V.append(v)
for bits in (1024, 2048):
    spki = f'rsa{bits}.spki.der'
    w8 = ['PKCS8_INPUT']
    valid(f'rsa{bits}-pkcs1-ses', f'rsa{bits}.pkcs1.b64', 'ses', 'pkcs1', bits, spki, 'SES form: one-line base64 of PKCS #1 DER')
    valid(f'rsa{bits}-pkcs8-ses', f'rsa{bits}.pkcs8.b64', 'ses', 'pkcs8', bits, spki, 'SES form of PKCS #8 DER', w8)
    valid(f'rsa{bits}-pkcs1-pem', f'rsa{bits}.pkcs1.pem', 'pem', 'pkcs1', bits, spki, 'openssl genrsa -traditional')
    valid(f'rsa{bits}-pkcs8-pem', f'rsa{bits}.pkcs8.pem', 'pem', 'pkcs8', bits, spki, 'openssl pkcs8 -topk8 -nocrypt', w8)
    valid(f'rsa{bits}-pkcs1-pem-crlf', f'rsa{bits}.pkcs1.crlf.pem', 'pem', 'pkcs1', bits, spki, 'PEM with CRLF line ends')
    valid(f'rsa{bits}-pkcs8-pem-crlf', f'rsa{bits}.pkcs8.crlf.pem', 'pem', 'pkcs8', bits, spki, 'PKCS #8 PEM with CRLF', w8)
    valid(f'rsa{bits}-pkcs1-der', f'rsa{bits}.pkcs1.der', 'der', 'pkcs1', bits, spki, 'raw PKCS #1 DER bytes')
    valid(f'rsa{bits}-pkcs8-der', f'rsa{bits}.pkcs8.der', 'der', 'pkcs8', bits, spki, 'raw PKCS #8 DER bytes', w8)
valid('rsa1024-e3', 'rsa1024-e3.pkcs8.der', 'der', 'pkcs8', 1024, 'rsa1024-e3.spki.der', 'public exponent 3: legal, unusual',
      ['PKCS8_INPUT', 'PUBLIC_EXPONENT_UNUSUAL'])
valid('rebuilt-valid', 'rebuilt-valid.der', 'der', 'pkcs1', 1024, 'rsa1024.spki.der', 'rsa1024 re-assembled by asn1parse -genconf: proves the assembly itself is sound')
valid('composite-p-lenient', 'composite-p.der', 'der', 'pkcs1', 1024, None, 'p is a product of two primes but every CRT relation holds: only strict mode refuses it')
for bits in (512, 768, 3072, 4096):
    invalid(f'rsa{bits}', f'rsa{bits}.pkcs1.pem', 'KEY_SIZE_UNSUPPORTED', f'RSA {bits}: SES takes 1024 or 2048 bits')
invalid('composite-p-strict', 'composite-p.der', 'NOT_PRIME', 'strict mode: p = r*s is found composite', strictOnly=True)
invalid('ec-p256-pkcs8', 'ec-p256.pkcs8.pem', 'NOT_RSA', 'EC P-256, PKCS #8')
invalid('ec-p256-sec1-pem', 'ec-p256.sec1.pem', 'NOT_RSA', 'EC P-256 from ecparam -genkey: EC PARAMETERS + EC PRIVATE KEY')
invalid('ec-p256-sec1-ses', 'ec-p256.sec1.b64', 'NOT_RSA', 'SEC 1 ECPrivateKey DER as base64')
invalid('ed25519-pem', 'ed25519.pkcs8.pem', 'NOT_RSA', 'Ed25519 PKCS #8')
invalid('ed25519-der', 'ed25519.pkcs8.der', 'NOT_RSA', 'Ed25519 PKCS #8 DER')
invalid('dsa', 'dsa.pem', 'NOT_RSA', 'DSA PRIVATE KEY')
invalid('rsa-pss', 'rsa-pss.pkcs8.pem', 'NOT_RSA', 'RSASSA-PSS key: DKIM needs rsaEncryption')
invalid('multi-prime-pkcs8', 'rsa-3prime.pkcs8.pem', 'MULTI_PRIME', 'three-prime RSA key, PKCS #8')
invalid('multi-prime-pkcs1', 'rsa-3prime.pkcs1.pem', 'MULTI_PRIME', 'three-prime RSA key, PKCS #1 version 1')
invalid('truncated', 'truncated.b64', 'DER_INVALID', 'SES form cut at 1000 characters')
invalid('bad-char', 'bad-char.b64', 'BASE64_INVALID', "a '!' at position 100")
invalid('base64url', 'base64url.b64', 'BASE64_INVALID', 'base64url alphabet instead of standard base64')
invalid('newlines', 'newlines.b64', 'BASE64_INVALID', 'base64 wrapped at 64 columns without armour: SES takes one line')
invalid('missing-padding', 'missing-padding.b64', 'BASE64_INVALID', 'padding stripped')
invalid('nonzero-trailing-bits', 'nonzero-trailing-bits.b64', 'BASE64_INVALID', 'non-canonical base64: unused bits set')
invalid('trailing-bytes', 'trailing-bytes.b64', 'TRAILING_DATA', 'two zero bytes after the key')
invalid('ber-indefinite', 'ber-indefinite.der', 'DER_INVALID', 'BER indefinite length')
invalid('nonminimal-length', 'nonminimal-length.der', 'DER_INVALID', 'length in more octets than needed')
invalid('nonminimal-integer', 'nonminimal-integer.der', 'DER_INVALID', 'INTEGER 0 written as 00 00')
invalid('negative-modulus', 'negative-modulus.der', 'DER_INVALID', 'modulus without its sign octet reads as negative')
invalid('certificate-pem', 'cert.pem', 'CERTIFICATE_GIVEN', 'self-signed certificate of rsa2048')
invalid('certificate-ses', 'cert.b64', 'CERTIFICATE_GIVEN', 'certificate DER as base64')
invalid('public-spki-pem', 'rsa2048.spki.pem', 'PUBLIC_KEY_GIVEN', 'PUBLIC KEY PEM')
invalid('public-pkcs1-pem', 'rsa2048.rsapublickey.pem', 'PUBLIC_KEY_GIVEN', 'RSA PUBLIC KEY PEM')
invalid('public-spki-ses', 'rsa2048.spki.b64', 'PUBLIC_KEY_GIVEN', 'SPKI DER as base64')
invalid('public-pkcs1-der', 'rsa2048.rsapublickey.der', 'PUBLIC_KEY_GIVEN', 'RSAPublicKey DER')
invalid('encrypted-pkcs8-pem', 'encrypted.pkcs8.pem', 'ENCRYPTED_KEY', 'ENCRYPTED PRIVATE KEY (PBES2, AES-256-CBC)')
invalid('encrypted-pkcs8-ses', 'encrypted.pkcs8.b64', 'ENCRYPTED_KEY', 'EncryptedPrivateKeyInfo DER as base64')
invalid('encrypted-legacy-pem', 'encrypted.legacy.pem', 'ENCRYPTED_KEY', 'Proc-Type: 4,ENCRYPTED with DEK-Info')
invalid('empty', None, 'EMPTY_INPUT', 'empty string', text='')
invalid('whitespace', None, 'EMPTY_INPUT', 'only white space', text=' \n')
invalid('inconsistent-n', 'inconsistent-n.der', 'KEY_INCONSISTENT', 'n != p*q')
invalid('inconsistent-d', 'inconsistent-d.der', 'KEY_INCONSISTENT', 'wrong private exponent')
invalid('inconsistent-dp', 'inconsistent-dp.der', 'KEY_INCONSISTENT', 'wrong dp')
invalid('inconsistent-qinv', 'inconsistent-qinv.der', 'KEY_INCONSISTENT', 'wrong qinv')
invalid('inconsistent-e', 'inconsistent-e.der', 'KEY_INCONSISTENT', 'public exponent that d does not invert')
invalid('inconsistent-swapped', 'inconsistent-swapped.der', 'KEY_INCONSISTENT', 'p and q swapped without recomputing qinv')
invalid('equal-primes', 'equal-primes.der', 'KEY_INCONSISTENT', 'p == q (n = p*p, still 1024 bits as openssl sets the top two bits of p)')
invalid('even-exponent', 'even-exponent.der', 'EXPONENT_INVALID', 'e = 65536')
invalid('label-mismatch', 'label-mismatch.pem', 'PEM_INVALID', 'PKCS #8 contents under an RSA PRIVATE KEY label')
invalid('key-and-cert', 'key-and-cert.pem', 'PEM_INVALID', 'key followed by its certificate')
invalid('no-end', 'no-end.pem', 'PEM_INVALID', 'PEM without its END line')
json.dump({'comment': 'Generated by vectors/make-key-vectors.sh with OpenSSL; do not edit by hand.', 'vectors': V},
          open('manifest.json', 'w'), indent=2)
PY
rm -f ./*.cnf
echo "wrote $(ls | wc -l) files" >&2
