// The key-record tag-list reader (hand-written scanning, no slices of slices, no regex for usual
// names and values) against a reference written the plain way: split(';'), indexOf('='), trim()
// and RFC 6376's grammar as regular expressions, on records made of the characters that matter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTagValue, readTagList, splitTags } from '../../src/core/key-record/tag-list.js';

const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const TAG_VALUE = /^[!-:<-~]*(?:[ \t\r\n]+[!-:<-~]+)*$/;

function referenceSplit(text: string) {
  const pieces = text.split(';');
  if ((pieces.at(-1) as string).trim() === '') pieces.pop(); // a trailing ';' is allowed
  return pieces.map((raw) => {
    const equals = raw.indexOf('=');
    return equals < 0
      ? { name: raw.trim(), value: '', equals: false, raw }
      : { name: raw.slice(0, equals).trim(), value: raw.slice(equals + 1).trim(), equals: true, raw };
  });
}

function referenceRead(text: string): Map<string, string> | { code: string; detail: string } {
  const tags = new Map<string, string>();
  for (const [index, spec] of referenceSplit(text).entries()) {
    if (!TAG_NAME.test(spec.name) || !spec.raw.includes('=')) {
      if (/["\\]/.test(spec.raw)) return { code: 'ZONE_SYNTAX', detail: 'quotes or backslashes in a tag' };
      const what = spec.raw.trim() === '' ? 'an empty tag between semicolons' : `tag ${index + 1} is not name=value`;
      return { code: 'TAG_SYNTAX', detail: what };
    }
    if (spec.name !== 'p' && !TAG_VALUE.test(spec.value)) {
      if (/["\\]/.test(spec.value)) return { code: 'ZONE_SYNTAX', detail: `quotes or backslashes in ${spec.name}=` };
      return { code: 'TAG_SYNTAX', detail: `${spec.name}= holds a character DKIM does not allow` };
    }
    if (tags.has(spec.name)) return { code: 'DUPLICATE_TAG', detail: `${spec.name}= appears more than once` };
    if (spec.name === 'v' && index !== 0)
      return { code: 'VERSION_NOT_FIRST', detail: 'v= is present but not the first tag' };
    tags.set(spec.name, spec.value);
  }
  return tags;
}

// Every kind of character the reader tells apart: separators, DKIM's folding white space, the
// other white space trim() removes, quotes, name and value characters, and non-ASCII.
const SPECIAL = [';', '=', ' ', '\t', '\r', '\n', '\v', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff', '"', '\\'];
const ORDINARY = ['v', 'k', 'p', 'h', 't', 's', 'n', 'x', 'K', '_', '1', 'A', '+', '/', ':', '~', '\u00e9', '\u1680'];
const recordText = fc.oneof(
  fc.array(fc.constantFrom(...SPECIAL, ...ORDINARY), { maxLength: 40 }).map((chars) => chars.join('')),
  // Usual records with damage spliced in.
  fc
    .tuple(
      fc.constantFrom(
        'v=DKIM1; k=rsa; p=MIIBIjAN+/==',
        ' v = DKIM1 ;k=rsa;h=sha256 : sha1;p=AB CD;',
        'p=;',
        'k=rsa; t=y:s',
      ),
      fc.nat(),
      fc.array(fc.constantFrom(...SPECIAL, ...ORDINARY), { maxLength: 3 }),
    )
    .map(([text, at, chars]) => {
      const cut = at % (text.length + 1);
      return `${text.slice(0, cut)}${chars.join('')}${text.slice(cut)}`;
    }),
);

describe('the key-record tag-list reader', () => {
  it('splits and reads exactly as the plain split, trim and regular expressions do', () => {
    fc.assert(
      fc.property(recordText, (text) => {
        const specs = splitTags(text);
        expect(specs).toEqual(referenceSplit(text).map(({ name, value, equals }) => ({ name, value, equals })));
        expect(readTagList(specs)).toEqual(referenceRead(text));
        for (const { value } of specs) expect(isTagValue(value)).toBe(TAG_VALUE.test(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads white space trim() knows beyond DKIM folding white space as trim() does', () => {
    const text = '\u00a0v\u3000=\fDKIM1\v;\ufeffk=rsa\u2028; p=AB\u00a0';
    expect(splitTags(text)).toEqual([
      { name: 'v', value: 'DKIM1', equals: true },
      { name: 'k', value: 'rsa', equals: true },
      { name: 'p', value: 'AB', equals: true },
    ]);
  });

  it('reads a hostile long record in linear time', () => {
    for (const text of [';'.repeat(8192), `${' '.repeat(8000)}x`, `${'a'.repeat(8190)}=`, '= '.repeat(4096)]) {
      const started = performance.now();
      expect(readTagList(splitTags(text))).toEqual(referenceRead(text));
      expect(performance.now() - started).toBeLessThan(250);
    }
  });
});
