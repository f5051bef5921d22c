// The PostgreSQL store on a real PostgreSQL: the store contract, migrations, concurrent workers,
// leases that expire, conflicts across processes' pools, NOTIFY wakes and a database restart.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openPostgresStore,
  type PostgresStore,
  type StoreChange,
  StoreConflictError,
  StoreUnavailableError,
} from '../../src/postgres.js';

import { type PostgresServer, postgresAvailable, startPostgres } from '../helpers/postgres.js';
import { describeStoreContract } from '../helpers/store-contract.js';

const available = postgresAvailable();
let server: PostgresServer;
let schemas = 0;
const freshSchema = () => `test_${schemas++}`;
const open = (schema = freshSchema(), extra: Parameters<typeof openPostgresStore>[0] = {}) =>
  openPostgresStore({ connectionString: server.url, schema, ...extra });

describe.skipIf(!available)('PostgreSQL store', () => {
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  describeStoreContract('postgres', () => open());

  it('migrates once, whether opened twice in turn or four times at once, and refuses a newer schema', async () => {
    const schema = freshSchema();
    const first = await open(schema);
    const second = await open(schema);
    expect([first.migrated, second.migrated]).toEqual([[1, 2], []]);
    await Promise.all([first.close(), second.close()]);
    const together = freshSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => open(together)));
    expect(stores.map((store) => store.migrated).sort()).toEqual([[], [], [], [1, 2]]);
    await stores[0]?.put('identities', 'a.com', {});
    expect(await stores[3]?.get('identities', 'a.com')).toMatchObject({ version: 1 });
    await Promise.all(stores.map((store) => store.close()));
    const client = new pg.Client(server.url);
    await client.connect();
    await client.query(`INSERT INTO "${together}".migrations (id) VALUES (99)`);
    await client.end();
    await expect(open(together)).rejects.toMatchObject({ code: 'STORE_VERSION' });
  });

  it('keeps identities, BYODKIM secrets and the other collections in their own tables', async () => {
    const schema = freshSchema();
    const store = await open(schema);
    await store.put('identities', 'a.com', { s: 1 }, { nextCheckAt: 9 });
    await store.put('secrets', 'a.com/sel', { privateKey: 'MIIB' });
    await store.put('outbox', 'm1', { to: 'x' });
    const client = new pg.Client(server.url);
    await client.connect();
    const rows = async (sql: string) => (await client.query(sql)).rows;
    expect(await rows(`SELECT key, next_check_at::int AS due, version::int FROM "${schema}".identities`)).toEqual([
      { key: 'a.com', due: 9, version: 1 },
    ]);
    expect(await rows(`SELECT key, doc FROM "${schema}".secrets`)).toEqual([
      { key: 'a.com/sel', doc: { privateKey: 'MIIB' } },
    ]);
    expect(await rows(`SELECT collection, key FROM "${schema}".documents`)).toEqual([
      { collection: 'outbox', key: 'm1' },
    ]);
    const indexes = await rows(`SELECT indexname FROM pg_indexes WHERE schemaname = '${schema}'`);
    expect(indexes.map((row) => row.indexname)).toContain('identities_next_check_at');
    await client.end();
    await store.close();
  });

  it('gives two workers claiming at once disjoint sets that cover every due identity', async () => {
    const schema = freshSchema();
    const [a, b] = [await open(schema), await open(schema)] as [PostgresStore, PostgresStore];
    const [c, d] = [await open(schema), await open(schema)] as [PostgresStore, PostgresStore];
    const total = 2_000;
    for (let i = 0; i < total; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => a.put('identities', `d${i + j}.com`, { i: i + j }, { nextCheckAt: 0 })),
      );
    }
    const claimed = { a: [] as string[], b: [] as string[] };
    const work = async (store: PostgresStore, name: 'a' | 'b') => {
      for (;;) {
        const claims = await store.claimDue(1_000, 20, 30_000, name);
        if (claims.length === 0) return;
        claimed[name].push(...claims.map((claim) => claim.key));
        const outcomes = await store.completeMany(
          claims.map((claim) => ({
            key: claim.key,
            claimedVersion: claim.version,
            doc: { by: name },
            nextCheckAt: 1e12,
          })),
        );
        expect(outcomes.every((outcome) => outcome.status === 'applied')).toBe(true);
      }
    };
    // Eight claimers over four pools (two "processes" each); a claim without row locks would overlap here.
    await Promise.all([a, c, a, c, b, d, b, d].map((store, i) => work(store, i < 4 ? 'a' : 'b')));
    expect(claimed.a.length).toBeGreaterThan(0);
    expect(claimed.b.length).toBeGreaterThan(0);
    const all = [...claimed.a, ...claimed.b];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(total);
    const docs = await a.list('identities');
    expect(docs.every((doc) => doc.version === 2 && doc.nextCheckAt === 1e12)).toBe(true);
    await Promise.all([a.close(), b.close(), c.close(), d.close()]);
  });

  it('hands a dead worker’s checks to another once the lease expires; the late answer is refused', async () => {
    const schema = freshSchema();
    const dying = await open(schema);
    for (let i = 0; i < 10; i++)
      await dying.put('identities', `l${i}.com`, { status: 'PENDING' }, { nextCheckAt: 100 });
    const lost = await dying.claimDue(1_000, 10, 30_000, 'dying');
    expect(lost).toHaveLength(10);
    await dying.close();
    const survivor = await open(schema);
    expect(await survivor.claimDue(30_999, 10, 30_000, 'survivor')).toEqual([]);
    const taken = await survivor.claimDue(31_000, 10, 30_000, 'survivor');
    expect(taken.map((claim) => claim.key).sort()).toEqual(lost.map((claim) => claim.key).sort());
    // Both answer at once: exactly one transition per observation.
    const late = await open(schema);
    const outcomes = await Promise.all(
      taken.flatMap((claim) => [
        survivor.complete(claim.key, claim.version, { status: 'SUCCESS', by: 'survivor' }, 1e12),
        late.complete(claim.key, claim.version, { status: 'FAILED', by: 'late' }, 1e12),
      ]),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'applied')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome.status === 'stale')).toHaveLength(10);
    for (const doc of await survivor.list('identities')) expect(doc.version).toBe(2);
    await Promise.all([survivor.close(), late.close()]);
  });

  it('lets exactly one of concurrent puts from separate pools win; the others get the typed conflict', async () => {
    const schema = freshSchema();
    const stores = await Promise.all(Array.from({ length: 3 }, () => open(schema)));
    await stores[0]?.put('identities', 'race.com', { writer: -1 });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        stores[i % 3]?.put('identities', 'race.com', { writer: i }, { expectedVersion: 1 }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(StoreConflictError);
        expect(result.reason).toMatchObject({ actualVersion: 2, retryable: false });
      }
    }
    await Promise.all(stores.map((store) => store.close()));
  });

  it('wakes a worker in another process’s pool through NOTIFY when an identity is created', async () => {
    const schema = freshSchema();
    const [api, worker] = [await open(schema), await open(schema)];
    let wakes = 0;
    worker.onWake(() => {
      wakes++;
    });
    // The first wake comes when LISTEN is in place.
    await expect.poll(() => wakes, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const before = wakes;
    await api.put('configurationSets', 'set', {});
    await api.put('identities', 'new.com', {}, { nextCheckAt: 5 });
    await expect.poll(() => wakes, { timeout: 10_000 }).toBe(before + 1);
    await Promise.all([api.close(), worker.close()]);
  });

  it('upgrades a schema at migration 1: migration 2 adds the change triggers to the existing tables', async () => {
    const schema = freshSchema();
    const first = await open(schema);
    await first.put('configurationSets', 'kept', { before: true });
    await first.close();
    const client = new pg.Client(server.url);
    await client.connect();
    // Back to what migration 1 left: no change triggers, no record of migration 2.
    await client.query(`DROP FUNCTION "${schema}".changed() CASCADE; DELETE FROM "${schema}".migrations WHERE id = 2`);
    await client.end();
    const [upgraded, other] = [await open(schema), await open(schema)];
    expect([upgraded.migrated, other.migrated]).toEqual([[2], []]);
    const seen: StoreChange[] = [];
    other.onChange?.((change) => seen.push(change));
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    await upgraded.put('configurationSets', 'kept', { after: true });
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2);
    expect(seen[1]).toEqual({ collection: 'configurationSets', key: 'kept' });
    expect((await other.get('configurationSets', 'kept'))?.version).toBe(2);
    await Promise.all([upgraded.close(), other.close()]);
  });

  it('tells another process’s store of each change it did not make, and of a lost connection', async () => {
    const schema = freshSchema();
    const [writer, reader] = [await open(schema), await open(schema)];
    const seen: StoreChange[] = [];
    const own: StoreChange[] = [];
    reader.onChange?.((change) => seen.push(change));
    writer.onChange?.((change) => own.push(change));
    // The first change (a resync: notifications before it were not heard) comes when LISTEN is in place.
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => own.length, { timeout: 10_000 }).toBe(1);
    expect(seen[0]).toEqual({});
    const long = 'k'.repeat(1024);
    await writer.put('configurationSets', 'us-east-1/set', { name: 'set' });
    await writer.put('configurationSets', 'us-east-1/set', { name: 'set', v: 2 });
    await writer.delete('configurationSets', 'us-east-1/set');
    await writer.put('outbox', long, {});
    await writer.put('secrets', 'amazonses.com:eu-west-1', {});
    await writer.put('identities', 'byodkim.com', {}, { nextCheckAt: 5 });
    await writer.delete('identities', 'byodkim.com');
    await writer.put('identities', 'new.com', { providerKeys: true }, { nextCheckAt: 5 });
    await writer.put('identities', 'new.com', { providerKeys: true, checked: true }, { nextCheckAt: 9 });
    await writer.delete('identities', 'new.com');
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(8);
    expect(seen.slice(1)).toEqual([
      { collection: 'configurationSets', key: 'us-east-1/set' },
      { collection: 'configurationSets', key: 'us-east-1/set' },
      { collection: 'configurationSets', key: 'us-east-1/set' },
      { collection: 'outbox', key: long },
      { collection: 'secrets', key: 'amazonses.com:eu-west-1' },
      // Identities with Easy DKIM keys are reported when created and deleted, not on every check.
      { collection: 'identities', key: 'new.com' },
      { collection: 'identities', key: 'new.com' },
    ]);
    // A change made outside any dkim-engine store (no origin of ours) is reported to both.
    const client = new pg.Client(server.url);
    await client.connect();
    await client.query(`DELETE FROM "${schema}".documents WHERE collection = 'outbox'`);
    await expect.poll(() => own.length, { timeout: 10_000 }).toBe(2);
    expect(own).toEqual([{}, { collection: 'outbox', key: long }]);
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(9);
    // A lost LISTEN connection is reported once it is back.
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'`);
    await client.end();
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(10);
    await expect.poll(() => own.length, { timeout: 10_000 }).toBe(3);
    expect([seen[8], seen[9], own[2]]).toEqual([{ collection: 'outbox', key: long }, {}, {}]);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('fails retryably while PostgreSQL restarts, recovers, and loses nothing acknowledged', async () => {
    const store = await open(freshSchema(), { reconnect: { initialMs: 50, maxMs: 400 }, connectTimeoutMs: 1_000 });
    let wakes = 0;
    store.onWake(() => {
      wakes++;
    });
    await expect.poll(() => wakes, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const acked = new Map<string, number>();
    const errors: unknown[] = [];
    let next = 0;
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const n = next++;
        try {
          await store.put('identities', `r${n}.com`, { n }, { nextCheckAt: n });
          acked.set(`r${n}.com`, n);
        } catch (error) {
          errors.push(error);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    await expect.poll(() => acked.size, { timeout: 30_000 }).toBeGreaterThan(200);
    await server.stop('immediate');
    await expect.poll(() => errors.length, { timeout: 30_000 }).toBeGreaterThan(5);
    const wakesWhileDown = wakes;
    await server.start();
    const ackedAtRestart = acked.size;
    await expect.poll(() => acked.size, { timeout: 60_000 }).toBeGreaterThan(ackedAtRestart + 200);
    stop = true;
    await Promise.all(writers);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
    }
    for (const [key, n] of acked) expect((await store.get('identities', key))?.doc, key).toEqual({ n });
    // The LISTEN connection came back too (it wakes on reconnection, as notifications may have been missed).
    await expect.poll(() => wakes, { timeout: 30_000 }).toBeGreaterThan(wakesWhileDown);
    await store.close();
  });
});
