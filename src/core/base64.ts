import { DkimError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INVALID = 0xff;

const DECODE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(256).fill(INVALID);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

// Pairs of characters per 12-bit group make encoding twice as fast as one lookup per 6 bits.
const ENCODE_PAIRS = /* @__PURE__ */ (() => {
  const pairs = new Array<string>(4096);
  for (let i = 0; i < 4096; i++) pairs[i] = ALPHABET.charAt(i >> 6) + ALPHABET.charAt(i & 63);
  return pairs;
})();

/** Standard (RFC 4648 section 4) base64 with padding. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  const full = bytes.length - (bytes.length % 3);
  let i = 0;
  for (; i < full; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += (ENCODE_PAIRS[n >> 12] as string) + (ENCODE_PAIRS[n & 4095] as string);
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${ENCODE_PAIRS[n >> 12] as string}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${ENCODE_PAIRS[n >> 12] as string}${ALPHABET.charAt((n >> 6) & 63)}=`;
  }
  return out;
}

/**
 * Strict base64 decoding: only the standard alphabet, padding to a multiple of four,
 * and zero bits after the last byte. Anything else throws BASE64_INVALID with the
 * offending position (never the character's neighbourhood, which may be key material).
 */
export function base64Decode(text: string): Uint8Array {
  const length = text.length;
  if (length === 0) throw new DkimError('BASE64_INVALID', 'base64 text is empty');
  if (length % 4 !== 0) {
    throw new DkimError('BASE64_INVALID', `base64 length ${length} is not a multiple of 4 (missing or extra padding)`);
  }
  let padding = 0;
  if (text.charCodeAt(length - 1) === 61) padding = text.charCodeAt(length - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((length / 4) * 3 - padding);
  const body = length - (padding === 0 ? 0 : 4);
  let o = 0;
  let i = 0;
  for (; i < body; i += 4) {
    const a = symbol(text, i);
    const b = symbol(text, i + 1);
    const c = symbol(text, i + 2);
    const d = symbol(text, i + 3);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (padding === 2) {
    const a = symbol(text, i);
    const b = symbol(text, i + 1);
    if ((b & 15) !== 0) throw nonZeroTrailingBits();
    out[o] = (a << 2) | (b >> 4);
  } else if (padding === 1) {
    const a = symbol(text, i);
    const b = symbol(text, i + 1);
    const c = symbol(text, i + 2);
    if ((c & 3) !== 0) throw nonZeroTrailingBits();
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o++] = n >> 16;
    out[o] = (n >> 8) & 255;
  }
  return out;
}

function symbol(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 256 ? (DECODE[code] as number) : INVALID;
  if (value === INVALID) {
    const what = code === 61 ? "padding '=' before the end" : describeChar(code);
    throw new DkimError('BASE64_INVALID', `invalid base64: ${what} at position ${index}`);
  }
  return value;
}

function nonZeroTrailingBits(): DkimError {
  return new DkimError('BASE64_INVALID', 'invalid base64: non-zero bits after the last byte (not canonical)');
}

/** Names a character without echoing printable input, which could be key material. */
export function describeChar(code: number): string {
  if (code === 0x20) return 'a space';
  if (code === 0x0a) return 'a line feed';
  if (code === 0x0d) return 'a carriage return';
  if (code === 0x09) return 'a tab';
  if (code === 0x2d || code === 0x5f) return `'${String.fromCharCode(code)}' (base64url is not accepted)`;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  if (code > 0x7f) return `non-ASCII character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `character '${String.fromCharCode(code)}'`;
}
