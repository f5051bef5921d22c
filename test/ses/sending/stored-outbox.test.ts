// The outbox and the amazonses.com keys over a DocumentStore: bounds mirrored in the store, load, clear, and a shared key.
import { describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../../src/dns/zone.js';
import { createMemoryStore } from '../../../src/ses/persistence-memory.js';
import { createStoredOutbox, OUTBOX_PART_BYTES } from '../../../src/ses/sending/stored-outbox.js';
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

  it('a failed write rejects settled (the send is not answered as kept) and the message is not listed', async () => {
    const store = createMemoryStore();
    const outbox = createStoredOutbox(store);
    await store.close();
    outbox.add(entry('m1'), bytes('raw'));
    await expect(outbox.settled?.()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    expect(outbox.list()).toEqual([]);
    expect(outbox.raw('m1')).toBeUndefined();
  });

  it('keeps a message larger than one document (SES takes 40 MB; a document holds 16 MiB) in parts', async () => {
    const store = createMemoryStore(); // the default 16 MiB document bound
    const big = new Uint8Array(2 * OUTBOX_PART_BYTES + 12_345);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const outbox = createStoredOutbox(store);
    await outbox.load();
    outbox.add(entry('big'), big);
    outbox.add(entry('small'), bytes('raw small'));
    await outbox.settled?.();
    expect((await store.list('outboxParts')).map((d) => d.key)).toEqual(['big#0', 'big#1', 'big#2']);

    const again = createStoredOutbox(store);
    await again.load();
    expect(again.list().map((m) => m.Id)).toEqual(['big', 'small']);
    // Compared as one Buffer comparison: a deep equality over 16 million elements takes minutes.
    expect(Buffer.compare(Buffer.from(again.raw('big') ?? []), Buffer.from(big))).toBe(0);
    expect(again.raw('small')).toEqual(bytes('raw small'));

    // Parts whose head was never written (a crash between them) are deleted on load.
    await store.put('outboxParts', 'lost#0', { raw: 'AAAA' });
    const third = createStoredOutbox(store);
    await third.load();
    expect((await store.list('outboxParts')).map((d) => d.key)).toEqual(['big#0', 'big#1', 'big#2']);

    // Dropped by the bound or cleared: the head and its parts go.
    third.clear('big');
    await third.settled?.();
    expect(await store.list('outboxParts')).toEqual([]);
    expect((await store.list('outbox')).map((d) => d.key)).toEqual(['small']);
    const bounded = createStoredOutbox(store, { capacity: 1 });
    await bounded.load();
    bounded.add(entry('big2'), big);
    bounded.add(entry('after'), bytes('raw after'));
    await bounded.settled?.();
    expect(await store.list('outboxParts')).toEqual([]);
    expect((await store.list('outbox')).map((d) => d.key)).toEqual(['after']);
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
