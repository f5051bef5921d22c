// SPKIs carved out of shared blocks: each parsed key's SPKI stays its own, byte for byte
// node:crypto's export, however many keys are parsed after it and across block boundaries.
import { describe, expect, it } from 'vitest';
import { encodeRsaSpki } from '../../src/core/public-key.js';
import { parsePrivateKey } from '../../src/index.js';
import { keyPool, toBase64 } from '../helpers/key-pool.js';

describe('SPKIs from shared blocks', () => {
  it('keeps every kept SPKI intact and equal to node:crypto export', () => {
    const pool = keyPool();
    const kept: { spki: Uint8Array; expected: Uint8Array }[] = [];
    // ~300 bytes each: 200 keys cross several 8 KB blocks
    for (let i = 0; i < 200; i++) {
      const key = pool[i % pool.length];
      if (key === undefined) throw new Error('empty pool');
      const parsed = parsePrivateKey(i % 2 === 0 ? toBase64(key.pkcs1Der) : key.pkcs8Pem);
      kept.push({ spki: parsed.spki, expected: key.spki });
    }
    const buffers = new Set(kept.map(({ spki }) => spki.buffer));
    expect(buffers.size).toBeGreaterThan(1);
    expect(buffers.size).toBeLessThan(kept.length);
    for (const { spki, expected } of kept) expect(Buffer.from(spki).equals(Buffer.from(expected))).toBe(true);
    // views never overlap
    const ranges = kept.map(({ spki }) => ({
      buffer: spki.buffer,
      start: spki.byteOffset,
      end: spki.byteOffset + spki.length,
    }));
    for (const buffer of buffers) {
      const inBuffer = ranges.filter((range) => range.buffer === buffer).sort((a, b) => a.start - b.start);
      for (let i = 1; i < inBuffer.length; i++) {
        expect(inBuffer[i]?.start).toBeGreaterThanOrEqual(inBuffer[i - 1]?.end as number);
      }
    }
  });

  it('gives a large SPKI a buffer of its own', () => {
    const spki = encodeRsaSpki(new Uint8Array(1100).fill(0xc5), Uint8Array.of(1, 0, 1));
    expect(spki.byteOffset).toBe(0);
    expect(spki.buffer.byteLength).toBe(spki.length);
  });
});
