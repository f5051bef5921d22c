// Key data of a key record: p= decoded to an RSA or Ed25519 public key, and the damage diagnosed.
import { base64Decode } from '../base64.js';
import { DkimError } from '../errors.js';
import { canonicalRsaSpki, parseRsaPublicKey, type RsaPublicKeyParts } from '../public-key.js';
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
 * Warnings (white space) and the RSA size issues are pushed to `issues`. `published` is given
 * when `p=` is exactly the text of that (RSA) key: its known decoding is copied instead.
 */
export function readKeyData(
  p: string,
  keyType: 'rsa' | 'ed25519',
  truncated: boolean,
  issues: KeyRecordIssue[],
  published?: RsaPublicKeyParts,
): RecordPublicKey | null | KeyRecordFault {
  if (published !== undefined) return withSizeIssues(copyOf(published), issues);
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
  return withSizeIssues(decoded, issues);
}

function withSizeIssues(key: RecordPublicKey, issues: KeyRecordIssue[]): RecordPublicKey {
  if (key.algorithm === 'rsa') {
    if (key.bits < 1024) {
      issues.push(issue('WEAK_KEY', 'error', `RSA key of ${key.bits} bits; receivers refuse keys under 1024 bits`));
    } else if (key.bits !== 1024 && key.bits !== 2048 && key.bits !== 3072 && key.bits !== 4096) {
      issues.push(issue('KEY_SIZE_UNEXPECTED', 'warning', `RSA modulus of ${key.bits} bits`));
    }
  }
  return key;
}

// What decoding p= gives when it is the expected key's canonical SPKI text: its own copy of
// the bytes, with n and e as views into it (as parseRsaPublicKey makes them).
function copyOf({ canonicalSpki, modulus, exponent, bits }: RsaPublicKeyParts): RecordPublicKey {
  const spki = carve(canonicalSpki as Uint8Array);
  const shift = spki.byteOffset - (canonicalSpki as Uint8Array).byteOffset;
  return {
    algorithm: 'rsa',
    form: 'spki',
    spki,
    bits,
    modulus: at(spki, modulus, shift),
    exponent: at(spki, exponent, shift),
  };
}

function at(copy: Uint8Array, part: Uint8Array, shift: number): Uint8Array {
  return new Uint8Array(copy.buffer, part.byteOffset + shift, part.length);
}

// Copies are carved from a shared slab, as Node carves small Buffers from its pool: a typed
// array of its own costs more to allocate than the rest of the parse.
const SLAB_SIZE = 8192;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

function carve(bytes: Uint8Array): Uint8Array {
  if (bytes.length > SLAB_SIZE / 8) return bytes.slice();
  if (slabUsed + bytes.length > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const copy = new Uint8Array(slab, slabUsed, bytes.length);
  copy.set(bytes);
  slabUsed += (bytes.length + 7) & ~7;
  return copy;
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
