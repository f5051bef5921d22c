// latin1(): one character per octet, whatever the octets (its fast path must never change the text).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latin1 } from '../../src/core/text.js';

const reference = (bytes: Uint8Array) => Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');

describe('latin1', () => {
  it('equals the octet-by-octet reading for any bytes, ASCII-heavy or not', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(octet, { maxLength: 600 }), (values) => {
        const bytes = Uint8Array.from(values);
        expect(latin1(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['a lone high octet', [0x61, 0xff, 0x62]],
    ['valid UTF-8 of U+FFFD', [0xef, 0xbf, 0xbd]],
    ['a UTF-8 byte order mark', [0xef, 0xbb, 0xbf, 0x61]],
    ['valid two-octet UTF-8', [0xc3, 0xa9]],
  ])('reads %s octet by octet', (_label, values) => {
    const bytes = Uint8Array.from(values);
    expect(latin1(bytes)).toBe(reference(bytes));
  });
});
