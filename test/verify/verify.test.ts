// The verifier over zone data: BYODKIM and Easy DKIM verdicts and statuses.
import { beforeAll, describe, expect, it } from 'vitest';
import { VERDICTS } from '../../src/core/key-record/verdict.js';
import { createZoneResolver, parsePrivateKey, verifyIdentity, type ZoneResolver } from '../../src/index.js';
import { createEasyDkimIdentity, type EasyDkimIdentity } from '../../src/ses.js';
import { summarize } from '../../src/verify/verify.js';
import { loadRecordVectors } from '../../vectors/load.js';

const vectors = loadRecordVectors();
const rrset = (id: string) => vectors.rrsets.find((v) => v.id === id)?.records ?? [];
const matchVector = vectors.rrsets.find((v) => v.id === 'match');
const key = parsePrivateKey(matchVector?.key ?? '');
const providerRecord = rrset('match');

function zoneFor(records: Record<string, readonly (readonly string[])[]>): ZoneResolver {
  const zone = createZoneResolver();
  for (const [name, txt] of Object.entries(records)) zone.set(name, 'TXT', txt);
  return zone;
}

describe('BYODKIM verification over zone data', () => {
  const byo = (domain: string) => ({ kind: 'byodkim' as const, domain, selector: 's1', key });
  const zone = zoneFor({
    's1._domainkey.match.example': providerRecord,
    's1._domainkey.mismatch.example': rrset('mismatch'),
    's1._domainkey.revoked.example': rrset('revoked'),
    's1._domainkey.invalid.example': rrset('invalid'),
    's1._domainkey.weak.example': rrset('weak'),
    's1._domainkey.multiple.example': rrset('multiple'),
    's1._domainkey.notdkim.example': rrset('only-spf'),
    's1._domainkey.servfail.example': providerRecord,
    's1._domainkey.sha1.example': rrset('match-but-h-sha1'),
  });
  zone.set('s1._domainkey.dangling.example', 'CNAME', 'gone.example.net');
  zone.set('s1._domainkey.cname.example', 'CNAME', 'keys.provider.example');
  zone.set('keys.provider.example', 'TXT', providerRecord);
  zone.setFault('s1._domainkey.servfail.example', 'SERVFAIL');
  zone.set('s1._domainkey.slow.example', 'TXT', providerRecord);
  zone.setFault('s1._domainkey.slow.example', 'TIMEOUT');

  it.each([
    ['match.example', 'MATCH', 'MATCH', 'SUCCESS'],
    ['cname.example', 'MATCH', 'MATCH', 'SUCCESS'],
    ['mismatch.example', 'MISMATCH', 'MISMATCH', 'FAILED'],
    ['revoked.example', 'REVOKED', 'REVOKED', 'FAILED'],
    ['invalid.example', 'INVALID', 'TRUNCATED_AT_255', 'FAILED'],
    ['sha1.example', 'INVALID', 'HASH_EXCLUDES_SHA256', 'FAILED'],
    ['weak.example', 'WEAK_KEY', 'WEAK_KEY', 'FAILED'],
    ['multiple.example', 'MULTIPLE_RECORDS', 'MULTIPLE_RECORDS', 'FAILED'],
    ['notdkim.example', 'NOT_DKIM', 'NOT_DKIM', 'FAILED'],
    ['missing.example', 'NOT_FOUND', 'NXDOMAIN', 'PENDING'],
    ['dangling.example', 'CNAME_DANGLING', 'CNAME_DANGLING', 'PENDING'],
    ['servfail.example', 'DNS_ERROR', 'SERVFAIL', 'TEMPORARY_FAILURE'],
    ['slow.example', 'DNS_ERROR', 'TIMEOUT', 'TEMPORARY_FAILURE'],
  ])('%s: %s (%s) -> %s', async (domain, verdict, reason, status) => {
    const result = await verifyIdentity(byo(domain), zone, { now: 1000 });
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({ name: `s1._domainkey.${domain}`, type: 'TXT', verdict, reason });
    expect(result.status).toBe(status);
    expect(result.event).toEqual({
      type: 'observation',
      at: 1000,
      outcome: status === 'SUCCESS' ? 'MATCH' : status === 'TEMPORARY_FAILURE' ? 'DNS_ERROR' : 'NO_MATCH',
    });
    expect(result.checks[0]?.expected).toMatch(/^v=DKIM1; k=rsa; p=MIIB/);
  });

  it('without a key, any one valid key record is SUCCESS', async () => {
    const result = await verifyIdentity({ kind: 'byodkim', domain: 'mismatch.example', selector: 's1' }, zone);
    expect(result.checks[0]?.verdict).toBe('VALID');
    expect(result.status).toBe('SUCCESS');
  });

  it('shows what it found, joined', async () => {
    const result = await verifyIdentity(byo('match.example'), zone);
    expect(result.checks[0]?.found).toEqual([providerRecord[0]?.join('')]);
  });
});

describe('Easy DKIM verification over zone data', () => {
  let identity: EasyDkimIdentity;
  beforeAll(async () => {
    identity = await createEasyDkimIdentity({
      domain: 'easy.example',
      secret: 'verify-test',
      now: 0,
      keyLength: 'RSA_1024_BIT',
    });
  }, 30_000);

  /** A zone where the owner published every CNAME and the provider serves every key; `edit` damages it. */
  function world(edit?: (zone: ZoneResolver, tokens: readonly string[]) => void): ZoneResolver {
    const zone = createZoneResolver();
    for (const provider of identity.providerKeys) {
      zone.set(`${provider.token}._domainkey.easy.example`, 'CNAME', `${provider.token}.dkim.amazonses.com`);
      zone.set(provider.record.name, 'TXT', [provider.record.strings]);
    }
    edit?.(zone, identity.attributes.Tokens);
    return zone;
  }
  const expectation = (withKeys = true) => ({
    kind: 'easy-dkim' as const,
    domain: 'easy.example',
    tokens: identity.attributes.Tokens,
    ...(withKeys ? { providerKeys: identity.providerKeys.map((p) => p.key.key) } : {}),
  });

  it('follows CNAME -> TXT -> key for all three tokens: SUCCESS', async () => {
    const result = await verifyIdentity(expectation(), world());
    expect(result.checks.map((c) => c.verdict)).toEqual(['MATCH', 'MATCH', 'MATCH']);
    expect(result.checks.map((c) => c.type)).toEqual(['CNAME', 'CNAME', 'CNAME']);
    expect(result.status).toBe('SUCCESS');
  });

  it.each<[string, (zone: ZoneResolver, tokens: readonly string[]) => void, string[], string]>([
    [
      'a CNAME pointing elsewhere',
      (z, t) => z.set(`${t[0]}._domainkey.easy.example`, 'CNAME', 'other.example.net'),
      ['CNAME_MISMATCH', 'MATCH', 'MATCH'],
      'FAILED',
    ],
    [
      'a missing CNAME',
      (z, t) => z.remove(`${t[1]}._domainkey.easy.example`),
      ['MATCH', 'NOT_FOUND', 'MATCH'],
      'PENDING',
    ],
    [
      'a TXT where the CNAME belongs',
      (z, t) => {
        z.remove(`${t[2]}._domainkey.easy.example`);
        z.set(`${t[2]}._domainkey.easy.example`, 'TXT', [['v=DKIM1; p=AAAA']]);
      },
      ['MATCH', 'MATCH', 'CNAME_EXPECTED'],
      'FAILED',
    ],
    [
      'a target the provider does not serve',
      (z, t) => z.remove(`${t[0]}.dkim.amazonses.com`),
      ['CNAME_DANGLING', 'MATCH', 'MATCH'],
      'PENDING',
    ],
    [
      'another key behind a token',
      (z, t) => z.set(`${t[1]}.dkim.amazonses.com`, 'TXT', providerRecord),
      ['MATCH', 'MISMATCH', 'MATCH'],
      'FAILED',
    ],
    [
      'a SERVFAIL on one token',
      (z, t) => z.setFault(`${t[2]}._domainkey.easy.example`, 'SERVFAIL'),
      ['MATCH', 'MATCH', 'DNS_ERROR'],
      'TEMPORARY_FAILURE',
    ],
    [
      'precedence: missing + DNS error -> TEMPORARY_FAILURE',
      (z, t) => {
        z.remove(`${t[0]}._domainkey.easy.example`);
        z.setFault(`${t[1]}._domainkey.easy.example`, 'TIMEOUT');
      },
      ['NOT_FOUND', 'DNS_ERROR', 'MATCH'],
      'TEMPORARY_FAILURE',
    ],
    [
      'precedence: missing + DNS error + mismatch -> FAILED',
      (z, t) => {
        z.remove(`${t[0]}._domainkey.easy.example`);
        z.setFault(`${t[1]}._domainkey.easy.example`, 'TIMEOUT');
        z.set(`${t[2]}._domainkey.easy.example`, 'CNAME', 'elsewhere.example.net');
      },
      ['NOT_FOUND', 'DNS_ERROR', 'CNAME_MISMATCH'],
      'FAILED',
    ],
  ])('%s', async (_what, edit, verdicts, status) => {
    const result = await verifyIdentity(expectation(), world(edit));
    expect(result.checks.map((c) => c.verdict)).toEqual(verdicts);
    expect(result.status).toBe(status);
  });

  it('without provider keys, a correct CNAME to a valid key record is a MATCH', async () => {
    const result = await verifyIdentity(expectation(false), world());
    expect(result.status).toBe('SUCCESS');
  });

  it('refuses a wrong number of tokens', async () => {
    await expect(verifyIdentity({ ...expectation(), tokens: ['a'] }, world())).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
  });
});

describe('summarize', () => {
  it('gives one check the status, event and AD summary the general path gives it twice over', () => {
    for (const verdict of VERDICTS) {
      for (const authenticated of [true, false]) {
        const check = {
          name: 's1._domainkey.example.com',
          type: 'TXT' as const,
          found: [],
          expected: null,
          verdict,
          reason: verdict,
          detail: verdict,
          authenticated,
          ttl: 300,
        };
        const checks = [check];
        const one = summarize('example.com', checks, 1000);
        expect(one.checks).toBe(checks);
        expect(one).toStrictEqual({ ...summarize('example.com', [check, check], 1000), checks: [check] });
      }
    }
  });
});
