// The outbox and the amazonses.com keys over a DocumentStore: bounds mirrored in the store, load, clear, and a shared key.
import { describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../../src/dns/zone.js';
import { createMemoryStore } from '../../../src/ses/persistence-memory.js';
import { createStoredOutbox } from '../../../src/ses/sending/stored-outbox.js';
import { storedProviderSigners } from '../../../src/ses/sending/stored-provider-key.js';

const entry = (id: string) => ({
  Id: id,
  Region: 'us-east-1',
  Timestamp: '2026-01-01T00:00:00',
  Source: 'a@b.example',
});
const bytes = (text: string) => new TextEncoder().encode(text);

describe('createStoredOutbox', () => {
  it('writes each message before settling, drops the oldest from the store too, and loads in send order', async () => {
    const store = createMemoryStore();
    const outbox = createStoredOutbox(store, { capacity: 2 });
    await outbox.load();
    for (const id of ['m3', 'm1', 'm2']) outbox.add(entry(id), bytes(`raw ${id}\r\n\xff`));
    await outbox.settled?.();
    expect((await store.list('outbox')).map((d) => d.key)).toEqual(['m1', 'm2']);

    const again = createStoredOutbox(store, { capacity: 2 });
    await again.load();
    expect(again.list().map((m) => m.Id)).toEqual(['m1', 'm2']);
    expect(again.raw('m2')).toEqual(bytes('raw m2\r\n\xff'));
    again.add(entry('m4'), bytes('raw m4'));
    again.clear('m2');
    await again.settled?.();
    expect((await store.list('outbox')).map((d) => d.key)).toEqual(['m4']);

    const smaller = createStoredOutbox(store, { capacity: 1 });
    smaller.add(entry('m5'), bytes('raw m5'));
    await smaller.settled?.();
    expect((await store.list('outbox')).map((d) => d.key)).toEqual(['m4', 'm5']);
    smaller.clear();
    await smaller.settled?.();
    expect(await store.list('outbox')).toEqual([]);
  });

  it('a failed write rejects settled (the send is not answered as kept)', async () => {
    const store = createMemoryStore();
    const outbox = createStoredOutbox(store);
    await store.close();
    outbox.add(entry('m1'), bytes('raw'));
    await expect(outbox.settled?.()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});

describe('storedProviderSigners', () => {
  it('makes one key per region, keeps it in secrets, and a second server on the store uses and publishes it', async () => {
    const store = createMemoryStore();
    const first = storedProviderSigners(store, createZoneResolver());
    const zone = createZoneResolver();
    const second = storedProviderSigners(store, zone);
    const [a, b] = await Promise.all([first('us-east-1'), second('us-east-1')]);
    expect(b.selector).toBe(a.selector);
    expect(b.record.value).toBe(a.record.value);
    expect((await zone.resolve(a.record.name, 'TXT')).kind).toBe('records');
    const other = await first('eu-west-1');
    expect(other.selector).not.toBe(a.selector);
    expect((await store.list('secrets')).map((d) => d.key)).toEqual([
      'amazonses.com:eu-west-1',
      'amazonses.com:us-east-1',
    ]);
  });

  it('a damaged stored key is STORE_FORMAT without quoting it', async () => {
    const store = createMemoryStore();
    await store.put('secrets', 'amazonses.com:us-east-1', { selector: 's', privateKey: 'MIIBroken-secret-text' });
    const error = await storedProviderSigners(store)('us-east-1').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'STORE_FORMAT' });
    expect(error?.message).not.toContain('secret-text');
  });
});
