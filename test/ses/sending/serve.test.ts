// The emulator server with sending mounted: v2 SendEmail over restJson1 (@aws-sdk/client-sesv2), v1 over
// awsQuery (@aws-sdk/client-ses), GET /_aws/ses, and the amazonses.com key served on the DNS port.
import { ListIdentitiesCommand, SESClient, SendEmailCommand as V1SendEmailCommand } from '@aws-sdk/client-ses';
import { CreateEmailIdentityCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyMessage } from '../../../src/core/signature/verify.js';
import { createUdpResolver } from '../../../src/dns/node/udp.js';
import { createZoneResolver } from '../../../src/dns/zone.js';
import { type SesServer, startSesServer } from '../../../src/ses/node/server.js';
import type { SentEmail } from '../../../src/ses/sending/outbox.js';

let server: SesServer;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

beforeAll(async () => {
  server = await startSesServer({ resolver: createZoneResolver(), dnsPort: 0 });
});
afterAll(() => server?.close());

describe('verify-dkim serve sends', () => {
  it('v2 SendEmail and v1 SendEmail share one store and one outbox; the provider signature verifies over the DNS port', async () => {
    const v2 = new SESv2Client({ endpoint: server.url, region: 'us-east-1', credentials });
    const v1 = new SESClient({ endpoint: server.url, region: 'us-east-1', credentials });
    await v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'me@serve.test' }));
    const confirm = await fetch(`${server.url}/_dkim-engine/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emailAddress: 'me@serve.test' }),
    });
    expect(confirm.status).toBe(200);
    expect((await v1.send(new ListIdentitiesCommand({}))).Identities).toEqual(['me@serve.test']);
    const sent2 = await v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'me@serve.test',
        Destination: { ToAddresses: ['you@example.org'] },
        Content: { Simple: { Subject: { Data: 'v2' }, Body: { Text: { Data: 'over restJson1' } } } },
      }),
    );
    const sent1 = await v1.send(
      new V1SendEmailCommand({
        Source: 'me@serve.test',
        Destination: { ToAddresses: ['you@example.org'] },
        Message: { Subject: { Data: 'v1' }, Body: { Text: { Data: 'over awsQuery' } } },
      }),
    );
    const { messages } = (await (await fetch(`${server.url}/_aws/ses`)).json()) as { messages: SentEmail[] };
    expect(messages.map((m) => [m.Id, m.Subject, m.Region])).toEqual([
      [sent2.MessageId, 'v2', 'us-east-1'],
      [sent1.MessageId, 'v1', 'us-east-1'],
    ]);
    const resolver = createUdpResolver({ servers: [server.dnsAddress as string], timeout: 1000, attempts: 2 });
    try {
      for (const message of messages) {
        const result = await verifyMessage(message.RawData, resolver);
        expect(result.signatures.map((s) => [s.domain, s.result])).toEqual([['amazonses.com', 'pass']]);
      }
    } finally {
      await resolver.close?.();
    }
  });

  it('an unverified sender through v2 is MessageRejected (HTTP 400)', async () => {
    const v2 = new SESv2Client({ endpoint: server.url, region: 'us-east-1', credentials });
    const error = await v2
      .send(
        new SendEmailCommand({
          FromEmailAddress: 'stranger@serve.test',
          Destination: { ToAddresses: ['you@example.org'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      )
      .then(
        () => null,
        (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } },
      );
    expect([error?.name, error?.$metadata.httpStatusCode, error?.message]).toEqual([
      'MessageRejected',
      400,
      'Email address is not verified. The following identities failed the check in region US-EAST-1: stranger@serve.test',
    ]);
  });

  it("takes a v2 Raw message of 2 MB (base64 in JSON, over the 1 MiB default body limit), up to SES's 40 MB", async () => {
    const v2 = new SESv2Client({ endpoint: server.url, region: 'us-east-1', credentials });
    const body = `${'x'.repeat(998)}\r\n`.repeat(2_000);
    const raw = `From: me@serve.test\r\nTo: you@example.org\r\nSubject: big\r\n\r\n${body}`;
    const sent = await v2.send(new SendEmailCommand({ Content: { Raw: { Data: new TextEncoder().encode(raw) } } }));
    const listed = (await (await fetch(`${server.url}/_aws/ses?id=${sent.MessageId}`)).json()) as {
      messages: SentEmail[];
    };
    expect(listed.messages).toHaveLength(1);
    expect(listed.messages[0]?.RawData.length).toBeGreaterThan(2_000_000);
  });
});
