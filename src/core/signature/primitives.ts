// The cryptography signing and verification run on: WebCrypto by default, or injected primitives (node:crypto in Node).
import { DkimError } from '../errors.js';
import type { RecordPublicKey } from '../key-record/key-data.js';
import { type CanonicalizationMode, canonicalizeBody } from './canonicalize.js';
import { source } from './hash-input.js';
import { type BareLineFeedSearch, findBareLineFeed, type Message, readMessage } from './message.js';
import { cryptoKeyOf, type SigningKey } from './signing-key.js';

/** A WebCrypto, as `globalThis.crypto` is one. */
export interface SignatureCrypto {
  readonly subtle: SubtleCrypto;
}

/**
 * The three operations DKIM needs, in place of WebCrypto. Each may answer at once or with a
 * promise: node:crypto's synchronous calls (the main entry's Node build) spare the thread-pool
 * round trips WebCrypto makes for every digest and signature.
 */
export interface SignaturePrimitives {
  /** SHA-256 of `data`. */
  sha256(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** RSA: RSASSA-PKCS1-v1_5 with SHA-256 over `data`. Ed25519: Ed25519 over `data` (DKIM passes a digest). */
  sign(key: SigningKey, data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Whether `signature` is the key's over `data`, as `sign` makes it; may throw for an unusable key. */
  verify(key: RecordPublicKey, signature: Uint8Array, data: Uint8Array): boolean | Promise<boolean>;
  /** Optional: a faster search for bare LFs than the core's (Node's build brings a SIMD one). */
  readonly findBareLineFeed?: BareLineFeedSearch;
  /** Optional: `canonicalizeBody(body, 'relaxed')`, faster (Node's build brings a SIMD one). */
  readonly canonicalizeRelaxedBody?: (body: Uint8Array) => Uint8Array;
}

/** The message as the primitives read it: split, with their bare-LF search if they have one. */
export function readMessageWith(primitives: SignaturePrimitives, input: string | Uint8Array): Message {
  return readMessage(input, primitives.findBareLineFeed ?? findBareLineFeed);
}

/** A body in canonical form, with the primitives' relaxed canonicalization if they have one. */
export function canonicalizeBodyWith(
  primitives: SignaturePrimitives,
  body: Uint8Array,
  mode: CanonicalizationMode,
): Uint8Array {
  const relaxed = primitives.canonicalizeRelaxedBody;
  return mode === 'relaxed' && relaxed !== undefined ? relaxed(body) : canonicalizeBody(body, mode);
}

const fromWebCrypto = new WeakMap<SubtleCrypto, SignaturePrimitives>();

/** The primitives to use: injected ones, or WebCrypto (`globalThis.crypto` unless one is given), or OPTION_INVALID. */
export function primitivesOf(crypto: SignatureCrypto | SignaturePrimitives | undefined): SignaturePrimitives {
  if (crypto !== undefined && 'sign' in crypto) return crypto;
  const subtle = (crypto ?? globalThis.crypto)?.subtle;
  if (subtle === undefined) throw new DkimError('OPTION_INVALID', 'no WebCrypto available: pass options.crypto');
  let primitives = fromWebCrypto.get(subtle);
  if (primitives === undefined) {
    primitives = webCryptoPrimitives(subtle);
    fromWebCrypto.set(subtle, primitives);
  }
  return primitives;
}

function webCryptoPrimitives(subtle: SubtleCrypto): SignaturePrimitives {
  // One import per record key: explaining a failure verifies with the same key many times.
  const publicKeys = new WeakMap<RecordPublicKey, Promise<CryptoKey>>();
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return {
    sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', source(data))),
    sign: async (key, data) => {
      const cryptoKey = await cryptoKeyOf(subtle, key);
      return new Uint8Array(await subtle.sign(cryptoKey.algorithm, cryptoKey, source(data)));
    },
    verify: async (key, signature, data) => {
      let imported = publicKeys.get(key);
      if (imported === undefined) {
        imported =
          key.algorithm === 'ed25519'
            ? subtle.importKey('raw', source(key.raw), 'Ed25519', false, ['verify'])
            : subtle.importKey('spki', source(key.spki), rsa, false, ['verify']);
        publicKeys.set(key, imported);
      }
      const cryptoKey = await imported;
      return subtle.verify(cryptoKey.algorithm, cryptoKey, source(signature), source(data));
    },
  };
}
