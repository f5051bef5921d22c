import { describe, expect, it } from 'vitest';
import { isProbablePrime } from '../../src/core/prime.js';

const random = globalThis.crypto;

describe('Miller-Rabin', () => {
  it('knows small primes and composites', () => {
    const primes = new Set([2, 3, 5, 7, 11, 13, 97, 101, 1223, 7919]);
    for (let n = 0; n <= 7919; n++) {
      const isPrime =
        n >= 2 && Array.from({ length: Math.floor(Math.sqrt(n)) - 1 }, (_, i) => i + 2).every((d) => n % d);
      expect(isProbablePrime(BigInt(n), 4, random), String(n)).toBe(isPrime);
      if (primes.has(n)) expect(isPrime).toBe(true);
    }
  });

  it('is not fooled by Carmichael numbers or strong pseudoprimes to base 2', () => {
    // Carmichael numbers (OEIS A002997) and strong pseudoprimes to base 2 (OEIS A001262),
    // including ones above the trial-division range.
    for (const n of [561n, 1105n, 1729n, 2047n, 3277n, 4033n, 8321n, 3215031751n, 2152302898747n, 3474749660383n]) {
      expect(isProbablePrime(n, 40, random), String(n)).toBe(false);
    }
    // A composite with no small factor: only the Miller-Rabin rounds can catch it.
    const p = (1n << 127n) - 1n; // Mersenne prime M127
    const q = (1n << 89n) - 1n; // Mersenne prime M89
    expect(isProbablePrime(p, 40, random)).toBe(true);
    expect(isProbablePrime(q, 40, random)).toBe(true);
    expect(isProbablePrime(p * q, 40, random)).toBe(false);
  });

  it('draws its bases from the injected random source', () => {
    let draws = 0;
    const counting = {
      getRandomValues<T extends Uint8Array>(array: T): T {
        draws++;
        return random.getRandomValues(array);
      },
    };
    expect(isProbablePrime((1n << 521n) - 1n, 10, counting)).toBe(true);
    expect(draws).toBeGreaterThanOrEqual(10);
  });

  it('refuses a random source that never gives a usable base', () => {
    const zeros = { getRandomValues: <T extends Uint8Array>(array: T): T => array.fill(0) };
    expect(() => isProbablePrime((1n << 127n) - 1n, 1, zeros)).toThrow(/random source/);
  });
});
