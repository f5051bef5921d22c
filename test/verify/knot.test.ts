// The verifier against real zones served by Knot DNS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrivateKey, verifyIdentity } from '../../src/index.js';
import { createUdpResolver } from '../../src/node.js';
import { createEasyDkimIdentity, type EasyDkimIdentity } from '../../src/ses.js';
import { loadRecordVectors } from '../../vectors/load.js';
import { type KnotServer, knotAvailable, startKnot, txtData, zoneFile } from '../helpers/knot.js';

const vectors = loadRecordVectors();
const match = vectors.rrsets.find((v) => v.id === 'match');
const mismatch = vectors.rrsets.find((v) => v.id === 'mismatch')?.records[0] ?? [];
const key = parsePrivateKey(match?.key ?? '');

const run = knotAvailable();

describe.skipIf(!run)('verification against Knot DNS', () => {
  let knot: KnotServer;
  let identity: EasyDkimIdentity;
  beforeAll(async () => {
    identity = await createEasyDkimIdentity({ domain: 'easy.test', secret: 'knot', now: 0, keyLength: 'RSA_1024_BIT' });
    knot = await startKnot({
      'byo.test': zoneFile('byo.test', [
        `good._domainkey TXT ${txtData(match?.records[0] ?? [])}`,
        `other._domainkey TXT ${txtData(mismatch)}`,
      ]),
      'easy.test': zoneFile(
        'easy.test',
        identity.attributes.Tokens.map((t) => `${t}._domainkey CNAME ${t}.dkim.amazonses.test.`),
      ),
      'dkim.amazonses.test': zoneFile(
        'dkim.amazonses.test',
        identity.providerKeys.map((p) => `${p.token} TXT ${txtData(p.record.strings)}`),
      ),
      'down.test': null,
    });
  }, 60_000);
  afterAll(async () => {
    await knot?.stop();
  });
  const resolver = () =>
    createUdpResolver({ servers: [knot.server], timeout: 500, attempts: 2, backoff: { min: 5, max: 20 } });

  it.each([
    ['byo.test', 'good', 'MATCH', 'SUCCESS'],
    ['byo.test', 'other', 'MISMATCH', 'FAILED'],
    ['byo.test', 'missing', 'NOT_FOUND', 'PENDING'],
    ['down.test', 'good', 'DNS_ERROR', 'TEMPORARY_FAILURE'],
  ])('BYODKIM %s selector %s: %s -> %s', async (domain, selector, verdict, status) => {
    const result = await verifyIdentity({ kind: 'byodkim', domain, selector, key }, resolver());
    expect(result.checks[0]?.verdict).toBe(verdict);
    expect(result.status).toBe(status);
  });

  it('Easy DKIM: CNAME -> TXT -> key across zones, SUCCESS', async () => {
    const result = await verifyIdentity(
      {
        kind: 'easy-dkim',
        domain: 'easy.test',
        tokens: identity.attributes.Tokens,
        hostedZone: 'dkim.amazonses.test',
        providerKeys: identity.providerKeys.map((p) => p.key.key),
      },
      resolver(),
    );
    expect(result.checks.map((c) => c.verdict)).toEqual(['MATCH', 'MATCH', 'MATCH']);
    expect(result.status).toBe('SUCCESS');
    expect(result.authenticated).toBe(false);
  });
});
