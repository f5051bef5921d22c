// The real AWS SDK v3 SESv2 client against the restJson1 listener on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import {
  AlreadyExistsException,
  BadRequestException,
  ConcurrentModificationException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  LimitExceededException,
  ListEmailIdentitiesCommand,
  NotFoundException,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityDkimSigningAttributesCommand,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver, dkimTxtRecord, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { createSesV2RequestListener } from '../../src/node.js';
import { createSesV2Backend, type SesV2BackendOptions } from '../../src/ses.js';
import { keyFile } from '../../vectors/load.js';

const HOUR = 3_600_000;
const byoKey = toSesPrivateKey(parsePrivateKey(keyFile('rsa2048.pkcs1.der')));

interface Harness {
  client: SESv2Client;
  backend: ReturnType<typeof createSesV2Backend>;
  zone: ReturnType<typeof createZoneResolver>;
  clock: { now: number };
  close(): Promise<void>;
}

async function harness(options: Partial<SesV2BackendOptions> = {}): Promise<Harness> {
  const zone = createZoneResolver();
  const clock = { now: Date.UTC(2026, 10, 26, 12) };
  const backend = createSesV2Backend({
    resolver: zone,
    now: () => clock.now,
    region: 'eu-south-1',
    configurationSets: new Set(['transactional']),
    ...options,
  });
  const server: Server = createServer(createSesV2RequestListener(backend));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const client = new SESv2Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-south-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  return {
    client,
    backend,
    zone,
    clock,
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('SES v2 through the AWS SDK: the identity lifecycle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates BYODKIM, Easy DKIM and email identities, all PENDING', async () => {
    const byo = await h.client.send(
      new CreateEmailIdentityCommand({
        EmailIdentity: 'byo.example.com',
        DkimSigningAttributes: { DomainSigningSelector: 'ses2026', DomainSigningPrivateKey: byoKey },
        Tags: [{ Key: 'team', Value: 'mail' }],
        ConfigurationSetName: 'transactional',
      }),
    );
    expect(byo).toMatchObject({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        SigningEnabled: true,
        Status: 'PENDING',
        Tokens: ['ses2026'],
        SigningAttributesOrigin: 'EXTERNAL',
      },
    });
    const easy = await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'Easy.Example.com' }));
    expect(easy.DkimAttributes).toMatchObject({
      Status: 'PENDING',
      SigningAttributesOrigin: 'AWS_SES',
      SigningHostedZone: 'dkim.eu-south-1.amazonses.com',
      NextSigningKeyLength: 'RSA_2048_BIT',
      CurrentSigningKeyLength: 'RSA_2048_BIT',
    });
    expect(easy.DkimAttributes?.Tokens).toHaveLength(3);
    for (const token of easy.DkimAttributes?.Tokens ?? []) expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(easy.DkimAttributes?.LastKeyGenerationTimestamp).toEqual(new Date(h.clock.now));
    const email = await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'someone@elsewhere.example' }));
    // SES answers an address with its type and sending status only (moto #9771, against AWS).
    expect(email).toMatchObject({ IdentityType: 'EMAIL_ADDRESS', VerifiedForSendingStatus: false });
    expect(email.DkimAttributes).toBeUndefined();

    for (const name of ['byo.example.com', 'easy.example.com', 'someone@elsewhere.example']) {
      const got = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
      expect(got.VerificationStatus, name).toBe('PENDING');
      expect(got.DkimAttributes?.Status).toBe(name.includes('@') ? 'NOT_STARTED' : 'PENDING');
    }
    const byoGot = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'byo.example.com' }));
    expect(byoGot.Tags).toEqual([{ Key: 'team', Value: 'mail' }]);
    expect(byoGot.ConfigurationSetName).toBe('transactional');
  });

  it('publishing the records turns both domains SUCCESS at the next check', async () => {
    const record = dkimTxtRecord(parsePrivateKey(byoKey), { domain: 'byo.example.com', selector: 'ses2026' });
    h.zone.set(record.name, 'TXT', [record.strings]);
    const easy = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'easy.example.com' }));
    for (const token of easy.DkimAttributes?.Tokens ?? []) {
      h.zone.set(`${token}._domainkey.easy.example.com`, 'CNAME', `${token}.dkim.eu-south-1.amazonses.com`);
    }
    h.clock.now += 5 * 60_000;
    expect((await h.backend.checkAll()).checked).toBe(2);
    for (const name of ['byo.example.com', 'easy.example.com']) {
      const got = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
      expect(got).toMatchObject({
        VerificationStatus: 'SUCCESS',
        VerifiedForSendingStatus: true,
        DkimAttributes: { Status: 'SUCCESS' },
      });
      expect(got.VerificationInfo?.LastSuccessTimestamp).toEqual(new Date(h.clock.now));
    }
  });

  it('a lost record is TEMPORARY_FAILURE, then FAILED 72 hours on', async () => {
    h.zone.remove('ses2026._domainkey.byo.example.com');
    h.clock.now += 6 * HOUR;
    await h.backend.checkAll();
    const lost = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'byo.example.com' }));
    expect(lost).toMatchObject({
      VerificationStatus: 'TEMPORARY_FAILURE',
      VerificationInfo: { ErrorType: 'HOST_NOT_FOUND' },
    });
    h.clock.now += 73 * HOUR;
    await h.backend.checkAll();
    const failed = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'byo.example.com' }));
    expect(failed.VerificationStatus).toBe('FAILED');
    expect(
      (await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'easy.example.com' }))).VerificationStatus,
    ).toBe('SUCCESS');
  });

  it('an address under a verified domain may send; an unconfirmed address fails after 24 h', async () => {
    expect(await h.backend.canSend('anyone@easy.example.com')).toBe(true);
    expect(await h.backend.canSend('anyone@byo.example.com')).toBe(false);
    expect(await h.backend.canSend('someone@elsewhere.example')).toBe(false);
    expect(
      (await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'someone@elsewhere.example' })))
        .VerificationStatus,
    ).toBe('FAILED');
    await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'new@elsewhere.example' }));
    await h.backend.confirmEmailAddress('new@elsewhere.example');
    expect(await h.backend.canSend('new@elsewhere.example')).toBe(true);
    expect(
      (await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'new@elsewhere.example' }))).VerificationStatus,
    ).toBe('SUCCESS');
  });

  it('SigningEnabled off changes nothing else', async () => {
    await h.client.send(
      new PutEmailIdentityDkimAttributesCommand({ EmailIdentity: 'easy.example.com', SigningEnabled: false }),
    );
    const got = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'easy.example.com' }));
    expect(got.DkimAttributes).toMatchObject({ SigningEnabled: false, Status: 'SUCCESS' });
  });

  it('switching to BYODKIM restarts verification; the key length of Easy DKIM changes once a day', async () => {
    const switched = await h.client.send(
      new PutEmailIdentityDkimSigningAttributesCommand({
        EmailIdentity: 'byo.example.com',
        SigningAttributesOrigin: 'EXTERNAL',
        SigningAttributes: { DomainSigningSelector: 'ses2027', DomainSigningPrivateKey: byoKey },
      }),
    );
    expect(switched).toMatchObject({ DkimStatus: 'PENDING', DkimTokens: ['ses2027'] });
    const change = () =>
      h.client.send(
        new PutEmailIdentityDkimSigningAttributesCommand({
          EmailIdentity: 'easy.example.com',
          SigningAttributesOrigin: 'AWS_SES',
          SigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
        }),
      );
    const result = await change();
    expect(result.DkimStatus).toBe('SUCCESS');
    const got = await h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'easy.example.com' }));
    expect(got.DkimAttributes).toMatchObject({
      NextSigningKeyLength: 'RSA_1024_BIT',
      LastKeyGenerationTimestamp: new Date(h.clock.now),
    });
    await h.client
      .send(
        new PutEmailIdentityDkimSigningAttributesCommand({
          EmailIdentity: 'easy.example.com',
          SigningAttributesOrigin: 'AWS_SES',
          SigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        }),
      )
      .then(
        () => expect.unreachable('a second change within a day'),
        (error) => expect(error).toBeInstanceOf(BadRequestException),
      );
  });

  it('lists identities page by page, and deletes them', async () => {
    const first = await h.client.send(new ListEmailIdentitiesCommand({ PageSize: 2 }));
    expect(first.EmailIdentities?.map((i) => i.IdentityName)).toEqual(['byo.example.com', 'easy.example.com']);
    expect(first.NextToken).toBeTruthy();
    const second = await h.client.send(new ListEmailIdentitiesCommand({ PageSize: 2, NextToken: first.NextToken }));
    expect(second.EmailIdentities?.map((i) => i.IdentityName)).toEqual([
      'someone@elsewhere.example',
      'new@elsewhere.example',
    ]);
    expect(second.NextToken).toBeUndefined();
    await h.client.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'someone@elsewhere.example' }));
    await expect(
      h.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'someone@elsewhere.example' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('SES v2 exceptions through the AWS SDK', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ maxIdentities: 3 });
    await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'taken.example.com' }));
  });
  afterAll(async () => {
    await h.close();
  });
  const create = (input: ConstructorParameters<typeof CreateEmailIdentityCommand>[0]) =>
    h.client.send(new CreateEmailIdentityCommand(input));

  it('AlreadyExistsException, with SES message', async () => {
    const error = await create({ EmailIdentity: 'taken.example.com' }).catch((e) => e);
    expect(error).toBeInstanceOf(AlreadyExistsException);
    expect(error.message).toBe('Email identity taken.example.com already exist.');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it.each([
    [
      'DkimSigningAttributes on an address',
      {
        EmailIdentity: 'a@b.example',
        DkimSigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: byoKey },
      },
      /domain identities/,
    ],
    [
      'an unusable key (512 bits)',
      {
        EmailIdentity: 'k.example.com',
        DkimSigningAttributes: {
          DomainSigningSelector: 's',
          DomainSigningPrivateKey: 'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu',
        },
      },
      /DomainSigningPrivateKey/,
    ],
    [
      'a bad selector',
      {
        EmailIdentity: 'k.example.com',
        DkimSigningAttributes: { DomainSigningSelector: '-bad-', DomainSigningPrivateKey: byoKey },
      },
      /Selector/,
    ],
    [
      'a key with armour',
      {
        EmailIdentity: 'k.example.com',
        DkimSigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: '-----BEGIN' },
      },
      /base64/,
    ],
    [
      'too many tags',
      { EmailIdentity: 'k.example.com', Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
      /50 tags/,
    ],
    ['an aws: tag', { EmailIdentity: 'k.example.com', Tags: [{ Key: 'aws:x', Value: 'v' }] }, /reserved/],
    [
      'a tag with a bad character',
      { EmailIdentity: 'k.example.com', Tags: [{ Key: 'a#b', Value: 'v' }] },
      /Tags may contain/,
    ],
    [
      'duplicate tag keys',
      {
        EmailIdentity: 'k.example.com',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      },
      /Duplicate/,
    ],
    ['a bad identity', { EmailIdentity: 'not a domain' }, /Invalid email identity/],
  ])('BadRequestException for %s', async (_what, input, message) => {
    const error = await create(input as never).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toMatch(message);
  });

  it('NotFoundException for an unknown configuration set and an unknown identity', async () => {
    const error = await create({ EmailIdentity: 'cs.example.com', ConfigurationSetName: 'nope' }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.message).toBe('Configuration set nope does not exist.');
    const missing = await h.client
      .send(new GetEmailIdentityCommand({ EmailIdentity: 'missing@x.example' }))
      .catch((e) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing.message).toBe('Email identity missing@x.example does not exist.');
  });

  it('LimitExceededException past the maximum', async () => {
    await create({ EmailIdentity: 'two.example.com' });
    await create({ EmailIdentity: 'three.example.com' });
    await expect(create({ EmailIdentity: 'four.example.com' })).rejects.toBeInstanceOf(LimitExceededException);
  });

  it('TooManyRequestsException from the rate limiter', async () => {
    const limited = await harness({ rateLimiter: () => false });
    await expect(limited.client.send(new ListEmailIdentitiesCommand({}))).rejects.toBeInstanceOf(
      TooManyRequestsException,
    );
    await limited.close();
  });

  it('ConcurrentModificationException for a conflicting update in flight', async () => {
    const zone = createZoneResolver();
    const busy = await harness({ providerZone: zone });
    await busy.client.send(
      new CreateEmailIdentityCommand({
        EmailIdentity: 'race.example.com',
        DkimSigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: byoKey },
      }),
    );
    // Switching to Easy DKIM generates three provider key pairs: a second update meanwhile conflicts.
    const toEasy = () =>
      busy.client.send(
        new PutEmailIdentityDkimSigningAttributesCommand({
          EmailIdentity: 'race.example.com',
          SigningAttributesOrigin: 'AWS_SES',
        }),
      );
    const results = await Promise.allSettled([toEasy(), toEasy()]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConcurrentModificationException);
    await busy.close();
  });

  it('URI-decodes the identity in the path (%40)', async () => {
    const fresh = await harness();
    await fresh.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'a.b+c@example.com' }));
    const got = await fresh.client.send(new GetEmailIdentityCommand({ EmailIdentity: 'a.b+c@example.com' }));
    expect(got.IdentityType).toBe('EMAIL_ADDRESS');
    await fresh.close();
  });
});
