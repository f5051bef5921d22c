// Two emulator servers sharing one PostgreSQL (the scale-out of issue 19): what one makes or deletes
// — a configuration set, a sent message, an Easy DKIM identity's keys, the amazonses.com key — the
// other serves without a restart, also after its LISTEN connection was lost.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyMessage } from '../../src/core/signature/verify.js';
import { createUdpResolver } from '../../src/dns/node/udp.js';
import { createRoutingResolver } from '../../src/dns/routing.js';
import { createZoneResolver } from '../../src/dns/zone.js';
import { openPostgresStore, type PostgresStore } from '../../src/postgres.js';
import { providerHostedZones } from '../../src/ses/node/regions.js';
import { type SesServer, startSesServer } from '../../src/ses/node/server.js';
import type { SentEmail } from '../../src/ses/sending/outbox.js';
import { call } from '../fault/serve-process.js';
import { type PostgresServer, postgresAvailable, startPostgres } from '../helpers/postgres.js';

const available = postgresAvailable();
let postgres: PostgresServer;
const stores: PostgresStore[] = [];
let a: SesServer;
let b: SesServer;
/** The customer's DNS, shared by both servers: where the Easy DKIM CNAMEs go. */
const customer = createZoneResolver();

async function startNode(): Promise<SesServer> {
  const store = await openPostgresStore({ connectionString: postgres.url, reconnect: { initialMs: 50, maxMs: 200 } });
  stores.push(store);
  return startSesServer({ resolver: customer, dnsPort: 0, store, checks: 'none' });
}

beforeAll(async () => {
  if (!available) return;
  postgres = await startPostgres();
  a = await startNode();
  b = await startNode();
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await Promise.all(stores.map((store) => store.close()));
  await postgres?.destroy();
});

/** Polls `read` until `test` holds, with a deadline. */
async function eventually<T>(read: () => Promise<T>, test: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`not seen in time: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const configurationSet = (server: SesServer, name: string) =>
  call(server.url, 'GET', `/v2/email/configuration-sets/${name}`).then((r) => r.status);

async function outbox(server: SesServer): Promise<SentEmail[]> {
  return ((await (await fetch(`${server.url}/_aws/ses`)).json()) as { messages: SentEmail[] }).messages;
}

/** The TXT strings `server`'s DNS port answers at `name` (empty: none). */
async function txt(server: SesServer, name: string): Promise<string[][]> {
  const resolver = createUdpResolver({ servers: [server.dnsAddress as string], timeout: 1000, attempts: 2 });
  try {
    const answer = await resolver.resolve(name, 'TXT');
    const text = new TextDecoder();
    return answer.kind === 'records' ? answer.records.map((record) => record.map((s) => text.decode(s))) : [];
  } finally {
    await resolver.close?.();
  }
}

/** The signatures of `raw` as a receiver sees them: the customer's DNS, and `server`'s DNS port for the provider zones. */
async function verifiedOn(server: SesServer, raw: string): Promise<string[][]> {
  const provider = createUdpResolver({ servers: [server.dnsAddress as string], timeout: 1000, attempts: 2 });
  try {
    const resolver = createRoutingResolver([{ zones: providerHostedZones(), resolver: provider }], customer);
    return (await verifyMessage(raw, resolver)).signatures.map((s) => [s.domain, s.result]);
  } finally {
    await provider.close?.();
  }
}

/** Creates configuration set `name` through server A and waits until server B serves it. */
async function createSeenByB(name: string): Promise<void> {
  expect((await call(a.url, 'POST', '/v2/email/configuration-sets', { ConfigurationSetName: name })).status).toBe(200);
  await eventually(
    () => configurationSet(b, name),
    (status) => status === 200,
  );
}

describe.skipIf(!available)('two servers over one PostgreSQL', () => {
  it('B sees A’s configuration sets, sent mail and Easy DKIM keys without a restart, and their deletion', async () => {
    await createSeenByB('shared');

    const created = await call(a.url, 'POST', '/v2/email/identities', { EmailIdentity: 'easy.shared.example' });
    expect(created.status).toBe(200);
    const tokens = (created.body.DkimAttributes as { Tokens: string[] }).Tokens;
    expect(tokens).toHaveLength(3);
    const names = tokens.map((token) => `${token}.dkim.amazonses.com`);
    const onA = await Promise.all(names.map((name) => txt(a, name)));
    expect(onA.every((records) => records.length === 1)).toBe(true);
    await eventually(
      () => Promise.all(names.map((name) => txt(b, name))),
      (onB) => JSON.stringify(onB) === JSON.stringify(onA),
    );

    // A verified sender: the email address identity confirmed as its owner would.
    expect(
      (await call(a.url, 'POST', '/v2/email/identities', { EmailIdentity: 'me@send.shared.example' })).status,
    ).toBe(200);
    expect(
      (await call(a.url, 'POST', '/_dkim-engine/confirm', { emailAddress: 'me@send.shared.example' })).status,
    ).toBe(200);
    const sent = await call(a.url, 'POST', '/v2/email/outbound-emails', {
      FromEmailAddress: 'me@send.shared.example',
      Destination: { ToAddresses: ['you@example.org'] },
      Content: { Simple: { Subject: { Data: 'from A' }, Body: { Text: { Data: 'seen on B' } } } },
    });
    expect([sent.status, sent.body.message]).toEqual([200, undefined]);
    const [message] = await eventually(
      () => outbox(b),
      (messages) => messages.length === 1,
    );
    expect(message).toEqual((await outbox(a))[0]);
    expect(message?.Id).toBe(sent.body.MessageId);
    // B's DNS answers for the amazonses.com key A signed with.
    await eventually(
      () => verifiedOn(b, message?.RawData as string),
      (results) => JSON.stringify(results) === JSON.stringify([['amazonses.com', 'pass']]),
    );

    // The Easy DKIM identity verified on A (its CNAMEs in the customer's DNS) signs mail sent through B,
    // and B's DNS answers for its keys.
    for (const token of tokens) {
      customer.set(`${token}._domainkey.easy.shared.example`, 'CNAME', `${token}.dkim.amazonses.com`);
    }
    expect((await call(a.url, 'POST', '/_dkim-engine/check')).status).toBe(200);
    const viaB = await call(b.url, 'POST', '/v2/email/outbound-emails', {
      FromEmailAddress: 'me@easy.shared.example',
      Destination: { ToAddresses: ['you@example.org'] },
      Content: { Simple: { Subject: { Data: 'from B' }, Body: { Text: { Data: 'signed by A’s keys' } } } },
    });
    expect([viaB.status, viaB.body.message]).toEqual([200, undefined]);
    const fromB = (await outbox(b)).find((m) => m.Id === viaB.body.MessageId);
    expect(await verifiedOn(b, fromB?.RawData as string)).toEqual([
      ['easy.shared.example', 'pass'],
      ['amazonses.com', 'pass'],
    ]);
    await eventually(
      () => outbox(a),
      (messages) => messages.length === 2,
    );
    expect((await fetch(`${a.url}/_aws/ses?id=${viaB.body.MessageId}`, { method: 'DELETE' })).status).toBe(204);

    expect((await call(a.url, 'DELETE', '/v2/email/configuration-sets/shared')).status).toBe(200);
    expect((await call(a.url, 'DELETE', '/v2/email/identities/easy.shared.example')).status).toBe(200);
    expect((await fetch(`${a.url}/_aws/ses?id=${message?.Id}`, { method: 'DELETE' })).status).toBe(204);
    await eventually(
      () => configurationSet(b, 'shared'),
      (status) => status === 404,
    );
    await eventually(
      () => Promise.all(names.map((name) => txt(b, name))),
      (onB) => onB.every((records) => records.length === 0),
    );
    await eventually(
      () => outbox(b),
      (messages) => messages.length === 0,
    );
  });

  it('B catches up on what changed while its LISTEN connection was lost', async () => {
    await createSeenByB('before');
    const client = new pg.Client(postgres.url);
    await client.connect();
    try {
      // Both servers' listeners go; the changes right after are made before they are back.
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'`);
    } finally {
      await client.end();
    }
    expect((await call(a.url, 'DELETE', '/v2/email/configuration-sets/before')).status).toBe(200);
    expect((await call(a.url, 'POST', '/v2/email/configuration-sets', { ConfigurationSetName: 'after' })).status).toBe(
      200,
    );
    await eventually(
      () => Promise.all([configurationSet(b, 'before'), configurationSet(b, 'after')]),
      (statuses) => statuses[0] === 404 && statuses[1] === 200,
    );
  });

  it('a server started later publishes the amazonses.com key the others sign with before it sends anything', async () => {
    const sent = await call(a.url, 'POST', '/v2/email/outbound-emails', {
      FromEmailAddress: 'me@send.shared.example',
      Destination: { ToAddresses: ['you@example.org'] },
      Content: { Simple: { Subject: { Data: 'before C' }, Body: { Text: { Data: 'C starts later' } } } },
    });
    expect(sent.status).toBe(200);
    const c = await startNode();
    try {
      const message = (await outbox(c)).find((m) => m.Id === sent.body.MessageId);
      expect(await verifiedOn(c, message?.RawData as string)).toEqual([['amazonses.com', 'pass']]);
    } finally {
      await c.close();
    }
  });
});
