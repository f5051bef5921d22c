// Debian's python3-boto3 (botocore 1.29) against `verify-dkim serve` and Knot, signing for eu-south-1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Boto3Client,
  type CustomerDns,
  clientsAvailable,
  type Emulator,
  opensslKey,
  startBoto3,
  startCustomerDns,
  startEmulator,
} from './harness.js';

const REGION = 'eu-south-1';
const ZONE = 'dkim.eu-south-1.amazonses.com';
const run = clientsAvailable();

describe.skipIf(!run)('boto3 against verify-dkim serve', () => {
  let dns: CustomerDns;
  let emulator: Emulator;
  let boto: Boto3Client;
  let home: Boto3Client;
  const ok = async (op: string, params: Record<string, unknown> = {}, client = boto) => {
    const answer = await client.call(op, params);
    expect(answer.error, op).toBeUndefined();
    return answer.result as Record<string, unknown>;
  };
  const status = async (identity: string) =>
    (await ok('get_email_identity', { EmailIdentity: identity })) as {
      VerificationStatus: string;
      DkimAttributes: { Status: string; Tokens: string[]; SigningAttributesOrigin: string };
      VerifiedForSendingStatus: boolean;
    };
  const recheck = async () => {
    await emulator.admin('clock', { advanceMs: 16 * 60_000 });
    await emulator.admin('check');
  };

  beforeAll(async () => {
    dns = await startCustomerDns(['byo.test', 'easy.test', 'mail.test']);
    emulator = await startEmulator(dns.knot.server);
    [boto, home] = await Promise.all([startBoto3(emulator.url, REGION), startBoto3(emulator.url, 'us-east-1')]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([boto?.close(), home?.close()]);
    const code = await emulator?.stop();
    await dns?.stop();
    expect(code).toBe(0);
  });

  it('runs Debian boto3 with botocore 1.29', () => {
    expect(boto.versions.botocore).toMatch(/^1\.29\./);
  });

  it('flow 2, BYODKIM with an openssl key: PENDING, publish the TXT in Knot, SUCCESS', async () => {
    const key = await opensslKey();
    const created = await ok('create_email_identity', {
      EmailIdentity: 'byo.test',
      DkimSigningAttributes: { DomainSigningSelector: 'mail2026', DomainSigningPrivateKey: key.sesKey },
    });
    expect(created).toMatchObject({
      IdentityType: 'DOMAIN',
      DkimAttributes: { Status: 'PENDING', SigningAttributesOrigin: 'EXTERNAL', Tokens: ['mail2026'] },
    });
    await dns.publish('byo.test', [`mail2026._domainkey TXT ${key.txt}`], {
      name: 'mail2026._domainkey.byo.test',
      type: 'TXT',
    });
    await recheck();
    expect(await status('byo.test')).toMatchObject({ VerificationStatus: 'SUCCESS', VerifiedForSendingStatus: true });
  }, 60_000);

  it('the SigV4 region picks the state: eu-south-1 identities are not in us-east-1', async () => {
    const missing = await home.call('get_email_identity', { EmailIdentity: 'byo.test' });
    expect(missing.error).toMatchObject({ code: 'NotFoundException', status: 404 });
    expect((await ok('list_email_identities', {}, home)).EmailIdentities).toEqual([]);
  });

  it("flow 1 in a regional zone: Easy DKIM CNAMEs to dkim.eu-south-1.amazonses.com, answered by the emulator's DNS", async () => {
    const created = await ok('create_email_identity', { EmailIdentity: 'easy.test' });
    const tokens = (created.DkimAttributes as { Tokens: string[] }).Tokens;
    expect(tokens).toHaveLength(3);
    await dns.publish(
      'easy.test',
      tokens.map((token) => `${token}._domainkey CNAME ${token}.${ZONE}.`),
      { name: `${tokens[0]}._domainkey.easy.test`, type: 'CNAME' },
    );
    await recheck();
    expect(await status('easy.test')).toMatchObject({
      VerificationStatus: 'SUCCESS',
      DkimAttributes: { Tokens: tokens },
    });
  }, 60_000);

  it('flow 3, switching signing attributes both ways through PUT /v1/.../dkim/signing', async () => {
    const toEasy = await ok('put_email_identity_dkim_signing_attributes', {
      EmailIdentity: 'byo.test',
      SigningAttributesOrigin: 'AWS_SES',
      SigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
    });
    expect(toEasy).toMatchObject({ DkimStatus: 'PENDING' });
    expect(toEasy.DkimTokens).toHaveLength(3);
    const key = await opensslKey(1024);
    const toByo = await ok('put_email_identity_dkim_signing_attributes', {
      EmailIdentity: 'byo.test',
      SigningAttributesOrigin: 'EXTERNAL',
      SigningAttributes: { DomainSigningSelector: 'mail2027', DomainSigningPrivateKey: key.sesKey },
    });
    expect(toByo).toEqual({ DkimStatus: 'PENDING', DkimTokens: ['mail2027'] });
    await dns.publish('byo.test', [`mail2027._domainkey TXT ${key.txt}`], {
      name: 'mail2027._domainkey.byo.test',
      type: 'TXT',
    });
    await recheck();
    expect(await status('byo.test')).toMatchObject({
      VerificationStatus: 'SUCCESS',
      DkimAttributes: { SigningAttributesOrigin: 'EXTERNAL', Tokens: ['mail2027'] },
    });
  }, 60_000);

  it('an email address: PENDING until the confirm route clicks the link in its region', async () => {
    await ok('create_email_identity', { EmailIdentity: 'me@elsewhere.example' });
    expect((await status('me@elsewhere.example')).VerificationStatus).toBe('PENDING');
    await emulator.admin('confirm', { emailAddress: 'me@elsewhere.example', region: REGION });
    expect((await status('me@elsewhere.example')).VerificationStatus).toBe('SUCCESS');
    const elsewhere = await home.call('get_email_identity', { EmailIdentity: 'me@elsewhere.example' });
    expect(elsewhere.error).toMatchObject({ code: 'NotFoundException' });
  }, 60_000);

  it('flow 6, listing (GET with query parameters) and deleting', async () => {
    const listed = await ok('list_email_identities', { PageSize: 10 });
    const names = (listed.EmailIdentities as { IdentityName: string }[]).map((i) => i.IdentityName);
    expect(names).toEqual(['byo.test', 'easy.test', 'me@elsewhere.example']);
    await ok('delete_email_identity', { EmailIdentity: 'easy.test' });
    const gone = await boto.call('get_email_identity', { EmailIdentity: 'easy.test' });
    expect(gone.error).toMatchObject({ code: 'NotFoundException', status: 404 });
  }, 60_000);

  describe('waits for the v2-backend operations (MAIL FROM, tags)', () => {
    it('flow 4, MAIL FROM with MX and SPF: SUCCESS', async () => {
      await ok('create_email_identity', { EmailIdentity: 'mail.test' });
      await ok('put_email_identity_mail_from_attributes', {
        EmailIdentity: 'mail.test',
        MailFromDomain: 'm.mail.test',
        BehaviorOnMxFailure: 'REJECT_MESSAGE',
      });
      await dns.publish(
        'mail.test',
        [`m MX 10 feedback-smtp.${REGION}.amazonses.com.`, 'm TXT "v=spf1 include:amazonses.com -all"'],
        { name: 'm.mail.test', type: 'TXT' },
      );
      await recheck();
      expect((await ok('get_email_identity', { EmailIdentity: 'mail.test' })).MailFromAttributes).toEqual({
        MailFromDomain: 'm.mail.test',
        MailFromDomainStatus: 'SUCCESS',
        BehaviorOnMxFailure: 'REJECT_MESSAGE',
      });
    }, 60_000);

    it('flow 5, tags on an identity ARN of this region', async () => {
      const arn = `arn:aws:ses:${REGION}:000000000000:identity/byo.test`;
      await ok('tag_resource', { ResourceArn: arn, Tags: [{ Key: 'env', Value: 'test' }] });
      expect(await ok('list_tags_for_resource', { ResourceArn: arn })).toEqual({
        Tags: [{ Key: 'env', Value: 'test' }],
      });
      await ok('untag_resource', { ResourceArn: arn, TagKeys: ['env'] });
      expect(await ok('list_tags_for_resource', { ResourceArn: arn })).toEqual({ Tags: [] });
    }, 60_000);
  });
});
