// Tags by ARN, identity policies, configuration sets, identity attributes and GetAccount, through the backend.
import { describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../src/index.js';
import { createSesV2Backend } from '../../src/ses.js';

const T0 = Date.UTC(2026, 10, 26);
const make = (options: { sandbox?: boolean } = {}) =>
  createSesV2Backend({
    resolver: createZoneResolver(),
    now: () => T0,
    region: 'eu-west-1',
    accountId: '123456789012',
    configurationSets: new Set(['legacy-set']),
    ...options,
  });
const POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'ses:SendEmail', Resource: '*' }],
  },
  null,
  2,
);

describe('tags on identity and configuration-set ARNs', () => {
  it('tags, retags, untags and lists, with SES rules', async () => {
    const b = make();
    await b.createEmailIdentity({ EmailIdentity: 'example.com', Tags: [{ Key: 'team', Value: 'a' }] });
    const arn = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
    await b.tagResource({
      ResourceArn: arn,
      Tags: [
        { Key: 'team', Value: 'b' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    expect(await b.listTagsForResource({ ResourceArn: arn })).toEqual({
      Tags: [
        { Key: 'team', Value: 'b' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    expect((await b.getEmailIdentity({ EmailIdentity: 'example.com' })).Tags).toHaveLength(2);
    await b.untagResource({ ResourceArn: arn, TagKeys: ['team', 'absent'] });
    expect((await b.listTagsForResource({ ResourceArn: arn })).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
    await expect(b.tagResource({ ResourceArn: arn, Tags: many })).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await expect(
      b.tagResource({ ResourceArn: arn, Tags: [{ Key: 'x'.repeat(129), Value: '' }] }),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    await expect(b.tagResource({ ResourceArn: arn, Tags: [{ Key: 'a*b', Value: '' }] })).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await expect(b.listTagsForResource({ ResourceArn: 'identity/example.com' })).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    for (const other of [
      'arn:aws:ses:us-east-1:123456789012:identity/example.com',
      'arn:aws:ses:eu-west-1:000000000000:identity/example.com',
      'arn:aws:ses:eu-west-1:123456789012:identity/nobody.example.com',
      'arn:aws:ses:eu-west-1:123456789012:configuration-set/nope',
    ]) {
      await expect(b.listTagsForResource({ ResourceArn: other }), other).rejects.toMatchObject({
        name: 'NotFoundException',
      });
    }
    await b.createConfigurationSet({ ConfigurationSetName: 'tx', Tags: [{ Key: 'a', Value: '1' }] });
    const setArn = 'arn:aws:ses:eu-west-1:123456789012:configuration-set/tx';
    await b.tagResource({ ResourceArn: setArn, Tags: [{ Key: 'b', Value: '2' }] });
    expect((await b.listTagsForResource({ ResourceArn: setArn })).Tags).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ]);
    expect((await b.getConfigurationSet({ ConfigurationSetName: 'tx' })).Tags).toHaveLength(2);
  });
});

describe('identity policies', () => {
  it('create, get, update, delete, with the name, JSON, size and count rules', async () => {
    const b = make();
    await b.createEmailIdentity({ EmailIdentity: 'example.com' });
    const id = { EmailIdentity: 'example.com' };
    await b.createEmailIdentityPolicy({ ...id, PolicyName: 'send-1', Policy: POLICY });
    const stored = (await b.getEmailIdentityPolicies(id)).Policies;
    expect(Object.keys(stored)).toEqual(['send-1']);
    expect(JSON.parse(stored['send-1'] ?? '')).toEqual(JSON.parse(POLICY));
    expect(stored['send-1']).not.toContain('\n'); // stored without insignificant whitespace, as SES returns it
    expect((await b.getEmailIdentity(id)).Policies).toEqual(stored);
    await expect(b.createEmailIdentityPolicy({ ...id, PolicyName: 'send-1', Policy: POLICY })).rejects.toMatchObject({
      name: 'AlreadyExistsException',
    });
    await expect(b.updateEmailIdentityPolicy({ ...id, PolicyName: 'nope', Policy: POLICY })).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    for (const [PolicyName, Policy] of [
      ['bad name', POLICY],
      ['x'.repeat(65), POLICY],
      ['ok', '{not json'],
      ['ok', '[]'],
      ['ok', '{"Version":"2012-10-17"}'],
      ['ok', JSON.stringify({ Statement: [{ Sid: 'x'.repeat(4100) }] })],
    ]) {
      await expect(b.createEmailIdentityPolicy({ ...id, PolicyName, Policy }), PolicyName).rejects.toMatchObject({
        name: 'BadRequestException',
      });
    }
    await b.updateEmailIdentityPolicy({ ...id, PolicyName: 'send-1', Policy: '{"Statement":[]}' });
    expect((await b.getEmailIdentityPolicies(id)).Policies).toEqual({ 'send-1': '{"Statement":[]}' });
    for (let i = 2; i <= 20; i++) await b.createEmailIdentityPolicy({ ...id, PolicyName: `p${i}`, Policy: POLICY });
    await expect(b.createEmailIdentityPolicy({ ...id, PolicyName: 'p21', Policy: POLICY })).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
    await b.deleteEmailIdentityPolicy({ ...id, PolicyName: 'send-1' });
    await expect(b.deleteEmailIdentityPolicy({ ...id, PolicyName: 'send-1' })).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    expect(Object.keys((await b.getEmailIdentityPolicies(id)).Policies)).toHaveLength(19);
  });
});

describe('configuration sets and identity attributes', () => {
  it('create, get, list with paging and filter, delete; the configurationSets option still counts', async () => {
    const b = make();
    await b.createConfigurationSet({
      ConfigurationSetName: 'marketing',
      SendingOptions: { SendingEnabled: true },
      TrackingOptions: { CustomRedirectDomain: 'click.example.com' },
    });
    await b.createConfigurationSet({ ConfigurationSetName: 'tx-1' });
    await b.createConfigurationSet({ ConfigurationSetName: 'tx-2' });
    expect(await b.getConfigurationSet({ ConfigurationSetName: 'marketing' })).toEqual({
      ConfigurationSetName: 'marketing',
      SendingOptions: { SendingEnabled: true },
      TrackingOptions: { CustomRedirectDomain: 'click.example.com' },
      Tags: [],
    });
    await expect(b.createConfigurationSet({ ConfigurationSetName: 'tx-1' })).rejects.toMatchObject({
      name: 'AlreadyExistsException',
    });
    for (const bad of [{ ConfigurationSetName: 'no spaces' }, { ConfigurationSetName: 'ok', SendingOptions: 'x' }]) {
      await expect(b.createConfigurationSet(bad)).rejects.toMatchObject({ name: 'BadRequestException' });
    }
    const first = await b.listConfigurationSets({ PageSize: 2 });
    expect(first.ConfigurationSets).toEqual(['marketing', 'tx-1']);
    expect(await b.listConfigurationSets({ NextToken: first.NextToken as string, PageSize: 2 })).toEqual({
      ConfigurationSets: ['tx-2'],
    });
    expect(
      (await b.listConfigurationSets({ Filter: { CONFIGURATION_SET_NAME_CONTAINS: 'TX' } })).ConfigurationSets,
    ).toEqual(['tx-1', 'tx-2']);
    await b.createEmailIdentity({ EmailIdentity: 'example.com', ConfigurationSetName: 'legacy-set' });
    await b.putEmailIdentityConfigurationSetAttributes({ EmailIdentity: 'example.com', ConfigurationSetName: 'tx-1' });
    expect((await b.getEmailIdentity({ EmailIdentity: 'example.com' })).ConfigurationSetName).toBe('tx-1');
    await expect(
      b.putEmailIdentityConfigurationSetAttributes({ EmailIdentity: 'example.com', ConfigurationSetName: 'gone' }),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await b.putEmailIdentityConfigurationSetAttributes({ EmailIdentity: 'example.com' });
    expect((await b.getEmailIdentity({ EmailIdentity: 'example.com' })).ConfigurationSetName).toBeUndefined();
    await b.deleteConfigurationSet({ ConfigurationSetName: 'tx-1' });
    await expect(b.getConfigurationSet({ ConfigurationSetName: 'tx-1' })).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    await expect(b.deleteConfigurationSet({ ConfigurationSetName: 'tx-1' })).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    // Configuration sets survive a snapshot.
    const copy = make();
    await copy.restore(await b.snapshot());
    expect((await copy.listConfigurationSets()).ConfigurationSets).toEqual(['marketing', 'tx-2']);
  });

  it('feedback forwarding: true by default, then as set', async () => {
    const b = make();
    await b.createEmailIdentity({ EmailIdentity: 'example.com' });
    expect((await b.getEmailIdentity({ EmailIdentity: 'example.com' })).FeedbackForwardingStatus).toBe(true);
    await b.putEmailIdentityFeedbackAttributes({ EmailIdentity: 'example.com', EmailForwardingEnabled: false });
    expect((await b.getEmailIdentity({ EmailIdentity: 'example.com' })).FeedbackForwardingStatus).toBe(false);
    await expect(
      b.putEmailIdentityFeedbackAttributes({ EmailIdentity: 'nobody.example', EmailForwardingEnabled: true }),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('GetAccount: production by default, the sandbox quota when asked, sends counted for 24 hours', async () => {
    expect(await make().getAccount()).toMatchObject({
      ProductionAccessEnabled: true,
      SendingEnabled: true,
      EnforcementStatus: 'HEALTHY',
      SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 },
    });
    const clock = { now: T0 };
    const sandbox = createSesV2Backend({ resolver: createZoneResolver(), now: () => clock.now, sandbox: true });
    await sandbox.recordSend(3);
    expect((await sandbox.getAccount()).SendQuota).toEqual({ Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 3 });
    expect((await sandbox.getAccount()).ProductionAccessEnabled).toBe(false);
    clock.now += 24 * 3_600_000;
    expect((await sandbox.getAccount()).SendQuota.SentLast24Hours).toBe(0);
  });
});
