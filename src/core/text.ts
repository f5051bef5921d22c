const utf8 = /* @__PURE__ */ new TextDecoder();
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for anything outside ASCII
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Bytes to text, one character per octet (ISO 8859-1), so lengths stay octet counts. DNS
 * strings are almost always ASCII, which the native decoder turns into text far faster than a
 * loop; anything else takes the exact slow path.
 */
export function latin1(bytes: Uint8Array): string {
  const fast = utf8.decode(bytes);
  if (fast.length === bytes.length && !NON_ASCII.test(fast)) return fast;
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}
