// Claim-and-check throughput with the real check worker: due BYODKIM identities in PostgreSQL, each
// claimed in a batch, its key record asked of Knot over UDP (a socket pool, 64 in flight per worker),
// verified, and completed at its claimed version.

import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { keyRecordAt } from '../src/core/key-record/format.js';
import { createZoneResolver, parsePrivateKey, toSesPrivateKey } from '../src/index.js';
import { createUdpResolver } from '../src/node.js';
import { openPostgresStore } from '../src/postgres.js';
import { createCheckWorker } from '../src/ses/check-worker.js';
import { splitRecord } from '../src/ses/document-identities.js';
import { createBackendState } from '../src/ses/state.js';
import { createSesV2Backend } from '../src/ses.js';
import { knotAvailable, startKnot, txtData, zoneFile } from '../test/helpers/knot.js';
import type { PostgresServer } from '../test/helpers/postgres.js';
import { type CaseResult, sampleRssGrowth } from './harness.js';

const ZONE = 'bench.example';
const BATCH = 200;

/** One identity's document and secret, as the SES backend writes them, with TEMPLATE for its name. */
async function template(pem: string): Promise<string> {
  const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => 1 });
  await backend.createEmailIdentity({
    EmailIdentity: `template.${ZONE}`,
    DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: pem },
  });
  const [record] = (await backend.snapshot()).identities;
  if (!record) throw new Error('no template');
  return JSON.stringify(splitRecord(record).doc).replaceAll(`template.${ZONE}`, 'TEMPLATE');
}

async function load(client: pg.Client, identities: number, pem: string): Promise<void> {
  await client.query(
    `INSERT INTO checks.identities (key, state, version, next_check_at)
     SELECT 'us-east-1/d' || i || '.${ZONE}', replace($1, 'TEMPLATE', 'd' || i || '.${ZONE}')::json, 1, 1
     FROM generate_series(1, $2::int) AS i`,
    [await template(pem), identities],
  );
  await client.query(
    `INSERT INTO checks.secrets (key, doc, version)
     SELECT 'us-east-1/d' || i || '.${ZONE}', json_build_object('privateKey', $1::text), 1
     FROM generate_series(1, $2::int) AS i`,
    [pem, identities],
  );
}

/** Drains every due identity with `workers` check workers (a pool each); checks/s and peak RSS growth. */
async function drain(url: string, server: string, workers: number) {
  const resolver = createUdpResolver({ servers: [server], timeout: 2000, attempts: 3, pool: {} });
  const state = createBackendState({ resolver, now: Date.now, checkTimeoutMs: 15_000 });
  const stores = await Promise.all(
    Array.from({ length: workers }, () =>
      openPostgresStore({ connectionString: url, schema: 'checks', maxConnections: 4 }),
    ),
  );
  const rss = sampleRssGrowth();
  const started = performance.now();
  const counts = await Promise.all(
    stores.map((store, i) =>
      createCheckWorker({ store, stateFor: () => state, batchSize: BATCH, concurrency: 64, workerId: `w${i}` }).drain(),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const rssGrowthMiB = rss.stop();
  await Promise.all(stores.map((store) => store.close()));
  await resolver.close?.();
  const checked = counts.reduce((a, b) => a + b, 0);
  return { checked, perSecond: checked / seconds, rssGrowthMiB };
}

/** The real-check case: identities verified against Knot, 1, 2 and 4 workers in this process. */
export async function checkWorkerCase(server: PostgresServer, identities: number): Promise<CaseResult | undefined> {
  if (!knotAvailable()) {
    console.log('stores: knotd is not installed; the real-check case is skipped\n');
    return undefined;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const parsed = parsePrivateKey(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
  const record = keyRecordAt(`s1._domainkey.x.${ZONE}`, parsed);
  const knot = await startKnot({ [ZONE]: zoneFile(ZONE, [`*.${ZONE}. TXT ${txtData(record.strings)}`]) });
  const client = new pg.Client(server.url);
  await client.connect();
  try {
    await (await openPostgresStore({ connectionString: server.url, schema: 'checks' })).close();
    const results: CaseResult['results'][number][] = [];
    for (const workers of [1, 2, 4]) {
      // Every run starts from the same due, never-checked identities.
      await client.query('TRUNCATE checks.identities, checks.secrets');
      await load(client, identities, toSesPrivateKey(parsed));
      await client.query('VACUUM ANALYZE checks.identities');
      const run = await drain(server.url, knot.server, workers);
      if (run.checked !== identities) throw new Error(`checked ${run.checked} of ${identities}`);
      console.log(`  real checks, ${workers} worker(s): peak RSS growth ${run.rssGrowthMiB.toFixed(1)} MiB`);
      results.push({
        name: `${workers} worker(s), batches of ${BATCH}`,
        perSecond: run.perSecond,
        samples: [run.perSecond],
      });
    }
    return {
      suite: 'stores',
      case: `PostgreSQL claim-and-check, ${identities.toLocaleString('en-US')} BYODKIM identities, DNS from Knot`,
      unit: 'checks',
      results,
    };
  } finally {
    await client.end();
    await knot.stop();
  }
}
