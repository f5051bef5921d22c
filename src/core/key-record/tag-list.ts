// Tag-list syntax of a key record (RFC 6376 section 3.2): splitting, tag names, values, duplicates.
import { fault, type KeyRecordFault } from './issues.js';

/** White space inside a tag value. */
export const WSP = /[ \t\r\n]/;
/** Every run of white space, to remove it. */
export const ALL_WSP = /[ \t\r\n]+/g;
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
    if (equals === end) {
      const name = trimmed(text, start, end);
      if (semicolon < 0 && name === '') break; // a trailing ';' is allowed
      specs.push({ name, value: '', equals: false });
    } else {
      specs.push({ name: trimmed(text, start, equals), value: trimmed(text, equals + 1, end), equals: true });
    }
    if (semicolon < 0) break;
    start = semicolon + 1;
  }
  return specs;
}

// text.slice(from, to).trim(), with one slice: ASCII white space is skipped here, and any other
// white space String.prototype.trim knows (\v, \f, NBSP, U+FEFF, Unicode spaces) is left to it.
function trimmed(text: string, from: number, to: number): string {
  while (from < to && isFwsCode(text.charCodeAt(from))) from++;
  while (to > from && isFwsCode(text.charCodeAt(to - 1))) to--;
  if (from === to) return '';
  if (isOtherSpace(text.charCodeAt(from)) || isOtherSpace(text.charCodeAt(to - 1))) {
    return text.slice(from, to).trim();
  }
  return text.slice(from, to);
}

function isFwsCode(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isOtherSpace(code: number): boolean {
  return code === 0x0b || code === 0x0c || code === 0xa0 || code >= 0x1680;
}

/** Whether a value is a legal tag-value. */
export function isTagValue(value: string): boolean {
  // Plain VALCHARs (every value of a usual record) are told by a loop; white space goes to the regex.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x21 || code > 0x7e || code === 0x3b) return TAG_VALUE.test(value);
  }
  return true;
}

/** Whether zone-file quoting (quotes, backslashes) leaked into a value. */
export function hasZoneQuoting(value: string): boolean {
  return QUOTES.test(value);
}

// TAG_NAME without a regex call: the names of a usual record are one letter.
function isTagName(name: string): boolean {
  const first = name.charCodeAt(0) | 0x20;
  if (!(first >= 0x61 && first <= 0x7a)) return false;
  for (let i = 1; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const lower = code | 0x20;
    if (!((lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f)) return false;
  }
  return true;
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
      if (hasZoneQuoting(spec.name) || hasZoneQuoting(spec.value)) {
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
    if (value !== undefined && value !== plain && WSP.test(value) && RUN_TOGETHER.test(value)) {
      return fault('MISSING_SEMICOLON', `${name}= runs into the next tag`);
    }
  }
  return undefined;
}
