// Faults of `serve --state <file>`, with real processes: kill -9 mid-write, a torn or corrupt tail, a second server.
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { keyFile } from '../../vectors/load.js';
import { call, runServe, startServe } from './serve-process.js';

const byoKey = toSesPrivateKey(parsePrivateKey(keyFile('rsa1024.pkcs1.der')));
const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const create = (url: string, name: string) =>
  call(url, 'POST', '/v2/email/identities', {
    EmailIdentity: name,
    DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: byoKey },
  });

async function listed(url: string): Promise<string[]> {
  const page = await call(url, 'GET', '/v2/email/identities?PageSize=1000');
  expect(page.status).toBe(200);
  return (page.body.EmailIdentities as { IdentityName: string }[]).map((i) => i.IdentityName);
}

describe('serve --state: crash safety', () => {
  it('kill -9 mid-write: every acknowledged write is there on restart; the file is 0600; a second server is refused', async () => {
    const file = join(dir, 'kill.dkim');
    const first = await startServe(['--state', file, '--checks', 'none']);
    const set = { ConfigurationSetName: 'kept', Tags: [{ Key: 'a', Value: '1' }] };
    expect((await call(first.url, 'POST', '/v2/email/configuration-sets', set)).status).toBe(200);
    const setArn = 'arn:aws:ses:us-east-1:000000000000:configuration-set/kept';
    const tagged = await call(first.url, 'POST', '/v2/email/tags', {
      ResourceArn: setArn,
      Tags: [{ Key: 'b', Value: '2' }],
    });
    expect(tagged.status).toBe(200);
    const acked: string[] = [];
    let n = 0;
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const name = `d${n++}.kill.example`;
        const result = await create(first.url, name).catch(() => null);
        if (result?.status === 200) acked.push(name);
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    while (acked.length < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.kill('SIGKILL'); // requests are in flight: some were journaled and never answered
    stop = true;
    await Promise.all(writers);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await startServe(['--state', file, '--checks', 'none']);
    try {
      const names = new Set(await listed(second.url));
      expect(acked.filter((name) => !names.has(name))).toEqual([]);
      const kept = await call(second.url, 'GET', '/v2/email/configuration-sets/kept');
      expect(kept.body.Tags).toEqual([
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ]);
      const one = await call(second.url, 'GET', `/v2/email/identities/${acked[0]}`);
      expect(one.body.DkimAttributes).toMatchObject({ SigningAttributesOrigin: 'EXTERNAL', Status: 'PENDING' });
      // The private key went to disk (that is why the file is 0600) and never into an answer.
      expect(JSON.stringify(one.body)).not.toContain(byoKey.slice(40, 80));
      const refused = await runServe(['--state', file]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/in use by process \d+/);
    } finally {
      await second.kill('SIGTERM');
    }
  });

  it('a torn or corrupt tail is reported on stderr and dropped; the rest loads', async () => {
    const file = join(dir, 'torn.dkim');
    const first = await startServe(['--state', file, '--checks', 'none']);
    for (let i = 0; i < 20; i++) expect((await create(first.url, `d${i}.torn.example`)).status).toBe(200);
    await first.kill('SIGKILL');

    truncateSync(file, statSync(file).size - 7); // the last record is cut short
    const torn = await startServe(['--state', file, '--checks', 'none']);
    const afterTear = await listed(torn.url);
    expect(torn.stderr()).toMatch(/torn-tail at byte \d+: dropped \d+ bytes \(the rest loaded\)/);
    expect(afterTear.length).toBeGreaterThanOrEqual(19);
    expect(afterTear).toContain('d0.torn.example');
    expect((await create(torn.url, 'after.torn.example')).status).toBe(200);
    await torn.kill('SIGKILL');

    const bytes = readFileSync(file);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff; // a flipped bit in the last record
    writeFileSync(file, bytes);
    const corrupt = await startServe(['--state', file, '--checks', 'none']);
    try {
      expect(corrupt.stderr()).toMatch(/checksum at byte \d+/);
      const names = await listed(corrupt.url);
      expect(names.length).toBeGreaterThanOrEqual(afterTear.length);
      expect(names).toContain('d0.torn.example');
    } finally {
      await corrupt.kill('SIGTERM');
    }
  });
});
