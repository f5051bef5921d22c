// verifyMessage: every result code from the closed list, the overall result and the Authentication-Results fragment.
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createZoneResolver,
  type DkimPrivateKey,
  KEY_RECORD_HINTS,
  overallResult,
  SIGNATURE_CODES,
  signMessage,
  splitCharacterStrings,
  verifyMessage,
} from '../../../src/index.js';
import { ed25519Key, NOW_MS, NOW_S, rsaKey, SIMPLE_MESSAGE, type TestKey, zoneWith } from './fixtures.js';

const NAME = 's1._domainkey.example.com';
let rsa: TestKey<DkimPrivateKey>;
let signed: string;

beforeAll(async () => {
  rsa = await rsaKey(2048);
  signed = (
    await signMessage(SIMPLE_MESSAGE, { domain: 'example.com', selector: 's1', key: rsa.key, timestamp: NOW_S })
  ).prepend(SIMPLE_MESSAGE);
});

const seen = new Set<string>();
const note = <T extends { signatures: readonly { code?: string }[] }>(result: T): T => {
  for (const s of result.signatures) if (s.code !== undefined) seen.add(s.code);
  return result;
};

async function first(message: string, records: Record<string, string> = { [NAME]: rsa.record }, options = {}) {
  const result = note(await verifyMessage(message, zoneWith(records), { now: NOW_MS, ...options }));
  return result.signatures[0];
}

describe('verifyMessage result codes', () => {
  it('pass, with the key size and the JSON fields scripts rely on', async () => {
    const result = await verifyMessage(signed, zoneWith({ [NAME]: rsa.record }), { now: NOW_MS });
    expect(result.result).toBe('pass');
    expect(result.signatures[0]).toMatchObject({
      result: 'pass',
      domain: 'example.com',
      selector: 's1',
      algorithm: 'rsa-sha256',
      canonicalization: 'relaxed/simple',
      signedHeaders: ['from', 'to', 'subject', 'date', 'message-id'],
      keyBits: 2048,
      testing: false,
    });
    expect(result.signatures[0]?.code).toBeUndefined();
    expect(result.authenticationResults).toMatch(
      /^dkim=pass header\.d=example\.com header\.s=s1 header\.a=rsa-sha256 header\.b="?[A-Za-z0-9+/]{8}"?$/,
    );
  });

  it.each([
    ['BODY_HASH_MISMATCH', 'fail', (s: string) => s.replace('how are you?', 'how are you!')],
    ['SIGNATURE_MISMATCH', 'fail', (s: string) => s.replace('Subject: Hello', 'Subject: Hallo')],
    ['SYNTAX', 'permerror', (s: string) => s.replace('; s=s1;', '; s=s1; s=s2;')],
    ['VERSION_UNSUPPORTED', 'permerror', (s: string) => s.replace('v=1;', 'v=2;')],
    ['ALGORITHM_UNSUPPORTED', 'permerror', (s: string) => s.replace('a=rsa-sha256', 'a=rsa-sha512')],
    ['CANONICALIZATION_UNSUPPORTED', 'permerror', (s: string) => s.replace('c=relaxed/simple', 'c=relaxed/loose')],
    ['QUERY_METHOD_UNSUPPORTED', 'permerror', (s: string) => s.replace('q=dns/txt', 'q=dns/json')],
    ['FROM_NOT_SIGNED', 'permerror', (s: string) => s.replace('h=From:', 'h=')],
    ['IDENTITY_MISMATCH', 'permerror', (s: string) => s.replace('; s=s1;', '; s=s1; i=a@example.net;')],
    ['BODY_LENGTH_EXCEEDS', 'permerror', (s: string) => s.replace('; s=s1;', '; s=s1; l=100000;')],
    ['SHA1', 'policy', (s: string) => s.replace('a=rsa-sha256', 'a=rsa-sha1')],
  ])('%s (%s)', async (code, result, edit) => {
    const edited = edit(signed);
    expect(edited).not.toBe(signed);
    const verdict = await first(edited);
    expect(verdict).toMatchObject({ result, code });
    expect(verdict?.message.length).toBeGreaterThan(10);
  });

  it('SIGNATURE_EXPIRED: x= before now, and not before', async () => {
    const options = { domain: 'example.com', selector: 's1', key: rsa.key, timestamp: NOW_S - 100 };
    const expiring = (await signMessage(SIMPLE_MESSAGE, { ...options, expiration: NOW_S - 1 })).prepend(SIMPLE_MESSAGE);
    expect(await first(expiring)).toMatchObject({ result: 'permerror', code: 'SIGNATURE_EXPIRED' });
    expect((await first(expiring, undefined, { now: NOW_MS - 1000 }))?.result).toBe('pass');
  });

  it.each([
    ['KEY_NOT_FOUND', 'permerror', {}],
    ['KEY_REVOKED', 'permerror', { [NAME]: 'v=DKIM1; k=rsa; p=' }],
    ['KEY_INVALID', 'permerror', { [NAME]: 'v=DKIM1; k=rsa; p=MIIBIjAN' }],
    [
      'KEY_TYPE_MISMATCH',
      'permerror',
      { [NAME]: 'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=' },
    ],
  ])('%s (%s)', async (code, result, records) => {
    expect(await first(signed, records)).toMatchObject({ result, code });
  });

  it('KEY_INVALID carries the key-record diagnosis and its hint', async () => {
    const verdict = await first(signed, { [NAME]: rsa.record.replace('v=DKIM1; k=rsa; ', 'v=DKIM1; k=rsa p') });
    expect(verdict).toMatchObject({ result: 'permerror', code: 'KEY_INVALID' });
    expect(verdict?.message).toContain('(MISSING_SEMICOLON)');
    expect(verdict?.message).toContain(KEY_RECORD_HINTS.MISSING_SEMICOLON);
  });

  it('KEY_HASH_MISMATCH, KEY_SERVICE_MISMATCH, KEY_STRICT_IDENTITY from the record tags', async () => {
    const withTags = (tags: string) => ({ [NAME]: rsa.record.replace('k=rsa;', `k=rsa; ${tags};`) });
    expect((await first(signed, withTags('h=sha1')))?.code).toBe('KEY_HASH_MISMATCH');
    expect((await first(signed, withTags('h=sha1:sha256')))?.result).toBe('pass');
    expect((await first(signed, withTags('s=other')))?.code).toBe('KEY_SERVICE_MISMATCH');
    expect((await first(signed, withTags('s=email')))?.result).toBe('pass');
    const options = { domain: 'example.com', selector: 's1', key: rsa.key, timestamp: NOW_S };
    const sub = (await signMessage(SIMPLE_MESSAGE, { ...options, identity: 'a@mail.example.com' })).prepend(
      SIMPLE_MESSAGE,
    );
    const exact = (await signMessage(SIMPLE_MESSAGE, { ...options, identity: 'a@example.com' })).prepend(
      SIMPLE_MESSAGE,
    );
    expect((await first(sub, withTags('t=s')))?.code).toBe('KEY_STRICT_IDENTITY');
    expect((await first(exact, withTags('t=s')))?.result).toBe('pass');
    expect(await first(sub, withTags('t=y'))).toMatchObject({ result: 'pass', testing: true });
  });

  it('DNS_ERROR is temperror, and the overall result is temperror when nothing passes', async () => {
    const resolver = createZoneResolver({ [NAME]: { TXT: [splitCharacterStrings(rsa.record)] } });
    resolver.setFault(NAME, 'SERVFAIL');
    const result = note(await verifyMessage(signed, resolver, { now: NOW_MS }));
    expect(result.signatures[0]).toMatchObject({ result: 'temperror', code: 'DNS_ERROR' });
    expect(result.result).toBe('temperror');
  });

  it('KEY_TOO_SMALL under 1024 bits (policy), adjustable by minKeyBits', async () => {
    // A 768-bit key (node:crypto) published where the signer's key belongs: the size is judged
    // before the signature, and with a lower floor the signature is checked (and fails).
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 768 });
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const record = { [NAME]: `v=DKIM1; k=rsa; p=${spki}` };
    expect(await first(signed, record)).toMatchObject({ result: 'policy', code: 'KEY_TOO_SMALL', keyBits: 768 });
    expect((await first(signed, record, { minKeyBits: 512 }))?.code).toBe('SIGNATURE_MISMATCH');
  });

  it('TOO_MANY_SIGNATURES past maxSignatures (neutral), counted from the top', async () => {
    const ed = await ed25519Key();
    const twice = (
      await signMessage(signed, { domain: 'example.com', selector: 'e1', key: ed.key, timestamp: NOW_S })
    ).prepend(signed);
    const records = { [NAME]: rsa.record, 'e1._domainkey.example.com': ed.record };
    const all = await verifyMessage(twice, zoneWith(records), { now: NOW_MS });
    expect(all.signatures.map((s) => [s.selector, s.result])).toEqual([
      ['e1', 'pass'],
      ['s1', 'pass'],
    ]);
    const one = note(await verifyMessage(twice, zoneWith(records), { now: NOW_MS, maxSignatures: 1 }));
    expect(one.signatures.map((s) => [s.selector, s.result, s.code])).toEqual([
      ['e1', 'pass', undefined],
      ['s1', 'neutral', 'TOO_MANY_SIGNATURES'],
    ]);
    expect(one.authenticationResults.split('; ')).toHaveLength(2);
  });

  it('every code of the closed list is produced by some test above', () => {
    const all = Object.values(SIGNATURE_CODES).flat();
    expect(all.filter((code) => !seen.has(code))).toEqual([]);
  });
});

describe('overall result', () => {
  it('none without a signature', async () => {
    const result = await verifyMessage(SIMPLE_MESSAGE, zoneWith({}));
    expect(result).toEqual({ result: 'none', signatures: [], authenticationResults: 'dkim=none' });
  });
  it('pass if any passes; else temperror if any; else the first', () => {
    expect(overallResult(['fail', 'temperror', 'pass'])).toBe('pass');
    expect(overallResult(['fail', 'temperror'])).toBe('temperror');
    expect(overallResult(['policy', 'fail'])).toBe('policy');
    expect(overallResult([])).toBe('none');
  });
});
