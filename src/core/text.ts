// Byte-to-text helpers for the hot paths: Latin-1 decoding and two-characters-at-a-time ASCII tables.
const utf8 = /* @__PURE__ */ new TextDecoder();

/**
 * Bytes to text, one character per octet (ISO 8859-1), so lengths stay octet counts. DNS
 * strings are almost always ASCII, which the native decoder turns into text far faster than a
 * loop; anything else takes the exact slow path.
 */
export function latin1(bytes: Uint8Array): string {
  const fast = utf8.decode(bytes);
  // Every octet gave one character, and none was a replacement: so none was outside ASCII (a
  // valid multi-octet sequence gives fewer characters, an invalid octet gives U+FFFD). A native
  // search for U+FFFD is several times faster than a regex over the whole text.
  if (fast.length === bytes.length && fast.indexOf('\uFFFD') < 0) return fast;
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

const LITTLE_ENDIAN = /* @__PURE__ */ new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * A table of two-character ASCII strings as 16-bit values in memory order: entry
 * `(i << bits) | j` holds alphabet[i] then alphabet[j]. Writing one entry per store into a
 * scratch buffer, then decoding it once, builds long ASCII strings several times faster than
 * concatenation (hex for BigInt parsing, base64 for records).
 */
export function asciiPairTable(alphabet: string, bits: number): Uint16Array {
  const size = 1 << (2 * bits);
  const table = new Uint16Array(size);
  for (let index = 0; index < size; index++) {
    const first = alphabet.charCodeAt(index >> bits);
    const second = alphabet.charCodeAt(index & ((1 << bits) - 1));
    table[index] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
  }
  return table;
}

/** The ASCII text in the first `pairs` entries of a buffer filled from an {@link asciiPairTable}. */
export function asciiFromPairs(buffer: Uint16Array, pairs: number): string {
  return utf8.decode(new Uint8Array(buffer.buffer, buffer.byteOffset, pairs * 2));
}
