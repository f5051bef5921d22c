// The CLI in-process: check (BYODKIM, Easy DKIM, --file), record, tokens, keygen, exit codes.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver, parsePrivateKey } from '../../src/index.js';
import { createEasyDkimIdentity, type EasyDkimIdentity } from '../../src/ses.js';
import { VERSION } from '../../src/version.js';
import { loadRecordVectors } from '../../vectors/load.js';
import { runCli } from '../helpers/cli.js';

const ESC = String.fromCharCode(27);
const vectors = loadRecordVectors();
const match = vectors.rrsets.find((v) => v.id === 'match');
const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-cli-'));
const keyPath = join(dir, 'provider.pem');
writeFileSync(keyPath, match?.key ?? '');
const sesKeyPath = join(dir, 'provider.b64');
const sesKey = parsePrivateKey(match?.key ?? '');
const { toSesPrivateKey } = await import('../../src/index.js');
writeFileSync(sesKeyPath, `${toSesPrivateKey(sesKey)}\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const zone = createZoneResolver();
zone.set('s1._domainkey.good.example', 'TXT', match?.records ?? []);
zone.set('s1._domainkey.other.example', 'TXT', vectors.rrsets.find((v) => v.id === 'mismatch')?.records ?? []);
zone.set('s1._domainkey.cut.example', 'TXT', vectors.rrsets.find((v) => v.id === 'invalid')?.records ?? []);
zone.set('s1._domainkey.down.example', 'TXT', match?.records ?? []);
zone.setFault('s1._domainkey.down.example', 'SERVFAIL');

let easy: EasyDkimIdentity;
beforeAll(async () => {
  easy = await createEasyDkimIdentity({ domain: 'easy.example', secret: 'cli', now: 0, keyLength: 'RSA_1024_BIT' });
  for (const p of easy.providerKeys) zone.set(p.record.name, 'TXT', [p.record.strings]);
  for (const t of easy.attributes.Tokens.slice(0, 2))
    zone.set(`${t}._domainkey.easy.example`, 'CNAME', `${t}.dkim.amazonses.com`);
}, 30_000);

const check = (domain: string, ...extra: string[]) =>
  runCli(['check', domain, '--selector', 's1', '--private-key', keyPath, ...extra], { resolver: zone });

describe('verify-dkim check (BYODKIM)', () => {
  it.each([
    ['good.example', 0, 'SUCCESS'],
    ['other.example', 1, 'FAILED'],
    ['cut.example', 1, 'FAILED'],
    ['missing.example', 3, 'PENDING'],
    ['down.example', 4, 'TEMPORARY_FAILURE'],
  ])('%s exits %i (%s)', async (domain, code, status) => {
    const run = await check(domain, '--json');
    expect(run.code).toBe(code);
    const out = run.json<{ status: string; mode: string; checks: Record<string, unknown>[] }>();
    expect(out).toMatchObject({ status, domain, mode: 'BYODKIM' });
    expect(out.checks[0]).toMatchObject({ name: `s1._domainkey.${domain}`, type: 'TXT', status });
    expect(Object.keys(out.checks[0] ?? {}).sort()).toEqual(
      [
        'authenticated',
        'expected',
        'found',
        'name',
        'status',
        'ttl',
        'type',
        ...(status === 'SUCCESS' ? [] : ['reason']),
      ].sort(),
    );
  });

  it('names the reason in the shared vocabulary', async () => {
    expect((await check('cut.example', '--json')).json()).toMatchObject({
      checks: [{ reason: { code: 'INVALID', subcode: 'TRUNCATED_AT_255', message: expect.stringContaining('255') } }],
    });
    expect((await check('down.example', '--json')).json()).toMatchObject({
      checks: [{ reason: { code: 'DNS_ERROR', subcode: 'SERVFAIL' } }],
    });
    expect((await check('missing.example', '--json')).json()).toMatchObject({
      checks: [{ reason: { code: 'NOT_FOUND', subcode: 'NXDOMAIN' } }],
    });
  });

  it('tells a human what to publish, and says plainly when answers are not DNSSEC-authenticated', async () => {
    const run = await check('missing.example');
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('PENDING');
    expect(run.stdout).toMatch(/publish: s1\._domainkey\.missing\.example\. IN TXT "v=DKIM1; k=rsa; p=/);
    expect(run.stdout).toContain('not DNSSEC-authenticated');
    expect(run.stdout).not.toMatch(new RegExp(`${ESC}\\[`));
    const cut = await check('cut.example');
    expect(cut.stdout).toContain('several strings');
  });

  it('colours only on a terminal, and not with NO_COLOR', async () => {
    expect((await runCli(['check', 'good.example', '--selector', 's1'], { resolver: zone, tty: true })).stdout).toMatch(
      new RegExp(`${ESC}\\[32m`),
    );
    expect(
      (
        await runCli(['check', 'good.example', '--selector', 's1'], {
          resolver: zone,
          tty: true,
          env: { NO_COLOR: '1' },
        })
      ).stdout,
    ).not.toMatch(new RegExp(`${ESC}\\[`));
  });

  it('without --private-key any one valid record passes', async () => {
    expect((await runCli(['check', 'other.example', '--selector', 's1'], { resolver: zone })).code).toBe(0);
  });

  it('reads the key from stdin with --private-key -', async () => {
    const run = await runCli(['check', 'good.example', '--selector', 's1', '--private-key', '-', '--json'], {
      resolver: zone,
      stdin: readFileSync(sesKeyPath, 'utf8'),
    });
    expect(run.code).toBe(0);
  });

  it.each([
    [['check', 'good.example', '--selector', 's1', '--tokens', 'a,b,c'], 'USAGE_ERROR'],
    [['check', 'good.example', '--tokens', 'a,b'], 'USAGE_ERROR'],
    [['check', 'good.example'], 'USAGE_ERROR'],
    [['check', 'good.example', '--selector', 's1', '--private-key', join(dir, 'nope')], 'FILE_UNREADABLE'],
    [
      ['check', 'good.example', '--selector', 's1', '--private-key', 'vectors/keys/rsa512.pkcs1.pem'],
      'KEY_SIZE_UNSUPPORTED',
    ],
    [['check', 'good.example', '--selector', 's1', '--private-key', 'vectors/keys/cert.pem'], 'CERTIFICATE_GIVEN'],
    [['check', 'good.example', '--selector', 's1', '--bogus'], 'USAGE_ERROR'],
    [['check', 'good.example', '--selector', 's1', '--timeout', '0'], 'USAGE_ERROR'],
    [['check', 'bad domain', '--selector', 's1'], 'DOMAIN_INVALID'],
    [['nonsense'], 'USAGE_ERROR'],
  ])('%j exits 2 with %s, before any lookup', async (argv, code) => {
    let lookups = 0;
    const counting = {
      resolve: (...args: Parameters<typeof zone.resolve>) => {
        lookups++;
        return zone.resolve(...args);
      },
    };
    const run = await runCli([...argv, '--json'], { resolver: counting as typeof zone });
    expect(run.code).toBe(2);
    expect(run.json()).toEqual({ error: { code, message: expect.any(String) } });
    if (code !== 'DOMAIN_INVALID') expect(lookups).toBe(0);
  });
});

describe('verify-dkim check (Easy DKIM)', () => {
  it('two CNAMEs of three: PENDING (3) with what to publish; all three: SUCCESS (0)', async () => {
    const tokens = easy.attributes.Tokens.join(',');
    const pending = await runCli(['check', 'easy.example', '--tokens', tokens], { resolver: zone });
    expect(pending.code).toBe(3);
    expect(pending.stdout).toContain(
      `publish: ${easy.attributes.Tokens[2]}._domainkey.easy.example. IN CNAME ${easy.attributes.Tokens[2]}.dkim.amazonses.com.`,
    );
    zone.set(
      `${easy.attributes.Tokens[2]}._domainkey.easy.example`,
      'CNAME',
      `${easy.attributes.Tokens[2]}.dkim.amazonses.com`,
    );
    const done = await runCli(['check', 'easy.example', '--tokens', tokens, '--json'], { resolver: zone });
    expect(done.code).toBe(0);
    expect(done.json()).toMatchObject({ status: 'SUCCESS', mode: 'EASY_DKIM', checks: [{ type: 'CNAME' }, {}, {}] });
  });

  it('a CNAME to the wrong target is FAILED (1)', async () => {
    const tokens = easy.attributes.Tokens.join(',');
    const run = await runCli(['check', 'easy.example', '--tokens', tokens, '--region', 'eu-south-1', '--json'], {
      resolver: zone,
    });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ checks: [{ reason: { code: 'CNAME_MISMATCH' } }, {}, {}] });
  });
});

describe('verify-dkim check --file', () => {
  it('one JSON result per line, in order, invalid lines reported, exit 2 when any line is invalid', async () => {
    const list = join(dir, 'list.jsonl');
    writeFileSync(
      list,
      [
        JSON.stringify({ domain: 'good.example', selector: 's1', privateKeyFile: 'provider.pem' }),
        JSON.stringify({ domain: 'missing.example', selector: 's1' }),
        '',
        'not json',
        JSON.stringify({ domain: 'easy.example', tokens: easy.attributes.Tokens }),
        JSON.stringify({ domain: 'good.example', selector: 's1', privateKeyFile: 'nope.pem' }),
      ].join('\n'),
    );
    const run = await runCli(['check', '--file', list, '--concurrency', '2'], { resolver: zone });
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.line)).toEqual([1, 2, 4, 5, 6]);
    expect(lines.map((l) => l.status ?? l.error.code)).toEqual([
      'SUCCESS',
      'PENDING',
      'INVALID_LINE',
      'SUCCESS',
      'FILE_UNREADABLE',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
  });

  it('exits with the worst status when every line is valid, and draws progress on a terminal', async () => {
    const list = join(dir, 'ok.jsonl');
    writeFileSync(
      list,
      [
        { domain: 'good.example', selector: 's1' },
        { domain: 'down.example', selector: 's1' },
        { domain: 'missing.example', selector: 's1' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const run = await runCli(['check', '--file', list], { resolver: zone, tty: true });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('3/3');
  });

  it('refuses a missing list file with exit 2', async () => {
    expect((await runCli(['check', '--file', join(dir, 'absent.jsonl')], { resolver: zone })).code).toBe(2);
  });
});

describe('verify-dkim record, tokens, keygen', () => {
  it('record: the zone line, or JSON with bits and encoding', async () => {
    const run = await runCli(['record', 'Example.COM', '--selector', 's1', '--private-key', keyPath, '--json']);
    expect(run.code).toBe(0);
    expect(run.json()).toEqual({
      name: 's1._domainkey.example.com',
      type: 'TXT',
      value: match?.records[0]?.join(''),
      strings: match?.records[0],
      bits: 2048,
      keyEncoding: sesKey.encoding,
    });
    const text = await runCli([
      'record',
      'example.com',
      '--selector',
      's1',
      '--private-key',
      'vectors/keys/rsa1024.pkcs1.pem',
    ]);
    expect(text.stdout).toMatch(/^s1\._domainkey\.example\.com\. IN TXT "v=DKIM1; k=rsa; p=[^"]+"\n$/);
  });

  it('tokens: deterministic with --seed (the Easy DKIM derivation, generation 0)', async () => {
    const run = await runCli(['tokens', 'example.com', '--seed', 'emulator-secret', '--json']);
    const vector = (await import('../../vectors/load.js')).loadEasyDkimVectors().tokens[0];
    expect(run.json()).toMatchObject({
      domain: 'example.com',
      signingHostedZone: 'dkim.amazonses.com',
      tokens: vector?.tokens,
    });
    expect(run.json<{ records: unknown[] }>().records).toHaveLength(3);
    const random = await runCli(['tokens', 'example.com', '--region', 'af-south-1']);
    expect(random.stdout.trim().split('\n')).toHaveLength(3);
    expect(random.stdout).toContain('.dkim.af-south-1.amazonses.com.');
  });

  it('keygen: mode 0600, never overwrites, prints the record, never the key', async () => {
    const out = join(dir, 'new.key');
    const run = await runCli(['keygen', '--out', out, '--bits', '1024', '--selector', 's', '--domain', 'example.com']);
    expect(run.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const key = readFileSync(out, 'utf8');
    expect(key).toMatch(/^[A-Za-z0-9+/]+={0,2}\n$/);
    expect(parsePrivateKey(key).bits).toBe(1024);
    expect(run.stdout).toContain('s._domainkey.example.com. IN TXT');
    // Past the modulus and exponent: private components only.
    expect(run.stdout).not.toContain(key.trim().slice(500, 540));
    const other = join(dir, 'other.key');
    const json = (await runCli(['keygen', '--out', other, '--bits', '1024', '--json'])).json<{ value: string }>();
    expect(json.value).toBe(
      `v=DKIM1; k=rsa; p=${Buffer.from(parsePrivateKey(readFileSync(other, 'utf8')).spki).toString('base64')}`,
    );
    const again = await runCli(['keygen', '--out', out, '--json']);
    expect(again.code).toBe(2);
    expect(again.json()).toMatchObject({ error: { code: 'FILE_EXISTS' } });
    expect(readFileSync(out, 'utf8')).toBe(key);
  });

  it('keygen --out - prints the key, the one output that may, and the TXT value on stderr', async () => {
    const run = await runCli(['keygen', '--out', '-', '--bits', '1024']);
    const key = parsePrivateKey(run.stdout);
    expect(key.bits).toBe(1024);
    expect(run.stderr).toContain(`v=DKIM1; k=rsa; p=${Buffer.from(key.spki).toString('base64')}`);
    const json = await runCli(['keygen', '--out', '-', '--bits', '1024', '--json']);
    expect(parsePrivateKey(json.json<{ privateKey: string }>().privateKey).bits).toBe(1024);
  });
});

describe('no private key material in any other output', () => {
  const secret = readFileSync(sesKeyPath, 'utf8').trim();
  const fragments = Array.from({ length: 20 }, (_, i) => secret.slice(400 + i * 40, 440 + i * 40));
  it.each([
    ['check', 'good.example', '--selector', 's1', '--private-key', sesKeyPath],
    ['check', 'missing.example', '--selector', 's1', '--private-key', sesKeyPath, '--json'],
    ['record', 'example.com', '--selector', 's1', '--private-key', sesKeyPath],
    ['record', 'example.com', '--selector', 's1', '--private-key', sesKeyPath, '--json'],
  ])('%s %s ...', async (...argv) => {
    const run = await runCli(argv, { resolver: zone });
    for (const fragment of fragments) {
      expect(run.stdout).not.toContain(fragment);
      expect(run.stderr).not.toContain(fragment);
    }
  });
});

describe('help, version, internal errors', () => {
  it('--help and --version', async () => {
    expect((await runCli(['--help'])).stdout).toContain('Exit codes');
    expect((await runCli(['check', '--help'])).stdout).toContain('--authoritative');
    expect((await runCli(['--version'])).stdout).toBe(`${VERSION}\n`);
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect((await runCli([])).code).toBe(2);
  });

  it('a bug is exit 70, never 1', async () => {
    const broken = { resolve: () => Promise.reject(new TypeError('boom')) } as unknown as typeof zone;
    const run = await runCli(['check', 'good.example', '--selector', 's1', '--json'], { resolver: broken });
    expect(run.code).toBe(70);
    expect(run.json()).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
  });
});

describe('verify-dkim demo', () => {
  it('walks the lifecycle on an embedded zone over the real wire resolver', async () => {
    const run = await runCli(['demo']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/BYODKIM check: checks MATCH -> status SUCCESS/);
    expect(run.stdout).toMatch(/Easy DKIM check: checks MATCH, MATCH, NOT_FOUND -> status PENDING/);
    expect(run.stdout).toMatch(/Easy DKIM check: checks MATCH, MATCH, MATCH -> status SUCCESS/);
    expect(run.stdout).toMatch(/BYODKIM recheck: checks NOT_FOUND -> status TEMPORARY_FAILURE/);
    expect(run.stdout).toMatch(/BYODKIM recheck: checks NOT_FOUND -> status FAILED/);
  });
});
