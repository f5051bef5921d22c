// `verify-dkim sign`: the field then the message byte for byte, line ends following the message, exit 2 on bad input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, parseSignatureField, verifyMessage } from '../../src/index.js';
import {
  ed25519Key,
  NOW_MS,
  RFC8032_SEED,
  rsaKey,
  SIMPLE_MESSAGE,
  type TestKey,
  zoneWith,
} from '../core/signature/fixtures.js';
import { runBytes } from './cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-sign-'));
let rsa: TestKey;
let records: Record<string, string>;
const path = (name: string) => join(dir, name);

beforeAll(async () => {
  rsa = await rsaKey(2048);
  const ed = await ed25519Key();
  writeFileSync(path('rsa.pem'), rsa.dkimpyKey);
  writeFileSync(path('ed.b64'), `${RFC8032_SEED}\n`);
  writeFileSync(path('message.eml'), SIMPLE_MESSAGE);
  records = { 'sel._domainkey.example.com': rsa.record, 'ed._domainkey.example.com': ed.record };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = ['--domain', 'example.com', '--selector', 'sel', '--private-key'];

describe('verify-dkim sign', () => {
  it('prints the field then the message byte for byte, and the result verifies', async () => {
    const eightBit = Buffer.concat([Buffer.from(SIMPLE_MESSAGE), Buffer.from([0xe9, 0xff, 0x0d, 0x0a])]);
    const run = await runBytes(['sign', '-', ...base, path('rsa.pem')], { stdin: eightBit });
    expect(run.code).toBe(0);
    expect(run.text.startsWith('DKIM-Signature: v=1; a=rsa-sha256; q=dns/txt; c=relaxed/simple; s=sel;')).toBe(true);
    const field = run.text.slice(0, run.text.indexOf('\r\nFrom:') + 2);
    expect(Buffer.from(run.stdout.subarray(field.length)).equals(eightBit)).toBe(true);
    expect(field).toContain(`t=${NOW_MS / 1000};`);
    const result = await verifyMessage(run.stdout, zoneWith(records), { now: NOW_MS });
    expect(result.result).toBe('pass');
  });

  it('follows LF line ends, reads a file, and signs with Ed25519 and every option', async () => {
    const lf = SIMPLE_MESSAGE.replace(/\r\n/g, '\n');
    writeFileSync(path('lf.eml'), lf);
    const run = await runBytes([
      'sign',
      path('lf.eml'),
      '--domain',
      'example.com',
      '--selector',
      'ed',
      '--private-key',
      path('ed.b64'),
      '--algorithm',
      'ed25519-sha256',
      '--canonicalization',
      'simple/relaxed',
      '--headers',
      'From:Subject:Subject',
      '--timestamp',
      'none',
      '--expire',
      String(NOW_MS / 1000 + 60),
      '--identity',
      'news@mail.example.com',
      '--body-length',
    ]);
    expect(run.code).toBe(0);
    expect(run.text).not.toContain('\r');
    expect(run.text.endsWith(lf)).toBe(true);
    const read = parseSignatureField(parseMessage(run.stdout).headers[0] as never);
    expect(read.ok && read.parsed).toMatchObject({
      algorithm: 'ed25519-sha256',
      headerMode: 'simple',
      bodyMode: 'relaxed',
      signedHeaders: ['from', 'subject', 'subject'],
      identity: 'news@mail.example.com',
      expiration: NOW_MS / 1000 + 60,
      bodyLength: 'Hi Bob,\r\nhow are you?\r\n'.length,
    });
    expect(read.ok && read.parsed.timestamp).toBeUndefined();
    expect((await verifyMessage(run.stdout, zoneWith(records), { now: NOW_MS })).result).toBe('pass');
  });

  it.each([
    ['no --domain', ['sign', path('message.eml'), '--selector', 's', '--private-key', 'x']],
    ['an unreadable key', ['sign', path('message.eml'), ...base, path('missing.pem')]],
    ['an invalid key', ['sign', path('message.eml'), ...base, path('message.eml')]],
    [
      'an algorithm the key does not sign',
      ['sign', path('message.eml'), ...base, 'KEY', '--algorithm', 'ed25519-sha256'],
    ],
    ['a bad canonicalization', ['sign', path('message.eml'), ...base, 'KEY', '--canonicalization', 'relaxed/none']],
    ['a bad timestamp', ['sign', path('message.eml'), ...base, 'KEY', '--timestamp', 'yesterday']],
    ['headers without From', ['sign', path('message.eml'), ...base, 'KEY', '--headers', 'To:Subject']],
    ['an unreadable message', ['sign', path('missing.eml'), ...base, 'KEY']],
  ])('exit 2 for %s', async (_, argv) => {
    const run = await runBytes(argv.map((a) => (a === 'KEY' ? path('rsa.pem') : a)));
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(/^verify-dkim: /);
    expect(run.stderr).not.toContain('PRIVATE KEY');
  });

  it('exit 2 for a message without a header, or over the 40 MB limit', async () => {
    expect((await runBytes(['sign', '-', ...base, path('rsa.pem')], { stdin: '\r\nno header\r\n' })).code).toBe(2);
    const huge = new Uint8Array(40 * 1024 * 1024 + 1);
    const run = await runBytes(['sign', '-', ...base, path('rsa.pem')], { stdin: huge });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('over');
  });
});
