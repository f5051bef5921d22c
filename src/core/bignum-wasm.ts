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
  /** Base64 of `length` ASCII bytes at `text` (padded with 'A' to a block of 16) into `out`: 1 when all are in the alphabet. */
  readonly base64: (text: number, length: number, out: number) => number;
}

/** Byte offsets of the module's memory slots, as scripts/bignum.wat lays them out. */
export const WASM_SLOTS = {
  /** Where the RSAPrivateKey contents are copied, and how much room there is (the module reads a few bytes before an integer). */
  input: 16,
  inputLength: 4080,
  /** Base64 text to decode, up to base64TextLength bytes (and 16 of 'A' after it), and the bytes decoded from it. */
  base64Text: 65536,
  base64TextLength: 32752,
  base64Out: 98304,
} as const;

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
    instance = instantiateWasm<BignumWasm>(BIGNUM_WASM_HEX);
    if (instance !== null) memoryBytes = new Uint8Array(instance.memory.buffer);
  }
  return instance ?? undefined;
}

/**
 * The exports of a new instance of the module whose bytes `hex` spells, or null where
 * WebAssembly is missing or refuses it.
 */
export function instantiateWasm<T>(hex: string): T | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const bytes = new Uint8Array(hex.length >> 1);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as T;
  } catch {
    return null;
  }
}

/** Whether the WebAssembly paths are on (see {@link setBignumWasmEnabled}). */
export function bignumWasmEnabled(): boolean {
  return enabled;
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
