// The public exponent checks, read from the DER bytes, against the BigInt rule they replace:
// odd and 3 <= e < n (EXPONENT_INVALID, naming e below 2^64), and a warning for anything but 65537.
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigIntToBytes } from '../../src/core/bigint.js';
import { encodeElement, encodeUnsignedInteger, TAG } from '../../src/core/der.js';
import { DkimError, parsePrivateKey } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';

const big = (field: unknown) => BigInt(`0x${Buffer.from(field as string, 'base64url').toString('hex')}`);

function componentsOf(name: string) {
  const jwk = createPrivateKey({ key: Buffer.from(keyFile(name)), format: 'der', type: 'pkcs1' }).export({
    format: 'jwk',
  });
  return { n: big(jwk.n), e: big(jwk.e), p: big(jwk.p), q: big(jwk.q), qinv: big(jwk.qi) };
}

function encode(values: bigint[]): Uint8Array {
  const integers = values.map((value) => encodeUnsignedInteger(bigIntToBytes(value)));
  return encodeElement(TAG.SEQUENCE, encodeUnsignedInteger(new Uint8Array(0)), ...integers);
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r, oldS, s] = [a % m, m, 1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r, oldS, s] = [r, oldR - quotient * r, s, oldS - quotient * s];
  }
  return ((oldS % m) + m) % m;
}

/** The verdict the former BigInt rule gives for e (the key otherwise consistent, or not). */
function expected(n: bigint, e: bigint, consistent: boolean): string {
  if ((e & 1n) === 0n || e < 3n || e >= n) {
    return `EXPONENT_INVALID: the public exponent must be odd and 3 <= e < n${e < 1n << 64n ? ` (found ${e})` : ''}`;
  }
  if (!consistent) return 'KEY_INCONSISTENT';
  if (e === 65537n) return 'ok';
  return `ok public exponent ${e < 1n << 64n ? e : `of ${bigIntToBytes(e).length} bytes`}; 65537 is the norm`;
}

function verdict(der: Uint8Array): string {
  try {
    const key = parsePrivateKey(der);
    return ['ok', ...key.warnings.map((warning) => warning.message)].join(' ');
  } catch (error) {
    if (!(error instanceof DkimError)) throw error;
    return error.code === 'KEY_INCONSISTENT' ? error.code : `${error.code}: ${error.message}`;
  }
}

describe('public exponent', () => {
  for (const name of ['rsa1024.pkcs1.der', 'rsa2048.pkcs1.der']) {
    const { n, p, q, qinv } = componentsOf(name);
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const keyWith = (e: bigint): [Uint8Array, boolean] => {
      if (e < 3n || (e & 1n) === 0n || e >= n || gcd(e, lambda) !== 1n) {
        // Not invertible: d stays the 65537 key's, so the key cannot be consistent.
        const d = modInverse(65537n, lambda);
        return [encode([n, e, d, p, q, d % (p - 1n), d % (q - 1n), qinv]), false];
      }
      const d = modInverse(e, lambda);
      return [encode([n, e, d, p, q, d % (p - 1n), d % (q - 1n), qinv]), true];
    };

    it(`gives the BigInt rule's verdict and wording for edge exponents (${name})`, () => {
      const edges = [0n, 1n, 2n, 3n, 4n, 5n, 17n, 65535n, 65537n, 65539n, 0x10001n << 8n];
      edges.push((1n << 48n) - 1n, (1n << 48n) + 1n, (1n << 56n) + 1n, (1n << 64n) - 1n, (1n << 64n) + 1n);
      edges.push(1n << 64n, (1n << 72n) + 1n, n - 1n, n - 2n, n, n + 1n, n + 2n, (n >> 8n) | 1n);
      // Same length as n, just below and above it, and with its top byte only.
      edges.push(
        n - (1n << 16n) + 1n,
        n ^ 0x300n,
        (n >> 1n) | 1n | (n & (0xffn << BigInt(bigIntToBytes(n).length * 8 - 8))),
      );
      let checked = 0;
      for (const e of edges) {
        // e no longer than n: a longer one is refused before the exponent checks, by size.
        if (bigIntToBytes(e).length > bigIntToBytes(n).length) continue;
        const [der, consistent] = keyWith(e);
        expect(verdict(der), `e = ${e.toString(16)}`).toBe(expected(n, e, consistent));
        checked++;
      }
      expect(checked).toBeGreaterThan(20);
    });
  }
});
