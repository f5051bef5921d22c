import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { base64Decode, base64DecodeTransient, base64Encode } from '../../src/core/base64.js';
import { bignumWasm, setBignumWasmEnabled } from '../../src/core/bignum-wasm.js';
import { DkimError } from '../../src/index.js';
import { seededGenerator } from '../helpers/seeded.js';

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

/** The outcome of decoding: the bytes in hex, or the error's code and message. */
function outcome(decode: (text: string) => Uint8Array, text: string): string {
  try {
    return Buffer.from(decode(text)).toString('hex');
  } catch (error) {
    if (error instanceof DkimError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

/** The same text decoded by WebAssembly (16 characters at a time) and by JavaScript alone. */
function bothWays(text: string): [string, string, string] {
  setBignumWasmEnabled(true);
  const wasm = outcome(base64Decode, text);
  const transient = outcome(base64DecodeTransient, text);
  setBignumWasmEnabled(false);
  const js = outcome(base64Decode, text);
  setBignumWasmEnabled(true);
  return [wasm, transient, js];
}

describe('base64 in WebAssembly', () => {
  afterEach(() => setBignumWasmEnabled(true));

  it('is there, and decodes a 2048-bit key as Buffer does', () => {
    expect(bignumWasm()).toBeDefined();
    const data = new Uint8Array(1191).map((_, i) => (i * 131 + 7) & 255);
    const text = Buffer.from(data).toString('base64');
    expect(bothWays(text)).toEqual([
      Buffer.from(data).toString('hex'),
      Buffer.from(data).toString('hex'),
      Buffer.from(data).toString('hex'),
    ]);
  });

  it('gives the JavaScript verdict, bytes and error message, on 30,000 random and hostile texts', () => {
    const next = seededGenerator(0xb64);
    // Characters next to the alphabet's edges, padding, white space, base64url, NUL, DEL,
    // Latin-1 and characters whose low byte is in the alphabet (U+0141 is 'A' + 0x100).
    const hostile = [
      '@',
      '[',
      '`',
      '{',
      '/',
      '+',
      '*',
      ',',
      '.',
      ':',
      '0',
      '9',
      'A',
      'Z',
      'a',
      'z',
      '=',
      ' ',
      '\n',
      '\r',
      '\t',
      '-',
      '_',
      '\0',
      '\x7f',
      '\x80',
      '\xc1',
      '\xff',
      '\u0141',
      '\u012b',
      '\u4e2d',
      '\ud83d\ude00',
    ];
    let decoded = 0;
    for (let round = 0; round < 30_000; round++) {
      const data = new Uint8Array(next(round % 10 === 0 ? 1300 : 120)).map(() => next(256));
      let text = Buffer.from(data).toString('base64');
      // Most texts get one to three hostile characters: replacing one, inserted or at the end.
      const changes = next(4);
      for (let c = 0; c < changes && text.length > 0; c++) {
        const at = next(text.length);
        const char = hostile[next(hostile.length)] as string;
        const how = next(3);
        text = text.slice(0, at) + char + text.slice(how === 0 ? at : at + 1);
        if (how === 2) text = text.slice(0, -char.length);
      }
      const [wasm, transient, js] = bothWays(text);
      if (wasm !== js || transient !== js)
        throw new Error(`round ${round}: ${JSON.stringify(text)}: ${wasm} | ${transient} | ${js}`);
      const canonical = text.length > 0 && Buffer.from(text, 'base64').toString('base64') === text;
      expect(js.startsWith('BASE64_INVALID'), JSON.stringify(text)).toBe(!canonical);
      if (canonical) decoded++;
    }
    // A quarter of the rounds change nothing; some changes keep the text canonical.
    expect(decoded).toBeGreaterThan(7_000);
  });

  it('refuses a stray character at every position of a long text, in blocks, tail and padding', () => {
    const text = Buffer.from(new Uint8Array(100).map((_, i) => i * 7)).toString('base64');
    for (let at = 0; at < text.length; at++) {
      for (const char of ['=', ' ', '\u0141', '-', '\0']) {
        if (text[at] === char) continue;
        const changed = text.slice(0, at) + char + text.slice(at + 1);
        const [wasm, , js] = bothWays(changed);
        expect(wasm, `${at} ${JSON.stringify(char)}`).toBe(js);
        expect(js).toMatch(/^BASE64_INVALID/);
      }
    }
  });

  it('hands back a fresh copy from base64Decode, and leaves the transient view to be overwritten', () => {
    const first = base64Decode('AAEC');
    const view = base64DecodeTransient('AAEC');
    base64Decode('////');
    expect([...first]).toEqual([0, 1, 2]);
    expect([...view]).toEqual([255, 255, 255]);
  });

  it('falls back to JavaScript for texts longer than its slot', () => {
    const data = new Uint8Array(30_000).map((_, i) => i & 255);
    const text = Buffer.from(data).toString('base64');
    expect(text.length).toBeGreaterThan(32_768);
    expect(base64Decode(text)).toEqual(data);
  });
});
