// `serve --state <file>` and `--store postgres://` keep what sending made: the outbox and the amazonses.com key
// survive kill -9, with real processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyMessage } from '../../src/core/signature/verify.js';
import { createUdpResolver } from '../../src/dns/node/udp.js';
import type { SentEmail } from '../../src/ses/sending/outbox.js';
import { type PostgresServer, postgresAvailable, startPostgres } from '../helpers/postgres.js';
import { call, type ServeProcess, startServe } from './serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-send-fault-'));
const withPostgres = postgresAvailable();
let postgres: PostgresServer | undefined;
beforeAll(async () => {
  if (withPostgres) postgres = await startPostgres();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await postgres?.destroy();
});

const sender = 'me@send-state.example';
const bigSender = 'big@send-state-large.example';

async function send(url: string, subject: string): Promise<string> {
  const sent = await call(url, 'POST', '/v2/email/outbound-emails', {
    FromEmailAddress: sender,
    Destination: { ToAddresses: ['you@example.org'] },
    Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: `body of ${subject}` } } } },
  });
  expect(sent.status).toBe(200);
  return sent.body.MessageId as string;
}

async function outbox(url: string): Promise<SentEmail[]> {
  const listed = await fetch(`${url}/_aws/ses`);
  expect(listed.status).toBe(200);
  return ((await listed.json()) as { messages: SentEmail[] }).messages;
}

/** The DNS address serve prints after its URL. */
async function dnsOf(serve: ServeProcess): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = /^dns on (\S+)$/m.exec(serve.stdout())?.[1];
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`serve printed no DNS address: ${serve.stdout()}`);
}

/** The s= of the d=amazonses.com signature. */
function providerSelector(raw: string): string {
  const signature = raw.split(/\r\n(?![ \t])/).find((f) => /^DKIM-Signature:[\s\S]*\bd=amazonses\.com;/i.test(f));
  const selector = signature && /\bs=([^;\s]+)/.exec(signature)?.[1];
  if (!selector) throw new Error('no d=amazonses.com signature');
  return selector;
}

async function served(dns: string, name: string, raw?: string) {
  const resolver = createUdpResolver({ servers: [dns], timeout: 1000, attempts: 2 });
  try {
    const answer = await resolver.resolve(name, 'TXT');
    const verified = raw === undefined ? undefined : await verifyMessage(raw, resolver);
    return { answer, verified };
  } finally {
    await resolver.close?.();
  }
}

const stores = [
  { name: '--state <file>', args: () => ['--state', join(dir, 'send.dkim')], run: true },
  { name: '--store postgres://', args: () => ['--store', postgres?.url ?? ''], run: withPostgres },
];

describe.each(stores)('serve $name: sending survives a restart', ({ args: storeArgs, run }) => {
  it.runIf(run || process.env.CI === 'true')(
    'kill -9: the outbox is still listed, the amazonses.com key is the same and still verifies, DELETE clears the store',
    async () => {
      const args = [...storeArgs(), '--checks', 'none', '--dns-port', '0'];
      const first = await startServe(args);
      let selector: string;
      let before: unknown;
      const ids: string[] = [];
      try {
        expect((await call(first.url, 'POST', '/v2/email/identities', { EmailIdentity: sender })).status).toBe(200);
        expect((await call(first.url, 'POST', '/_dkim-engine/confirm', { emailAddress: sender })).status).toBe(200);
        ids.push(await send(first.url, 'one'), await send(first.url, 'two'));
        const [message] = await outbox(first.url);
        selector = providerSelector(message?.RawData ?? '');
        const seen = await served(await dnsOf(first), `${selector}._domainkey.amazonses.com`, message?.RawData);
        expect(seen.verified?.signatures.map((s) => [s.domain, s.result])).toEqual([['amazonses.com', 'pass']]);
        before = seen.answer;
        expect(before).toMatchObject({ kind: 'records' });
      } finally {
        await first.kill('SIGKILL'); // acknowledged sends must already be on disk
      }

      const second = await startServe(args);
      try {
        const kept = await outbox(second.url);
        expect(kept.map((m) => [m.Id, m.Subject])).toEqual([
          [ids[0], 'one'],
          [ids[1], 'two'],
        ]);
        const dns = await dnsOf(second);
        const after = await served(dns, `${selector}._domainkey.amazonses.com`);
        expect(after.answer).toEqual(before);
        const third = await send(second.url, 'three');
        const fresh = (await outbox(second.url)).find((m) => m.Id === third);
        expect(providerSelector(fresh?.RawData ?? '')).toBe(selector);
        const verified = await served(dns, `${selector}._domainkey.amazonses.com`, fresh?.RawData);
        expect(verified.verified?.signatures.map((s) => [s.domain, s.result])).toEqual([['amazonses.com', 'pass']]);
        // The key's private half is on disk only: never in an answer or on stderr.
        expect(second.stderr()).not.toMatch(/PRIVATE|MII/);

        const one = await fetch(`${second.url}/_aws/ses?id=${ids[0]}`, { method: 'DELETE' });
        expect(one.status).toBe(204);
      } finally {
        await second.kill('SIGKILL');
      }

      const third = await startServe(args);
      try {
        expect((await outbox(third.url)).map((m) => m.Subject)).toEqual(['two', 'three']);
        expect((await fetch(`${third.url}/_aws/ses`, { method: 'DELETE' })).status).toBe(204);
      } finally {
        await third.kill('SIGKILL');
      }
      const fourth = await startServe(args);
      try {
        expect(await outbox(fourth.url)).toEqual([]);
        // The same key is still there after the outbox is cleared.
        const still = await served(await dnsOf(fourth), `${selector}._domainkey.amazonses.com`);
        expect(still.answer).toEqual(before);
      } finally {
        await fourth.kill('SIGTERM');
      }
    },
  );

  it.runIf(run || process.env.CI === 'true')(
    'a 20 MB raw message (over one 16 MiB document) is kept in parts: listed after kill -9, same bytes, still verifies',
    async () => {
      const args = [...storeArgs(), '--checks', 'none', '--dns-port', '0'];
      const first = await startServe(args);
      const line = 'Large message line, padded to length with text that repeats over and over.\r\n';
      const body = line.repeat(Math.ceil((20 * 1024 * 1024) / line.length));
      const raw = `From: ${bigSender}\r\nTo: you@example.org\r\nSubject: large\r\n\r\n${body}`;
      let id: string;
      let listed: SentEmail | undefined;
      try {
        expect((await call(first.url, 'POST', '/v2/email/identities', { EmailIdentity: bigSender })).status).toBe(200);
        expect((await call(first.url, 'POST', '/_dkim-engine/confirm', { emailAddress: bigSender })).status).toBe(200);
        const sent = await call(first.url, 'POST', '/v2/email/outbound-emails', {
          FromEmailAddress: bigSender,
          Destination: { ToAddresses: ['you@example.org'] },
          Content: { Raw: { Data: Buffer.from(raw).toString('base64') } },
        });
        expect(sent.status).toBe(200);
        id = sent.body.MessageId as string;
        listed = (await outbox(first.url)).find((m) => m.Id === id);
      } finally {
        await first.kill('SIGKILL');
      }
      const second = await startServe(args);
      try {
        const kept = (await outbox(second.url)).find((m) => m.Id === id);
        expect(kept?.RawData.length).toBeGreaterThan(20 * 1024 * 1024);
        expect(kept?.RawData === listed?.RawData).toBe(true);
        const selector = providerSelector(kept?.RawData ?? '');
        const verified = await served(await dnsOf(second), `${selector}._domainkey.amazonses.com`, kept?.RawData);
        expect(verified.verified?.signatures.map((s) => [s.domain, s.result])).toEqual([['amazonses.com', 'pass']]);
        expect((await fetch(`${second.url}/_aws/ses`, { method: 'DELETE' })).status).toBe(204);
      } finally {
        await second.kill('SIGTERM');
      }
    },
  );
});
