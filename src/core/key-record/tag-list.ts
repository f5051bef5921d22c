// Tag-list syntax of a key record (RFC 6376 section 3.2): splitting, tag names, values, duplicates.
import { fault, type KeyRecordFault } from './issues.js';

/** White space inside a tag value. */
export const WSP = /[ \t\r\n]/;
/** Every run of white space, to remove it. */
export const ALL_WSP = /[ \t\r\n]+/g;
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
// tag-value: tvals of VALCHAR (%x21-3A / %x3C-7E) separated by white space.
const TAG_VALUE = /^[!-:<-~]*(?:[ \t\r\n]+[!-:<-~]+)*$/;
/** A value that swallowed the next tag ("rsa p=MIIB...") shows white space then name=. */
export const RUN_TOGETHER = /[ \t\r\n]+[A-Za-z][A-Za-z0-9_]*[ \t\r\n]*=/;
const QUOTES = /["\\]/;
const RUN_TOGETHER_TAGS = ['k', 'h', 's', 't', 'p'] as const;

/** One `name=value` spec of a tag-list, as split. */
export interface TagSpec {
  readonly name: string;
  /** The value, or '' when the spec has no '='. */
  readonly value: string;
  /** False for a spec without '=' (a syntax fault unless it is empty and last). */
  readonly equals: boolean;
}

/** Splits on ';' (VALCHAR excludes it) and on the first '=' of each spec, trimming white space. */
export function splitTags(text: string): TagSpec[] {
  const specs: TagSpec[] = [];
  // By hand rather than text.split(';') and slices of slices: one slice per name and per value.
  let start = 0;
  for (;;) {
    const semicolon = text.indexOf(';', start);
    const end = semicolon < 0 ? text.length : semicolon;
    let equals = start;
    while (equals < end && text.charCodeAt(equals) !== 0x3d) equals++;
    const name = trimmed(text, start, equals);
    if (equals === end && semicolon < 0 && name === '') break; // a trailing ';' is allowed
    specs.push({ name, value: equals === end ? '' : trimmed(text, equals + 1, end), equals: equals < end });
    if (semicolon < 0) break;
    start = semicolon + 1;
  }
  return specs;
}

// text.slice(from, to).trim() with one slice: spaces are skipped here (the character at `to` is
// '=', ';' or none, so the first loop stops there), and a piece with any other white space trim()
// might remove at either end is left to trim().
function trimmed(text: string, from: number, to: number): string {
  while (text.charCodeAt(from) === 0x20) from++;
  while (to > from && text.charCodeAt(to - 1) === 0x20) to--;
  const piece = text.slice(from, to);
  return maySpace(text.charCodeAt(from)) || maySpace(text.charCodeAt(to - 1)) ? piece.trim() : piece;
}

function maySpace(code: number): boolean {
  return code <= 0x20 || code === 0xa0 || code >= 0x1680;
}

/** Whether a value is a legal tag-value. */
export function isTagValue(value: string): boolean {
  return isPlain(value) || TAG_VALUE.test(value);
}

// Whether a value is VALCHARs only (no white space), as every value of a usual record is: told by
// a loop, as a regex call costs more than the rest of reading a short value.
function isPlain(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x21 || code > 0x7e || code === 0x3b) return false;
  }
  return true;
}

/** Whether zone-file quoting (quotes, backslashes) leaked into a value. */
export function hasZoneQuoting(value: string): boolean {
  return QUOTES.test(value);
}

// The names of a usual record are one letter: told without a regex call.
function isTagName(name: string): boolean {
  const lower = name.charCodeAt(0) | 0x20;
  return name.length === 1 ? lower >= 0x61 && lower <= 0x7a : TAG_NAME.test(name);
}

/**
 * The tags by name, or the first syntax fault: a spec that is not name=value, a value with a
 * character DKIM does not allow, a tag given twice, or v= anywhere but first.
 */
export function readTagList(specs: readonly TagSpec[]): Map<string, string> | KeyRecordFault {
  const tags = new Map<string, string>();
  for (let index = 0; index < specs.length; index++) {
    const spec = specs[index] as TagSpec;
    if (!spec.equals || !isTagName(spec.name)) {
      // Quotes in the spec as written are quotes in its name or value: trimming drops only white space.
      if (hasZoneQuoting(spec.name + spec.value)) {
        return fault('ZONE_SYNTAX', 'quotes or backslashes in a tag');
      }
      // A spec with '=' is never blank; one without is blank when its trimmed name is.
      const what =
        !spec.equals && spec.name === '' ? 'an empty tag between semicolons' : `tag ${index + 1} is not name=value`;
      return fault('TAG_SYNTAX', what);
    }
    // p= is checked by the strict base64 decoder, which allows even less than tag-value does.
    if (spec.name !== 'p' && !isTagValue(spec.value)) {
      if (hasZoneQuoting(spec.value)) return fault('ZONE_SYNTAX', `quotes or backslashes in ${spec.name}=`);
      return fault('TAG_SYNTAX', `${spec.name}= holds a character DKIM does not allow`);
    }
    if (tags.has(spec.name)) return fault('DUPLICATE_TAG', `${spec.name}= appears more than once`);
    if (spec.name === 'v' && index !== 0) return fault('VERSION_NOT_FIRST', 'v= is present but not the first tag');
    tags.set(spec.name, spec.value);
  }
  return tags;
}

/**
 * The first of k=, h=, s=, t=, p= that ran into the next tag for want of a semicolon. A value
 * equal to `plain` (text known to hold no white space: the expected key) is not scanned.
 */
export function findRunTogether(tags: ReadonlyMap<string, string>, plain?: string): KeyRecordFault | undefined {
  for (const name of RUN_TOGETHER_TAGS) {
    const value = tags.get(name);
    if (value !== undefined && value !== plain && !isPlain(value) && RUN_TOGETHER.test(value)) {
      return fault('MISSING_SEMICOLON', `${name}= runs into the next tag`);
    }
  }
  return undefined;
}
