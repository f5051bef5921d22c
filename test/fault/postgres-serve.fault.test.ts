// Faults of `serve --store postgres://...` with real processes, a real PostgreSQL and Knot: a server killed with
// checks claimed, a database restart mid-run, and two servers writing one identity at once.
import { createSocket, type Socket } from 'node:dgram';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyRecordAt } from '../../src/core/key-record/format.js';
import { parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';
import { type KnotServer, knotAvailable, startKnot, txtData, zoneFile } from '../helpers/knot.js';
import { type PostgresServer, postgresAvailable, startPostgres } from '../helpers/postgres.js';
import { call, type ServeProcess, startServe } from './serve-process.js';

const parsed = parsePrivateKey(keyFile('rsa1024.pkcs1.der'));
const byoKey = toSesPrivateKey(parsed);
const ZONE = 'pg.example';
const ready = postgresAvailable() && knotAvailable();
let postgres: PostgresServer;
let knot: KnotServer;
let silent: Socket;
let silentAddress: string;

beforeAll(async () => {
  if (!ready) return;
  postgres = await startPostgres();
  // Every dN.pg.example has the key at s1._domainkey: one wildcard answers them all.
  const record = keyRecordAt(`s1._domainkey.x.${ZONE}`, parsed);
  knot = await startKnot({ [ZONE]: zoneFile(ZONE, [`*.${ZONE}. TXT ${txtData(record.strings)}`]) });
  // A DNS server that never answers: a process using it is stuck mid-check with its claims.
  silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  silentAddress = `127.0.0.1:${silent.address().port}`;
});

afterAll(async () => {
  if (!ready) return;
  silent.close();
  await knot.stop();
  await postgres.destroy();
});

/** Each test starts from an empty database: serve migrates it on start. */
async function sql<Row>(text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

const create = (url: string, name: string) =>
  call(url, 'POST', '/v2/email/identities', {
    EmailIdentity: name,
    DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: byoKey },
  });

const until = async (condition: () => Promise<boolean>, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const versions = async () =>
  sql<{ key: string; version: string; lease_owner: string | null }>(
    'SELECT key, version, lease_owner FROM dkim_engine.identities ORDER BY key',
  );

describe.runIf(ready || process.env.CI === 'true')('serve --store postgres: faults', () => {
  it('two servers: one killed with its checks claimed, the other finishes them, one transition each', async () => {
    await sql('DROP SCHEMA IF EXISTS dkim_engine CASCADE');
    const url = postgres.url;
    const names = Array.from({ length: 20 }, (_, i) => `d${i}.${ZONE}`);
    const b = await startServe(['--store', url, '--resolver', knot.server, '--checks', 'none']);
    let a: ServeProcess | undefined;
    try {
      for (const name of names) expect((await create(b.url, name)).status).toBe(200);
      // A checks on the cadence, but its DNS never answers: it claims every check and hangs in them.
      a = await startServe(['--store', url, '--resolver', silentAddress, '--lease-ms', '3000']);
      await until(async () => (await versions()).every((row) => row.lease_owner !== null));
      await a.kill('SIGKILL');
      // A's leases still run: B takes none of them yet.
      expect((await call(b.url, 'POST', '/_dkim-engine/check')).body).toEqual({ checked: 0 });
      await new Promise((resolve) => setTimeout(resolve, 3_200));
      expect((await call(b.url, 'POST', '/_dkim-engine/check')).body).toEqual({ checked: 20 });
      // Exactly one transition per observation: created at version 1, one applied check makes 2.
      expect((await versions()).map((row) => Number(row.version))).toEqual(names.map(() => 2));
      for (const name of names) {
        const got = await call(b.url, 'GET', `/v2/email/identities/${name}`);
        expect((got.body.DkimAttributes as { Status: string }).Status).toBe('SUCCESS');
      }
      expect((await call(b.url, 'POST', '/_dkim-engine/check')).body).toEqual({ checked: 0 });
    } finally {
      await a?.kill('SIGKILL');
      await b.kill('SIGTERM');
    }
  });

  it('PostgreSQL restarts mid-run: 503s meanwhile, both servers recover, nothing lost or checked twice', async () => {
    await sql('DROP SCHEMA IF EXISTS dkim_engine CASCADE');
    const url = postgres.url;
    const servers = [
      await startServe(['--store', url, '--resolver', knot.server, '--lease-ms', '3000']),
      await startServe(['--store', url, '--resolver', knot.server, '--lease-ms', '3000']),
    ];
    const acked = new Set<string>();
    const unavailable = new Set<number>();
    let n = 0;
    // Like an SDK: retry a 5xx; AlreadyExists on a retry means the first attempt was committed.
    const writeOne = async () => {
      const name = `r${n++}.${ZONE}`;
      for (let attempt = 0; ; attempt++) {
        const server = (n + attempt) % 2;
        const result = await create(servers[server]?.url ?? '', name).catch(() => null);
        if (result?.status === 200 || (attempt > 0 && result?.type === 'AlreadyExistsException')) {
          acked.add(name);
          return;
        }
        if (result?.status === 503) {
          expect(result.type).toBe('ServiceUnavailable');
          unavailable.add(server);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      for (let i = 0; i < 10; i++) await writeOne();
      await postgres.stop('immediate');
      for (const [i, server] of servers.entries()) {
        const answer = await call(server.url, 'GET', '/v2/email/identities');
        expect(answer.status).toBe(503);
        unavailable.add(i);
      }
      const during = Array.from({ length: 4 }, writeOne);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await postgres.start();
      await Promise.all(during);
      for (let i = 0; i < 10; i++) await writeOne();
      expect([...unavailable].sort()).toEqual([0, 1]);
      // Both recover: their APIs answer, and their workers check everything.
      await until(async () => (await versions()).every((row) => Number(row.version) >= 2), 60_000);
      const rows = await versions();
      const stored = new Set(rows.map((row) => row.key.slice('us-east-1/'.length)));
      expect([...acked].filter((name) => !stored.has(name))).toEqual([]);
      // One applied check per identity for its one due time: version 1 created, version 2 checked.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await versions()).filter((row) => Number(row.version) !== 2)).toEqual([]);
      for (const server of servers) expect((await call(server.url, 'GET', '/v2/email/identities')).status).toBe(200);
    } finally {
      for (const server of servers) await server.kill('SIGTERM');
    }
  });

  it('two servers updating one identity at once: exactly one wins, the other gets ConcurrentModificationException', async () => {
    await sql('DROP SCHEMA IF EXISTS dkim_engine CASCADE');
    const url = postgres.url;
    const a = await startServe(['--store', url, '--resolver', knot.server, '--checks', 'none']);
    const b = await startServe(['--store', url, '--resolver', knot.server, '--checks', 'none']);
    const lock = new pg.Client({ connectionString: postgres.url });
    await lock.connect();
    try {
      expect((await create(a.url, `both.${ZONE}`)).status).toBe(200);
      // Hold the row so both servers read version 1 and then queue their writes behind the lock.
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM dkim_engine.identities WHERE key = $1 FOR UPDATE', [`us-east-1/both.${ZONE}`]);
      const arn = `arn:aws:ses:us-east-1:000000000000:identity/both.${ZONE}`;
      const writes = [a, b].map((server, i) =>
        call(server.url, 'POST', '/v2/email/tags', { ResourceArn: arn, Tags: [{ Key: 'by', Value: `server${i}` }] }),
      );
      await until(async () => {
        const waiting = await sql<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE%'",
        );
        return Number(waiting[0]?.n) === 2;
      });
      await lock.query('COMMIT');
      const results = await Promise.all(writes);
      expect(results.map((r) => r.status).sort()).toEqual([200, 500]);
      const loser = results.find((r) => r.status === 500);
      expect(loser?.body.message ?? loser?.body.Message).toMatch(/modified by another operation/);
      expect(loser?.type).toBe('ConcurrentModificationException');
      const tags = await call(a.url, 'GET', `/v2/email/tags?ResourceArn=${encodeURIComponent(arn)}`);
      expect((tags.body.Tags as { Key: string }[]).filter((t) => t.Key === 'by')).toHaveLength(1);
    } finally {
      await lock.end();
      await a.kill('SIGTERM');
      await b.kill('SIGTERM');
    }
  });
});
