// A structural check of a DNS message: every name and record ends inside the message (RDLENGTH included).

const HEADER_SIZE = 12;
const PAST_END = 'a record runs past the end';

/**
 * Walks the sections of `bytes` (at least a 12-byte header) by their counts and returns why a
 * name or a record runs past the end of the message, or null when all fit. dns-packet reads a record whose
 * RDLENGTH runs past the end without complaint (its decoders stop at the end of the buffer),
 * so a truncated record would otherwise pass as whole.
 */
export function recordOverrun(bytes: Uint8Array): string | null {
  const count = (at: number) => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  const questions = count(4);
  const records = count(6) + count(8) + count(10);
  let offset = HEADER_SIZE;
  for (let q = questions; q > 0; q--) {
    const end = skipName(bytes, offset);
    if (end < 0 || end + 4 > bytes.length) return PAST_END;
    offset = end + 4;
  }
  for (let r = records; r > 0; r--) {
    offset = skipName(bytes, offset);
    if (offset < 0 || offset + 10 > bytes.length) return PAST_END;
    const rdlength = count(offset + 8);
    offset += 10 + rdlength;
    if (offset > bytes.length) return `RDLENGTH ${rdlength} runs past the end`;
  }
  return null;
}

// The offset after the name at `offset` (labels, ending in a zero byte or a compression
// pointer), or -1 when it runs past the end or uses a reserved label type.
function skipName(bytes: Uint8Array, offset: number): number {
  let at = offset;
  for (;;) {
    if (at < 0 || at >= bytes.length) return -1;
    const length = bytes[at] as number;
    if (length === 0) return at + 1;
    if ((length & 0xc0) === 0xc0) return at + 2 <= bytes.length ? at + 2 : -1;
    if ((length & 0xc0) !== 0) return -1;
    at += 1 + length;
  }
}
