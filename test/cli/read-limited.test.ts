// readLimited: the one bounded stream reader (stdin, DoH and SES request bodies).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLimited } from '../../src/node/read-limited.js';

describe('readLimited', () => {
  it('returns every byte of a stream within the limit, strings as UTF-8', async () => {
    const parts = [Buffer.from([1, 2, 3]), 'é', Buffer.from([4])];
    const bytes = await readLimited(Readable.from(parts), 6);
    expect(bytes).toEqual(new Uint8Array([1, 2, 3, ...Buffer.from('é'), 4]));
  });

  it('is null one byte past the limit, and stops reading there', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(10);
      }
    }
    expect(await readLimited(endless(), 25)).toBeNull();
    expect(pulled).toBe(3);
    expect(await readLimited(Readable.from([new Uint8Array(25)]), 25)).toEqual(new Uint8Array(25));
    expect(await readLimited(Readable.from([new Uint8Array(26)]), 25)).toBeNull();
  });

  it('reads an empty stream as no bytes', async () => {
    expect(await readLimited(Readable.from([]), 10)).toEqual(new Uint8Array(0));
  });
});
