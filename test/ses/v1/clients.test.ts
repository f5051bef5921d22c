// SES v1 identity operations driven by Debian's awscli, Debian's boto3 and @aws-sdk/client-ses.
import {
  DeleteIdentityCommand,
  GetIdentityDkimAttributesCommand,
  GetIdentityVerificationAttributesCommand,
  ListIdentitiesCommand,
  SESClient,
  SESServiceException,
  VerifyDomainDkimCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../../src/dns/zone.js';
import { createSesBackend, type SesBackend } from '../../../src/ses/emulator-backend.js';
import { createSesV1RequestListener } from '../../../src/ses/node/v1-listener.js';
import type { SesV1Backend } from '../../../src/ses/v1/operations.js';
import { awsCli, boto3, clientsAvailable, startHttp } from './harness.js';

let backend: SesBackend;
let server: Awaited<ReturnType<typeof startHttp>>;

beforeAll(async () => {
  backend = createSesBackend({ resolver: createZoneResolver() });
  server = await startHttp(createSesV1RequestListener(backend as unknown as SesV1Backend));
});
afterAll(() => server.close());

describe.runIf(clientsAvailable())('awscli (Debian) drives SES v1', () => {
  it('verify-domain-dkim returns the v2 identity tokens; list-identities and get-identity-dkim-attributes see it', async () => {
    const verified = await awsCli(server.url, ['verify-domain-dkim', '--domain', 'cli.example']);
    const v2 = await backend.getEmailIdentity({ EmailIdentity: 'cli.example' });
    expect(verified).toEqual({ ok: true, json: { DkimTokens: v2.DkimAttributes.Tokens } });
    const listed = await awsCli(server.url, ['list-identities', '--identity-type', 'Domain']);
    expect(listed).toEqual({ ok: true, json: { Identities: ['cli.example'] } });
    const dkim = await awsCli(server.url, ['get-identity-dkim-attributes', '--identities', 'cli.example']);
    expect(dkim).toEqual({
      ok: true,
      json: {
        DkimAttributes: {
          'cli.example': { DkimEnabled: true, DkimVerificationStatus: 'Pending', DkimTokens: v2.DkimAttributes.Tokens },
        },
      },
    });
  });

  it('verify-email-identity, get-identity-verification-attributes, delete-identity', async () => {
    expect(await awsCli(server.url, ['verify-email-identity', '--email-address', 'a@cli.example'])).toEqual({
      ok: true,
      json: null,
    });
    // awscli v2 has no verify-email-address (deprecated); boto3 sends it below.
    await boto3(server.url, "result = ses.verify_email_address(EmailAddress='b@cli.example')");
    await backend.confirmEmailAddress('b@cli.example');
    const attributes = await awsCli(server.url, [
      'get-identity-verification-attributes',
      '--identities',
      'a@cli.example',
      'b@cli.example',
    ]);
    expect(attributes).toEqual({
      ok: true,
      json: {
        VerificationAttributes: {
          'a@cli.example': { VerificationStatus: 'Pending' },
          'b@cli.example': { VerificationStatus: 'Success' },
        },
      },
    });
    expect((await awsCli(server.url, ['delete-identity', '--identity', 'a@cli.example'])).ok).toBe(true);
    const left = await awsCli(server.url, ['list-identities', '--identity-type', 'EmailAddress']);
    expect(left).toEqual({ ok: true, json: { Identities: ['b@cli.example'] } });
  });

  it('verify-domain-identity returns the _amazonses TXT token that get-identity-verification-attributes shows', async () => {
    const verified = await awsCli(server.url, ['verify-domain-identity', '--domain', 'txt.example']);
    const token = (verified as { ok: true; json: { VerificationToken: string } }).json.VerificationToken;
    expect(token).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const attributes = await awsCli(server.url, [
      'get-identity-verification-attributes',
      '--identities',
      'txt.example',
    ]);
    expect(attributes).toEqual({
      ok: true,
      json: { VerificationAttributes: { 'txt.example': { VerificationStatus: 'Pending', VerificationToken: token } } },
    });
  });

  it('reports SES errors as "An error occurred (Code) when calling the Action operation: Message"', async () => {
    const bad = await awsCli(server.url, ['verify-email-identity', '--email-address', 'nobody']);
    expect(bad).toEqual({
      ok: false,
      stderr: expect.stringContaining(
        'An error occurred (InvalidParameterValue) when calling the VerifyEmailIdentity operation: Invalid email addressnobody.',
      ),
    });
  });
});

describe.runIf(clientsAvailable())('boto3 (Debian) drives SES v1', () => {
  it('pages list_identities with MaxItems and NextToken, and sets DKIM enabled', async () => {
    for (const d of ['p1.example', 'p2.example', 'p3.example']) await backend.createEmailIdentity({ EmailIdentity: d });
    const result = await boto3(
      server.url,
      [
        "first = ses.list_identities(IdentityType='Domain', MaxItems=2)",
        "second = ses.list_identities(IdentityType='Domain', MaxItems=2, NextToken=first['NextToken'])",
        "ses.set_identity_dkim_enabled(Identity='p2.example', DkimEnabled=False)",
        "dkim = ses.get_identity_dkim_attributes(Identities=['p2.example'])['DkimAttributes']",
        "result = [first['Identities'], second['Identities'], 'NextToken' in second, dkim['p2.example']['DkimEnabled']]",
      ].join('\n'),
    );
    const domains = (await backend.listEmailIdentities()).EmailIdentities.filter((i) => i.IdentityType === 'DOMAIN');
    const names = domains.map((i) => i.IdentityName);
    expect(result).toEqual([names.slice(0, 2), names.slice(2, 4), names.length > 4, false]);
  });

  it('MAIL FROM: set_identity_mail_from_domain, then get_identity_mail_from_domain_attributes (Pending)', async () => {
    await backend.createEmailIdentity({ EmailIdentity: 'mf.example' });
    const result = await boto3(
      server.url,
      [
        "ses.set_identity_mail_from_domain(Identity='mf.example', MailFromDomain='bounce.mf.example', BehaviorOnMXFailure='RejectMessage')",
        "result = ses.get_identity_mail_from_domain_attributes(Identities=['mf.example'])['MailFromDomainAttributes']",
      ].join('\n'),
    );
    expect(result).toEqual({
      'mf.example': {
        MailFromDomain: 'bounce.mf.example',
        MailFromDomainStatus: 'Pending',
        BehaviorOnMXFailure: 'RejectMessage',
      },
    });
    const v2 = await backend.getEmailIdentity({ EmailIdentity: 'mf.example' });
    expect(v2.MailFromAttributes).toMatchObject({
      MailFromDomain: 'bounce.mf.example',
      BehaviorOnMxFailure: 'REJECT_MESSAGE',
    });
  });

  it('raises ClientError with SES code and message', async () => {
    const result = await boto3(server.url, "result = ses.verify_email_identity(EmailAddress='@nolocal.example')");
    expect(result).toMatchObject({ error: 'InvalidParameterValue', message: 'Invalid email address@nolocal.example.' });
  });
});

describe('@aws-sdk/client-ses drives SES v1', () => {
  const client = () =>
    new SESClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });

  it('verifies a domain and an address, reads their attributes, lists and deletes', async () => {
    const ses = client();
    const { DkimTokens } = await ses.send(new VerifyDomainDkimCommand({ Domain: 'sdk.example' }));
    expect(DkimTokens).toEqual(
      (await backend.getEmailIdentity({ EmailIdentity: 'sdk.example' })).DkimAttributes.Tokens,
    );
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'me@sdk.example' }));
    const dkim = await ses.send(new GetIdentityDkimAttributesCommand({ Identities: ['me@sdk.example'] }));
    expect(dkim.DkimAttributes?.['me@sdk.example']).toEqual({
      DkimEnabled: true,
      DkimVerificationStatus: 'Pending',
      DkimTokens,
    });
    const verification = await ses.send(
      new GetIdentityVerificationAttributesCommand({ Identities: ['sdk.example', 'me@sdk.example'] }),
    );
    expect(verification.VerificationAttributes).toEqual({
      'sdk.example': { VerificationStatus: 'Pending' },
      'me@sdk.example': { VerificationStatus: 'Pending' },
    });
    await ses.send(new DeleteIdentityCommand({ Identity: 'me@sdk.example' }));
    const listed = await ses.send(new ListIdentitiesCommand({ IdentityType: 'EmailAddress' }));
    expect(listed.Identities).not.toContain('me@sdk.example');
  });

  it('throws an SESServiceException named by the error code', async () => {
    const error = await client()
      .send(new ListIdentitiesCommand({ IdentityType: 'Nonsense' as 'Domain' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SESServiceException);
    expect((error as SESServiceException).name).toBe('ValidationError');
    expect((error as SESServiceException).$metadata.httpStatusCode).toBe(400);
  });
});
