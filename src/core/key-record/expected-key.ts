// The key a record is expected to publish, normalised once per key object (modulus, exponent, SPKI, record text).

import { base64Encode } from '../base64.js';
import { bigIntToBytes } from '../bigint.js';
import { DkimError } from '../errors.js';
import { DkimPrivateKey } from '../key.js';
import { canonicalRsaSpki, encodeRsaSpki, parseRsaPublicKey, type RsaPublicKeyParts } from '../public-key.js';
import { keyRecordText } from './format.js';

/** The key a record is expected to publish: a parsed private key, public key DER (SPKI or PKCS #1), or (n, e). */
export type ExpectedKey = DkimPrivateKey | Uint8Array | { readonly n: bigint; readonly e: bigint };

/** An expected key in every form a comparison or a report needs. */
export interface NormalizedKey {
  /** Magnitude of the modulus, big-endian, no leading zero: compared with a record's. */
  readonly modulus: Uint8Array;
  readonly exponent: Uint8Array;
  /** The canonical SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  /** The record that publishes it: `v=DKIM1; k=rsa; p=<spki base64>`. */
  readonly recordText: string;
  /**
   * The SPKI as `p=` publishes it, and its parts: a record whose `p=` is exactly this text
   * decodes to `spki`, so the parser need not decode it. Null when `spki` is not canonical.
   */
  readonly published: { readonly base64: string; readonly parts: RsaPublicKeyParts } | null;
}

// One entry per key object, dropped with it: a bulk check compares and reports one key many times.
const cache = new WeakMap<object, NormalizedKey>();

/** The expected key normalised, if it was already: the parser's shortcut never throws for it. */
export function normalizedAlready(expected: ExpectedKey): NormalizedKey | undefined {
  return cache.get(expected);
}

/**
 * The expected key normalised, cached per key object. Unreadable public key DER throws the
 * parser's DkimError code, saying it is the expected key that is unreadable.
 */
export function normalizeExpectedKey(expected: ExpectedKey): NormalizedKey {
  let normalised = cache.get(expected);
  if (normalised === undefined) {
    normalised = normalise(expected);
    cache.set(expected, normalised);
  }
  return normalised;
}

function normalise(expected: ExpectedKey): NormalizedKey {
  let modulus: Uint8Array;
  let exponent: Uint8Array;
  let spki: Uint8Array;
  if (expected instanceof DkimPrivateKey) {
    spki = expected.spki;
    ({ modulus, exponent } = parseRsaPublicKey(spki));
  } else if (expected instanceof Uint8Array) {
    const parts = readExpectedDer(expected);
    ({ modulus, exponent } = parts);
    spki = canonicalRsaSpki(parts);
  } else {
    modulus = bigIntToBytes(expected.n);
    exponent = bigIntToBytes(expected.e);
    spki = encodeRsaSpki(modulus, exponent);
  }
  const recordText = keyRecordText(spki, 'rsa');
  return Object.freeze({ modulus, exponent, spki, recordText, published: publishedKey(spki) });
}

function publishedKey(spki: Uint8Array): NormalizedKey['published'] {
  try {
    const parts = parseRsaPublicKey(spki);
    return parts.canonicalSpki === spki ? { base64: base64Encode(spki), parts } : null;
  } catch (error) {
    if (!(error instanceof DkimError)) throw error;
    return null; // an (n, e) no record could publish: such records are decoded as usual
  }
}

function readExpectedDer(der: Uint8Array): ReturnType<typeof parseRsaPublicKey> {
  try {
    return parseRsaPublicKey(der);
  } catch (error) {
    if (!(error instanceof DkimError)) throw error;
    throw new DkimError(error.code, `the expected public key is unreadable: ${error.message}`);
  }
}
