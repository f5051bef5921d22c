// The outbox's bounds: a message count and a byte total, oldest dropped first; RawData made from the bytes.
import { describe, expect, it } from 'vitest';
import { createOutbox, DEFAULT_OUTBOX_BYTES, DEFAULT_OUTBOX_SIZE } from '../../../src/ses/sending/outbox.js';

const entry = (id: string) => ({ Id: id, Region: 'us-east-1', Timestamp: '2026-12-01T00:00:00', Source: 'a@b.c' });
const bytes = (n: number, fill = 0x61) => new Uint8Array(n).fill(fill);

describe('the outbox', () => {
  it('defaults to 1000 messages and 256 MiB', () => {
    const outbox = createOutbox();
    expect([outbox.capacity, outbox.maxBytes]).toEqual([DEFAULT_OUTBOX_SIZE, DEFAULT_OUTBOX_BYTES]);
    expect([DEFAULT_OUTBOX_SIZE, DEFAULT_OUTBOX_BYTES]).toEqual([1000, 256 * 1024 * 1024]);
  });

  it('drops the oldest past the byte bound, but always keeps the newest', () => {
    const outbox = createOutbox({ capacity: 100, maxBytes: 250 });
    for (const id of ['a', 'b', 'c']) outbox.add(entry(id), bytes(100));
    expect(outbox.list().map((m) => m.Id)).toEqual(['b', 'c']);
    outbox.add(entry('huge'), bytes(1000));
    expect(outbox.list().map((m) => m.Id)).toEqual(['huge']);
    outbox.add(entry('d'), bytes(10));
    expect(outbox.list().map((m) => m.Id)).toEqual(['d']);
  });

  it('a re-added Id replaces its message; RawData is the bytes as UTF-8', () => {
    const outbox = createOutbox({ capacity: 2 });
    outbox.add(entry('x'), new TextEncoder().encode('Grüße'));
    outbox.add(entry('y'), bytes(1));
    outbox.add(entry('x'), new TextEncoder().encode('neu'));
    expect(outbox.list().map((m) => [m.Id, m.RawData])).toEqual([
      ['y', 'a'],
      ['x', 'neu'],
    ]);
    expect(outbox.clear('x')).toBe(true);
    expect(outbox.clear('x')).toBe(false);
    expect(() => createOutbox({ maxBytes: 0 })).toThrow(RangeError);
  });
});
