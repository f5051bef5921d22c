// Response fidelity through the real AWS SDK v3 SESv2 client over the existing restJson1 listener on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import {
  CreateEmailIdentityCommand,
  GetEmailIdentityCommand,
  ListEmailIdentitiesCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../src/index.js';
import { createSesV2RequestListener } from '../../src/node.js';
import { createSesV2Backend } from '../../src/ses.js';

describe('SES v2 response fidelity through the AWS SDK', () => {
  const clock = { now: Date.UTC(2026, 10, 26, 12) };
  const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => clock.now, region: 'eu-west-1' });
  let server: Server;
  let client: SESv2Client;
  beforeAll(async () => {
    server = createServer(createSesV2RequestListener(backend));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new SESv2Client({
      endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('an address: SES create answer, address DKIM attributes, MailFromAttributes always present', async () => {
    const created = await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'myemail@mac.example' }));
    expect(created).toMatchObject({ IdentityType: 'EMAIL_ADDRESS', VerifiedForSendingStatus: false });
    expect(created.DkimAttributes).toBeUndefined();
    const got = await client.send(new GetEmailIdentityCommand({ EmailIdentity: 'myemail@mac.example' }));
    expect(got).toMatchObject({
      IdentityType: 'EMAIL_ADDRESS',
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        SigningEnabled: false,
        Status: 'NOT_STARTED',
        SigningAttributesOrigin: 'AWS_SES',
        NextSigningKeyLength: 'RSA_1024_BIT',
      },
      MailFromAttributes: { BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
      Policies: {},
      Tags: [],
      VerificationStatus: 'PENDING',
    });
    const listed = await client.send(new ListEmailIdentitiesCommand({}));
    expect(listed.EmailIdentities).toEqual([
      {
        IdentityType: 'EMAIL_ADDRESS',
        IdentityName: 'myemail@mac.example',
        SendingEnabled: false,
        VerificationStatus: 'PENDING',
      },
    ]);
  });

  it('a domain with a MAIL FROM domain set shows it, PENDING', async () => {
    await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    await backend.putEmailIdentityMailFromAttributes({
      EmailIdentity: 'example.com',
      MailFromDomain: 'mail.example.com',
    });
    const got = await client.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    expect(got.MailFromAttributes).toEqual({
      MailFromDomain: 'mail.example.com',
      MailFromDomainStatus: 'PENDING',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
  });
});
