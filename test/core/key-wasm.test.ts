// The WebAssembly consistency check against the BigInt rules: over random byte flips of real
// keys and hand-built edge keys, it confirms a key exactly when the BigInt checks pass, and
// parsePrivateKey gives the same verdict with the module on and off.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { base64Decode } from '../../src/core/base64.js';
import { bigIntToBytes, bytesToBigInts } from '../../src/core/bigint.js';
import { bignumWasm, setBignumWasmEnabled } from '../../src/core/bignum-wasm.js';
import { encodeElement, encodeUnsignedInteger, readElement, readUnsignedInteger, TAG } from '../../src/core/der.js';
import { confirmKeyConsistency, estimateKeyRatio } from '../../src/core/key-consistency-wasm.js';
import { DkimError, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { loadKeyVectors, type ValidKeyVector } from '../../vectors/load.js';
import { seededGenerator } from '../helpers/seeded.js';

afterEach(() => setBignumWasmEnabled(true));

interface Components {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qinv: bigint;
}
const NAMES = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qinv'] as const;

/** The PKCS #1 DER of a key and the byte ranges of its eight integers. */
function layout(der: Uint8Array): {
  contents: { start: number; end: number };
  parts: { start: number; end: number }[];
} {
  const top = readElement(der, 0, der.length);
  let offset = readElement(der, top.start, top.end).end;
  const parts = NAMES.map((name) => {
    const element = readUnsignedInteger(der, offset, top.end, name);
    offset = element.end;
    return { start: element.start, end: element.end };
  });
  return { contents: { start: top.start, end: top.end }, parts };
}

/** The eight integers, read at the given ranges (those of the key before any flip). */
function componentsOf(der: Uint8Array, ranges = layout(der)): Components {
  const values = bytesToBigInts(der, ranges.parts);
  return Object.fromEntries(NAMES.map((name, i) => [name, values[i] as bigint])) as unknown as Components;
}

function encode(key: Components): Uint8Array {
  const integers = NAMES.map((name) => encodeUnsignedInteger(bigIntToBytes(key[name])));
  return encodeElement(TAG.SEQUENCE, encodeUnsignedInteger(new Uint8Array(0)), ...integers);
}

/** The consistency rules of key.ts, written out again in BigInt as the reference. */
function consistent(k: Components): boolean {
  const { n, e, d, p, q, dp, dq, qinv } = k;
  if (p < 3n || q < 3n || p === q || p * q !== n || d === 0n || d >= n) return false;
  if (d % (p - 1n) !== dp || d % (q - 1n) !== dq) return false;
  if ((e * dp) % (p - 1n) !== 1n || (e * dq) % (q - 1n) !== 1n) return false;
  return qinv !== 0n && qinv < p && (qinv * q) % p === 1n;
}

function confirms(der: Uint8Array, ranges = layout(der)): boolean {
  return confirmKeyConsistency(der, ranges.contents, ranges.parts);
}

/**
 * The module confirms each labelled key exactly when the BigInt rules hold for it; `also` runs
 * further checks on its DER. Returns how many were consistent.
 */
function expectBigIntVerdicts(
  edges: readonly (readonly [string, Components])[],
  also?: (der: Uint8Array, label: string) => void,
): number {
  let confirmed = 0;
  for (const [label, key] of edges) {
    const der = encode(key);
    const expected = consistent(key);
    expect(confirms(der), label).toBe(expected);
    if (expected) confirmed++;
    also?.(der, label);
  }
  return confirmed;
}

/** The verdict of parsePrivateKey: the public facts of a key, or an error's code and message. */
function verdict(input: string | Uint8Array, strict = false): string {
  try {
    const key = parsePrivateKey(input, { strict });
    return `ok ${key.bits} ${key.n.toString(16)} ${key.e} ${key.warnings.map((w) => w.code).join(',')}`;
  } catch (error) {
    if (error instanceof DkimError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

function verdictBothWays(input: string | Uint8Array, strict = false): [string, string] {
  setBignumWasmEnabled(true);
  const fast = verdict(input, strict);
  setBignumWasmEnabled(false);
  const slow = verdict(input, strict);
  setBignumWasmEnabled(true);
  return [fast, slow];
}

function modInverse(a: bigint, m: bigint): bigint | undefined {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return oldR === 1n ? ((oldS % m) + m) % m : undefined;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** Every real RSA key of the vectors (1024 and 2048 bits), as PKCS #1 DER. */
const realKeys: { id: string; der: Uint8Array }[] = loadKeyVectors()
  .filter((vector): vector is ValidKeyVector => vector.valid && (vector.form === 'der' || vector.form === 'ses'))
  .map((vector) => ({ id: vector.id, der: base64Decode(toSesPrivateKey(parsePrivateKey(vector.input))) }));

describe('WebAssembly consistency check', () => {
  it('is there, and confirms every real key', () => {
    expect(bignumWasm()).toBeDefined();
    expect(realKeys.length).toBeGreaterThanOrEqual(5);
    for (const key of realKeys) expect(confirms(key.der), key.id).toBe(true);
  });

  it('agrees with the BigInt rules over 12,000 random byte flips inside the integers', () => {
    const next = seededGenerator(0x5eed);
    let confirmed = 0;
    for (let round = 0; round < 12_000; round++) {
      const key = realKeys[round % realKeys.length] as (typeof realKeys)[number];
      const der = key.der.slice();
      const ranges = layout(key.der);
      // One to three flips, each in a random integer, at a random byte, by a random nonzero mask.
      const flips = 1 + next(3);
      for (let f = 0; f < flips; f++) {
        const part = ranges.parts[next(8)] as { start: number; end: number };
        const at = part.start + next(part.end - part.start);
        der[at] = (der[at] as number) ^ (1 + next(255));
      }
      const expected = consistent(componentsOf(der, ranges));
      const actual = confirms(der, ranges);
      if (actual !== expected) throw new Error(`round ${round} (${key.id}): wasm ${actual}, BigInt ${expected}`);
      if (actual) confirmed++;
    }
    // Flips that keep a key consistent are vanishingly rare; the count proves the checks ran.
    expect(confirmed).toBeLessThan(5);
  });

  it('gives the same parsePrivateKey verdicts with and without it over 4,000 flips anywhere', () => {
    const next = seededGenerator(0xf11b);
    for (let round = 0; round < 4_000; round++) {
      const key = realKeys[round % realKeys.length] as (typeof realKeys)[number];
      const der = key.der.slice();
      const at = next(der.length);
      der[at] = (der[at] as number) ^ (1 + next(255));
      const [fast, slow] = verdictBothWays(der);
      if (fast !== slow) throw new Error(`round ${round} (${key.id}) byte ${at}: ${fast} | ${slow}`);
    }
  });

  it('agrees on hand-built edge keys', () => {
    const edges: [string, Components][] = [];
    for (const key of realKeys) {
      const k = componentsOf(key.der);
      const { n, e, d, p, q, dp, dq, qinv } = k;
      const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
      edges.push(
        ['as is', k],
        ['dp + (p-1)', { ...k, dp: dp + p - 1n }],
        ['dq + (q-1)', { ...k, dq: dq + q - 1n }],
        ['dp + 2(p-1)', { ...k, dp: dp + 2n * (p - 1n) }],
        ['qinv + p', { ...k, qinv: qinv + p }],
        ['qinv + 1', { ...k, qinv: qinv + 1n }],
        ['qinv 0', { ...k, qinv: 0n }],
        ['qinv = p - qinv', { ...k, qinv: p - qinv }],
        ['dp 0', { ...k, dp: 0n }],
        ['dq 0', { ...k, dq: 0n }],
        ['d 0', { ...k, d: 0n }],
        ['d 1', { ...k, d: 1n }],
        ['d = n', { ...k, d: n }],
        ['d = n - 1', { ...k, d: n - 1n }],
        ['d + lambda (still an inverse)', { ...k, d: d + lambda }],
        ['d + (p-1)(q-1)', { ...k, d: d + (p - 1n) * (q - 1n) }],
        ['d + (p-1)', { ...k, d: d + p - 1n }],
        ['d - 1', { ...k, d: d - 1n }],
        ['p and q swapped', { ...k, p: q, q: p }],
        ['p and q swapped, CRT values redone', { ...k, p: q, q: p, dp: dq, dq: dp, qinv: modInverse(p, q) ?? 0n }],
        ['n + 1', { ...k, n: n + 1n }],
        ['n - p', { ...k, n: n - p }],
        ['e = e + (p-1)(q-1)', { ...k, e: e + (p - 1n) * (q - 1n) }],
      );
      // Even p, p = 2 and p = 3, with n and the CRT values made to fit as far as they can.
      for (const [label, p2] of [
        ['even p', p + 1n],
        ['p = 2', 2n],
        ['p = 3', 3n],
      ] as const) {
        const q2 = p2 <= 3n ? (n / p2) | 1n : q;
        edges.push([
          label,
          {
            n: p2 * q2,
            e,
            d,
            p: p2,
            q: q2,
            dp: d % (p2 - 1n),
            dq: d % (q2 - 1n),
            qinv: modInverse(q2, p2) ?? 1n,
          },
        ]);
      }
      // A valid key with a public exponent of many limbs: e odd and invertible mod lambda.
      for (const big of [lambda - 2n, (n >> 3n) | 1n, (1n << 200n) + 1n]) {
        let e2 = big | 1n;
        while (gcd(e2, lambda) !== 1n) e2 += 2n;
        const d2 = modInverse(e2, lambda) as bigint;
        edges.push(['large e', { n, e: e2, d: d2, p, q, dp: d2 % (p - 1n), dq: d2 % (q - 1n), qinv }]);
      }
    }
    const confirmed = expectBigIntVerdicts(edges, (der, label) => {
      const [fast, slow] = verdictBothWays(der);
      expect(fast, label).toBe(slow);
    });
    // The unchanged keys, d + lambda and the large exponents are consistent.
    expect(confirmed).toBeGreaterThanOrEqual(realKeys.length * 4);
  });

  it('takes the BigInt path with the module off, with the same verdicts on every vector', () => {
    for (const vector of loadKeyVectors()) {
      const [fast, slow] = verdictBothWays(vector.input);
      expect(fast, vector.id).toBe(slow);
    }
  });

  it('checks qinv and n in one pass exactly as BigInt does: hostile qinv, n and CRT exponents, swapped primes, primes of unequal sizes', () => {
    // The module tests qinv q = 1 mod p by one Montgomery pass for odd p (and by division for even p),
    // and n = p q in the same rows; e dp = 1 mod p - 1 by a guessed quotient for e of one limb.
    const primes = realKeys.flatMap((key) => {
      const k = componentsOf(key.der);
      return [k.p, k.q];
    });
    const edges: [string, Components][] = [];
    const build = (p: bigint, q: bigint, e = 65537n): Components | undefined => {
      const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
      const d = modInverse(e, lambda);
      const qinv = modInverse(q, p);
      if (d === undefined || qinv === undefined || p === q) return undefined;
      return { n: p * q, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qinv };
    };
    for (const [i, p] of primes.entries()) {
      for (const q of [primes[(i + 1) % primes.length], primes[(i + 3) % primes.length], 3n, 5n, (1n << 89n) - 1n]) {
        const k = build(p, q as bigint);
        if (k === undefined) continue;
        const { qinv } = k;
        edges.push(
          [`${i} as is`, k],
          [`${i} qinv - 1`, { ...k, qinv: qinv - 1n }],
          [`${i} qinv + 1`, { ...k, qinv: qinv + 1n }],
          [`${i} qinv + p`, { ...k, qinv: qinv + p }],
          [`${i} qinv 0`, { ...k, qinv: 0n }],
          [`${i} qinv 1`, { ...k, qinv: 1n }],
          [`${i} qinv p - 1`, { ...k, qinv: p - 1n }],
          [`${i} qinv p`, { ...k, qinv: p }],
          [`${i} qinv = p - qinv`, { ...k, qinv: p - qinv }],
          [`${i} qinv of many limbs`, { ...k, qinv: qinv + (p << 100n) }],
          [`${i} p and q swapped`, { ...k, p: k.q, q: k.p, dp: k.dq, dq: k.dp }],
          [`${i} dp - 1`, { ...k, dp: k.dp - 1n }],
          [`${i} dp + 1`, { ...k, dp: k.dp + 1n }],
          [`${i} dp = p - 2`, { ...k, dp: p - 2n }],
          [`${i} dq + 2^28`, { ...k, dq: k.dq + (1n << 28n) }],
          [`${i} n + 1`, { ...k, n: k.n + 1n }],
          [`${i} n + 2^1400 (more limbs than p and q)`, { ...k, n: k.n + (1n << 1400n) }],
          [`${i} n + 2^(28 * 20)`, { ...k, n: k.n + (1n << 560n) }],
          [
            `${i} n without its top limb`,
            { ...k, n: k.n % (1n << BigInt(28 * Math.floor((k.n.toString(2).length - 1) / 28))) },
          ],
        );
        const swapped = build(q as bigint, p);
        if (swapped)
          edges.push([`${i} swapped and redone`, swapped], [`${i} swapped, other qinv`, { ...swapped, qinv }]);
      }
    }
    const confirmed = expectBigIntVerdicts(edges);
    expect(confirmed).toBeGreaterThan(primes.length);
    expect(edges.length - confirmed).toBeGreaterThan(16 * primes.length);
  });

  it('lets only strict mode refuse a composite p, in both paths', () => {
    const vector = loadKeyVectors().find((v) => v.id === 'composite-p-lenient') as ValidKeyVector;
    const der = vector.input as Uint8Array;
    expect(confirms(der)).toBe(true);
    const [fast, slow] = verdictBothWays(der, true);
    expect(fast).toMatch(/^NOT_PRIME/);
    expect(slow).toBe(fast);
  });
});

/** The ratio e d - 1 : (p-1)(q-1) in lowest terms, in BigInt. */
function trueRatio(k: Components): [bigint, bigint] {
  const phi = (k.p - 1n) * (k.q - 1n);
  const common = gcd(k.e * k.d - 1n, phi);
  return [(k.e * k.d - 1n) / common, phi / common];
}

/** Real keys, and the same keys with d = e^-1 mod lcm(p-1, q-1), whose ratio has a larger denominator. */
function realAndLambdaKeys(): [string, Components][] {
  return realKeys.flatMap(({ id, der }) => {
    const k = componentsOf(der);
    const lambda = ((k.p - 1n) * (k.q - 1n)) / gcd(k.p - 1n, k.q - 1n);
    const d = modInverse(k.e, lambda) as bigint;
    return [
      [id, k],
      [`${id}, d mod lambda`, { ...k, d, dp: d % (k.p - 1n), dq: d % (k.q - 1n) }],
    ] as [string, Components][];
  });
}

describe('the ratio e d - 1 : (p-1)(q-1) that spares two divisions', () => {
  it('is estimated exactly for real keys, with d mod (p-1)(q-1) and d mod lcm alike', () => {
    const denominators = new Set<bigint>();
    for (const [label, key] of realAndLambdaKeys()) {
      const der = encode(key);
      const [m, g] = trueRatio(key);
      expect(estimateKeyRatio(der, layout(der).parts), label).toEqual([Number(m), Number(g)]);
      expect(confirms(der), label).toBe(true);
      denominators.add(g);
    }
    // Both the case g = 1 and a g that the module must show divides p-1 and q-1.
    expect(denominators.has(1n)).toBe(true);
    expect(
      [...denominators].some((g) => g > 2n),
      [...denominators].join(),
    ).toBe(true);
  });

  it('never changes the answer, whatever ratio the module is given', () => {
    const edges: [string, Components][] = [];
    for (const [label, k] of realAndLambdaKeys()) {
      const { n, d, p, q } = k;
      edges.push(
        [label, k],
        [`${label}: d + (p-1)`, { ...k, d: d + p - 1n }],
        [`${label}: d + (p-1), dp redone`, { ...k, d: d + p - 1n, dp: (d + p - 1n) % (p - 1n) }],
        [`${label}: dp + (p-1)`, { ...k, dp: k.dp + p - 1n }],
        [`${label}: d + (p-1)(q-1)`, { ...k, d: d + (p - 1n) * (q - 1n) }],
        [`${label}: d - 1`, { ...k, d: d - 1n }],
        [`${label}: n + 1`, { ...k, n: n + 1n }],
        [`${label}: p and q swapped`, { ...k, p: q, q: p }],
      );
    }
    for (const [label, key] of edges) {
      const der = encode(key);
      const ranges = layout(der);
      const expected = consistent(key);
      const [m, g] = trueRatio(key);
      // The key's own ratio (when small), neighbours of it, scaled copies, and the degenerate ones.
      const guesses: [bigint, bigint][] = [
        [m, g],
        [m + 1n, g],
        [m - 1n, g],
        [m, g + 1n],
        [2n * m, 2n * g],
        [3n * m, 3n * g],
        [m, 0n],
        [0n, g],
        [1n, 1n],
        [(1n << 28n) - 1n, 1n],
      ];
      for (const [gm, gg] of guesses) {
        if (gm < 0n || gm >= 1n << 31n || gg >= 1n << 31n) continue;
        const actual = confirmKeyConsistency(der, ranges.contents, ranges.parts, [Number(gm), Number(gg)]);
        expect(actual, `${label} with ${gm} : ${gg}`).toBe(expected);
      }
    }
  });

  it('agrees with the BigInt rules over random byte flips and random ratios (fast-check)', () => {
    const keys = realAndLambdaKeys().map(([label, key]) => ({ label, der: encode(key) }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: keys.length - 1 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.nat(), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.oneof(
          fc.constant<'estimate'>('estimate'),
          fc.tuple(fc.integer({ min: 0, max: 2 ** 28 }), fc.integer({ min: 0, max: 2 ** 28 })),
        ),
        (index, flips, ratio) => {
          const key = keys[index] as (typeof keys)[number];
          const der = key.der.slice();
          const ranges = layout(key.der);
          for (const [part, at, mask] of flips) {
            const range = ranges.parts[part] as { start: number; end: number };
            const offset = range.start + (at % (range.end - range.start));
            der[offset] = (der[offset] as number) ^ mask;
          }
          const expected = consistent(componentsOf(der, ranges));
          const [m, g] = ratio === 'estimate' ? estimateKeyRatio(der, ranges.parts) : ratio;
          expect(confirmKeyConsistency(der, ranges.contents, ranges.parts, [m, g])).toBe(expected);
        },
      ),
      { numRuns: 3000, seed: 0x4a7 },
    );
  });
});
