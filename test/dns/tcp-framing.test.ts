// DNS over TCP framing: messages survive any cut of the byte stream into chunks.
import { describe, expect, it } from 'vitest';
import { FrameReader, frameMessage } from '../../src/dns/node/tcp-framing.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

describe('TCP framing', () => {
  it('prefixes the 16-bit big-endian length', () => {
    const message = new Uint8Array(300).map((_, i) => i & 0xff);
    const framed = frameMessage(message);
    expect(((framed[0] as number) << 8) | (framed[1] as number)).toBe(message.length);
    expect(framed.subarray(2)).toEqual(message);
  });

  it('reads back every message, in order, whatever the chunk boundaries', () => {
    const messages = [3, 0, 700, 1, 65_535].map((n, k) => new Uint8Array(n).fill(k + 1));
    const stream = new Uint8Array(messages.reduce((sum, m) => sum + 2 + m.length, 0));
    let at = 0;
    for (const m of messages) {
      stream.set(frameMessage(m), at);
      at += 2 + m.length;
    }
    for (const chunk of [1, 2, 7, 1000, stream.length]) {
      const reader = new FrameReader();
      const out: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += chunk) out.push(...reader.push(stream.subarray(i, i + chunk)));
      // Compared as hex: a deep equal over 65,535-element typed arrays is slow.
      expect(out.map(hex)).toEqual(messages.map(hex));
      expect(reader.pending).toBe(0);
    }
  });

  it('holds an incomplete frame until the rest arrives', () => {
    const reader = new FrameReader();
    const framed = frameMessage(new Uint8Array([9, 8, 7]));
    expect(reader.push(framed.subarray(0, 4))).toEqual([]);
    expect(reader.pending).toBe(4);
    expect(reader.push(framed.subarray(4))).toEqual([new Uint8Array([9, 8, 7])]);
  });
});
