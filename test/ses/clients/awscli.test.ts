// Debian's awscli 2.9.19 (botocore 1.29: GET listings, the /v1 signing path) against `verify-dkim serve` and Knot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUdpResolver } from '../../../src/node.js';
import {
  awsSesv2,
  type CustomerDns,
  clientsAvailable,
  type Emulator,
  opensslKey,
  startCustomerDns,
  startEmulator,
} from './harness.js';

const REGION = 'us-east-1';
const MINUTES = 60_000;
const run = clientsAvailable();

describe.skipIf(!run)('awscli against verify-dkim serve', () => {
  let dns: CustomerDns;
  let emulator: Emulator;
  const aws = (...args: string[]) => awsSesv2(emulator.url, REGION, args);
  const get = async (identity: string) => {
    const result = await aws('get-email-identity', '--email-identity', identity);
    expect(result.code, result.stderr).toBe(0);
    return result.json as {
      VerificationStatus: string;
      VerifiedForSendingStatus: boolean;
      DkimAttributes: { Status: string; Tokens: string[]; SigningAttributesOrigin: string };
      MailFromAttributes?: Record<string, unknown>;
    };
  };
  /** Moves the emulator's clock past SES's next check and runs the due checks. */
  const recheck = async () => {
    await emulator.admin('clock', { advanceMs: 16 * MINUTES });
    return (await emulator.admin<{ checked: number }>('check')).checked;
  };
  const publishEasyDkim = (domain: string, tokens: readonly string[], zone = 'dkim.amazonses.com') =>
    dns.publish(
      domain,
      tokens.map((token) => `${token}._domainkey CNAME ${token}.${zone}.`),
      { name: `${tokens[0]}._domainkey.${domain}`, type: 'CNAME' },
    );

  beforeAll(async () => {
    dns = await startCustomerDns(['easy.test', 'switch.test', 'pending.test', 'mail.test', 'tags.test']);
    emulator = await startEmulator(dns.knot.server);
  }, 30_000);
  afterAll(async () => {
    const code = await emulator?.stop();
    await dns?.stop();
    expect(code).toBe(0);
  });

  it('flow 1, Easy DKIM: create, publish the CNAMEs in Knot, SUCCESS', async () => {
    const created = await aws('create-email-identity', '--email-identity', 'easy.test');
    expect(created.code, created.stderr).toBe(0);
    const tokens = (created.json.DkimAttributes as { Tokens: string[] }).Tokens;
    expect(created.json).toMatchObject({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        Status: 'PENDING',
        SigningAttributesOrigin: 'AWS_SES',
        // No SigningHostedZone: botocore 1.29's model lacks it, and awscli drops it.
      },
    });
    expect(tokens).toHaveLength(3);
    // The provider zone serves each token's key: outside verifiers can follow the CNAMEs.
    const provider = createUdpResolver({ servers: [emulator.dns], timeout: 1000, attempts: 2 });
    const key = await provider.resolve(`${tokens[0]}.dkim.amazonses.com`, 'TXT');
    expect(key.kind).toBe('records');
    await provider.close?.();
    await publishEasyDkim('easy.test', tokens);
    expect(await recheck()).toBeGreaterThanOrEqual(1);
    // Knot is authoritative for easy.test only: SUCCESS means the keys came from the emulator's own zone.
    expect(await get('easy.test')).toMatchObject({
      VerificationStatus: 'SUCCESS',
      VerifiedForSendingStatus: true,
      DkimAttributes: { Status: 'SUCCESS' },
    });
  }, 60_000);

  it('flow 3, switching signing attributes both ways (botocore 1.29 sends PUT /v1/.../dkim/signing)', async () => {
    const created = await aws('create-email-identity', '--email-identity', 'switch.test');
    expect(created.code, created.stderr).toBe(0);
    const key = await opensslKey();
    const toByo = await aws(
      'put-email-identity-dkim-signing-attributes',
      '--email-identity',
      'switch.test',
      '--signing-attributes-origin',
      'EXTERNAL',
      '--signing-attributes',
      `DomainSigningSelector=ses2026,DomainSigningPrivateKey=${key.sesKey}`,
    );
    expect(toByo.code, toByo.stderr).toBe(0);
    expect(toByo.json).toEqual({ DkimStatus: 'PENDING', DkimTokens: ['ses2026'] });
    await dns.publish('switch.test', [`ses2026._domainkey TXT ${key.txt}`], {
      name: 'ses2026._domainkey.switch.test',
      type: 'TXT',
    });
    await recheck();
    expect(await get('switch.test')).toMatchObject({
      VerificationStatus: 'SUCCESS',
      DkimAttributes: { Status: 'SUCCESS', SigningAttributesOrigin: 'EXTERNAL', Tokens: ['ses2026'] },
    });
    const toEasy = await aws(
      'put-email-identity-dkim-signing-attributes',
      '--email-identity',
      'switch.test',
      '--signing-attributes-origin',
      'AWS_SES',
    );
    expect(toEasy.code, toEasy.stderr).toBe(0);
    const tokens = toEasy.json.DkimTokens as string[];
    expect(tokens).toHaveLength(3);
    expect(toEasy.json.DkimStatus).toBe('PENDING');
    await publishEasyDkim('switch.test', tokens);
    await recheck();
    expect(await get('switch.test')).toMatchObject({
      VerificationStatus: 'SUCCESS',
      DkimAttributes: { Status: 'SUCCESS', SigningAttributesOrigin: 'AWS_SES', Tokens: tokens },
    });
  }, 60_000);

  it('flow 6, listing (botocore 1.29 lists with GET) and deleting', async () => {
    await aws('create-email-identity', '--email-identity', 'someone@pending.test');
    // botocore 1.29 has no paginator for it: page by hand with --next-token.
    const first = await aws('list-email-identities', '--page-size', '2');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.NextToken).toEqual(expect.any(String));
    const second = await aws('list-email-identities', '--page-size', '2', '--next-token', String(first.json.NextToken));
    expect(second.json.NextToken).toBeUndefined();
    const names = [first, second].flatMap((page) =>
      (page.json.EmailIdentities as { IdentityName: string }[]).map((i) => i.IdentityName),
    );
    expect(names).toEqual(['easy.test', 'switch.test', 'someone@pending.test']);
    const deleted = await aws('delete-email-identity', '--email-identity', 'someone@pending.test');
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await aws('get-email-identity', '--email-identity', 'someone@pending.test');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/NotFoundException.*someone@pending\.test does not exist/);
  }, 60_000);

  it('refuses bad input with SES exceptions the CLI names, and the server stays up', async () => {
    const bad = await aws('create-email-identity', '--email-identity', 'not a domain');
    expect(bad.stderr).toMatch(/BadRequestException/);
    const again = await aws('create-email-identity', '--email-identity', 'easy.test');
    expect(again.stderr).toMatch(/AlreadyExistsException/);
    expect((await fetch(`${emulator.url}/v2/email/identities/%E0%A4%A`)).status).toBe(400);
    expect((await aws('list-email-identities')).code).toBe(0);
  }, 60_000);

  describe('waits for the v2-backend operations (MAIL FROM, tags, policies, configuration sets, account)', () => {
    it('flow 4, MAIL FROM with its MX and SPF records in Knot: SUCCESS', async () => {
      expect((await aws('create-email-identity', '--email-identity', 'mail.test')).code).toBe(0);
      const put = await aws(
        'put-email-identity-mail-from-attributes',
        '--email-identity',
        'mail.test',
        '--mail-from-domain',
        'bounce.mail.test',
        '--behavior-on-mx-failure',
        'USE_DEFAULT_VALUE',
      );
      expect(put.code, put.stderr).toBe(0);
      expect((await get('mail.test')).MailFromAttributes).toMatchObject({
        MailFromDomain: 'bounce.mail.test',
        MailFromDomainStatus: 'PENDING',
        BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      });
      await dns.publish(
        'mail.test',
        [`bounce MX 10 feedback-smtp.${REGION}.amazonses.com.`, 'bounce TXT "v=spf1 include:amazonses.com ~all"'],
        { name: 'bounce.mail.test', type: 'TXT' },
      );
      await recheck();
      expect((await get('mail.test')).MailFromAttributes).toMatchObject({ MailFromDomainStatus: 'SUCCESS' });
    }, 60_000);

    it('flow 5, tags, policies and configuration sets', async () => {
      expect((await aws('create-email-identity', '--email-identity', 'tags.test')).code).toBe(0);
      const arn = `arn:aws:ses:${REGION}:000000000000:identity/tags.test`;
      const ok = async (...args: string[]) => {
        const result = await aws(...args);
        expect(result.code, `${args[0]}: ${result.stderr}`).toBe(0);
        return result.json;
      };
      await ok('tag-resource', '--resource-arn', arn, '--tags', 'Key=team,Value=mail');
      expect(await ok('list-tags-for-resource', '--resource-arn', arn)).toEqual({
        Tags: [{ Key: 'team', Value: 'mail' }],
      });
      await ok('untag-resource', '--resource-arn', arn, '--tag-keys', 'team');
      expect(await ok('list-tags-for-resource', '--resource-arn', arn)).toEqual({ Tags: [] });
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'ses:SendEmail', Resource: arn }],
      });
      await ok(
        'create-email-identity-policy',
        '--email-identity',
        'tags.test',
        '--policy-name',
        'p1',
        '--policy',
        policy,
      );
      const policies = await ok('get-email-identity-policies', '--email-identity', 'tags.test');
      expect(JSON.parse((policies.Policies as Record<string, string>).p1 ?? '')).toEqual(JSON.parse(policy));
      await ok(
        'update-email-identity-policy',
        '--email-identity',
        'tags.test',
        '--policy-name',
        'p1',
        '--policy',
        policy,
      );
      await ok('delete-email-identity-policy', '--email-identity', 'tags.test', '--policy-name', 'p1');
      await ok('create-configuration-set', '--configuration-set-name', 'transactional');
      expect(await ok('get-configuration-set', '--configuration-set-name', 'transactional')).toMatchObject({
        ConfigurationSetName: 'transactional',
      });
      expect((await ok('list-configuration-sets')).ConfigurationSets).toEqual(['transactional']);
      await ok(
        'put-email-identity-configuration-set-attributes',
        '--email-identity',
        'tags.test',
        '--configuration-set-name',
        'transactional',
      );
      expect(await get('tags.test')).toMatchObject({ ConfigurationSetName: 'transactional' });
      await ok('put-email-identity-feedback-attributes', '--email-identity', 'tags.test', '--email-forwarding-enabled');
      expect(await ok('get-account')).toMatchObject({ ProductionAccessEnabled: true });
    }, 90_000);
  });

  it('flow 7, a PENDING identity pushed past 72 hours through the clock route: FAILED', async () => {
    expect((await aws('create-email-identity', '--email-identity', 'pending.test')).code).toBe(0);
    await emulator.admin('check');
    expect((await get('pending.test')).VerificationStatus).toBe('PENDING');
    await emulator.admin('clock', { advanceMs: 73 * 60 * MINUTES });
    await emulator.admin('check');
    expect(await get('pending.test')).toMatchObject({
      VerificationStatus: 'FAILED',
      DkimAttributes: { Status: 'FAILED' },
    });
    // The identity whose records are published stays SUCCESS across the same 73 hours.
    expect((await get('easy.test')).VerificationStatus).toBe('SUCCESS');
  }, 60_000);
});
