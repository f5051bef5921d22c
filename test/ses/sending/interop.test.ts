// Mail sent through SES v1 by awscli, boto3 and @aws-sdk/client-ses (and v2 SendEmail), read back from
// GET /_aws/ses, and every signature verified by dkimpy and Mail::DKIM with keys from real DNS: Knot serves
// the customer zones (Easy DKIM CNAMEs, a BYODKIM key), our zone server the provider zone (token keys and
// the amazonses.com key), so Easy DKIM mail verifies through CNAME -> provider zone -> key.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { easyDkimRecords } from '../../../src/core/easy-dkim.js';
import { generateDkimKey } from '../../../src/core/generate.js';
import { keyRecordAt } from '../../../src/core/key-record/format.js';
import { startZoneServer, type ZoneServer } from '../../../src/dns/node/server.js';
import { createUdpResolver } from '../../../src/dns/node/udp.js';
import type { Resolver } from '../../../src/dns/types.js';
import { createZoneResolver } from '../../../src/dns/zone.js';
import { createSesBackend, type SesBackend } from '../../../src/ses/emulator-backend.js';
import { createSesOutboxListener, OUTBOX_PATH } from '../../../src/ses/node/outbox-listener.js';
import { createSesV1RequestListener } from '../../../src/ses/node/v1-listener.js';
import type { SentEmail } from '../../../src/ses/sending/outbox.js';
import type { SesV1Backend } from '../../../src/ses/v1/operations.js';
import { type KnotServer, knotAvailable, startKnot, txtData, zoneFile } from '../../helpers/knot.js';
import { awsCli, boto3, clientsAvailable, startHttp } from '../v1/harness.js';

type Verdict = { domain: string; selector: string; result: string; detail: string };

let knot: KnotServer;
let providerDns: ZoneServer;
let backend: SesBackend;
let http: Awaited<ReturnType<typeof startHttp>>;
const tokens: Record<string, string[]> = {};

/** Runs a verifier asynchronously: the provider zone's DNS server answers from this process's event loop. */
async function verifyWith(program: string, script: string, messages: readonly string[]): Promise<Verdict[][]> {
  const [address, port] = [providerDns.address, providerDns.port];
  const request = {
    servers: [
      { suffix: 'amazonses.com', address, port },
      { suffix: '', address: '127.0.0.1', port: knot.port },
    ],
    messages: messages.map((m) => Buffer.from(m, 'utf8').toString('base64')),
  };
  const child = spawn(program, [join(import.meta.dirname, 'verifiers', script)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(JSON.stringify(request));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`);
  return JSON.parse(Buffer.concat(chunks).toString()) as Verdict[][];
}

async function outbox(query = ''): Promise<SentEmail[]> {
  const response = await fetch(`${http.url}${OUTBOX_PATH}${query}`);
  return ((await response.json()) as { messages: SentEmail[] }).messages;
}

const runs = knotAvailable() && clientsAvailable();

beforeAll(async () => {
  if (!runs) return;
  const providerZone = createZoneResolver();
  providerDns = await startZoneServer(providerZone);
  let customer: Resolver | undefined;
  const resolver: Resolver = {
    resolve: (name, type) =>
      /(^|\.)amazonses\.com\.?$/i.test(name)
        ? providerZone.resolve(name, type)
        : (customer as Resolver).resolve(name, type),
  };
  backend = createSesBackend({ resolver, providerZone });
  for (const domain of ['easy.test', 'off.test', 'pending.test']) {
    tokens[domain] = (await backend.createEmailIdentity({ EmailIdentity: domain })).DkimAttributes?.Tokens ?? [];
  }
  const byoKey = await generateDkimKey({ bits: 2048 });
  await backend.createEmailIdentity({
    EmailIdentity: 'byo.test',
    DkimSigningAttributes: { DomainSigningSelector: 'byo1', DomainSigningPrivateKey: byoKey.privateKey },
  });
  const cnames = (domain: string) =>
    easyDkimRecords({ domain, tokens: tokens[domain] as string[] }).map((r) => `${r.name}. CNAME ${r.value}.`);
  const byoRecord = keyRecordAt('byo1._domainkey.byo.test', byoKey.key);
  knot = await startKnot({
    'easy.test': zoneFile('easy.test', cnames('easy.test')),
    'off.test': zoneFile('off.test', cnames('off.test')),
    'pending.test': zoneFile('pending.test', []),
    'byo.test': zoneFile('byo.test', [`byo1._domainkey TXT ${txtData(byoRecord.strings)}`]),
  });
  customer = createUdpResolver({ servers: [knot.server], timeout: 1000, attempts: 2 });
  await backend.checkAll();
  await backend.putEmailIdentityDkimAttributes({ EmailIdentity: 'off.test', SigningEnabled: false });
  const v1 = createSesV1RequestListener(backend as unknown as SesV1Backend);
  const box = createSesOutboxListener(backend.outbox());
  http = await startHttp((req, res) => ((req.url ?? '').startsWith(OUTBOX_PATH) ? box(req, res) : v1(req, res)));
});

afterAll(async () => {
  await http?.close();
  await providerDns?.close();
  await knot?.stop();
});

describe.runIf(runs)('sent mail verifies with dkimpy and Mail::DKIM', () => {
  it('the identities are verified through Knot (Easy DKIM via the provider zone, BYODKIM)', async () => {
    for (const domain of ['easy.test', 'byo.test', 'off.test']) {
      expect((await backend.getEmailIdentity({ EmailIdentity: domain })).DkimAttributes.Status).toBe('SUCCESS');
    }
    expect((await backend.getEmailIdentity({ EmailIdentity: 'pending.test' })).DkimAttributes.Status).toBe('PENDING');
  });

  it('awscli send-email (text + HTML) and send-raw-email', async () => {
    const message = { Subject: { Data: 'Grüße' }, Body: { Text: { Data: 'Hallo' }, Html: { Data: '<p>Hallo</p>' } } };
    const sent = await awsCli(http.url, [
      'send-email',
      '--from',
      'Sender <news@easy.test>',
      '--destination',
      JSON.stringify({ ToAddresses: ['a@example.org'], BccAddresses: ['b@example.org'] }),
      '--message',
      JSON.stringify(message),
    ]);
    expect(sent).toEqual({ ok: true, json: { MessageId: expect.stringMatching(/^0100[0-9a-f]{12}-.*-000000$/) } });
    const raw = 'From: a@byo.test\r\nTo: c@example.org\r\nSubject: raw via cli\r\n\r\nraw body\r\n';
    const rawSent = await awsCli(http.url, [
      'send-raw-email',
      '--raw-message',
      JSON.stringify({ Data: Buffer.from(raw).toString('base64') }),
    ]);
    expect(rawSent.ok).toBe(true);
  });

  it('boto3 send_email and send_raw_email (SigningEnabled false: provider signature only)', async () => {
    const result = await boto3(
      http.url,
      [
        "a = ses.send_email(Source='x@off.test', Destination={'ToAddresses': ['d@example.org']},",
        "    Message={'Subject': {'Data': 'off'}, 'Body': {'Text': {'Data': 'no identity signature'}}})",
        "b = ses.send_raw_email(RawMessage={'Data': b'From: y@easy.test\\r\\nTo: e@example.org\\r\\nSubject: boto raw\\r\\n\\r\\nhi\\r\\n'})",
        "result = [a['MessageId'], b['MessageId']]",
      ].join('\n'),
    );
    expect(result).toEqual([expect.stringMatching(/-000000$/), expect.stringMatching(/-000000$/)]);
  });

  it('@aws-sdk/client-ses SendEmail and SendRawEmail, and v2 SendEmail through the backend', async () => {
    const ses = new SESClient({
      endpoint: http.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    await ses.send(
      new SendEmailCommand({
        Source: 'sdk@byo.test',
        Destination: { ToAddresses: ['f@example.org'] },
        Message: { Subject: { Data: 'sdk' }, Body: { Html: { Data: '<b>sdk</b>' } } },
      }),
    );
    await ses.send(
      new SendRawEmailCommand({
        RawMessage: {
          Data: new TextEncoder().encode('From: raw@easy.test\nTo: g@example.org\nSubject: lf\n\nbare LF\n'),
        },
      }),
    );
    await backend.sendEmail({
      FromEmailAddress: 'v2@easy.test',
      Destination: { ToAddresses: ['h@example.org'] },
      Content: { Simple: { Subject: { Data: 'v2' }, Body: { Text: { Data: 'v2 body' } } } },
    });
  });

  it('every message in GET /_aws/ses verifies: identity signature (when it signs) and amazonses.com', async () => {
    const messages = await outbox();
    expect(messages.map((m) => m.Source)).toEqual([
      'Sender <news@easy.test>',
      'a@byo.test',
      'x@off.test',
      'y@easy.test',
      'sdk@byo.test',
      'raw@easy.test',
      'v2@easy.test',
    ]);
    const expectedDomains = [
      ['easy.test', 'amazonses.com'],
      ['byo.test', 'amazonses.com'],
      ['amazonses.com'],
      ['easy.test', 'amazonses.com'],
      ['byo.test', 'amazonses.com'],
      ['easy.test', 'amazonses.com'],
      ['easy.test', 'amazonses.com'],
    ];
    const raw = messages.map((m) => m.RawData);
    const provider = await backend.providerSigner();
    for (const [name, verdicts] of [
      ['dkimpy', await verifyWith('/usr/bin/python3', 'dkimpy-dns.py', raw)],
      ['Mail::DKIM', await verifyWith('/usr/bin/perl', 'mail-dkim-dns.pl', raw)],
    ] as const) {
      expect(
        verdicts.map((signatures) => signatures.map((s) => s.domain)),
        name,
      ).toEqual(expectedDomains);
      expect(
        verdicts.flat().filter((s) => s.result !== 'pass'),
        name,
      ).toEqual([]);
      for (const [i, signatures] of verdicts.entries()) {
        const top = signatures[0] as Verdict;
        if (top.domain.endsWith('easy.test')) expect(tokens['easy.test']).toContain(top.selector);
        if (top.domain === 'byo.test') expect(top.selector).toBe('byo1');
        expect(signatures.at(-1)?.selector, `${name} message ${i}`).toBe(provider.selector);
      }
    }
  });

  it('filters by ?id= and ?email= as LocalStack does, and DELETE clears', async () => {
    const all = await outbox();
    const first = all[0] as SentEmail;
    expect(await outbox(`?id=${encodeURIComponent(first.Id)}`)).toEqual([first]);
    expect(first).toMatchObject({
      Region: 'us-east-1',
      Destination: { ToAddresses: ['a@example.org'], BccAddresses: ['b@example.org'] },
      Subject: 'Grüße',
      Body: { text_part: 'Hallo', html_part: '<p>Hallo</p>' },
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
    });
    expect(first.RawData).not.toContain('b@example.org'); // Bcc is never written
    expect((await outbox('?email=a@byo.test')).map((m) => m.Source)).toEqual(['a@byo.test']);
    expect(await outbox('?email=none@example.com')).toEqual([]);
    const deleted = await fetch(`${http.url}${OUTBOX_PATH}?id=${encodeURIComponent(first.Id)}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await outbox()).length).toBe(all.length - 1);
    expect((await fetch(`${http.url}${OUTBOX_PATH}`, { method: 'DELETE' })).status).toBe(204);
    expect(await outbox()).toEqual([]);
  });

  it('refuses an identity not yet verified and an unknown sender, as SES words it', async () => {
    const pending = await awsCli(http.url, [
      'send-email',
      '--from',
      'a@pending.test',
      '--destination',
      'ToAddresses=b@example.org',
      '--message',
      'Subject={Data=s},Body={Text={Data=t}}',
    ]);
    expect(pending).toEqual({
      ok: false,
      stderr: expect.stringContaining(
        'An error occurred (MessageRejected) when calling the SendEmail operation: Email address is not verified. The following identities failed the check in region US-EAST-1: a@pending.test',
      ),
    });
    const unknown = await boto3(
      http.url,
      "result = ses.send_raw_email(RawMessage={'Data': b'From: Who <who@nowhere.test>\\r\\nTo: z@example.org\\r\\n\\r\\nx'})",
    );
    expect(unknown).toMatchObject({
      error: 'MessageRejected',
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: Who <who@nowhere.test>, who@nowhere.test',
    });
    expect(await outbox()).toEqual([]);
  });
});

describe.runIf(runs)('the sandbox, through awscli', () => {
  it('refuses unverified recipients with SES words, and sends to verified ones', async () => {
    const sandboxed = createSesBackend({ resolver: createZoneResolver(), sending: { sandbox: true } });
    for (const address of ['me@sandbox.test', 'friend@sandbox.test']) {
      await sandboxed.createEmailIdentity({ EmailIdentity: address });
      await sandboxed.confirmEmailAddress(address);
    }
    const server = await startHttp(createSesV1RequestListener(sandboxed as unknown as SesV1Backend));
    try {
      const send = (to: string) =>
        awsCli(server.url, [
          'send-email',
          '--from',
          'me@sandbox.test',
          '--destination',
          `ToAddresses=${to}`,
          '--message',
          'Subject={Data=s},Body={Text={Data=t}}',
        ]);
      expect(await send('stranger@else.test')).toEqual({
        ok: false,
        stderr: expect.stringContaining(
          'An error occurred (MessageRejected) when calling the SendEmail operation: Email address is not verified. The following identities failed the check in region US-EAST-1: stranger@else.test',
        ),
      });
      expect((await send('friend@sandbox.test')).ok).toBe(true);
      expect(
        sandboxed
          .outbox()
          .list()
          .map((m) => m.Destination),
      ).toEqual([{ ToAddresses: ['friend@sandbox.test'] }]);
    } finally {
      await server.close();
    }
  });
});
