// The Miller-Rabin module's Montgomery squaring and product (two rows at a time) against BigInt:
// a b / R and a^2 / R mod m below 2m, and montsqr giving the limbs of montmul(a, a), on random
// and edge operands of every size.
import { describe, expect, it } from 'vitest';
import {
  MILLER_RABIN_MAX_LIMBS,
  millerRabinLimbs,
  millerRabinWasm,
  MILLER_RABIN_SLOTS as SLOTS,
} from '../../src/core/miller-rabin-wasm.js';

const MASK = 0xfffffffn;

function write(words: Uint32Array, at: number, value: bigint, limbs: number): void {
  let rest = value;
  for (let i = 0; i < limbs + 4; i++) {
    words[(at >> 2) + i] = Number(rest & MASK);
    rest >>= 28n;
  }
}

function read(words: Uint32Array, at: number, limbs: number): bigint {
  let value = 0n;
  for (let i = limbs - 1; i >= 0; i--) value = (value << 28n) | BigInt(words[(at >> 2) + i] as number);
  return value;
}

/** A seeded number below `limit` (a 64-bit LCG stretched over its size). */
function randomBelow(limit: bigint, state: { s: bigint }): bigint {
  let value = 0n;
  for (let bits = 0; bits < limit.toString(2).length + 64; bits += 64) {
    state.s = (state.s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    value = (value << 64n) | state.s;
  }
  return value % limit;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

describe('Montgomery products in WebAssembly', () => {
  const state = { s: 12345n };
  // Odd moduli over every limb count from 2 to the largest, some with all limbs full (2^k - 1,
  // whose operands below 2m are mostly full limbs too), some just above a power of two, some random.
  const moduli: bigint[] = [];
  for (let limbs = 2; limbs <= MILLER_RABIN_MAX_LIMBS; limbs++) {
    const bits = 28 * limbs - 2;
    moduli.push((1n << BigInt(bits)) - 1n, (1n << BigInt(bits - 1)) + 1n, randomBelow(1n << BigInt(bits), state) | 1n);
  }

  it('gives a b / R and a^2 / R mod m below 2m, montsqr the limbs of montmul(a, a)', () => {
    const wasm = millerRabinWasm();
    if (wasm === undefined) throw new Error('no WebAssembly');
    let checked = 0;
    for (const m of moduli) {
      // every size of modulus, in the module's even limb counts
      const limbs = millerRabinLimbs(m.toString(2).length);
      const r = 1n << BigInt(28 * limbs);
      const rInverse = modInverse(r, m);
      const operands = [0n, 1n, 2n, m - 1n, m, m + 1n, 2n * m - 1n, r / 2n - 1n < 2n * m ? r / 2n - 1n : 2n * m - 2n];
      for (let i = 0; i < 4; i++) operands.push(randomBelow(2n * m, state));
      for (const [i, a] of operands.entries()) {
        const b = operands[(i + 5) % operands.length] as bigint;
        const words = new Uint32Array(wasm.memory.buffer);
        write(words, SLOTS.modulus, m, limbs);
        wasm.setup(limbs);
        write(words, SLOTS.base, a, limbs);
        write(words, SLOTS.r2, b, limbs);
        wasm.montmul(SLOTS.base, SLOTS.r2, SLOTS.one);
        const ab = read(words, SLOTS.one, limbs);
        expect(ab < 2n * m, `${m} ${a} ${b}`).toBe(true);
        expect(ab % m).toBe((((a * b) % m) * rInverse) % m);
        wasm.montmul(SLOTS.base, SLOTS.base, SLOTS.x);
        wasm.montsqr(SLOTS.base, SLOTS.square);
        const product = read(words, SLOTS.x, limbs);
        const square = read(words, SLOTS.square, limbs);
        expect(square, `${m} ${a}`).toBe(product);
        expect(square < 2n * m).toBe(true);
        expect(square % m).toBe((((a * a) % m) * rInverse) % m);
        // in place, as the exponentiation squares and multiplies
        wasm.montsqr(SLOTS.base, SLOTS.base);
        expect(read(words, SLOTS.base, limbs)).toBe(product);
        wasm.montmul(SLOTS.base, SLOTS.r2, SLOTS.base);
        expect(read(words, SLOTS.base, limbs) % m).toBe((((product * b) % m) * rInverse) % m);
        checked++;
      }
    }
    expect(checked).toBe(moduli.length * 12);
  });
});
