// The Node build's SIMD relaxed body canonicalization: its bytes are the .wat assembled, and it answers as the reference does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import wabtFactory from 'wabt';
import { canonicalizeBody } from '../../../src/core/signature/canonicalize.js';
import { nodeSignaturePrimitives } from '../../../src/signature/node/crypto.js';
import { canonicalizeRelaxedBodySimd, RELAXED_BODY_WASM_HEX } from '../../../src/signature/node/relaxed-body.js';
import { HOSTILE_ALPHABET, relaxedBodyReference } from '../../core/signature/canonicalize-reference.js';

const CHUNK = 64 * 1024;
const encode = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function agrees(body: Uint8Array): void {
  const expected = hex(relaxedBodyReference(body));
  expect(hex(canonicalizeRelaxedBodySimd(body))).toBe(expected);
  expect(hex(canonicalizeBody(body, 'relaxed'))).toBe(expected);
}

const hostileBytes = (maxLength: number) =>
  fc.array(fc.constantFrom(...HOSTILE_ALPHABET), { maxLength }).map((bytes) => Uint8Array.from(bytes));

describe('canonicalizeRelaxedBodySimd', () => {
  it('is relaxed-body.wat as wabt assembles it', async () => {
    const wabt = await wabtFactory();
    const text = readFileSync(join(import.meta.dirname, '../../../src/signature/node/relaxed-body.wat'), 'utf8');
    const parsed = wabt.parseWat('relaxed-body.wat', text, { simd: true });
    parsed.resolveNames();
    parsed.validate();
    const bytes = parsed.toBinary({ log: false, write_debug_names: false }).buffer;
    parsed.destroy();
    expect(Buffer.from(bytes).toString('hex')).toBe(RELAXED_BODY_WASM_HEX);
  });

  it('is the Node primitives’ relaxed canonicalization', () => {
    expect(nodeSignaturePrimitives.canonicalizeRelaxedBody).toBe(canonicalizeRelaxedBodySimd);
  });

  it('the edge cases: empty, only white space, trailing white space, lone CRs, no final CRLF', () => {
    for (const text of [
      '',
      ' ',
      '\t \t',
      '\r\n',
      ' \r\n\t\r\n',
      'a',
      'a ',
      'a \t',
      'a\r',
      'a \r',
      'a \rb',
      'a\r\r\n',
      ' \ta  b\t\tc \r\n\r\n \r\n',
      'x\r\n \r\n\r\ny \t\r\n\r\n\t\r\n',
    ]) {
      agrees(encode(text));
    }
    expect(canonicalizeRelaxedBodySimd(encode(' \r\n\t\r\n')).length).toBe(0);
    expect(new TextDecoder().decode(canonicalizeRelaxedBodySimd(encode(' \ta  b\t\tc \r\n\r\n \r\n')))).toBe(
      ' a b c\r\n',
    );
  });

  it('a white-space run or a CRLF at every offset of a 16-byte block and around the chunk edges', () => {
    const size = 2 * CHUNK + 100;
    const positions = [0, 1, 14, 15, 16, 17, 31, 32, CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1, size - 3, size - 1];
    for (let p = 100; p < 100 + 34; p++) positions.push(p);
    for (const insert of [' ', '  ', '\t', ' \r\n', '\r\n', '  \r', ' \t \t ']) {
      for (const p of positions) {
        const body = new Uint8Array(size).fill(0x61);
        body.set(encode(insert).subarray(0, size - p), p);
        agrees(body);
      }
    }
  });

  it('a chunk of white space and CRs only is answered by the core’s loop, the same', () => {
    const body = new Uint8Array(3 * CHUNK).fill(0x20);
    body[0] = 0x61;
    body[2 * CHUNK] = 0x62;
    for (let i = 5; i < body.length; i += 7) if (body[i] === 0x20) body[i] = i % 2 ? 0x0d : 0x09;
    agrees(body);
  });

  it('answers as the reference on random hostile bodies, short and across blocks', () => {
    fc.assert(
      fc.property(hostileBytes(200), (body) => agrees(body)),
      { numRuns: 3000 },
    );
  });

  it('answers as the reference on random bodies that cross chunk edges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: CHUNK + 40 }), hostileBytes(80)), { maxLength: 6 }),
        fc.constantFrom(0x61, 0x20, 0x0d),
        (edits, fill) => {
          const body = new Uint8Array(CHUNK + 120).fill(fill);
          body[CHUNK + 119] = 0x61;
          for (const [at, bytes] of edits) body.set(bytes.subarray(0, body.length - at), at);
          agrees(body);
        },
      ),
      { numRuns: 60 },
    );
  });
});
