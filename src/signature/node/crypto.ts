// node:crypto's signature primitives: synchronous SHA-256, RSA and Ed25519, with each key imported once per key object.
import * as nodeCrypto from 'node:crypto';
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { RecordPublicKey } from '../../core/key-record/key-data.js';
import type { SignaturePrimitives } from '../../core/signature/primitives.js';
import { Ed25519SigningKey, type SigningKey, signingKeyPkcs8 } from '../../core/signature/signing-key.js';
import { findBareLineFeedSimd } from './bare-lf.js';
import { canonicalizeRelaxedBodySimd } from './relaxed-body.js';

// crypto.hash (Node 20.12+) hashes in one call without a Hash object: cheaper for the small
// inputs (a header hash input, a 2 KB body) most messages have.
const oneShot = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;
const privateKeys = new WeakMap<SigningKey, KeyObject>();
const publicKeys = new WeakMap<RecordPublicKey, KeyObject>();

function privateKeyOf(key: SigningKey): KeyObject {
  let keyObject = privateKeys.get(key);
  if (keyObject === undefined) {
    const der = signingKeyPkcs8(key);
    keyObject = createPrivateKey({
      key: Buffer.from(der.buffer, der.byteOffset, der.length),
      format: 'der',
      type: 'pkcs8',
    });
    der.fill(0);
    privateKeys.set(key, keyObject);
  }
  return keyObject;
}

// Records are read anew for every message, so keys are also kept by their bytes: a verifier
// sees the same few keys again and again, and an import costs more than the check itself.
const byDer = new Map<string, KeyObject>();
/** The most public keys kept by their bytes; the map starts over when full. */
const MAX_KEPT_PUBLIC_KEYS = 1024;

function publicKeyOf(key: RecordPublicKey): KeyObject {
  let keyObject = publicKeys.get(key);
  if (keyObject === undefined) {
    const der = Buffer.from(key.spki.buffer, key.spki.byteOffset, key.spki.length);
    const id = der.toString('base64');
    keyObject = byDer.get(id);
    if (keyObject === undefined) {
      keyObject = createPublicKey({ key: der, format: 'der', type: 'spki' });
      if (byDer.size === MAX_KEPT_PUBLIC_KEYS) byDer.clear();
      byDer.set(id, keyObject);
    }
    publicKeys.set(key, keyObject);
  }
  return keyObject;
}

/**
 * DKIM's primitives on node:crypto, all synchronous: no thread-pool round trip per digest or
 * signature as WebCrypto makes. Same bytes as WebCrypto's (RSASSA-PKCS1-v1_5 and Ed25519 are
 * deterministic). The main entry's Node build uses them by default; pass them as `crypto` to the
 * core's signMessage, sesSignMessage or verifyMessage elsewhere.
 */
export const nodeSignaturePrimitives: SignaturePrimitives = {
  // Both read the bytes in place: a subarray of a large message is hashed without a copy.
  sha256:
    oneShot === undefined
      ? (data) => createHash('sha256').update(data).digest()
      : (data) => oneShot('sha256', data, 'buffer'),
  sign: (key, data) => sign(key instanceof Ed25519SigningKey ? null : 'sha256', data, privateKeyOf(key)),
  verify: (key, signature, data) =>
    verify(key.algorithm === 'ed25519' ? null : 'sha256', data, publicKeyOf(key), signature),
  findBareLineFeed: findBareLineFeedSimd,
  canonicalizeRelaxedBody: canonicalizeRelaxedBodySimd,
};
