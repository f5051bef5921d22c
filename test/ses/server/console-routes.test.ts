// The console's routes on startSesServer: the built files, the identities view (no private key), the status history,
// the event stream (ending at shutdown), DoH over the server's routing resolver, and the schema check of history.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createDohResolver,
  createZoneResolver,
  dkimTxtRecord,
  easyDkimRecords,
  parsePrivateKey,
  toSesPrivateKey,
} from '../../../src/index.js';
import { createConsoleMounts } from '../../../src/ses/node/console-routes.js';
import type { ConsoleIdentities } from '../../../src/ses/node/console-view.js';
import { type SesServer, startSesServer } from '../../../src/ses/node/server.js';
import { createSesV2Backend } from '../../../src/ses.js';
import { keyFile } from '../../../vectors/load.js';

const T0 = Date.UTC(2026, 11, 1);
const built = mkdtempSync(join(tmpdir(), 'dkim-engine-console-files-'));
writeFileSync(join(built, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(join(built, 'console.js'), 'export {};');
writeFileSync(join(built, 'console.css'), 'body{}');
const pem = new TextDecoder().decode(keyFile('rsa2048.pkcs1.pem'));

let servers: SesServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});
afterAll(() => rmSync(built, { recursive: true, force: true }));

async function start(customer = createZoneResolver(), directory = built) {
  const server = await startSesServer({
    resolver: customer,
    now: () => T0,
    tokenSecret: 'console',
    closeGraceMs: 10_000,
    mounts: createConsoleMounts({ directory, events: { intervalMs: 20 } }),
  });
  servers.push(server);
  return server;
}

const post = (server: SesServer, path: string, body: unknown, method = 'POST') =>
  fetch(`${server.url}${path}`, { method, body: JSON.stringify(body) }).then((r) => r.json());
const identities = (server: SesServer, query = '') =>
  fetch(`${server.url}/_dkim-engine/identities${query}`).then(async (r) => ({
    status: r.status,
    text: await r.text(),
  }));

describe('the console routes', () => {
  it('serve the built files with their types, HEAD without a body, and 503 when the page is not built', async () => {
    const server = await start();
    const js = await fetch(`${server.url}/console.js`);
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'export {};',
    ]);
    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '31', '']);
    const missing = await start(createZoneResolver(), join(built, 'absent'));
    const answer = await fetch(`${missing.url}/`);
    expect([answer.status, ((await answer.json()) as { message: string }).message]).toEqual([
      503,
      'The console is not built: run npm run build.',
    ]);
  });

  it('leave / with an Action query and every other method to the SES routers', async () => {
    const server = await start();
    expect((await fetch(`${server.url}/?Action=ListIdentities`)).headers.get('content-type')).not.toContain('html');
    expect((await fetch(`${server.url}/console.js`, { method: 'DELETE' })).headers.get('x-amzn-errortype')).toBe(
      'UnknownOperationException',
    );
  });

  it('list a BYODKIM identity with its TXT record and public key, never the private key', async () => {
    const server = await start();
    const key = parsePrivateKey(pem);
    await post(server, '/v2/email/identities', {
      EmailIdentity: 'byo.example',
      DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: toSesPrivateKey(key) },
    });
    const { status, text } = await identities(server);
    expect(status).toBe(200);
    expect(text).not.toContain(toSesPrivateKey(key).slice(0, 120));
    const view = (JSON.parse(text) as ConsoleIdentities).identities[0];
    const record = dkimTxtRecord(key, { domain: 'byo.example', selector: 's1' });
    expect(view?.records).toEqual([
      { kind: 'dkim', name: record.name, type: 'TXT', value: record.value, zone: record.zone },
    ]);
    expect(view?.checks.dkim).toEqual({
      kind: 'byodkim',
      domain: 'byo.example',
      selector: 's1',
      key: Buffer.from(key.spki).toString('base64'),
    });
    expect(view?.verifications.dkim?.status).toBe('PENDING');
  });

  it('keep the status changes a check makes, and answer 400 for a region that is not one', async () => {
    const customer = createZoneResolver();
    const server = await start(customer);
    const created = (await post(server, '/v2/email/identities', { EmailIdentity: 'easy.example' })) as {
      DkimAttributes: { Tokens: string[] };
    };
    for (const r of easyDkimRecords({ domain: 'easy.example', tokens: created.DkimAttributes.Tokens })) {
      customer.set(r.name, 'CNAME', r.value);
    }
    await server.checkAll();
    const view = (JSON.parse((await identities(server, '?region=us-east-1')).text) as ConsoleIdentities).identities;
    expect(view[0]?.history).toEqual([{ at: T0, kind: 'dkim', from: 'PENDING', to: 'SUCCESS', outcome: 'MATCH' }]);
    expect(view[0]?.records.map((r) => r.type)).toEqual(['CNAME', 'CNAME', 'CNAME']);
    expect((await identities(server, '?region=mars-1')).status).toBe(400);
  });

  it('answer DoH from the provider zone and, for other names, the customer resolver', async () => {
    const customer = createZoneResolver();
    customer.set('_amazonses.customer.example', 'TXT', [['token']]);
    const server = await start(customer);
    const created = (await post(server, '/v2/email/identities', { EmailIdentity: 'doh.example' })) as {
      DkimAttributes: { Tokens: string[] };
    };
    const doh = createDohResolver({ url: `${server.url}/dns-query` });
    const provider = await doh.resolve(`${created.DkimAttributes.Tokens[0]}.dkim.amazonses.com`, 'TXT');
    expect(provider.kind).toBe('records');
    expect((await doh.resolve('_amazonses.customer.example', 'TXT')).kind).toBe('records');
  });

  it('stream a change event when an identity changes, and end the stream as shutdown starts', async () => {
    const server = await start();
    const received: string[] = [];
    const ended = new Promise<void>((resolve) => {
      get(`${server.url}/_dkim-engine/events`, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        res.on('data', (chunk: Buffer) => received.push(chunk.toString()));
        res.on('end', resolve);
      });
    });
    await expect.poll(() => received.join('')).toContain('event: change');
    const before = received.length;
    await post(server, '/v2/email/identities', { EmailIdentity: 'live.example' });
    await expect.poll(() => received.slice(before).join('')).toContain('event: change');
    const started = Date.now();
    await Promise.all([server.close(), ended]);
    expect(Date.now() - started).toBeLessThan(2000); // not the 10 s grace of in-flight requests
  });

  it('refuse a restored snapshot whose history is not one the checks write', async () => {
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    await backend.createEmailIdentity({ EmailIdentity: 'h.example' });
    const snapshot = await backend.snapshot();
    const bad = { ...snapshot.identities[0], history: [{ at: 'yesterday', kind: 'dkim', from: 'X', to: 'Y' }] };
    const other = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    await expect(other.restore({ ...snapshot, formatVersion: 1, identities: [bad] } as never)).rejects.toThrow(
      /history is not a status history/,
    );
  });
});
