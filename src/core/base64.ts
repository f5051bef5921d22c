// Strict base64 (standard alphabet, canonical padding and trailing bits), encode and decode.
import { DkimError } from './errors.js';
import { asciiFromPairs, asciiPairTable } from './text.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// Each 12-bit group becomes one 16-bit store of two ASCII characters in a scratch buffer,
// decoded once into a flat string: three times faster than concatenating pairs.
const ENCODE_PAIRS = /* @__PURE__ */ asciiPairTable(ALPHABET, 6);
let encodeScratch = new Uint16Array(512);

/** Standard (RFC 4648 section 4) base64 with padding. */
export function base64Encode(bytes: Uint8Array): string {
  const full = bytes.length - (bytes.length % 3);
  const needed = (full / 3) * 2;
  if (encodeScratch.length < needed) encodeScratch = new Uint16Array(needed);
  const out = encodeScratch;
  let j = 0;
  for (let i = 0; i < full; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[j++] = ENCODE_PAIRS[n >> 12] as number;
    out[j++] = ENCODE_PAIRS[n & 4095] as number;
  }
  const head = asciiFromPairs(out, j);
  const rest = bytes.length - full;
  if (rest === 0) return head;
  const n = ((bytes[full] as number) << 16) | (rest === 2 ? (bytes[full + 1] as number) << 8 : 0);
  const tail = ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63);
  return rest === 1 ? `${head}${tail}==` : `${head}${tail}${ALPHABET.charAt((n >> 6) & 63)}=`;
}

const CANONICAL_SHAPE = /^[A-Za-z0-9+/]*={0,2}$/;
const asciiEncoder = /* @__PURE__ */ new TextEncoder();
let asciiScratch = new Uint8Array(4096);
/** The same bytes, two characters at a time. */
let asciiScratch16 = new Uint16Array(asciiScratch.buffer);

// Decoding reads two characters at a time: 12 bits for each pair, indexed by the pair as a
// 16-bit load (ENCODE_PAIRS inverted), built on first use (128 KiB); a pair with a character
// outside the alphabet has the PAIR_INVALID bit.
const PAIR_INVALID = 0x8000;
let pairTable: Uint16Array | undefined;

function decodePairs(): Uint16Array {
  if (pairTable === undefined) {
    pairTable = new Uint16Array(65536).fill(PAIR_INVALID);
    for (let i = 0; i < 4096; i++) pairTable[ENCODE_PAIRS[i] as number] = i;
  }
  return pairTable;
}

/**
 * Strict base64 decoding: only the standard alphabet, padding to a multiple of four,
 * and zero bits after the last byte. Anything else throws BASE64_INVALID with the
 * offending position (never the character's neighbourhood, which may be key material).
 *
 * The text is first copied into bytes by the native UTF-8 encoder (ASCII stays one byte per
 * character; anything else shows as extra bytes), because a loop over typed-array bytes runs
 * twice as fast as one over charCodeAt; the body is then read two characters at a time. Every
 * table entry is ORed together, so one test after the loop catches any character outside the alphabet.
 */
export function base64Decode(text: string): Uint8Array {
  const length = text.length;
  if (length === 0) throw new DkimError('BASE64_INVALID', 'base64 text is empty');
  if (length % 4 !== 0) {
    if (!CANONICAL_SHAPE.test(text)) throw invalidCharacter(text);
    throw new DkimError('BASE64_INVALID', `base64 length ${length} is not a multiple of 4 (missing or extra padding)`);
  }
  if (asciiScratch.length < length * 3) {
    asciiScratch = new Uint8Array(length * 3);
    asciiScratch16 = new Uint16Array(asciiScratch.buffer);
  }
  const src = asciiScratch;
  if (asciiEncoder.encodeInto(text, src).written !== length) throw invalidCharacter(text);
  const padding = src[length - 1] !== 61 ? 0 : src[length - 2] === 61 ? 2 : 1;
  // The padding becomes 'A' (zero bits) in the scratch copy, so the last group decodes like the others.
  if (padding !== 0) src[length - 1] = 65;
  if (padding === 2) src[length - 2] = 65;
  const out = new Uint8Array((length / 4) * 3 - padding);
  const body = length - (padding === 0 ? 0 : 4);
  const pairs = decodePairs();
  const src16 = asciiScratch16;
  let seen = 0;
  let o = 0;
  for (let i = 0; i < body; i += 4) {
    const high = pairs[src16[i >> 1] as number] as number;
    const low = pairs[src16[(i >> 1) + 1] as number] as number;
    seen |= high | low;
    const n = (high << 12) | low;
    out[o] = n >> 16;
    out[o + 1] = (n >> 8) & 255;
    out[o + 2] = n & 255;
    o += 3;
  }
  if (padding !== 0) {
    const high = pairs[src16[body >> 1] as number] as number;
    const low = pairs[src16[(body >> 1) + 1] as number] as number;
    seen |= high | low;
    const n = (high << 12) | low;
    if (seen & PAIR_INVALID) throw invalidCharacter(text);
    // The bits after the last byte: the low 16 with one byte (==), the low 8 with two (=).
    if ((padding === 2 ? n & 0xffff : n & 0xff) !== 0) throw nonZeroTrailingBits();
    out[o] = n >> 16;
    if (padding === 1) out[o + 1] = (n >> 8) & 255;
  }
  if (seen & PAIR_INVALID) throw invalidCharacter(text);
  return out;
}

function invalidCharacter(text: string): DkimError {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad)
    return new DkimError(
      'BASE64_INVALID',
      `invalid base64: ${describeChar(bad[0].charCodeAt(0))} at position ${bad.index}`,
    );
  const padding = text.indexOf('=');
  return new DkimError('BASE64_INVALID', `invalid base64: padding '=' before the end at position ${padding}`);
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
