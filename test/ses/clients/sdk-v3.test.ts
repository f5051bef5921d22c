// The AWS SDK for JavaScript v3 (current model: /v2 signing path, POST listings) against `verify-dkim serve` and Knot.
import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  CreateEmailIdentityPolicyCommand,
  DeleteConfigurationSetCommand,
  DeleteEmailIdentityCommand,
  GetAccountCommand,
  GetConfigurationSetCommand,
  GetEmailIdentityCommand,
  GetEmailIdentityPoliciesCommand,
  ListConfigurationSetsCommand,
  ListEmailIdentitiesCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  PutEmailIdentityDkimSigningAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
  TagResourceCommand,
} from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CustomerDns,
  clientsAvailable,
  type Emulator,
  opensslKey,
  startCustomerDns,
  startEmulator,
} from './harness.js';

const REGION = 'us-west-2';
const run = clientsAvailable();

describe.skipIf(!run)('the JS SDK v3 against verify-dkim serve', () => {
  let dns: CustomerDns;
  let emulator: Emulator;
  let ses: SESv2Client;
  const get = (identity: string) => ses.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
  const recheck = async () => {
    await emulator.admin('clock', { advanceMs: 16 * 60_000 });
    await emulator.admin('check');
  };

  beforeAll(async () => {
    dns = await startCustomerDns(['easy.test', 'byo.test', 'early.test', 'late.test', 'mail.test', 'pending.test']);
    // --check-every: the emulator's own scheduler checks without the check route.
    emulator = await startEmulator(dns.knot.server, ['--check-every', '100', '--account-id', '123456789012']);
    ses = new SESv2Client({
      endpoint: emulator.url,
      region: REGION,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  }, 30_000);
  afterAll(async () => {
    ses?.destroy();
    const code = await emulator?.stop();
    await dns?.stop();
    expect(code).toBe(0);
  });

  it('flow 1, Easy DKIM: the tokens, the hosted zone, SUCCESS once the CNAMEs are in Knot', async () => {
    const created = await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'easy.test' }));
    expect(created.DkimAttributes).toMatchObject({
      Status: 'PENDING',
      SigningHostedZone: 'dkim.amazonses.com',
      SigningAttributesOrigin: 'AWS_SES',
    });
    const tokens = created.DkimAttributes?.Tokens ?? [];
    expect(tokens).toHaveLength(3);
    await dns.publish(
      'easy.test',
      tokens.map((token) => `${token}._domainkey CNAME ${token}.dkim.amazonses.com.`),
      { name: `${tokens[0]}._domainkey.easy.test`, type: 'CNAME' },
    );
    await recheck();
    const got = await get('easy.test');
    expect(got).toMatchObject({ VerificationStatus: 'SUCCESS', DkimAttributes: { Status: 'SUCCESS' } });
    expect(got.VerificationInfo?.LastSuccessTimestamp).toBeInstanceOf(Date);
  }, 30_000);

  it('flow 2, BYODKIM whose record is already published: SUCCESS from --check-every alone', async () => {
    const key = await opensslKey();
    await dns.publish('early.test', [`s1._domainkey TXT ${key.txt}`], {
      name: 's1._domainkey.early.test',
      type: 'TXT',
    });
    await ses.send(
      new CreateEmailIdentityCommand({
        EmailIdentity: 'early.test',
        DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: key.sesKey },
      }),
    );
    const deadline = Date.now() + 10_000;
    let status = (await get('early.test')).VerificationStatus;
    while (status !== 'SUCCESS' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await get('early.test')).VerificationStatus;
    }
    expect(status).toBe('SUCCESS');
  }, 30_000);

  it('flow 3, switching signing attributes both ways through PUT /v2/.../dkim/signing', async () => {
    const key = await opensslKey();
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'byo.test' }));
    const toByo = await ses.send(
      new PutEmailIdentityDkimSigningAttributesCommand({
        EmailIdentity: 'byo.test',
        SigningAttributesOrigin: 'EXTERNAL',
        SigningAttributes: { DomainSigningSelector: 'k1', DomainSigningPrivateKey: key.sesKey },
      }),
    );
    expect(toByo).toMatchObject({ DkimStatus: 'PENDING', DkimTokens: ['k1'] });
    const toEasy = await ses.send(
      new PutEmailIdentityDkimSigningAttributesCommand({
        EmailIdentity: 'byo.test',
        SigningAttributesOrigin: 'AWS_SES',
      }),
    );
    expect(toEasy.DkimTokens).toHaveLength(3);
    expect((await get('byo.test')).DkimAttributes).toMatchObject({
      SigningAttributesOrigin: 'AWS_SES',
      Tokens: toEasy.DkimTokens,
    });
  }, 30_000);

  it('flow 6, listing (POST /v2/email/list-identities) page by page, and deleting', async () => {
    const first = await ses.send(new ListEmailIdentitiesCommand({ PageSize: 2 }));
    const second = await ses.send(new ListEmailIdentitiesCommand({ PageSize: 2, NextToken: first.NextToken }));
    expect([...(first.EmailIdentities ?? []), ...(second.EmailIdentities ?? [])].map((i) => i.IdentityName)).toEqual([
      'easy.test',
      'early.test',
      'byo.test',
    ]);
    await ses.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'byo.test' }));
    await expect(get('byo.test')).rejects.toBeInstanceOf(NotFoundException);
  }, 30_000);

  describe('waits for the v2-backend operations (recheckAfterMs, MAIL FROM, tags, policies, configuration sets, account)', () => {
    it('--check-every rechecks a PENDING identity: SUCCESS seconds after its record appears', async () => {
      const key = await opensslKey();
      await ses.send(
        new CreateEmailIdentityCommand({
          EmailIdentity: 'late.test',
          DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: key.sesKey },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // the first check finds nothing
      await dns.publish('late.test', [`s1._domainkey TXT ${key.txt}`], {
        name: 's1._domainkey.late.test',
        type: 'TXT',
      });
      const deadline = Date.now() + 5000;
      let status = (await get('late.test')).VerificationStatus;
      while (status !== 'SUCCESS' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await get('late.test')).VerificationStatus;
      }
      expect(status).toBe('SUCCESS');
    }, 30_000);

    it('flow 4, MAIL FROM: MailFromAttributes always present, SUCCESS with MX and SPF', async () => {
      await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'mail.test' }));
      expect((await get('mail.test')).MailFromAttributes).toEqual({ BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' });
      await ses.send(
        new PutEmailIdentityMailFromAttributesCommand({ EmailIdentity: 'mail.test', MailFromDomain: 'b.mail.test' }),
      );
      await dns.publish(
        'mail.test',
        [`b MX 10 feedback-smtp.${REGION}.amazonses.com.`, 'b TXT "v=spf1 include:amazonses.com ~all"'],
        { name: 'b.mail.test', type: 'TXT' },
      );
      await recheck();
      expect((await get('mail.test')).MailFromAttributes).toMatchObject({ MailFromDomainStatus: 'SUCCESS' });
    }, 30_000);

    it('flow 5, tags, policies, configuration sets (POST listing) and the account', async () => {
      const arn = `arn:aws:ses:${REGION}:123456789012:identity/easy.test`;
      await ses.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }] }));
      expect((await ses.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
        { Key: 'a', Value: '1' },
      ]);
      const policy = '{"Version":"2012-10-17","Statement":[]}';
      await ses.send(
        new CreateEmailIdentityPolicyCommand({ EmailIdentity: 'easy.test', PolicyName: 'p', Policy: policy }),
      );
      expect((await ses.send(new GetEmailIdentityPoliciesCommand({ EmailIdentity: 'easy.test' }))).Policies).toEqual({
        p: policy,
      });
      await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
      expect(
        (await ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }))).ConfigurationSetName,
      ).toBe('cs');
      expect((await ses.send(new ListConfigurationSetsCommand({}))).ConfigurationSets).toEqual(['cs']);
      await ses.send(new DeleteConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
      const account = await ses.send(new GetAccountCommand({}));
      expect(account.SendQuota).toBeDefined();
    }, 30_000);
  });

  it('flow 7, PENDING pushed past 72 hours through the clock route: FAILED', async () => {
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'pending.test' }));
    await emulator.admin('check');
    expect((await get('pending.test')).VerificationStatus).toBe('PENDING');
    await emulator.admin('clock', { advanceMs: 73 * 3_600_000 });
    await emulator.admin('check');
    expect((await get('pending.test')).VerificationStatus).toBe('FAILED');
    expect((await get('easy.test')).VerificationStatus).toBe('SUCCESS');
  }, 30_000);
});
