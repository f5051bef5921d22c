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
  readonly value: string;
  /** The spec as written, for syntax checks. */
  readonly raw: string;
}

/** Splits on ';' (VALCHAR excludes it) and on the first '=' of each spec, trimming white space. */
export function splitTags(text: string): TagSpec[] {
  const specs: TagSpec[] = [];
  // By hand rather than text.split(';'): no array of pieces, and '=' is looked for once per spec.
  let start = 0;
  for (;;) {
    const semicolon = text.indexOf(';', start);
    const end = semicolon < 0 ? text.length : semicolon;
    const raw = text.slice(start, end);
    const equals = raw.indexOf('=');
    if (equals < 0) {
      if (semicolon < 0 && raw.trim() === '') break; // a trailing ';' is allowed
      specs.push({ name: raw.trim(), value: '', raw });
    } else {
      specs.push({ name: raw.slice(0, equals).trim(), value: raw.slice(equals + 1).trim(), raw });
    }
    if (semicolon < 0) break;
    start = semicolon + 1;
  }
  return specs;
}

/** Whether a value is a legal tag-value. */
export function isTagValue(value: string): boolean {
  return TAG_VALUE.test(value);
}

/** Whether zone-file quoting (quotes, backslashes) leaked into a value. */
export function hasZoneQuoting(value: string): boolean {
  return QUOTES.test(value);
}

/**
 * The tags by name, or the first syntax fault: a spec that is not name=value, a value with a
 * character DKIM does not allow, a tag given twice, or v= anywhere but first.
 */
export function readTagList(specs: readonly TagSpec[]): Map<string, string> | KeyRecordFault {
  const tags = new Map<string, string>();
  for (const [index, spec] of specs.entries()) {
    if (!TAG_NAME.test(spec.name) || !spec.raw.includes('=')) {
      if (hasZoneQuoting(spec.raw)) return fault('ZONE_SYNTAX', 'quotes or backslashes in a tag');
      const what = spec.raw.trim() === '' ? 'an empty tag between semicolons' : `tag ${index + 1} is not name=value`;
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
