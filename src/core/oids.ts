// The algorithm OIDs the engine names, and the rsaEncryption test on raw DER bytes.
/** rsaEncryption (PKCS #1): the only key algorithm DKIM's rsa-sha256 uses. */
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_ED25519 = '1.3.101.112';

const ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  [OID_RSA_ENCRYPTION]: 'RSA',
  [OID_RSASSA_PSS]: 'RSASSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  [OID_ED25519]: 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'Diffie-Hellman',
  '1.2.840.10046.2.1': 'X9.42 Diffie-Hellman',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012',
  '1.2.156.10197.1.301': 'SM2',
  '1.2.840.113549.1.5.13': 'PBES2 (encrypted)',
};

/** A readable algorithm name for an OID, or the OID itself. */
export function algorithmName(oid: string): string {
  return ALGORITHM_NAMES[oid] ?? `unknown algorithm ${oid}`;
}

const RSA_ENCRYPTION_CONTENTS = /* @__PURE__ */ Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);

/** Whether the OBJECT IDENTIFIER contents at [start, end) are rsaEncryption: a byte compare, no decoding. */
export function isRsaEncryption(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== RSA_ENCRYPTION_CONTENTS.length) return false;
  for (let i = 0; i < RSA_ENCRYPTION_CONTENTS.length; i++) {
    if (bytes[start + i] !== RSA_ENCRYPTION_CONTENTS[i]) return false;
  }
  return true;
}
