// BigInt and byte conversions, bit lengths and modular exponentiation for key checks.
import { asciiFromPairs, asciiPairTable } from './text.js';

// Converting big-endian bytes to BigInt through a hex string is the one fast route V8 offers,
// but building that string by concatenation cost more than all the key arithmetic together.
// Instead each byte becomes one 16-bit store of two ASCII hex digits in a scratch buffer,
// all numbers of a key go into that buffer (each behind its own "0x"), one decode makes a
// single string, and each BigInt parses a slice of it.
const HEX_PAIRS = /* @__PURE__ */ asciiPairTable('0123456789abcdef', 4);
const PREFIX = /* @__PURE__ */ asciiPairTable('0x', 1)[1] as number; // "0x"
let scratch = new Uint16Array(2048);

/** A run of bytes holding one unsigned big-endian integer. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** The unsigned big-endian integers in the given ranges of `bytes`, converted in one pass. */
export function bytesToBigInts(bytes: Uint8Array, ranges: readonly ByteRange[]): bigint[] {
  let needed = 0;
  for (const range of ranges) needed += range.end - range.start + 1;
  if (scratch.length < needed) scratch = new Uint16Array(needed);
  const out = scratch;
  const pairs = HEX_PAIRS;
  const bounds = new Array<number>(ranges.length + 1);
  let j = 0;
  for (let r = 0; r < ranges.length; r++) {
    const range = ranges[r] as ByteRange;
    bounds[r] = j * 2;
    out[j++] = PREFIX;
    for (let i = range.start; i < range.end; i++) out[j++] = pairs[bytes[i] as number] as number;
  }
  bounds[ranges.length] = j * 2;
  const text = asciiFromPairs(out, j);
  const values = new Array<bigint>(ranges.length);
  for (let r = 0; r < ranges.length; r++) {
    const from = bounds[r] as number;
    const to = bounds[r + 1] as number;
    // "0x" alone (an empty range) is not a number.
    values[r] = to - from > 2 ? BigInt(text.slice(from, to)) : 0n;
  }
  return values;
}

/** The unsigned big-endian integer in `bytes[start..end)`. */
export function bytesToBigInt(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  return bytesToBigInts(bytes, [{ start, end }])[0] as bigint;
}

/** The minimal big-endian magnitude of a non-negative BigInt (empty for zero). */
export function bigIntToBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('negative value');
  if (value === 0n) return new Uint8Array(0);
  let hex = value.toString(16);
  if (hex.length & 1) hex = `0${hex}`;
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bit length of the magnitude in `bytes[start..end)`, which has no leading zero byte. */
export function magnitudeBitLength(bytes: Uint8Array, start: number, end: number): number {
  if (start === end) return 0;
  const first = bytes[start] as number;
  return (end - start - 1) * 8 + (32 - Math.clz32(first));
}

/** Bit length of a non-negative BigInt. */
export function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** base^exponent mod modulus, left-to-right with a 4-bit fixed window. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  const b = base % modulus;
  const table: bigint[] = [1n, b];
  for (let i = 2; i < 16; i++) table.push(((table[i - 1] as bigint) * b) % modulus);
  const hex = exponent.toString(16);
  let result = 1n;
  for (let i = 0; i < hex.length; i++) {
    if (i > 0) {
      result = (result * result) % modulus;
      result = (result * result) % modulus;
      result = (result * result) % modulus;
      result = (result * result) % modulus;
    }
    const digit = Number.parseInt(hex.charAt(i), 16);
    if (digit !== 0) result = (result * (table[digit] as bigint)) % modulus;
  }
  return result;
}
