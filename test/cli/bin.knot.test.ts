// The built bin, spawned as users run it, against a real Knot server.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { loadRecordVectors } from '../../vectors/load.js';
import { type KnotServer, knotAvailable, startKnot, txtData, zoneFile } from '../helpers/knot.js';

const BIN = join(import.meta.dirname, '../../dist/cli/bin.js');
const vectors = loadRecordVectors();
const match = vectors.rrsets.find((v) => v.id === 'match');
const other = vectors.rrsets.find((v) => v.id === 'mismatch')?.records[0] ?? [];
const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-bin-'));
const keyPath = join(dir, 'key.b64');
const secret = toSesPrivateKey(parsePrivateKey(match?.key ?? ''));
writeFileSync(keyPath, `${secret}\n`);

function bin(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const run = knotAvailable();

describe.skipIf(!run)('the built verify-dkim against Knot', () => {
  let knot: KnotServer;
  beforeAll(async () => {
    knot = await startKnot({
      'byo.test': zoneFile(
        'byo.test',
        [`good._domainkey TXT ${txtData(match?.records[0] ?? [])}`, `other._domainkey TXT ${txtData(other)}`],
        { negativeTtl: 120 },
      ),
      'down.test': null,
    });
  }, 30_000);
  afterAll(async () => {
    await knot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const check = (domain: string, selector: string, ...extra: string[]) =>
    bin([
      'check',
      domain,
      '--selector',
      selector,
      '--private-key',
      keyPath,
      '--resolver',
      knot.server,
      '--timeout',
      '500',
      '--attempts',
      '2',
      ...extra,
    ]);

  it.each([
    ['byo.test', 'good', 0, 'SUCCESS'],
    ['byo.test', 'other', 1, 'FAILED'],
    ['byo.test', 'missing', 3, 'PENDING'],
    ['down.test', 'good', 4, 'TEMPORARY_FAILURE'],
  ])('%s selector %s: exit %i, %s', async (domain, selector, code, status) => {
    const result = await check(domain, selector, '--json');
    expect(result.code).toBe(code);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      status,
      domain,
      mode: 'BYODKIM',
      checks: [{ type: 'TXT', status, authenticated: false }],
    });
    if (status === 'SUCCESS') expect(json.checks[0].ttl).toBe(300);
    for (const output of [result.stdout, result.stderr]) expect(output).not.toContain(secret.slice(600, 640));
  });

  it('exit 2 for an invalid key, with a JSON error', async () => {
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'MIIB!!!!');
    const result = await bin([
      'check',
      'byo.test',
      '--selector',
      'good',
      '--private-key',
      bad,
      '--resolver',
      knot.server,
      '--json',
    ]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: 'BASE64_INVALID', message: expect.any(String) } });
  });

  it('--authoritative finds the zone name servers and shows the negative-cache time', async () => {
    const result = await check('byo.test', 'missing', '--authoritative', '--port', String(knot.port));
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('negative answer for 120 s');
    const json = JSON.parse(
      (await check('byo.test', 'missing', '--authoritative', '--port', String(knot.port), '--json')).stdout,
    );
    expect(json.checks[0].ttl).toBe(120);
  });

  it('reads the key from stdin', async () => {
    const result = await bin(
      ['check', 'byo.test', '--selector', 'good', '--private-key', '-', '--resolver', knot.server, '--json'],
      readFileSync(keyPath, 'utf8'),
    );
    expect(result.code).toBe(0);
  });

  it('--help and --version', async () => {
    const help = await bin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('verify-dkim check');
    expect((await bin(['--version'])).stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
