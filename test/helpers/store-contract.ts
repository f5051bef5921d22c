// The DocumentStore contract as one test suite, run against every backend (memory, file, PostgreSQL).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DocumentStore, type StoreChange, StoreConflictError, StoreError } from '../../src/ses/persistence.js';

/** Registers the contract tests for the store `open()` makes (a fresh, empty store each time). */
export function describeStoreContract(name: string, open: () => Promise<DocumentStore>): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('puts, gets, lists and deletes documents with growing versions', async () => {
      expect(await store.get('configurationSets', 'a')).toBeUndefined();
      expect(await store.put('configurationSets', 'b', { n: 1 })).toBe(1);
      expect(await store.put('configurationSets', 'a', { n: 2 })).toBe(1);
      expect(await store.put('configurationSets', 'a', { n: 3, list: [1, 'x', null, true] })).toBe(2);
      expect(await store.get('configurationSets', 'a')).toEqual({
        key: 'a',
        version: 2,
        doc: { n: 3, list: [1, 'x', null, true] },
      });
      expect((await store.list('configurationSets')).map((d) => [d.key, d.version])).toEqual([
        ['a', 2],
        ['b', 1],
      ]);
      expect(await store.list('outbox')).toEqual([]);
      expect(await store.delete('configurationSets', 'a')).toBe(true);
      expect(await store.delete('configurationSets', 'a')).toBe(false);
      expect(await store.get('configurationSets', 'a')).toBeUndefined();
      // Collections are separate namespaces.
      await store.put('secrets', 'b', 'private');
      expect((await store.get('configurationSets', 'b'))?.doc).toEqual({ n: 1 });
      expect((await store.get('secrets', 'b'))?.doc).toBe('private');
    });

    it('gets many documents in input order, undefined for the missing, as get returns each', async () => {
      await store.put('secrets', 'us-east-1/a', { privateKey: 'A' });
      await store.put('secrets', 'us-east-1/b', { privateKey: 'B' });
      await store.put('secrets', 'us-east-1/b', { privateKey: 'B2' });
      await store.put('identities', 'us-east-1/a', { s: 1 }, { nextCheckAt: 5 });
      await store.put('providerKeys', 'us-east-1/a', { keys: ['k'] });
      // Collections stay apart: identities and providerKeys hold the key 'us-east-1/a' too.
      const keys = ['us-east-1/b', 'missing', 'us-east-1/a', 'us-east-1/b'];
      const many = await store.getMany('secrets', keys);
      expect(many).toEqual(await Promise.all(keys.map((key) => store.get('secrets', key))));
      expect(many.map((d) => d && [d.key, d.version, d.doc])).toEqual([
        ['us-east-1/b', 2, { privateKey: 'B2' }],
        undefined,
        ['us-east-1/a', 1, { privateKey: 'A' }],
        ['us-east-1/b', 2, { privateKey: 'B2' }],
      ]);
      // Each result is a copy of its own, even for a key asked twice.
      (many[0]?.doc as { privateKey: string }).privateKey = 'changed';
      expect(many[3]?.doc).toEqual({ privateKey: 'B2' });
      expect(await store.getMany('identities', ['us-east-1/a'])).toEqual([
        { key: 'us-east-1/a', version: 1, doc: { s: 1 }, nextCheckAt: 5 },
      ]);
      expect(await store.getMany('providerKeys', ['us-east-1/a', 'us-east-1/b'])).toEqual([
        { key: 'us-east-1/a', version: 1, doc: { keys: ['k'] } },
        undefined,
      ]);
      expect(await store.getMany('tags', [])).toEqual([]);
    });

    it('refuses a put or delete at the wrong version with a typed conflict', async () => {
      expect(await store.put('identities', 'x.com', { s: 1 }, { expectedVersion: 0 })).toBe(1);
      const conflict = await store.put('identities', 'x.com', { s: 2 }, { expectedVersion: 0 }).catch((e) => e);
      expect(conflict).toBeInstanceOf(StoreConflictError);
      expect(conflict).toMatchObject({
        code: 'STORE_CONFLICT',
        expectedVersion: 0,
        actualVersion: 1,
        retryable: false,
      });
      expect(await store.put('identities', 'x.com', { s: 2 }, { expectedVersion: 1 })).toBe(2);
      await expect(store.put('identities', 'y.com', {}, { expectedVersion: 3 })).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
        actualVersion: 0,
      });
      await expect(store.delete('identities', 'x.com', { expectedVersion: 1 })).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      expect((await store.get('identities', 'x.com'))?.doc).toEqual({ s: 2 });
      expect(await store.delete('identities', 'x.com', { expectedVersion: 2 })).toBe(true);
    });

    it('lets exactly one of concurrent puts at one version win', async () => {
      await store.put('identities', 'race.com', { writer: 'none' });
      const writers = Array.from({ length: 8 }, (_, i) =>
        store.put('identities', 'race.com', { writer: i }, { expectedVersion: 1 }),
      );
      const results = await Promise.allSettled(writers);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreConflictError);
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      expect(await store.get('identities', 'race.com')).toMatchObject({ version: 2, doc: { writer: winner } });
    });

    it('returns copies and refuses documents over the size bound or in unknown collections', async () => {
      const doc = { nested: { list: [1] } };
      await store.put('tags', 'k', doc);
      doc.nested.list.push(2);
      const read = await store.get('tags', 'k');
      expect(read?.doc).toEqual({ nested: { list: [1] } });
      await expect(store.put('tags', 'big', 'x'.repeat(17 * 1024 * 1024))).rejects.toMatchObject({
        code: 'STORE_TOO_LARGE',
      });
      expect(await store.get('tags', 'big')).toBeUndefined();
      await expect(store.put('nope' as 'tags', 'k', 1)).rejects.toBeInstanceOf(StoreError);
    });

    it('claims due identities oldest first, never twice while leased, again after the lease expires', async () => {
      const now = 1_000_000;
      await store.put('identities', 'late.com', { n: 1 }, { nextCheckAt: now - 10 });
      await store.put('identities', 'early.com', { n: 2 }, { nextCheckAt: now - 500 });
      await store.put('identities', 'future.com', { n: 3 }, { nextCheckAt: now + 100_000 });
      await store.put('identities', 'unscheduled.com', { n: 4 });
      await store.put('identities', 'mid.com', { n: 5 }, { nextCheckAt: now - 100 });
      const first = await store.claimDue(now, 2, 30_000, 'w1');
      expect(first.map((c) => c.key)).toEqual(['early.com', 'mid.com']);
      expect(first[0]).toEqual({ key: 'early.com', version: 1, doc: { n: 2 }, leaseUntil: now + 30_000 });
      const second = await store.claimDue(now, 10, 30_000, 'w2');
      expect(second.map((c) => c.key)).toEqual(['late.com']);
      expect(await store.claimDue(now + 29_999, 10, 30_000, 'w3')).toEqual([]);
      const taken = await store.claimDue(now + 30_000, 10, 1_000, 'w3');
      expect(taken.map((c) => c.key).sort()).toEqual(['early.com', 'late.com', 'mid.com']);
      expect(await store.claimDue(now + 30_000, 10, 1_000, 'w4')).toEqual([]);
    });

    it('applies a completion only at the claimed version, so a late answer cannot rewind state', async () => {
      const now = 5_000;
      await store.put('identities', 'a.com', { status: 'PENDING' }, { nextCheckAt: now });
      const [claim] = await store.claimDue(now, 1, 100, 'w1');
      expect(claim?.version).toBe(1);
      // The lease runs out and a second worker takes the same check over.
      const [again] = await store.claimDue(now + 100, 1, 100, 'w2');
      expect(again).toMatchObject({ key: 'a.com', version: 1 });
      expect(await store.complete('a.com', 1, { status: 'SUCCESS' }, now + 3_600_000)).toEqual({
        status: 'applied',
        version: 2,
      });
      expect(await store.complete('a.com', 1, { status: 'FAILED' }, now + 60_000)).toEqual({
        status: 'stale',
        currentVersion: 2,
      });
      expect(await store.get('identities', 'a.com')).toEqual({
        key: 'a.com',
        version: 2,
        doc: { status: 'SUCCESS' },
        nextCheckAt: now + 3_600_000,
      });
      expect(await store.complete('gone.com', 1, {}, null)).toEqual({ status: 'missing' });
      // Completed: not due until the new time, and the lease is over.
      expect(await store.claimDue(now + 3_599_999, 5, 100, 'w3')).toEqual([]);
      expect((await store.claimDue(now + 3_600_000, 5, 100, 'w3')).map((c) => c.key)).toEqual(['a.com']);
    });

    it('makes an in-flight check stale when the API writes the identity, and keeps its schedule', async () => {
      await store.put('identities', 'b.com', { v: 'api-1' }, { nextCheckAt: 10 });
      const [claim] = await store.claimDue(10, 1, 1000, 'w1');
      expect(await store.put('identities', 'b.com', { v: 'api-2' }, { expectedVersion: 1 })).toBe(2);
      expect((await store.get('identities', 'b.com'))?.nextCheckAt).toBe(10);
      expect(await store.complete('b.com', claim?.version ?? 0, { v: 'check' }, 99)).toEqual({
        status: 'stale',
        currentVersion: 2,
      });
      await store.put('identities', 'b.com', { v: 'api-3' }, { nextCheckAt: null });
      expect(await store.get('identities', 'b.com')).toMatchObject({ version: 3, nextCheckAt: null });
      expect(await store.claimDue(1e15, 5, 1000, 'w1')).toEqual([]);
    });

    it('releases a lease only for its worker at its version, and completes batches in order', async () => {
      for (const key of ['c1', 'c2', 'c3']) await store.put('identities', key, { key }, { nextCheckAt: 1 });
      const claims = await store.claimDue(1, 3, 1_000, 'w1');
      expect(claims).toHaveLength(3);
      expect(await store.release('c1', 1, 'w2')).toBe(false);
      expect(await store.release('c1', 2, 'w1')).toBe(false);
      expect(await store.release('c1', 1, 'w1')).toBe(true);
      expect((await store.claimDue(2, 3, 1_000, 'w2')).map((c) => c.key)).toEqual(['c1']);
      const outcomes = await store.completeMany([
        { key: 'c3', claimedVersion: 1, doc: { done: 3 }, nextCheckAt: 50 },
        { key: 'c2', claimedVersion: 7, doc: { done: 2 }, nextCheckAt: 50 },
        { key: 'zz', claimedVersion: 1, doc: {}, nextCheckAt: null },
        { key: 'c1', claimedVersion: 1, doc: { done: 1 }, nextCheckAt: null },
      ]);
      expect(outcomes).toEqual([
        { status: 'applied', version: 2 },
        { status: 'stale', currentVersion: 1 },
        { status: 'missing' },
        { status: 'applied', version: 2 },
      ]);
      expect(await store.completeMany([])).toEqual([]);
      expect((await store.get('identities', 'c3'))?.doc).toEqual({ done: 3 });
    });

    it('wakes listeners when an identity is created with a due time', async () => {
      let wakes = 0;
      const stop = store.onWake(() => {
        wakes++;
      });
      await store.put('configurationSets', 'no-wake', {});
      await store.put('identities', 'wake.com', {}, { nextCheckAt: 1 });
      await expect.poll(() => wakes, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
      stop();
    });

    it('reports no change of its own writes to onChange (only other writers’)', async () => {
      if (!store.onChange) return; // A one-process store has no one else's changes to report.
      const changes: StoreChange[] = [];
      const stop = store.onChange((change) => changes.push(change));
      const keyed = () => changes.filter((change) => change.key !== undefined);
      await store.put('configurationSets', 'own', {});
      await store.delete('configurationSets', 'own');
      await store.put('outbox', 'own', {});
      await store.put('identities', 'own.com', {}, { nextCheckAt: 1 });
      // A notification of these would arrive within a round trip or two of the writes: give it many.
      for (let i = 0; i < 20; i++) await store.get('outbox', 'own');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(keyed()).toEqual([]);
      stop();
    });
  });
}
