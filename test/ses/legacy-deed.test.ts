// v1 VerifyDomainIdentity's TXT verification on the v2 backend, address identities' DKIM, and DEED across regions.
import { describe, expect, it } from 'vitest';
import { createZoneResolver, easyDkimRecords } from '../../src/index.js';
import { createSesClock } from '../../src/ses/clock.js';
import { createSesRegions } from '../../src/ses/regions.js';
import { createSesV2Backend } from '../../src/ses.js';
import { legacyTxtName, verifyLegacyTxt } from '../../src/verify/legacy-txt.js';

const T0 = Date.UTC(2026, 10, 26);
const HOUR = 3_600_000;

describe('v1 legacy TXT verification', () => {
  it('verifyLegacyTxt: the token at _amazonses.<domain>, beside other records', async () => {
    const zone = createZoneResolver();
    const token = 'pwCRTZ8zHIJu+vePnXEa4DJmDyGhjSS8V3TkzzL2jI8=';
    expect(legacyTxtName('Example.COM.')).toBe('_amazonses.example.com');
    const absent = await verifyLegacyTxt({ domain: 'example.com', token }, zone, { now: T0 });
    expect(absent.checks[0]).toMatchObject({ verdict: 'NOT_FOUND', name: '_amazonses.example.com' });
    zone.set('_amazonses.example.com', 'TXT', [['other-token']]);
    expect((await verifyLegacyTxt({ domain: 'example.com', token }, zone)).checks[0]?.verdict).toBe('MISMATCH');
    zone.set('_amazonses.example.com', 'TXT', [['other-token'], [token]]);
    expect((await verifyLegacyTxt({ domain: 'example.com', token }, zone)).event.outcome).toBe('MATCH');
  });

  it('VerifyDomainIdentity creates the identity, keeps its token, verifies it and lets it send', async () => {
    const zone = createZoneResolver();
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: zone, now: () => clock.now });
    const { VerificationToken } = await backend.verifyDomainIdentity({ Domain: 'Legacy.Example.com' });
    expect(VerificationToken).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await backend.verifyDomainIdentity({ Domain: 'legacy.example.com' })).toEqual({ VerificationToken });
    const seen = await backend.getEmailIdentity({ EmailIdentity: 'legacy.example.com' });
    expect(seen).toMatchObject({ IdentityType: 'DOMAIN', VerificationStatus: 'PENDING' });
    expect(seen.DkimAttributes.Status).toBe('NOT_STARTED');
    expect(await backend.canSend('me@legacy.example.com')).toBe(false);
    zone.set('_amazonses.legacy.example.com', 'TXT', [[VerificationToken]]);
    clock.now += 10 * 60_000;
    await backend.checkAll();
    expect(
      await backend.getIdentityVerificationAttributes({ Identities: ['legacy.example.com', 'nobody.com'] }),
    ).toEqual({ 'legacy.example.com': { VerificationStatus: 'SUCCESS', VerificationToken, VerifiedForSending: true } });
    expect(await backend.canSend('me@legacy.example.com')).toBe(true);
    expect((await backend.listEmailIdentities()).EmailIdentities).toEqual([
      {
        IdentityType: 'DOMAIN',
        IdentityName: 'legacy.example.com',
        SendingEnabled: true,
        VerificationStatus: 'SUCCESS',
      },
    ]);
  });

  it('FAILED after 72 hours without the record; asking again restarts with the same token', async () => {
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => clock.now, tokenSecret: 's' });
    const first = await backend.verifyDomainIdentity({ Domain: 'late.example.com' });
    for (const hours of [1, 24, 48, 72.1]) {
      clock.now = T0 + hours * HOUR;
      await backend.checkAll();
    }
    expect(await backend.getEmailIdentity({ EmailIdentity: 'late.example.com' })).toMatchObject({
      VerificationStatus: 'FAILED',
      VerificationInfo: { ErrorType: 'HOST_NOT_FOUND', LastCheckedTimestamp: new Date(T0 + 72.1 * HOUR) },
    });
    expect(await backend.verifyDomainIdentity({ Domain: 'late.example.com' })).toEqual(first);
    expect((await backend.getEmailIdentity({ EmailIdentity: 'late.example.com' })).VerificationStatus).toBe('PENDING');
    await expect(backend.verifyDomainIdentity({ Domain: 'me@example.com' })).rejects.toMatchObject({
      name: 'BadRequestException',
    });
  });

  it('an Easy DKIM domain created through v2 gets a token too, and DKIM SUCCESS alone verifies it', async () => {
    const zone = createZoneResolver();
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: zone, now: () => clock.now });
    const created = await backend.createEmailIdentity({ EmailIdentity: 'both.example.com' });
    await backend.verifyDomainIdentity({ Domain: 'both.example.com' });
    for (const r of easyDkimRecords({ domain: 'both.example.com', tokens: created.DkimAttributes?.Tokens ?? [] })) {
      zone.set(r.name, 'CNAME', r.value);
    }
    clock.now += 60_000;
    await backend.checkAll();
    const got = await backend.getEmailIdentity({ EmailIdentity: 'both.example.com' });
    expect(got).toMatchObject({ VerificationStatus: 'SUCCESS', VerifiedForSendingStatus: true });
  });
});

describe('v1 DKIM and address verification on the v2 backend', () => {
  it('verifyDomainDkim sets up Easy DKIM (also on a TXT-only domain) and is stable; verifyEmailIdentity is idempotent', async () => {
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    const fresh = await backend.verifyDomainDkim({ Domain: 'new.example.com' });
    expect(fresh.DkimTokens).toHaveLength(3);
    expect(await backend.verifyDomainDkim({ Domain: 'new.example.com' })).toEqual(fresh);
    await backend.verifyDomainIdentity({ Domain: 'txt.example.com' });
    const added = await backend.verifyDomainDkim({ Domain: 'txt.example.com' });
    expect(added.DkimTokens).toHaveLength(3);
    expect((await backend.getEmailIdentity({ EmailIdentity: 'txt.example.com' })).DkimAttributes).toMatchObject({
      Status: 'PENDING',
      Tokens: added.DkimTokens,
    });
    await backend.verifyEmailIdentity({ EmailAddress: 'me@example.org' });
    await backend.verifyEmailIdentity({ EmailAddress: 'me@example.org' });
    await expect(backend.verifyEmailIdentity({ EmailAddress: 'example.org' })).rejects.toMatchObject({
      name: 'BadRequestException',
      message: 'Invalid email addressexample.org.',
    });
    // SetIdentityDkimEnabled on an address: a no-op under a domain identity, refused otherwise.
    await backend.verifyEmailIdentity({ EmailAddress: 'me@new.example.com' });
    await expect(
      backend.putEmailIdentityDkimAttributes({ EmailIdentity: 'me@new.example.com', SigningEnabled: false }),
    ).resolves.toEqual({});
    await expect(
      backend.putEmailIdentityDkimAttributes({ EmailIdentity: 'me@example.org', SigningEnabled: true }),
    ).rejects.toMatchObject({
      name: 'BadRequestException',
      message: 'Domain example.org is not verified for DKIM signing.',
    });
  });
});

describe('email-address identities and their domain', () => {
  it("an address shows SES's DKIM attributes for an address, then its domain identity's", async () => {
    const zone = createZoneResolver();
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: zone, now: () => clock.now });
    expect(await backend.createEmailIdentity({ EmailIdentity: 'me@example.com' })).toEqual({
      IdentityType: 'EMAIL_ADDRESS',
      VerifiedForSendingStatus: false,
    });
    expect((await backend.getEmailIdentity({ EmailIdentity: 'me@example.com' })).DkimAttributes).toEqual({
      SigningEnabled: false,
      Status: 'NOT_STARTED',
      SigningAttributesOrigin: 'AWS_SES',
      NextSigningKeyLength: 'RSA_1024_BIT',
    });
    const domain = await backend.createEmailIdentity({ EmailIdentity: 'example.com' });
    for (const r of easyDkimRecords({ domain: 'example.com', tokens: domain.DkimAttributes?.Tokens ?? [] })) {
      zone.set(r.name, 'CNAME', r.value);
    }
    clock.now += 60_000;
    await backend.checkAll();
    const address = await backend.getEmailIdentity({ EmailIdentity: 'me@example.com' });
    expect(address.DkimAttributes).toMatchObject({ Status: 'SUCCESS', Tokens: domain.DkimAttributes?.Tokens });
    expect(address).toMatchObject({ VerificationStatus: 'PENDING', VerifiedForSendingStatus: true });
  });
});

describe('DEED across the regions one server hosts', () => {
  it("a replica takes its parent region's DKIM signing and status; a missing parent is a BadRequest", async () => {
    const zone = createZoneResolver();
    const base = { now: T0 };
    const clock = createSesClock(() => base.now);
    const regions = createSesRegions({ resolver: zone, now: clock.now, regions: ['us-east-1', 'eu-west-1'] });
    const parent = regions.backend('us-east-1');
    const replica = regions.backend('eu-west-1');
    const origin = { DomainSigningAttributesOrigin: 'AWS_SES_US_EAST_1' };
    await expect(
      replica.createEmailIdentity({ EmailIdentity: 'deed.example.com', DkimSigningAttributes: origin }),
    ).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('primary region us-east-1'),
    });
    const created = await parent.createEmailIdentity({ EmailIdentity: 'deed.example.com' });
    const copy = await replica.createEmailIdentity({
      EmailIdentity: 'deed.example.com',
      DkimSigningAttributes: origin,
    });
    expect(copy.DkimAttributes).toMatchObject({
      Tokens: created.DkimAttributes?.Tokens,
      SigningHostedZone: 'dkim.amazonses.com',
      SigningAttributesOrigin: 'AWS_SES_US_EAST_1',
      Status: 'PENDING',
    });
    for (const r of easyDkimRecords({ domain: 'deed.example.com', tokens: created.DkimAttributes?.Tokens ?? [] })) {
      zone.set(r.name, 'CNAME', r.value);
    }
    clock.advance(60_000);
    await regions.checkAll();
    expect(await replica.getEmailIdentity({ EmailIdentity: 'deed.example.com' })).toMatchObject({
      VerificationStatus: 'SUCCESS',
      VerifiedForSendingStatus: true,
    });
    expect(await replica.canSend('me@deed.example.com')).toBe(true);
    await parent.deleteEmailIdentity({ EmailIdentity: 'deed.example.com' });
    expect(await replica.getEmailIdentity({ EmailIdentity: 'deed.example.com' })).toMatchObject({
      VerificationStatus: 'FAILED',
      VerificationInfo: { ErrorType: 'REPLICATION_PRIMARY_NOT_FOUND' },
    });
    for (const refused of ['AWS_SES_EU_WEST_1', 'AWS_SES_AP_SOUTH_2', 'AWS_SES_NOWHERE']) {
      await expect(
        replica.createEmailIdentity({
          EmailIdentity: 'other.example.com',
          DkimSigningAttributes: { DomainSigningAttributesOrigin: refused },
        }),
        refused,
      ).rejects.toMatchObject({ name: 'BadRequestException' });
    }
    expect(regions.regions()).toEqual(['us-east-1', 'eu-west-1']);
    expect(() => regions.backend('mars-north-1')).toThrow();
  });
});
