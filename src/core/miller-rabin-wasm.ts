// Miller-Rabin witnesses in WebAssembly (scripts/miller-rabin.wat): Montgomery products two rows at a time, a sliding window.
import { bitLength } from './bigint.js';
import { bignumWasmEnabled, instantiateWasm } from './bignum-wasm.js';
import { MILLER_RABIN_WASM_HEX } from './miller-rabin-wasm-bytes.js';

/** The exports of scripts/miller-rabin.wat. */
export interface MillerRabinWasm {
  readonly memory: WebAssembly.Memory;
  /** Takes the modulus at `slots.modulus` (`limbs` 28-bit limbs, an even count). */
  readonly setup: (limbs: number) => void;
  /** 1 when the base at `slots.base` proves the modulus composite. */
  readonly witness: (bits: number, twos: number) => number;
  /** Montgomery product of the numbers at byte offsets a and b into r, modulo the one `setup` took (exported for tests). */
  readonly montmul: (a: number, b: number, r: number) => void;
  /** Montgomery square of the number at a into r: the same limbs as montmul(a, a, r) (exported for tests). */
  readonly montsqr: (a: number, r: number) => void;
}

/** Byte offsets of the module's slots, as scripts/miller-rabin.wat lays them out. */
export const MILLER_RABIN_SLOTS = {
  modulus: 16,
  r2: 528,
  one: 1040,
  minusOne: 1552,
  exponent: 2064,
  base: 2576,
  x: 3088,
  square: 3600,
} as const;

/** Most 28-bit limbs a slot takes (512 bytes, with 4 zero limbs above and one below). */
export const MILLER_RABIN_MAX_LIMBS = 120;

/** Below this size BigInt's own arithmetic is as fast, and the candidate goes there. */
const MIN_BITS = 32;

let instance: MillerRabinWasm | null | undefined;
let current: object | undefined;

/**
 * The module, compiled on first use (strict mode only), or undefined where WebAssembly is
 * missing, refuses it or is turned off. Under 4 KB, so browsers compile it synchronously.
 */
export function millerRabinWasm(): MillerRabinWasm | undefined {
  if (!bignumWasmEnabled()) return undefined;
  if (instance === undefined) instance = instantiateWasm<MillerRabinWasm>(MILLER_RABIN_WASM_HEX);
  return instance ?? undefined;
}

/** The limb count the module works with for an odd modulus of `bits` bits: R = 2^(28 limbs) > 4m, limbs even. */
export function millerRabinLimbs(bits: number): number {
  const limbs = Math.ceil((bits + 2) / 28);
  return limbs + (limbs & 1);
}

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
  const limbs = millerRabinLimbs(bits);
  if (limbs > MILLER_RABIN_MAX_LIMBS) return undefined;
  const wasm = millerRabinWasm();
  if (wasm === undefined) return undefined;
  const one = (1n << BigInt(28 * limbs)) % candidate;
  const r2 = (one * one) % candidate;
  const oddBits = bitLength(odd);
  const token = {};
  const load = (): Uint32Array => {
    const words = new Uint32Array(wasm.memory.buffer);
    if (current !== token) {
      writeLimbs(words, MILLER_RABIN_SLOTS.modulus, candidate, limbs);
      writeLimbs(words, MILLER_RABIN_SLOTS.r2, r2, limbs);
      writeLimbs(words, MILLER_RABIN_SLOTS.one, one, limbs);
      writeLimbs(words, MILLER_RABIN_SLOTS.minusOne, candidate - one, limbs);
      writeLimbs(words, MILLER_RABIN_SLOTS.exponent, odd, limbs);
      wasm.setup(limbs);
      current = token;
    }
    return words;
  };
  return (base) => {
    writeLimbs(load(), MILLER_RABIN_SLOTS.base, base, limbs);
    return wasm.witness(oddBits, twos) === 1;
  };
}
