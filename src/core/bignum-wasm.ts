// The WebAssembly big-number module, compiled once on first use; absent where WebAssembly is.
import { BIGNUM_WASM_HEX } from './bignum-wasm-bytes.js';

/** The exports of scripts/bignum.wat. */
export interface BignumWasm {
  readonly memory: WebAssembly.Memory;
  /**
   * Every consistency check of an RSA key whose integers sit at the given (start, length) byte
   * ranges, then the ratio m, g of e d - 1 to (p-1)(q-1) if known (else 0, 0): 0 when all hold.
   */
  readonly check: (...rangesThenRatio: number[]) => number;
  readonly setup: (limbs: number) => void;
  readonly witness: (bits: number, twos: number) => number;
  /** Montgomery product of the numbers at byte offsets a and b into r, modulo the one `setup` took (exported for tests). */
  readonly montmul: (a: number, b: number, r: number) => void;
  /** Montgomery square of the number at a into r: the same limbs as montmul(a, a, r) (exported for tests). */
  readonly montsqr: (a: number, r: number) => void;
  /** Base64 of `length` ASCII bytes at `text` (padded with 'A' to a block of 16) into `out`: 1 when all are in the alphabet. */
  readonly base64: (text: number, length: number, out: number) => number;
}

/** Byte offsets of the module's memory slots, as scripts/bignum.wat lays them out. */
export const WASM_SLOTS = {
  /** Where the RSAPrivateKey contents are copied, and how much room there is (the module reads a few bytes before an integer). */
  input: 16,
  inputLength: 4080,
  modulus: 20480,
  r2: 21504,
  one: 22016,
  minusOne: 22528,
  exponent: 23040,
  base: 23552,
  x: 24064,
  square: 24576,
  /** Base64 text to decode, up to base64TextLength bytes (and 16 of 'A' after it), and the bytes decoded from it. */
  base64Text: 65536,
  base64TextLength: 32752,
  base64Out: 98304,
} as const;

/** Most 28-bit limbs a Miller-Rabin slot takes (512 bytes). */
export const WASM_MAX_LIMBS = 120;

let instance: BignumWasm | null | undefined;
let memoryBytes: Uint8Array | undefined;
let enabled = true;

/**
 * The module, or undefined where WebAssembly is missing or refuses it (a CSP without
 * 'wasm-unsafe-eval', say): callers then take their BigInt path. Compiled synchronously, which
 * browsers allow on the main thread for modules under 4 KB.
 */
export function bignumWasm(): BignumWasm | undefined {
  if (!enabled) return undefined;
  if (instance === undefined) {
    instance = null;
    try {
      if (typeof WebAssembly === 'object') {
        const bytes = new Uint8Array(BIGNUM_WASM_HEX.length >> 1);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(BIGNUM_WASM_HEX.slice(2 * i, 2 * i + 2), 16);
        const module = new WebAssembly.Module(bytes);
        instance = new WebAssembly.Instance(module).exports as unknown as BignumWasm;
        memoryBytes = new Uint8Array(instance.memory.buffer);
      }
    } catch {
      instance = null;
    }
  }
  return instance ?? undefined;
}

/**
 * A view of the whole memory of {@link bignumWasm}'s module, made once: the module never grows
 * its memory, and reading `WebAssembly.Memory#buffer` is a call into the engine, which every
 * key parse would otherwise make twice.
 */
export function bignumWasmBytes(): Uint8Array | undefined {
  return bignumWasm() === undefined ? undefined : memoryBytes;
}

/** @internal For tests and benchmarks: turn the WebAssembly paths off (or on again). */
export function setBignumWasmEnabled(on: boolean): void {
  enabled = on;
}
