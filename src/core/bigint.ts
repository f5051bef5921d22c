// Converting big-endian bytes to BigInt through a hex string is the one fast route V8 offers,
// but building that string by concatenation cost more than all the key arithmetic together.
// Writing ASCII hex digits into a scratch buffer and decoding it once is several times faster.
const HEX_DIGITS = '0123456789abcdef';
const HIGH = /* @__PURE__ */ new Uint8Array(256);
const LOW = /* @__PURE__ */ new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HIGH[i] = HEX_DIGITS.charCodeAt(i >> 4);
  LOW[i] = HEX_DIGITS.charCodeAt(i & 15);
}
const asciiDecoder = /* @__PURE__ */ new TextDecoder();
let scratch = new Uint8Array(2 + 2 * 512);
scratch[0] = 0x30; // '0'
scratch[1] = 0x78; // 'x'

/** The unsigned big-endian integer in `bytes[start..end)`. */
export function bytesToBigInt(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  const length = end - start;
  if (length === 0) return 0n;
  const needed = 2 + 2 * length;
  if (scratch.length < needed) {
    const grown = new Uint8Array(needed);
    grown[0] = 0x30;
    grown[1] = 0x78;
    scratch = grown;
  }
  const out = scratch;
  let j = 2;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    out[j++] = HIGH[byte] as number;
    out[j++] = LOW[byte] as number;
  }
  return BigInt(asciiDecoder.decode(out.subarray(0, needed)));
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
