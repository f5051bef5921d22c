// The relaxed body canonicalization as first written (one byte at a time, a state machine): the reference
// that the faster ones (the core's and the Node build's SIMD one) are pinned against.
const SP = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

/** RFC 6376 section 3.4.4 on a CRLF body, byte by byte. */
export function relaxedBodyReference(body: Uint8Array): Uint8Array {
  const length = body.length;
  const out = new Uint8Array(length + 2);
  let o = 0;
  let space = false; // white space seen since the last character written on this line
  let content = false; // this line has had a character other than white space
  let emptyLines = 0; // empty lines not yet written: dropped if nothing follows them
  let i = 0;
  let c = body[0] as number;
  while (i < length) {
    if (c === SP || c === TAB) {
      space = true;
      c = body[++i] as number;
      continue;
    }
    if (c === CR && body[i + 1] === LF) {
      i += 2;
      c = body[i] as number;
      space = false;
      if (content) {
        out[o++] = CR;
        out[o++] = LF;
        content = false;
      } else emptyLines++;
      continue;
    }
    if (!content) {
      for (; emptyLines > 0; emptyLines--) {
        out[o++] = CR;
        out[o++] = LF;
      }
      content = true;
    }
    if (space) {
      out[o++] = SP;
      space = false;
    }
    out[o++] = c;
    for (i++; i < length; i++) {
      c = body[i] as number;
      if (c <= SP) break;
      out[o++] = c;
    }
  }
  if (content) {
    out[o++] = CR;
    out[o++] = LF;
  }
  return out.subarray(0, o);
}

/** Bytes from an alphabet heavy in white space, CR, LF, 'a' and octets above 127, as fast-check arbitraries pick them. */
export const HOSTILE_ALPHABET = [0x20, 0x20, 0x09, 0x0d, 0x0a, 0x0d, 0x0a, 0x61, 0x62, 0x80, 0xa0, 0xff, 0x00];
