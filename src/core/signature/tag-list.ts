// The DKIM tag-list (RFC 6376 section 3.2): a strict parser that keeps value positions, and a folding serializer.

/** One tag as written: `start`/`end` bound the region after `=` up to the `;` (white space included). */
export interface Tag {
  readonly name: string;
  /** The value with surrounding white space removed (inner folding kept). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** A parsed tag-list, or why it is not one. Never thrown. */
export type TagListResult =
  | { readonly ok: true; readonly tags: ReadonlyMap<string, Tag> }
  | { readonly ok: false; readonly detail: string };

const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
// tag-value: tvals of VALCHAR (%x21-3A / %x3C-7E) separated by white space or folding.
const TAG_VALUE = /^(?:[!-:<-~]+(?:(?:[ \t]|\r\n[ \t])+[!-:<-~]+)*)?$/;
/** The most tags a list may have; a signature needs about a dozen. */
export const MAX_TAGS = 64;

/**
 * Parses a tag-list. A duplicate tag, a tag that is not `name=value`, or a value with a
 * character DKIM does not allow is an error; folding white space is allowed wherever the RFC
 * allows it, and a final `;` too. Unknown tags are kept (callers ignore them).
 */
export function parseTagList(text: string): TagListResult {
  const tags = new Map<string, Tag>();
  let from = 0;
  while (from <= text.length) {
    const semicolon = text.indexOf(';', from);
    const to = semicolon < 0 ? text.length : semicolon;
    const piece = text.slice(from, to);
    const equals = piece.indexOf('=');
    if (equals < 0) {
      if (semicolon < 0 && trimFws(piece) === '' && tags.size > 0) break;
      return { ok: false, detail: piece.trim() === '' ? 'an empty tag' : `"${shorten(piece)}" is not name=value` };
    }
    const name = trimFws(piece.slice(0, equals));
    if (!TAG_NAME.test(name)) return { ok: false, detail: `"${shorten(name)}" is not a tag name` };
    const value = trimFws(piece.slice(equals + 1));
    if (!TAG_VALUE.test(value)) return { ok: false, detail: `${name}= holds a character DKIM does not allow` };
    if (tags.has(name)) return { ok: false, detail: `${name}= appears more than once` };
    if (tags.size === MAX_TAGS) return { ok: false, detail: `more than ${MAX_TAGS} tags` };
    tags.set(name, { name, value, start: from + equals + 1, end: to });
    if (semicolon < 0) break;
    from = semicolon + 1;
  }
  return { ok: true, tags };
}

// White space and CRLFs off both ends, by index: a regex anchored at the end would rescan
// every run of white space inside a long value, which is quadratic.
export function trimFws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isFws(text.charCodeAt(start))) start++;
  while (end > start && isFws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isFws(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

function shorten(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').trim();
  return flat.length > 24 ? `${flat.slice(0, 24)}...` : flat;
}

/** The folded field's longest line, for mail readers and line-length limits (RFC 5322: 78). */
export const FOLD_WIDTH = 76;

/**
 * Serializes a header field of tags: `Name: a=1; b=2;` folded with CRLF + tab before a tag
 * that would pass {@link FOLD_WIDTH}. Values listed in `breakable` may be broken: colon
 * lists after a colon, base64 anywhere (a base64 tag always starts a line). The last tag is not
 * followed by `;`.
 */
export function serializeTagList(
  fieldName: string,
  tags: readonly (readonly [string, string])[],
  breakable: { readonly colonList?: readonly string[]; readonly base64?: readonly string[] } = {},
): string {
  let out = `${fieldName}:`;
  let column = out.length;
  for (const [index, [name, value]] of tags.entries()) {
    const last = index === tags.length - 1;
    const text = `${name}=${value}${last ? '' : ';'}`;
    const base64 = breakable.base64?.includes(name) === true;
    // A base64 tag always starts a line, so its emptied form (what is hashed) folds the same way.
    if (!base64 && column + 1 + text.length <= FOLD_WIDTH) {
      out += ` ${text}`;
      column += 1 + text.length;
      continue;
    }
    const pieces = base64
      ? chunks(text, FOLD_WIDTH - 1)
      : breakable.colonList?.includes(name)
        ? colonPieces(text, FOLD_WIDTH - 1)
        : [text];
    out += column > 1 + fieldName.length ? '\r\n\t' : ' ';
    out += pieces.join('\r\n\t');
    column = 1 + (pieces[pieces.length - 1] as string).length;
  }
  return out;
}

function chunks(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

// Breaks `h=a:b:c` after colons so each piece fits `width` where the names allow.
function colonPieces(text: string, width: number): string[] {
  const out: string[] = [];
  let start = 0; // where the current line starts
  let from = 0; // where the next part (up to and with its colon) starts
  while (from < text.length) {
    const colon = text.indexOf(':', from);
    const to = colon < 0 ? text.length : colon + 1;
    if (from > start && to - start > width) {
      out.push(text.slice(start, from));
      start = from;
    }
    from = to;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/**
 * A field {@link serializeTagList} wrote with the base64 tag `name` last and empty (`...b=`), with
 * that tag's value filled in: the same text as serializing again, since a base64 tag always
 * starts a line and so nothing before it depends on its value.
 */
export function fillLastBase64(field: string, name: string, value: string): string {
  return field.slice(0, field.length - name.length - 1) + chunks(`${name}=${value}`, FOLD_WIDTH - 1).join('\r\n\t');
}
