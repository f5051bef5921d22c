// The Node build's SIMD bare-LF search: its bytes are the .wat assembled, and it answers as the core's search does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import wabtFactory from 'wabt';
import { findBareLineFeed, parseMessage } from '../../../src/core/signature/message.js';
import { readMessageWith } from '../../../src/core/signature/primitives.js';
import { BARE_LF_WASM_HEX, findBareLineFeedSimd } from '../../../src/signature/node/bare-lf.js';
import { nodeSignaturePrimitives } from '../../../src/signature/node/crypto.js';

const CR = 0x0d;
const LF = 0x0a;
const CHUNK = 64 * 1024;

// The plain definition, independent of both searches: every index, one by one.
function reference(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] === LF && (i === 0 || bytes[i - 1] !== CR)) return i;
  return -1;
}

/** `size` bytes of CRLF lines (no bare LF), 76 bytes each. */
function crlfText(size: number): Uint8Array {
  const out = new Uint8Array(size).fill(0x61);
  for (let i = 75; i < size; i += 76) {
    out[i - 1] = CR;
    out[i] = LF;
  }
  return out;
}

describe('findBareLineFeedSimd', () => {
  it('is bare-lf.wat as wabt assembles it', async () => {
    const wabt = await wabtFactory();
    const text = readFileSync(join(import.meta.dirname, '../../../src/signature/node/bare-lf.wat'), 'utf8');
    const parsed = wabt.parseWat('bare-lf.wat', text, { simd: true });
    parsed.resolveNames();
    parsed.validate();
    const bytes = parsed.toBinary({ log: false, write_debug_names: false }).buffer;
    parsed.destroy();
    expect(Buffer.from(bytes).toString('hex')).toBe(BARE_LF_WASM_HEX);
  });

  it('finds nothing in CRLF text of every length around the block and chunk sizes', () => {
    for (const size of [0, 1, 2, 15, 16, 17, 63, 64, 65, 127, 128, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 7]) {
      expect(findBareLineFeedSimd(crlfText(size), 0)).toBe(-1);
    }
  });

  it('finds a bare LF at every offset of a block, at chunk edges and at the very start and end', () => {
    const size = 2 * CHUNK + 100;
    const positions = [0, 1, 15, 16, 63, 64, 65, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, size - 2, size - 1];
    for (let p = 100; p < 100 + 64; p++) positions.push(p);
    for (const p of positions) {
      const bytes = new Uint8Array(size).fill(0x61);
      bytes[p] = LF;
      expect(findBareLineFeedSimd(bytes, 0)).toBe(p);
      expect(findBareLineFeed(bytes, 0)).toBe(p);
      // The same LF after a CR is not bare, even when the CR ends the previous chunk.
      if (p > 0) {
        bytes[p - 1] = CR;
        expect(findBareLineFeedSimd(bytes, 0)).toBe(-1);
      }
    }
  });

  it('starts at `from`: an LF before it is not reported, the byte before it still counts', () => {
    const bytes = crlfText(CHUNK * 2);
    bytes[10] = LF; // bare, before `from`
    bytes[CHUNK + 5] = LF; // bare
    expect(findBareLineFeedSimd(bytes, 0)).toBe(10);
    expect(findBareLineFeedSimd(bytes, 11)).toBe(CHUNK + 5);
    expect(findBareLineFeedSimd(bytes, CHUNK + 5)).toBe(CHUNK + 5);
    expect(findBareLineFeedSimd(bytes, CHUNK + 6)).toBe(-1);
    // from = index of a CRLF's LF: its CR is before `from` and still makes it not bare.
    expect(findBareLineFeedSimd(crlfText(300), 75)).toBe(-1);
  });

  it('answers as the definition on random mixes of CR, LF and text, from any offset', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }).map((raw) => raw.map((b) => [CR, LF, 0x61, 0x20][b % 4] as number)),
        fc.nat(700),
        (bytes, from) => {
          expect(findBareLineFeedSimd(bytes, from)).toBe(reference(bytes, from));
          expect(findBareLineFeed(bytes, from)).toBe(reference(bytes, from));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads a message as parseMessage does, bare LFs or not', () => {
    const lines = crlfText(CHUNK + 300);
    const cases: Uint8Array[] = [lines, Buffer.from('From: a\n\nbody\r\n'), Buffer.from('From: a\r\n\r\nx\ny\r\n')];
    const late = lines.slice();
    late[late.length - 2] = 0x61; // the last line ends with a bare LF
    cases.push(Buffer.concat([Buffer.from('From: a\r\n\r\n'), late]));
    for (const input of cases) {
      expect(readMessageWith(nodeSignaturePrimitives, input)).toEqual(parseMessage(input));
    }
  });
});
