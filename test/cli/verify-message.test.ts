// `verify-dkim verify`: exit codes, the JSON contract and the human lines, with keys from zone data.
import { describe, expect, it } from 'vitest';
import { createZoneResolver, type SigningKey, signMessage, splitCharacterStrings } from '../../src/index.js';
import { ed25519Key, NOW_S, rsaKey, SIMPLE_MESSAGE, zoneWith } from '../core/signature/fixtures.js';
import { runBytes } from './cli-run.js';

describe('verify-dkim verify', async () => {
  const rsa = await rsaKey(2048);
  const ed = await ed25519Key();
  const records = { 'sel._domainkey.example.com': rsa.record, 'ed._domainkey.example.com': ed.record };
  const sign = async (message: string, selector: string, key: SigningKey = rsa.key) =>
    (await signMessage(message, { domain: 'example.com', selector, key, timestamp: NOW_S })).prepend(message);
  const signed = await sign(SIMPLE_MESSAGE, 'sel');
  const verify = (message: string, extra: string[] = [], resolver = zoneWith(records)) =>
    runBytes(['verify', '-', ...extra], { stdin: message, resolver });

  it('exit 0 on pass, with the JSON contract', async () => {
    const run = await verify(signed, ['--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.text);
    expect(Object.keys(json)).toEqual(['result', 'signatures', 'authenticationResults']);
    expect(json.result).toBe('pass');
    expect(json.signatures[0]).toEqual({
      result: 'pass',
      message: 'signature verified',
      domain: 'example.com',
      selector: 'sel',
      algorithm: 'rsa-sha256',
      canonicalization: 'relaxed/simple',
      signedHeaders: ['from', 'to', 'subject', 'date', 'message-id'],
      keyBits: 2048,
      testing: false,
    });
    expect(json.authenticationResults).toMatch(/^dkim=pass header\.d=example\.com header\.s=sel /);
  });

  it('exit 1 when no signature passes, with the code and explanation on one line each', async () => {
    const twice = await sign(signed, 'ed', ed.key);
    const run = await verify(twice.replace('how are you?', 'how  are  you?'));
    expect(run.code).toBe(1);
    const lines = run.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^fail BODY_HASH_MISMATCH d=example\.com s=ed ed25519-sha256 relaxed\/simple 256 bits: body hash did not verify: passes with relaxed body canonicalization: white space changed$/,
    );
    expect(lines[1]).toMatch(/^fail BODY_HASH_MISMATCH d=example\.com s=sel rsa-sha256/);
    const json = JSON.parse((await verify(twice.replace('Subject: Hello', 'Subject: Bye'), ['--json'])).text);
    expect(json.signatures.map((s: { code: string }) => s.code)).toEqual(['SIGNATURE_MISMATCH', 'SIGNATURE_MISMATCH']);
    expect(json.result).toBe('fail');
  });

  it('exit 4 when none passes and one has a temperror; exit 1 when the first is permerror and none temperror', async () => {
    const resolver = createZoneResolver({ 'sel._domainkey.example.com': { TXT: [splitCharacterStrings(rsa.record)] } });
    resolver.setFault('sel._domainkey.example.com', 'TIMEOUT');
    const run = await verify(signed, ['--json'], resolver);
    expect(run.code).toBe(4);
    expect(JSON.parse(run.text).signatures[0]).toMatchObject({ result: 'temperror', code: 'DNS_ERROR' });
    const missing = await verify(signed, ['--json'], zoneWith({}));
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.text)).toMatchObject({ result: 'permerror', signatures: [{ code: 'KEY_NOT_FOUND' }] });
  });

  it('exit 3 without a DKIM-Signature', async () => {
    const run = await verify(SIMPLE_MESSAGE, ['--json']);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.text)).toEqual({ result: 'none', signatures: [], authenticationResults: 'dkim=none' });
    expect((await verify(SIMPLE_MESSAGE)).text).toBe('none: the message has no DKIM-Signature\n');
  });

  it('--now checks x=, --max-signatures leaves the rest neutral (counted from the top)', async () => {
    const expiring = (
      await signMessage(SIMPLE_MESSAGE, {
        domain: 'example.com',
        selector: 'sel',
        key: rsa.key,
        timestamp: NOW_S,
        expiration: NOW_S + 10,
      })
    ).prepend(SIMPLE_MESSAGE);
    expect((await verify(expiring, ['--now', String(NOW_S + 5)])).code).toBe(0);
    const late = await verify(expiring, ['--now', String(NOW_S + 11), '--json']);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.text).signatures[0].code).toBe('SIGNATURE_EXPIRED');
    const twice = await sign(signed, 'ed', ed.key);
    const limited = JSON.parse((await verify(twice, ['--max-signatures', '1', '--json'])).text);
    expect(limited.signatures.map((s: { result: string }) => s.result)).toEqual(['pass', 'neutral']);
  });

  it.each([
    ['a bad --timeout', ['--timeout', 'soon']],
    ['a bad --max-signatures', ['--max-signatures', '0']],
    ['a bad --now', ['--now', '-5']],
  ])('exit 2 for %s', async (_, extra) => {
    expect((await verify(signed, extra)).code).toBe(2);
  });

  it('exit 2 for an unreadable file or input over the limit', async () => {
    expect((await runBytes(['verify', '/nonexistent/message.eml'], { resolver: zoneWith(records) })).code).toBe(2);
    const huge = new Uint8Array(40 * 1024 * 1024 + 1);
    expect((await runBytes(['verify', '-'], { stdin: huge, resolver: zoneWith(records) })).code).toBe(2);
  });
});
