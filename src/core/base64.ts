// Strict base64 (standard alphabet, canonical padding and trailing bits), encode and decode.
import { type BignumWasm, bignumWasm, bignumWasmBytes, WASM_SLOTS } from './bignum-wasm.js';
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
// The JavaScript decoder's table: each character's 6 bits, -1 outside the alphabet.
const SEXTETS = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Strict base64 decoding: only the standard alphabet, padding to a multiple of four,
 * and zero bits after the last byte. Anything else throws BASE64_INVALID with the
 * offending position (never the character's neighbourhood, which may be key material).
 */
export function base64Decode(text: string): Uint8Array {
  return decodeInWasm(text)?.slice() ?? decodeInJs(text);
}

/**
 * {@link base64Decode} for bytes used at once and dropped: they may be a view of WebAssembly
 * memory, overwritten by the next decode, so whoever keeps any of them copies them first.
 */
export function base64DecodeTransient(text: string): Uint8Array {
  return decodeInWasm(text) ?? decodeInJs(text);
}

/**
 * The text decoded in WebAssembly (16 characters at a time, scripts/bignum.wat): a view of the
 * bytes in its memory, or undefined where there is no module, the text does not fit its slot
 * or is not strict base64, and the JavaScript decoder then decides and names the fault. The
 * native UTF-8 encoder copies the text in (a character outside ASCII stops it short); the
 * padding and the rest of the last block become 'A' (zero bits), and the bits after the last
 * byte, which must be zero, land in the byte after it.
 */
function decodeInWasm(text: string): Uint8Array | undefined {
  const length = text.length;
  if (length === 0 || length % 4 !== 0 || length > WASM_SLOTS.base64TextLength) return undefined;
  const memory = bignumWasmBytes();
  if (memory === undefined) return undefined;
  const wasm = bignumWasm() as BignumWasm;
  const at = WASM_SLOTS.base64Text;
  const { read, written } = asciiEncoder.encodeInto(text, memory.subarray(at, at + length));
  if (read !== length || written !== length) return undefined;
  const padding = memory[at + length - 1] !== 61 ? 0 : memory[at + length - 2] === 61 ? 2 : 1;
  memory.fill(65, at + length - padding, at + length + 16);
  const out = WASM_SLOTS.base64Out;
  const count = (length / 4) * 3 - padding;
  if (wasm.base64(at, length, out) !== 1 || (padding !== 0 && memory[out + count] !== 0)) return undefined;
  return memory.subarray(out, out + count);
}

/**
 * The JavaScript decoder, where WebAssembly is not, and the one that names a fault: a plain
 * loop, the last four characters' bits kept in `group`.
 */
function decodeInJs(text: string): Uint8Array {
  const length = text.length;
  if (length === 0) throw new DkimError('BASE64_INVALID', 'base64 text is empty');
  if (length % 4 !== 0) {
    if (!CANONICAL_SHAPE.test(text)) throw invalidCharacter(text);
    throw new DkimError('BASE64_INVALID', `base64 length ${length} is not a multiple of 4 (missing or extra padding)`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((length / 4) * 3 - padding);
  let group = 0;
  let o = 0;
  for (let i = 0; i < length - padding; i++) {
    const code = text.charCodeAt(i);
    const sextet = code < 128 ? (SEXTETS[code] as number) : -1;
    if (sextet < 0) throw invalidCharacter(text);
    group = (group << 6) | sextet;
    if ((i & 3) === 3) {
      out[o] = group >> 16;
      out[o + 1] = group >> 8;
      out[o + 2] = group;
      o += 3;
    }
  }
  // Two characters before "==" give one byte and 4 spare bits; three before "=", two and 2.
  if (padding === 2) {
    if (group & 15) throw nonZeroTrailingBits();
    out[o] = group >> 4;
  } else if (padding === 1) {
    if (group & 3) throw nonZeroTrailingBits();
    out[o] = group >> 10;
    out[o + 1] = group >> 2;
  }
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
