// Miller-Rabin primality testing over an injected random source, for strict key checks.
import { bitLength, bytesToBigInt, modPow } from './bigint.js';
import { DkimError } from './errors.js';
import { wasmWitnesses } from './miller-rabin-wasm.js';

/** The part of WebCrypto's `Crypto` that primality testing and token generation need. */
export interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/** Miller-Rabin rounds in strict mode: the error bound is 4^-rounds even for adversarial input. */
export const DEFAULT_PRIMALITY_ROUNDS = 40;

const SMALL_PRIMES: readonly number[] = /* @__PURE__ */ (() => {
  const primes: number[] = [];
  for (let candidate = 3; primes.length < 200; candidate += 2) {
    if (primes.every((p) => candidate % p !== 0)) primes.push(candidate);
  }
  return primes;
})();

/**
 * Probabilistic primality: trial division by the first 200 odd primes, Miller-Rabin to
 * base 2, then `rounds` Miller-Rabin rounds with uniformly random bases from `random`.
 * A composite passes with probability at most 4^-rounds whatever the input.
 */
export function isProbablePrime(candidate: bigint, rounds: number, random: RandomSource): boolean {
  if (candidate < 2n) return false;
  if (candidate < 4n) return true;
  if ((candidate & 1n) === 0n) return false;
  // 200 BigInt remainders: a few tens of microseconds, against a strict check's tens of milliseconds.
  for (const p of SMALL_PRIMES) {
    if (candidate % BigInt(p) === 0n) return candidate === BigInt(p);
  }
  const minusOne = candidate - 1n;
  let odd = minusOne;
  let twos = 0;
  while ((odd & 1n) === 0n) {
    odd >>= 1n;
    twos++;
  }
  // WebAssembly where there is some and the size suits it; the same test in BigInt otherwise.
  const witnesses =
    wasmWitnesses(candidate, odd, twos) ??
    ((base: bigint): boolean => {
      let x = modPow(base, odd, candidate);
      if (x === 1n || x === minusOne) return false;
      for (let i = 1; i < twos; i++) {
        x = (x * x) % candidate;
        if (x === minusOne) return false;
        if (x === 1n) return true;
      }
      return true;
    });
  if (witnesses(2n)) return false;
  const bits = bitLength(candidate);
  const byteLength = Math.ceil(bits / 8);
  const topMask = 0xff >> (byteLength * 8 - bits);
  const buffer = new Uint8Array(byteLength);
  for (let round = 0; round < rounds; round++) {
    // Rejection sampling keeps the base uniform in [2, candidate - 2]; each draw succeeds with
    // probability above 1/2, and the attempt cap only guards against a broken random source.
    let base = 0n;
    for (let attempt = 0; ; attempt++) {
      if (attempt === 128) throw new DkimError('OPTION_INVALID', 'the random source returned no usable values');
      random.getRandomValues(buffer);
      buffer[0] = (buffer[0] as number) & topMask;
      base = bytesToBigInt(buffer);
      if (base >= 2n && base <= candidate - 2n) break;
    }
    if (witnesses(base)) return false;
  }
  return true;
}
