// The built verify-dkim signs a message and verifies it with the key served by a real Knot server.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitCharacterStrings } from '../../src/index.js';
import { rsaKey, SIMPLE_MESSAGE, type TestKey } from '../core/signature/fixtures.js';
import { type KnotServer, knotAvailable, startKnot, txtData, zoneFile } from '../helpers/knot.js';

const BIN = join(import.meta.dirname, '../../dist/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-sign-bin-'));

function bin(
  args: string[],
  stdin: Buffer | string = '',
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.end(stdin);
  });
}

describe.skipIf(!knotAvailable())('the built verify-dkim sign | verify against Knot', () => {
  let knot: KnotServer;
  let key: TestKey;
  beforeAll(async () => {
    key = await rsaKey(2048);
    writeFileSync(join(dir, 'key.pem'), key.dkimpyKey);
    knot = await startKnot({
      'mail.test': zoneFile('mail.test', [`sel._domainkey TXT ${txtData(splitCharacterStrings(key.record))}`]),
    });
  }, 30_000);
  afterAll(async () => {
    await knot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs 8-bit mail byte for byte, verifies it (exit 0), and a changed copy fails (exit 1)', async () => {
    const message = Buffer.concat([
      Buffer.from(SIMPLE_MESSAGE.replace('Alice <alice@example.com>', 'a@mail.test')),
      Buffer.from([0xe9, 0x0d, 0x0a]),
    ]);
    const signed = await bin(
      ['sign', '-', '--domain', 'mail.test', '--selector', 'sel', '--private-key', join(dir, 'key.pem')],
      message,
    );
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(signed.stdout.subarray(signed.stdout.length - message.length).equals(message)).toBe(true);
    writeFileSync(join(dir, 'signed.eml'), signed.stdout);
    const verified = await bin(['verify', join(dir, 'signed.eml'), '--resolver', knot.server, '--json']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout.toString())).toMatchObject({ result: 'pass', signatures: [{ keyBits: 2048 }] });
    const changed = await bin(
      ['verify', '-', '--resolver', knot.server],
      Buffer.from(signed.stdout.toString('latin1').replace('Hi Bob', 'Hi Eve'), 'latin1'),
    );
    expect(changed.code).toBe(1);
    expect(changed.stdout.toString()).toMatch(/^fail BODY_HASH_MISMATCH d=mail\.test s=sel /);
    const missing = await bin(
      ['verify', '-', '--resolver', knot.server, '--json'],
      Buffer.from(signed.stdout.toString('latin1').replace('s=sel;', 's=gone;'), 'latin1'),
    );
    expect(JSON.parse(missing.stdout.toString()).signatures[0].code).toBe('KEY_NOT_FOUND');
  });
});
