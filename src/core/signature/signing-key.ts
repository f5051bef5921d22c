// Signing keys: the key core's RSA key or an Ed25519 key (RFC 8463), imported into WebCrypto once per key.
import { base64Decode, base64Encode } from '../base64.js';
import { DkimError, isDkimError } from '../errors.js';
import { DkimPrivateKey, parsePrivateKey, toPkcs8Der } from '../key.js';
import { dkimTxtRecord } from '../key-record/format.js';
import { decodePemBody, parsePemBlocks } from '../pem.js';
import { source } from './hash-input.js';
import type { SigningAlgorithm } from './signature-field.js';

// PKCS #8 PrivateKeyInfo for Ed25519 (RFC 8410): version 0, id-Ed25519, OCTET STRING(OCTET STRING(seed)).
const ED25519_PKCS8_PREFIX = /* @__PURE__ */ Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
let readSeed: (key: Ed25519SigningKey) => Uint8Array;

/** An Ed25519 private key for ed25519-sha256. The seed is private: logs and JSON never show it. */
export class Ed25519SigningKey {
  readonly algorithm = 'ed25519' as const;
  readonly bits = 256 as const;
  readonly #seed: Uint8Array;

  static {
    readSeed = (key) => key.#seed;
  }

  /** @internal Use {@link parseSigningKey}. */
  constructor(seed: Uint8Array) {
    this.#seed = seed.slice();
  }

  toJSON(): Record<string, unknown> {
    return { algorithm: 'ed25519', privateKey: '[redacted]' };
  }

  toString(): string {
    return 'Ed25519SigningKey([redacted])';
  }

  [INSPECT](): string {
    return 'Ed25519SigningKey { privateKey: [redacted] }';
  }
}

/** A key signMessage takes: RSA from the key core, or Ed25519. */
export type SigningKey = DkimPrivateKey | Ed25519SigningKey;

/** The algorithm a key signs with. */
export function algorithmOf(key: SigningKey): SigningAlgorithm {
  if (key instanceof Ed25519SigningKey) return 'ed25519-sha256';
  if (key instanceof DkimPrivateKey) return 'rsa-sha256';
  throw new DkimError('OPTION_INVALID', 'the key is not one parseSigningKey or parsePrivateKey returned');
}

/**
 * Reads a signing key: whatever {@link parsePrivateKey} accepts (RSA, validated), or an Ed25519
 * key as PKCS #8 (PEM `PRIVATE KEY` or DER) or as base64 of its 32-byte seed.
 * @throws {DkimError} as parsePrivateKey does.
 */
export function parseSigningKey(input: string | Uint8Array): SigningKey {
  const seed = typeof input === 'string' ? seedFromBase64(input.trim()) : undefined;
  if (seed !== undefined) return new Ed25519SigningKey(seed);
  try {
    return parsePrivateKey(input);
  } catch (error) {
    if (!isDkimError(error, 'NOT_RSA')) throw error;
    const der = ed25519Der(input);
    if (der === undefined) throw error;
    return new Ed25519SigningKey(der.subarray(ED25519_PKCS8_PREFIX.length));
  }
}

function seedFromBase64(text: string): Uint8Array | undefined {
  if (text.length !== 44 || !/^[A-Za-z0-9+/]{43}=$/.test(text)) return undefined;
  try {
    return base64Decode(text);
  } catch {
    return undefined;
  }
}

// The Ed25519 PKCS #8 DER in a key the RSA parser called NOT_RSA, or undefined for other algorithms.
function ed25519Der(input: string | Uint8Array): Uint8Array | undefined {
  let der: Uint8Array | undefined;
  const text = typeof input === 'string' ? input : input[0] === 0x30 ? undefined : new TextDecoder().decode(input);
  if (text === undefined) der = input as Uint8Array;
  else if (text.includes('-----BEGIN')) {
    const block = parsePemBlocks(text).find((b) => b.label === 'PRIVATE KEY');
    der = block === undefined ? undefined : decodePemBody(block);
  } else der = base64Decode(text.trim());
  if (der === undefined || der.length !== 48) return undefined;
  return ED25519_PKCS8_PREFIX.every((byte, i) => der[i] === byte) ? der : undefined;
}

/** @internal The key as PKCS #8 DER (a fresh copy, which the caller may wipe): what every crypto library imports. */
export function signingKeyPkcs8(key: SigningKey): Uint8Array {
  return key instanceof Ed25519SigningKey ? pkcs8Of(key) : toPkcs8Der(key);
}

function pkcs8Of(key: Ed25519SigningKey): Uint8Array {
  const out = new Uint8Array(48);
  out.set(ED25519_PKCS8_PREFIX);
  out.set(readSeed(key), ED25519_PKCS8_PREFIX.length);
  return out;
}

const imported = new WeakMap<SubtleCrypto, WeakMap<SigningKey, Promise<CryptoKey>>>();

/** The key as a WebCrypto signing key, imported once per key and WebCrypto instance. */
export function cryptoKeyOf(subtle: SubtleCrypto, key: SigningKey): Promise<CryptoKey> {
  algorithmOf(key);
  let cache = imported.get(subtle);
  if (cache === undefined) {
    cache = new WeakMap();
    imported.set(subtle, cache);
  }
  let promise = cache.get(key);
  if (promise === undefined) {
    promise =
      key instanceof Ed25519SigningKey
        ? subtle.importKey('pkcs8', source(pkcs8Of(key)), { name: 'Ed25519' }, false, ['sign'])
        : subtle.importKey('pkcs8', source(toPkcs8Der(key)), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
            'sign',
          ]);
    cache.set(key, promise);
  }
  return promise;
}

/** The raw 32-byte Ed25519 public key (WebCrypto derives it; the JWK export carries it). */
export async function ed25519PublicKey(subtle: SubtleCrypto, key: Ed25519SigningKey): Promise<Uint8Array> {
  const extractable = await subtle.importKey('pkcs8', source(pkcs8Of(key)), { name: 'Ed25519' }, true, ['sign']);
  const jwk = await subtle.exportKey('jwk', extractable);
  const x = (jwk.x ?? '').replace(/-/g, '+').replace(/_/g, '/');
  return base64Decode(x + '='.repeat((4 - (x.length % 4)) % 4));
}

/** The TXT record value that publishes a signing key: `v=DKIM1; k=rsa; p=...` or `v=DKIM1; k=ed25519; p=...`. */
export async function signingKeyRecord(
  key: SigningKey,
  crypto: { readonly subtle: SubtleCrypto } | undefined = globalThis.crypto,
): Promise<string> {
  if (key instanceof Ed25519SigningKey) {
    const subtle = crypto?.subtle;
    if (subtle === undefined) throw new DkimError('OPTION_INVALID', 'no WebCrypto available: pass options.crypto');
    return `v=DKIM1; k=ed25519; p=${base64Encode(await ed25519PublicKey(subtle, key))}`;
  }
  return dkimTxtRecord(key, { domain: 'example.com', selector: 'record' }).value;
}
