// DKIM canonicalization (RFC 6376 section 3.4): simple and relaxed, for header fields and bodies, in linear time.
import type { HeaderField } from './message.js';

/** One half of a `c=` value. */
export type CanonicalizationMode = 'simple' | 'relaxed';

/** The `c=` value as `header/body`. */
export type Canonicalization = `${CanonicalizationMode}/${CanonicalizationMode}`;

/** Every canonicalization, in `header/body` form. */
export const CANONICALIZATIONS: readonly Canonicalization[] = [
  'simple/simple',
  'simple/relaxed',
  'relaxed/simple',
  'relaxed/relaxed',
];

const SP = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const CRLF = /* @__PURE__ */ Uint8Array.of(CR, LF);

/**
 * A header field in canonical form, with its CRLF. Relaxed: lower-case name, unfolded, runs of
 * white space as one space, none around the colon or at the end (section 3.4.2).
 */
export function canonicalizeHeader(field: HeaderField, mode: CanonicalizationMode): string {
  if (mode === 'simple') return `${field.raw}\r\n`;
  const colon = field.raw.indexOf(':');
  const name = colon < 0 ? field.raw : field.raw.slice(0, colon);
  const value = colon < 0 ? '' : field.raw.slice(colon + 1);
  // Most values have no folding, tab or double space: the regexes run only when there is work.
  let unfolded = value.includes('\r\n') ? value.replace(/\r\n/g, '') : value;
  if (unfolded.includes('\t') || unfolded.includes('  ')) unfolded = unfolded.replace(/[ \t]+/g, ' ');
  const start = unfolded.charCodeAt(0) === SP ? 1 : 0;
  const end = unfolded.length - (unfolded.length > start && unfolded.charCodeAt(unfolded.length - 1) === SP ? 1 : 0);
  return `${trimWsp(name).toLowerCase()}:${unfolded.slice(start, end)}\r\n`;
}

/** White space (SP, HTAB) off the end, by index: `/[ \t]+$/` rescans inner runs, which is quadratic. */
export function trimWsp(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === SP || text.charCodeAt(end - 1) === TAB)) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * A body (CRLF line ends) in canonical form.
 * - simple: trailing empty lines removed; an empty body or one without a final CRLF gets one.
 * - relaxed: white space at line ends removed, other runs of white space as one space, trailing
 *   empty lines (white space only, after the first step) removed; an empty body stays empty.
 *
 * One pass over the input, each byte read once, so the cost is linear however the white space
 * and empty lines are arranged (mailauth#64 was quadratic here). The input is only indexed,
 * never searched, so a test can count every read.
 */
export function canonicalizeBody(body: Uint8Array, mode: CanonicalizationMode): Uint8Array {
  return mode === 'simple' ? simpleBody(body) : relaxedBody(body);
}

function simpleBody(body: Uint8Array): Uint8Array {
  let end = body.length;
  while (end >= 2 && body[end - 1] === LF && body[end - 2] === CR) end -= 2;
  if (end === 0) return CRLF.slice();
  // The usual case: one final CRLF and nothing after it, so the body is its own canonical form.
  if (end === body.length - 2) return body.subarray(0, body.length);
  const out = new Uint8Array(end + 2);
  for (let i = 0; i < end; i++) out[i] = body[i] as number;
  out[end] = CR;
  out[end + 1] = LF;
  return out;
}

function relaxedBody(body: Uint8Array): Uint8Array {
  const length = body.length;
  const out = new Uint8Array(length + 2);
  let o = 0;
  let space = false; // white space seen since the last character written on this line
  let content = false; // this line has had a character other than white space
  let emptyLines = 0; // empty lines not yet written: dropped if nothing follows them
  let i = 0;
  // c is always body[i]: each byte is read once (a CR's look-ahead aside).
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
    // The common case, a run of printable characters, copied without the checks above.
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
