// Miller-Rabin witnesses in WebAssembly: Montgomery multiplication with a sliding window.
import { bitLength } from './bigint.js';
import { bignumWasm, WASM_MAX_LIMBS, WASM_SLOTS } from './bignum-wasm.js';

/** Below this size BigInt's own arithmetic is as fast, and the candidate goes there. */
const MIN_BITS = 32;

let current: object | undefined;

// Writes 4 zero limbs above the number too: the module's loops run over lengths rounded up to 4.
function writeLimbs(words: Uint32Array, byteOffset: number, value: bigint, limbs: number): void {
  let rest = value;
  const at = byteOffset >> 2;
  for (let i = 0; i < limbs + 4; i++) {
    words[at + i] = Number(rest & 0xfffffffn);
    rest >>= 28n;
  }
}

/**
 * The Miller-Rabin witness test for an odd `candidate` with candidate - 1 = 2^twos * odd: a
 * function telling whether a base in [2, candidate - 2] proves it composite, exactly as the
 * BigInt test does. Undefined where WebAssembly is missing or the size is not one it takes.
 */
export function wasmWitnesses(candidate: bigint, odd: bigint, twos: number): ((base: bigint) => boolean) | undefined {
  const bits = bitLength(candidate);
  if (bits < MIN_BITS || (candidate & 1n) === 0n) return undefined;
  // R = 2^(28 limbs) > 4 candidate keeps Montgomery products below 2 candidate with no final subtraction.
  const limbs = Math.ceil((bits + 2) / 28);
  if (limbs > WASM_MAX_LIMBS) return undefined;
  const wasm = bignumWasm();
  if (wasm === undefined) return undefined;
  const one = (1n << BigInt(28 * limbs)) % candidate;
  const r2 = (one * one) % candidate;
  const oddBits = bitLength(odd);
  const token = {};
  const load = (): Uint32Array => {
    const words = new Uint32Array(wasm.memory.buffer);
    if (current !== token) {
      writeLimbs(words, WASM_SLOTS.modulus, candidate, limbs);
      writeLimbs(words, WASM_SLOTS.r2, r2, limbs);
      writeLimbs(words, WASM_SLOTS.one, one, limbs);
      writeLimbs(words, WASM_SLOTS.minusOne, candidate - one, limbs);
      writeLimbs(words, WASM_SLOTS.exponent, odd, limbs);
      wasm.setup(limbs);
      current = token;
    }
    return words;
  };
  return (base) => {
    writeLimbs(load(), WASM_SLOTS.base, base, limbs);
    return wasm.witness(oddBits, twos) === 1;
  };
}
