// MAIL FROM and v1 TXT verification over the wire: Knot DNS as the authoritative server, our UDP resolver asking it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver, verifyLegacyTxt, verifyMailFrom } from '../../src/index.js';
import { createUdpResolver, startZoneServer } from '../../src/node.js';
import { createSesV2Backend } from '../../src/ses.js';
import { type KnotServer, knotAvailable, startKnot, zoneFile } from '../helpers/knot.js';

const run = knotAvailable();
const TOKEN = 'pwCRTZ8zHIJu+vePnXEa4DJmDyGhjSS8V3TkzzL2jI8=';

describe.skipIf(!run)('MAIL FROM and _amazonses TXT against Knot DNS', () => {
  let knot: KnotServer;
  beforeAll(async () => {
    knot = await startKnot({
      'mail.test': zoneFile('mail.test', [
        'bounce MX 10 feedback-smtp.eu-west-1.amazonses.com.',
        'bounce TXT "v=spf1 include:amazonses.com ~all"',
        'wrong MX 10 mx.elsewhere.test.',
        `_amazonses TXT "${TOKEN}"`,
      ]),
    });
  }, 60_000);
  afterAll(async () => {
    await knot?.stop();
  });
  const resolver = () => createUdpResolver({ servers: [knot.server], timeout: 500, attempts: 2 });

  it('reads MX and SPF records as Knot serves them', async () => {
    const dns = resolver();
    const ok = await verifyMailFrom({ mailFromDomain: 'bounce.mail.test', region: 'eu-west-1' }, dns);
    expect(ok.checks.map((check) => [check.type, check.verdict, check.found])).toEqual([
      ['MX', 'MATCH', ['10 feedback-smtp.eu-west-1.amazonses.com']],
      ['TXT', 'MATCH', ['v=spf1 include:amazonses.com ~all']],
    ]);
    expect(ok.checks[0]?.ttl).toBe(300);
    const wrong = await verifyMailFrom({ mailFromDomain: 'wrong.mail.test', region: 'eu-west-1' }, dns);
    expect(wrong.checks[0]).toMatchObject({ verdict: 'MISMATCH', found: ['10 mx.elsewhere.test'] });
    const none = await verifyMailFrom({ mailFromDomain: 'none.mail.test', region: 'eu-west-1' }, dns);
    expect(none.checks[0]).toMatchObject({ verdict: 'NOT_FOUND', dns: 'NXDOMAIN' });
    expect((await verifyLegacyTxt({ domain: 'mail.test', token: TOKEN }, dns)).event.outcome).toBe('MATCH');
    await dns.close?.();
  });

  it('the backend verifies a MAIL FROM domain through Knot', async () => {
    const dns = resolver();
    const clock = { now: Date.UTC(2026, 10, 26) };
    const backend = createSesV2Backend({ resolver: dns, now: () => clock.now, region: 'eu-west-1' });
    await backend.createEmailIdentity({ EmailIdentity: 'mail.test' });
    await backend.putEmailIdentityMailFromAttributes({
      EmailIdentity: 'mail.test',
      MailFromDomain: 'bounce.mail.test',
    });
    clock.now += 60_000;
    await backend.checkAll();
    expect((await backend.getEmailIdentity({ EmailIdentity: 'mail.test' })).MailFromAttributes).toEqual({
      MailFromDomain: 'bounce.mail.test',
      MailFromDomainStatus: 'SUCCESS',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
    await dns.close?.();
  });
});

describe('MX through our own zone server', () => {
  it('a zone resolver served over UDP answers MX as it holds it', async () => {
    const zone = createZoneResolver({
      'bounce.example.com': { MX: [{ preference: 10, exchange: 'feedback-smtp.us-east-1.amazonses.com' }] },
    });
    const server = await startZoneServer(zone);
    try {
      const dns = createUdpResolver({ servers: [server.server], timeout: 500, attempts: 2 });
      expect(await dns.resolve('bounce.example.com', 'MX')).toMatchObject({
        kind: 'records',
        records: [{ preference: 10, exchange: 'feedback-smtp.us-east-1.amazonses.com' }],
      });
      await dns.close?.();
    } finally {
      await server.close();
    }
  });
});
