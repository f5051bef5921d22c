// Keys generated once per test run by node:crypto (an implementation independent of ours),
// in every form the key core accepts.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface PoolKey {
  readonly bits: 1024 | 2048;
  readonly privateKey: KeyObject;
  readonly pkcs1Der: Uint8Array;
  readonly pkcs8Der: Uint8Array;
  readonly pkcs1Pem: string;
  readonly pkcs8Pem: string;
  /** SPKI DER as node:crypto exports it. */
  readonly spki: Uint8Array;
}

function makeKey(bits: 1024 | 2048): PoolKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  return {
    bits,
    privateKey,
    pkcs1Der: new Uint8Array(privateKey.export({ type: 'pkcs1', format: 'der' })),
    pkcs8Der: new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })),
    pkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    pkcs8Pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  };
}

let pool: PoolKey[] | undefined;

/** Six 1024-bit and four 2048-bit keys, made on first use. */
export function keyPool(): PoolKey[] {
  pool ??= [...Array.from({ length: 6 }, () => makeKey(1024)), ...Array.from({ length: 4 }, () => makeKey(2048))];
  return pool;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
