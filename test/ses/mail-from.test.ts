// MAIL FROM: the pure checker over zone data, and PutEmailIdentityMailFromAttributes through the backend's state machine.
import { describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../src/index.js';
import { createSesV2Backend } from '../../src/ses.js';
import { MAIL_FROM_SPF, mailFromMxTarget, mailFromRecords, verifyMailFrom } from '../../src/verify/mail-from.js';

const T0 = Date.UTC(2026, 10, 26);
const HOUR = 3_600_000;

describe('verifyMailFrom', () => {
  it('MX to feedback-smtp.<region>.amazonses.com decides; SPF is checked and reported', async () => {
    const zone = createZoneResolver();
    const options = { mailFromDomain: 'bounce.example.com', region: 'eu-west-1' };
    const missing = await verifyMailFrom(options, zone, { now: T0 });
    expect(missing.event.outcome).toBe('NO_MATCH');
    expect(missing.checks.map((c) => [c.type, c.verdict])).toEqual([
      ['MX', 'NOT_FOUND'],
      ['TXT', 'NOT_FOUND'],
    ]);
    zone.set('bounce.example.com', 'MX', [{ preference: 10, exchange: 'mx.other.example' }]);
    const wrong = await verifyMailFrom(options, zone, { now: T0 });
    expect(wrong.checks[0]).toMatchObject({ verdict: 'MISMATCH', found: ['10 mx.other.example'] });
    expect(wrong.checks[0]?.hint).toContain('feedback-smtp.eu-west-1.amazonses.com');
    const [mx, spf] = mailFromRecords(options);
    expect(mx?.value).toBe(`10 ${mailFromMxTarget('eu-west-1')}`);
    zone.set('bounce.example.com', 'MX', [{ preference: 10, exchange: 'feedback-smtp.eu-west-1.amazonses.com.' }]);
    const mxOnly = await verifyMailFrom(options, zone, { now: T0 });
    expect(mxOnly.event.outcome).toBe('MATCH');
    expect(mxOnly.spf.verdict).toBe('NOT_FOUND');
    zone.set('bounce.example.com', 'TXT', [['v=spf1 include:_spf.example ~all']]);
    expect((await verifyMailFrom(options, zone, { now: T0 })).spf.verdict).toBe('MISMATCH');
    zone.set('bounce.example.com', 'TXT', [[spf?.value ?? MAIL_FROM_SPF]]);
    expect((await verifyMailFrom(options, zone, { now: T0 })).spf.verdict).toBe('MATCH');
    zone.setFault('bounce.example.com', 'SERVFAIL');
    expect((await verifyMailFrom(options, zone, { now: T0 })).event.outcome).toBe('DNS_ERROR');
  });
});

describe('PutEmailIdentityMailFromAttributes', () => {
  it('PENDING, then SUCCESS once the MX is there, then TEMPORARY_FAILURE when it goes; always shaped as SES shapes it', async () => {
    const zone = createZoneResolver();
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: zone, now: () => clock.now, region: 'eu-west-1' });
    await backend.createEmailIdentity({ EmailIdentity: 'example.com' });
    expect((await backend.getEmailIdentity({ EmailIdentity: 'example.com' })).MailFromAttributes).toEqual({
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
    await backend.putEmailIdentityMailFromAttributes({
      EmailIdentity: 'example.com',
      MailFromDomain: 'bounce.example.com',
      BehaviorOnMxFailure: 'REJECT_MESSAGE',
    });
    const pending = await backend.getEmailIdentity({ EmailIdentity: 'example.com' });
    expect(pending.MailFromAttributes).toEqual({
      MailFromDomain: 'bounce.example.com',
      MailFromDomainStatus: 'PENDING',
      BehaviorOnMxFailure: 'REJECT_MESSAGE',
    });
    zone.set('bounce.example.com', 'MX', [{ preference: 10, exchange: 'feedback-smtp.eu-west-1.amazonses.com' }]);
    clock.now += 60_000;
    await backend.checkAll();
    const ok = await backend.getEmailIdentity({ EmailIdentity: 'example.com' });
    expect(ok.MailFromAttributes.MailFromDomainStatus).toBe('SUCCESS');
    expect(ok.DkimAttributes.Status).toBe('PENDING'); // each verification on its own
    expect(await backend.mailFromForSending('me@example.com')).toEqual({
      kind: 'custom',
      domain: 'bounce.example.com',
    });
    zone.remove('bounce.example.com');
    clock.now += 7 * HOUR;
    await backend.checkAll();
    expect((await backend.getEmailIdentity({ EmailIdentity: 'example.com' })).MailFromAttributes).toMatchObject({
      MailFromDomainStatus: 'TEMPORARY_FAILURE',
    });
    clock.now += 73 * HOUR;
    for (let i = 0; i < 3; i++) await backend.checkAll();
    expect(
      (await backend.getEmailIdentity({ EmailIdentity: 'example.com' })).MailFromAttributes.MailFromDomainStatus,
    ).toBe('FAILED');
    expect(await backend.mailFromForSending('me@example.com')).toEqual({
      kind: 'reject',
      domain: 'bounce.example.com',
    });
    await backend.putEmailIdentityMailFromAttributes({ EmailIdentity: 'example.com' });
    expect((await backend.getEmailIdentity({ EmailIdentity: 'example.com' })).MailFromAttributes).toEqual({
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
    expect(await backend.mailFromForSending('me@example.com')).toEqual({ kind: 'default', domain: null });
  });

  it('refuses what SES refuses: not a subdomain, a bad behaviour, an unknown identity (400, not 404)', async () => {
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    await backend.createEmailIdentity({ EmailIdentity: 'example.com' });
    await backend.createEmailIdentity({ EmailIdentity: 'me@example.com' });
    for (const MailFromDomain of ['example.com', 'other.com', 'notexample.com', 'a..example.com']) {
      await expect(
        backend.putEmailIdentityMailFromAttributes({ EmailIdentity: 'example.com', MailFromDomain }),
        MailFromDomain,
      ).rejects.toMatchObject({ name: 'BadRequestException' });
    }
    await expect(
      backend.putEmailIdentityMailFromAttributes({
        EmailIdentity: 'example.com',
        MailFromDomain: 'm.example.com',
        BehaviorOnMxFailure: 'RejectMessage',
      }),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: expect.stringContaining('enum value set') });
    await expect(
      backend.putEmailIdentityMailFromAttributes({ EmailIdentity: 'nobody.example.org', MailFromDomain: 'm.x.org' }),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: 'Identity nobody.example.org does not exist.' });
    // An address's MAIL FROM domain is under the address's domain.
    await backend.putEmailIdentityMailFromAttributes({
      EmailIdentity: 'me@example.com',
      MailFromDomain: 'm.example.com',
    });
    expect((await backend.getEmailIdentity({ EmailIdentity: 'me@example.com' })).MailFromAttributes).toMatchObject({
      MailFromDomain: 'm.example.com',
      MailFromDomainStatus: 'PENDING',
    });
  });
});
