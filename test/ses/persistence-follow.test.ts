// Following a shared store's changes: coalesced by key, a bounded backlog that turns into one resync,
// a resync after every reconnection but the first awaited one, and retries after failures.
import { describe, expect, it } from 'vitest';
import { type DocumentStore, type StoreChange, StoreError, StoreUnavailableError } from '../../src/ses/persistence.js';
import { followChanges } from '../../src/ses/persistence-follow.js';

/** A store whose only working part is onChange; `emit` plays another process's notifications. */
function fakeStore() {
  const listeners = new Set<(change: StoreChange) => void>();
  const store = {
    onChange(listener: (change: StoreChange) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as DocumentStore;
  const emit = (change: StoreChange) => {
    for (const listener of listeners) listener(change);
  };
  return { store, emit, listeners };
}

/** A promise to hold the follower inside apply until `open` is called. */
function gate() {
  let open = () => {};
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

/** A follower over a fake store whose apply records each key and holds on the first until `held.open()`. */
function heldFollower(options: { wanted: (change: StoreChange) => boolean; maxPending?: number }) {
  const { store, emit } = fakeStore();
  const held = gate();
  const applied: string[] = [];
  const counts = { resyncs: 0 };
  const follower = followChanges({
    store,
    ...options,
    apply: async ({ key }) => {
      applied.push(key);
      if (applied.length === 1) await held.closed;
    },
    resync: async () => {
      counts.resyncs++;
    },
  });
  return { follower, emit, held, applied, counts };
}

describe('followChanges', () => {
  it('applies each key once however often it changed while busy, the wanted ones only', async () => {
    const { follower, emit, held, applied, counts } = heldFollower({
      wanted: (change) => change.collection !== 'tags',
    });
    const ready = follower.ready(1_000);
    emit({}); // the connection ready() waits for: no resync
    await ready;
    emit({ collection: 'outbox', key: 'first' });
    for (let i = 0; i < 1000; i++) emit({ collection: 'configurationSets', key: `r/${i % 3}` });
    emit({ collection: 'tags', key: 'ignored' });
    held.open();
    await follower.idle();
    expect(applied).toEqual(['first', 'r/0', 'r/1', 'r/2']);
    expect(counts.resyncs).toBe(0);
    emit({}); // a reconnection: notifications may have been lost
    await follower.idle();
    expect(counts.resyncs).toBe(1);
    follower.stop();
  });

  it('drops a backlog over its bound for one resync', async () => {
    const { follower, emit, held, applied, counts } = heldFollower({ wanted: () => true, maxPending: 5 });
    emit({ collection: 'outbox', key: 'busy' });
    for (let i = 0; i < 10_000; i++) emit({ collection: 'outbox', key: `m${i}` });
    held.open();
    await follower.idle();
    // The first resync is the connection nobody waited for (ready() was not awaited), then the backlog.
    expect(counts.resyncs).toBe(1);
    // Past the bound nothing more is queued but the keys after the resync was asked for; the resync clears them.
    expect(applied).toEqual(['busy']);
    follower.stop();
  });

  it('resyncs on the first connection when ready() gave up waiting', async () => {
    const { store, emit } = fakeStore();
    let resyncs = 0;
    const follower = followChanges({
      store,
      wanted: () => true,
      apply: async () => {},
      resync: async () => void resyncs++,
    });
    await follower.ready(10);
    emit({});
    await follower.idle();
    expect(resyncs).toBe(1);
    follower.stop();
  });

  it('retries with a resync after a failure, and stops quietly when the store is closed', async () => {
    const { store, emit, listeners } = fakeStore();
    const errors: unknown[] = [];
    let resyncs = 0;
    let calls = 0;
    const follower = followChanges({
      store,
      wanted: () => true,
      retryMs: 20,
      apply: async () => {
        calls++;
        if (calls === 1) throw new StoreUnavailableError('away');
        if (calls === 2) throw new Error('a bug');
        throw new StoreError('STORE_CLOSED', 'closed');
      },
      resync: async () => void resyncs++,
      onError: (error) => errors.push(error),
    });
    const ready = follower.ready(1_000);
    emit({});
    await ready;
    emit({ collection: 'outbox', key: 'a' });
    await expect.poll(() => resyncs, { timeout: 2_000 }).toBe(1);
    emit({ collection: 'outbox', key: 'b' });
    await expect.poll(() => resyncs, { timeout: 2_000 }).toBe(2);
    // Only the bug is reported: an unavailable database is retried in silence.
    expect(errors.map((e) => (e as Error).message)).toEqual(['a bug']);
    emit({ collection: 'outbox', key: 'c' });
    await follower.idle();
    emit({ collection: 'outbox', key: 'd' });
    await follower.idle();
    expect(calls).toBe(3);
    follower.stop();
    expect(listeners.size).toBe(0);
  });
});
