import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../src/core/base64.js';
import { DkimError } from '../../src/index.js';

// RFC 4648 section 10.
const RFC4648: readonly [string, string][] = [
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

const bytes = (text: string) => new TextEncoder().encode(text);

function codeOf(text: string): string {
  try {
    base64Decode(text);
    return 'decoded';
  } catch (error) {
    return error instanceof DkimError ? error.code : 'crash';
  }
}

describe('base64 (RFC 4648)', () => {
  it.each(RFC4648)('%j <-> %s', (plain, encoded) => {
    expect(base64Encode(bytes(plain))).toBe(encoded);
    expect(base64Decode(encoded)).toEqual(bytes(plain));
  });

  it('encodes the empty string as empty', () => {
    expect(base64Encode(new Uint8Array(0))).toBe('');
  });

  it.each([
    ['', 'empty'],
    ['Zg', 'no padding'],
    ['Zg=', 'short padding'],
    ['Zm9v=', 'length not a multiple of 4'],
    ['Zh==', 'non-zero trailing bits (canonical is Zg==)'],
    ['Zm9=', 'non-zero trailing bits (canonical is Zm8=)'],
    ['Zm 9v', 'a space'],
    ['Zm9v\n', 'a newline'],
    ['Zm-v', 'base64url minus'],
    ['Zm_v', 'base64url underscore'],
    ['Z=9v', 'padding inside'],
    ['====', 'only padding'],
    ['Zm9\u00e9', 'non-ASCII'],
  ])('refuses %j (%s)', (text) => {
    expect(codeOf(text)).toBe('BASE64_INVALID');
  });

  it('decodes to exactly what Buffer decodes, on every canonical input, and refuses the rest', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n\t-_!\u00e9\u4e2d';
    const textArb = fc.oneof(
      fc.base64String({ maxLength: 64 }),
      fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 24 }),
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        const canonical = text.length > 0 && Buffer.from(text, 'base64').toString('base64') === text;
        if (canonical) expect(base64Decode(text)).toEqual(new Uint8Array(Buffer.from(text, 'base64')));
        else expect(codeOf(text)).toBe('BASE64_INVALID');
      }),
      { numRuns: 20_000 },
    );
  });

  it('round-trips any bytes and agrees with Buffer on canonical input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
        const encoded = base64Encode(data);
        expect(encoded).toBe(Buffer.from(data).toString('base64'));
        if (data.length > 0) expect(base64Decode(encoded)).toEqual(data);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a string exactly when it is canonical base64 (Buffer re-encodes it unchanged)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.base64String({ maxLength: 40 }), fc.string({ maxLength: 12 })), (text) => {
        const canonical = text.length > 0 && Buffer.from(text, 'base64').toString('base64') === text;
        expect(codeOf(text)).toBe(canonical ? 'decoded' : 'BASE64_INVALID');
      }),
      { numRuns: 20_000 },
    );
  });
});
