// Storage engines: file store writes/s with fsync (1 and 64 in flight), and PostgreSQL
// claim-and-complete throughput over 100,000 due identities with 1, 2 and 4 workers and a
// constant-time fake check, then the real check worker with DNS from Knot. Run alone: `node --expose-gc --import tsx bench/stores.bench.ts [--quick]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openFileStore } from '../src/node/file-store.js';
import { openPostgresStore } from '../src/postgres.js';
import { postgresAvailable, startPostgres } from '../test/helpers/postgres.js';
import { checkWorkerCase } from './check-worker.bench.js';
import { type CaseResult, formatCase, type MeasureOptions, measure, sampleRssGrowth } from './harness.js';

const identityDoc = (n: number) => ({
  identity: `d${n}.example`,
  dkim: { status: 'SUCCESS', tokens: ['a1b2c3d4e5f6', 'b2c3d4e5f6a1', 'c3d4e5f6a1b2'], origin: 'AWS_SES' },
  verifiedForSendingStatus: true,
  lastCheckedAt: 1_700_000_000_000 + n,
});

async function fileStoreCase(options: MeasureOptions): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-bench-file-'));
  const store = await openFileStore(join(dir, 'state.dkim'));
  try {
    let n = 0;
    const put = () => store.put('identities', `d${n % 10_000}.example`, identityDoc(n++), { nextCheckAt: n });
    const results = await measure(
      [
        { name: 'put, 1 in flight', run: put },
        {
          name: 'put, 64 in flight (group commit)',
          run: () => Promise.all(Array.from({ length: 64 }, put)),
          unitsPerRun: 64,
        },
      ],
      options,
    );
    return { suite: 'stores', case: 'file store writes, fsync before acknowledgement', unit: 'writes', results };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Drains every due identity with `workers` stores (one pool each); returns checks/s and peak RSS growth. */
async function drain(url: string, schema: string, workers: number, batch: number) {
  const stores = await Promise.all(
    Array.from({ length: workers }, () => openPostgresStore({ connectionString: url, schema, maxConnections: 2 })),
  );
  const rss = sampleRssGrowth();
  const started = performance.now();
  let checked = 0;
  const now = Date.now();
  const work = async (store: (typeof stores)[number], id: string) => {
    for (;;) {
      const claims = await store.claimDue(now, batch, 30_000, id);
      if (claims.length === 0) return;
      // The fake check: constant time, a new state and the next due time an hour on.
      const items = claims.map((claim) => ({
        key: claim.key,
        claimedVersion: claim.version,
        doc: { ...(claim.doc as object), lastCheckedAt: now },
        nextCheckAt: now + 3_600_000,
      }));
      const outcomes = await store.completeMany(items);
      checked += outcomes.filter((outcome) => outcome.status === 'applied').length;
    }
  };
  await Promise.all(stores.map((store, i) => work(store, `worker-${i}`)));
  const seconds = (performance.now() - started) / 1000;
  const rssGrowthMiB = rss.stop();
  await Promise.all(stores.map((store) => store.close()));
  return { checked, perSecond: checked / seconds, rssGrowthMiB };
}

async function postgresCases(quick: boolean): Promise<CaseResult[]> {
  if (!postgresAvailable()) {
    console.log('stores: PostgreSQL is not installed (apt-get install postgresql); skipped\n');
    return [];
  }
  const identities = quick ? 10_000 : 100_000;
  const server = await startPostgres({ fsync: true });
  try {
    const schema = 'bench';
    await (await openPostgresStore({ connectionString: server.url, schema })).close();
    const client = new pg.Client(server.url);
    await client.connect();
    await client.query(
      `INSERT INTO bench.identities (key, state, version, next_check_at)
       SELECT 'd' || i || '.example', json_build_object('identity', 'd' || i || '.example', 'dkim',
         json_build_object('status', 'PENDING', 'tokens', json_build_array('a1b2c3', 'b2c3d4', 'c3d4e5'))), 1, i
       FROM generate_series(1, $1::int) AS i`,
      [identities],
    );
    const results: CaseResult['results'][number][] = [];
    for (const workers of [1, 2, 4]) {
      await client.query('UPDATE bench.identities SET next_check_at = 1, lease_until = NULL, lease_owner = NULL');
      await client.query('VACUUM ANALYZE bench.identities');
      const run = await drain(server.url, schema, workers, 200);
      if (run.checked !== identities) throw new Error(`checked ${run.checked} of ${identities}`);
      console.log(`  ${workers} worker(s): peak RSS growth ${run.rssGrowthMiB.toFixed(1)} MiB`);
      results.push({
        name: `${workers} worker(s), batches of 200`,
        perSecond: run.perSecond,
        samples: [run.perSecond],
      });
    }
    await client.end();
    const fake: CaseResult = {
      suite: 'stores',
      case: `PostgreSQL claim-and-complete, ${identities.toLocaleString('en-US')} due identities, fake check`,
      unit: 'checks',
      results,
    };
    const real = await checkWorkerCase(server, identities);
    return real ? [fake, real] : [fake];
  } finally {
    await server.destroy();
  }
}

/** The storage suite, in the shape bench/run.ts expects. */
export async function storeSuite(options: MeasureOptions & { quick?: boolean }): Promise<CaseResult[]> {
  const results = [await fileStoreCase(options)];
  results.push(...(await postgresCases(options.quick ?? false)));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const options = quick ? { roundMs: 100, rounds: 3, quick } : { roundMs: 1000, rounds: 5, quick };
  for (const result of await storeSuite(options)) console.log(`${formatCase(result)}\n`);
}
