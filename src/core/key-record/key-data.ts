// Key data of a key record: p= decoded to an RSA or Ed25519 public key, and the damage diagnosed.
import { base64Decode } from '../base64.js';
import { DkimError } from '../errors.js';
import { canonicalRsaSpki, parseRsaPublicKey } from '../public-key.js';
import { fault, issue, type KeyRecordFault, type KeyRecordIssue } from './issues.js';
import { ALL_WSP, hasZoneQuoting, isTagValue, WSP } from './tag-list.js';

/** The public key a record publishes, normalised to SubjectPublicKeyInfo DER. */
export type RecordPublicKey =
  | {
      readonly algorithm: 'rsa';
      /** How `p=` held it: SPKI (what everyone publishes) or PKCS #1 RSAPublicKey (RFC 6376's text). */
      readonly form: 'spki' | 'pkcs1';
      readonly spki: Uint8Array;
      readonly bits: number;
      /** Magnitude of the modulus, big-endian, no leading zero. */
      readonly modulus: Uint8Array;
      readonly exponent: Uint8Array;
    }
  | {
      readonly algorithm: 'ed25519';
      /** RFC 8463 publishes the raw 32 bytes; an SPKI wrapper is accepted too. */
      readonly form: 'raw' | 'spki';
      readonly spki: Uint8Array;
      readonly bits: 256;
      readonly raw: Uint8Array;
    };

const ED25519_SPKI_PREFIX = /* @__PURE__ */ Uint8Array.of(
  0x30,
  0x2a,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x03,
  0x21,
  0x00,
);

/**
 * The key `p=` publishes, null when it is empty (revoked), or the fault that makes it unusable.
 * `truncated` says the record is one string of exactly 255 octets (a DNS panel's cut).
 * Warnings (white space) and the RSA size issues are pushed to `issues`.
 */
export function readKeyData(
  p: string,
  keyType: 'rsa' | 'ed25519',
  truncated: boolean,
  issues: KeyRecordIssue[],
): RecordPublicKey | null | KeyRecordFault {
  if (p.includes('-----')) return fault('PEM_ARMOUR', 'p= holds PEM armour');
  const base64 = WSP.test(p) ? p.replace(ALL_WSP, '') : p;
  if (base64 !== p) {
    issues.push(issue('SPACE_IN_KEY', 'warning', 'p= contains white space (legal, but some receivers fail on it)'));
  }
  if (base64 === '') return null;
  const decoded = decodePublicKey(base64, keyType);
  if ('code' in decoded) {
    if (hasZoneQuoting(p)) return fault('ZONE_SYNTAX', 'quotes or backslashes in p=');
    if (!isTagValue(p)) return fault('TAG_SYNTAX', 'p= holds a character DKIM does not allow');
    if (truncated) return fault('TRUNCATED_AT_255', 'the record is exactly 255 octets and its key does not decode');
    return decoded;
  }
  if (decoded.algorithm === 'rsa') {
    if (decoded.bits < 1024) {
      issues.push(issue('WEAK_KEY', 'error', `RSA key of ${decoded.bits} bits; receivers refuse keys under 1024 bits`));
    } else if (![1024, 2048, 3072, 4096].includes(decoded.bits)) {
      issues.push(issue('KEY_SIZE_UNEXPECTED', 'warning', `RSA modulus of ${decoded.bits} bits`));
    }
  }
  return decoded;
}

function decodePublicKey(base64: string, keyType: 'rsa' | 'ed25519'): RecordPublicKey | KeyRecordFault {
  let der: Uint8Array;
  try {
    der = base64Decode(base64);
  } catch (error) {
    return fault('KEY_INVALID', `p= is not base64: ${messageOf(error)}`);
  }
  return keyType === 'ed25519' ? decodeEd25519(der) : decodeRsa(der);
}

function decodeEd25519(der: Uint8Array): RecordPublicKey | KeyRecordFault {
  if (der.length === 32) return { algorithm: 'ed25519', form: 'raw', spki: ed25519Spki(der), bits: 256, raw: der };
  if (der.length === 44 && ED25519_SPKI_PREFIX.every((byte, i) => der[i] === byte)) {
    return { algorithm: 'ed25519', form: 'spki', spki: der, bits: 256, raw: der.subarray(12) };
  }
  const rsa = der.length > 44 && der[0] === 0x30;
  return rsa
    ? fault('KEY_TYPE_MISMATCH', 'k=ed25519 but p= holds an RSA key')
    : fault('KEY_INVALID', `an Ed25519 key is 32 bytes; p= holds ${der.length}`);
}

function decodeRsa(der: Uint8Array): RecordPublicKey | KeyRecordFault {
  try {
    const parts = parseRsaPublicKey(der);
    const spki = canonicalRsaSpki(parts);
    return {
      algorithm: 'rsa',
      form: parts.form,
      spki,
      bits: parts.bits,
      modulus: parts.modulus,
      exponent: parts.exponent,
    };
  } catch (error) {
    if (error instanceof DkimError && error.code === 'NOT_RSA') {
      return fault('KEY_TYPE_MISMATCH', `k=rsa but p= holds another kind of key: ${error.message}`);
    }
    if (der.length === 32) return fault('KEY_TYPE_MISMATCH', 'p= holds 32 bytes, an Ed25519 key, but k= says rsa');
    return fault('KEY_INVALID', `p= is not an RSA public key: ${messageOf(error)}`);
  }
}

function ed25519Spki(raw: Uint8Array): Uint8Array {
  const spki = new Uint8Array(44);
  spki.set(ED25519_SPKI_PREFIX, 0);
  spki.set(raw, 12);
  return spki;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
