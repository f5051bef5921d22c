// Sending through the backend: gating, SES's rewrites, both signatures (checked by our verifier), the outbox.
import { describe, expect, it } from 'vitest';
import { verifyMessage } from '../../../src/core/signature/verify.js';
import { SesException } from '../../../src/ses/errors.js';
import { MAX_RECIPIENTS } from '../../../src/ses/sending/addresses.js';
import { createOutbox } from '../../../src/ses/sending/outbox.js';
import { byodkimDomain, easyDkimDomain, REGION, sendingWorld } from './fixtures.js';

const MESSAGE_ID = /^0100[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$/;

async function rejection(promise: Promise<unknown>): Promise<SesException> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof SesException)) throw new Error(`expected an SesException, got ${String(error)}`);
  return error;
}

const simple = (from: string, to: string[], extra: object = {}) => ({
  FromEmailAddress: from,
  Destination: { ToAddresses: to },
  Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi there.\n' } } } },
  ...extra,
});

describe('gating', () => {
  it('refuses an unverified sender with SES MessageRejected text', async () => {
    const world = sendingWorld();
    const error = await rejection(world.backend.sendEmail(simple('Me <me@nowhere.example>', ['you@else.example'])));
    expect([error.name, error.message]).toEqual([
      'MessageRejected',
      'Email address is not verified. The following identities failed the check in region US-EAST-1: Me <me@nowhere.example>, me@nowhere.example',
    ]);
    expect(world.backend.outbox().size).toBe(0);
  });

  it('refuses a domain whose DKIM is not yet verified, and accepts it once verified', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'pending.example', false);
    const error = await rejection(world.backend.sendEmail(simple('a@pending.example', ['b@x.example'])));
    expect(error.name).toBe('MessageRejected');
    await easyDkimDomain(world, 'ready.example');
    const { MessageId } = await world.backend.sendEmail(simple('a@ready.example', ['b@x.example']));
    expect(MessageId).toMatch(MESSAGE_ID);
  });

  it('accepts a verified address identity, and an address under a verified parent domain', async () => {
    const world = sendingWorld();
    await world.backend.createEmailIdentity({ EmailIdentity: 'solo@mail.example' });
    await world.backend.confirmEmailAddress('solo@mail.example');
    await easyDkimDomain(world, 'parent.example');
    await world.backend.sendEmail(simple('solo@mail.example', ['x@y.example']));
    await world.backend.sendEmail(simple('news@sub.parent.example', ['x@y.example']));
    expect(world.backend.outbox().size).toBe(2);
  });

  it('in the sandbox every recipient must be verified, except the mailbox simulator', async () => {
    const world = sendingWorld({ sandbox: true });
    await easyDkimDomain(world, 'sandbox.example');
    const error = await rejection(
      world.backend.sendEmail(
        simple('a@sandbox.example', ['ok@sandbox.example', 'success@simulator.amazonses.com', 'stranger@else.example']),
      ),
    );
    expect(error.message).toBe(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: stranger@else.example',
    );
    await world.backend.sendEmail(
      simple('a@sandbox.example', ['ok@sandbox.example', 'success@simulator.amazonses.com']),
    );
  });

  it('honours FromEmailAddressIdentityArn: the named identity must be verified and cover the sender', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'arn.example');
    const arn = `arn:aws:ses:${REGION}:000000000000:identity/arn.example`;
    await world.backend.sendEmail(simple('a@arn.example', ['x@y.example'], { FromEmailAddressIdentityArn: arn }));
    const other = await rejection(
      world.backend.sendEmail(simple('a@other.example', ['x@y.example'], { FromEmailAddressIdentityArn: arn })),
    );
    expect(other.name).toBe('MessageRejected');
    const bad = await rejection(
      world.backend.sendEmail(simple('a@arn.example', ['x@y.example'], { FromEmailAddressIdentityArn: 'nope' })),
    );
    expect([bad.name, bad.message]).toEqual(['BadRequestException', 'Illegal ARN: nope']);
  });

  it('a custom MAIL FROM not verified refuses the message under REJECT_MESSAGE only', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'mf.example');
    const mailFrom = (BehaviorOnMxFailure: 'REJECT_MESSAGE' | 'USE_DEFAULT_VALUE') =>
      world.backend.putEmailIdentityMailFromAttributes({
        EmailIdentity: 'mf.example',
        MailFromDomain: 'bounce.mf.example',
        BehaviorOnMxFailure,
      });
    await mailFrom('REJECT_MESSAGE');
    const error = await rejection(world.backend.sendEmail(simple('a@mf.example', ['x@y.example'])));
    expect([error.name, error.httpStatus]).toEqual(['MailFromDomainNotVerifiedException', 400]);
    await mailFrom('USE_DEFAULT_VALUE');
    await world.backend.sendEmail(simple('a@mf.example', ['x@y.example']));
  });

  it('limits recipients to 50 and requires at least one', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'many.example');
    const to = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `r${i}@x.example`);
    const tooMany = await rejection(world.backend.sendEmail(simple('a@many.example', to)));
    expect(tooMany.message).toBe('Recipient count exceeds 50.');
    await world.backend.sendEmail(simple('a@many.example', to.slice(0, MAX_RECIPIENTS)));
    const none = await rejection(world.backend.sendEmail(simple('a@many.example', [])));
    expect(none.name).toBe('BadRequestException');
    const badAddress = await rejection(world.backend.sendEmail(simple('a@many.example', ['no-at-sign'])));
    expect(badAddress.message).toBe("Missing final '@domain'");
  });

  it('limits v1 raw messages to 10 MB after base64 and v2 to 40 MB', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'big.example');
    const body = `${'x'.repeat(76)}\r\n`;
    const raw = (bytes: number) =>
      new TextEncoder().encode(
        `From: a@big.example\r\nTo: b@x.example\r\nSubject: big\r\n\r\n${body.repeat(Math.ceil(bytes / body.length))}`,
      );
    const v1 = await rejection(world.backend.v1.sendRawEmail({ RawMessage: { Data: raw(8 * 1024 * 1024) } }));
    expect(v1.message).toMatch(/^Message length is more than 10485760 bytes long: '\d+'\.$/);
    await world.backend.sendEmail({ Content: { Raw: { Data: raw(8 * 1024 * 1024) } } });
  });
});

describe('hostile raw messages', () => {
  it('answers BadRequest, not a crash, for no From, no blank line, a bad header line, too many fields', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'h.example');
    const send = (text: string) =>
      rejection(world.backend.sendEmail({ Content: { Raw: { Data: new TextEncoder().encode(text) } } }));
    const messages = await Promise.all([
      send('To: b@x.example\r\n\r\nbody'),
      send('From: a@h.example\r\nTo: b@x.example'),
      send('From: a@h.example\r\nnot a header\r\n\r\nbody'),
      send(`From: a@h.example\r\nTo: b@x.example\r\n${'X-A: 1\r\n'.repeat(1000)}\r\nbody`),
    ]);
    expect(messages.map((e) => [e.name, e.message.split(':')[0]])).toEqual([
      ['BadRequestException', "Missing required header 'From'."],
      ['BadRequestException', 'The message must have a header and a body, separated by one blank line.'],
      ['BadRequestException', 'Illegal header line'],
      ['BadRequestException', 'The message cannot be signed'],
    ]);
    expect(world.backend.outbox().size).toBe(0);
  });
});

describe('what is sent', () => {
  it('Easy DKIM: the identity signature (one of its tokens) above the provider one, both verify', async () => {
    const world = sendingWorld();
    const tokens = await easyDkimDomain(world, 'easy.example');
    const { MessageId } = await world.backend.sendEmail(simple('Sender <a@easy.example>', ['b@x.example']));
    const [sent] = world.backend.outbox().list({ id: MessageId });
    const raw = world.backend.outbox().raw(MessageId) as Uint8Array;
    expect(new TextDecoder().decode(raw)).toBe(sent?.RawData);
    const result = await verifyMessage(raw, world.zone, { now: world.now() });
    expect(result.signatures.map((s) => [s.domain, s.result])).toEqual([
      ['easy.example', 'pass'],
      ['amazonses.com', 'pass'],
    ]);
    expect(tokens).toContain(result.signatures[0]?.selector);
    expect(result.signatures[0]?.canonicalization).toBe('relaxed/simple');
    expect(result.signatures[1]?.signedHeaders).toContain('feedback-id');
    expect(result.signatures[0]?.signedHeaders).not.toContain('feedback-id');
    const text = sent?.RawData ?? '';
    expect(text).toContain(`Message-ID: <${MessageId}@email.amazonses.com>\r\n`);
    expect(text).toMatch(/\r\nDate: \w{3}, 1 Dec 2026 12:00:00 \+0000\r\n/);
    expect(text).toMatch(/\r\nFeedback-ID: 1\.us-east-1\.[A-Za-z0-9+/]{43}=:AmazonSES\r\n/);
  });

  it('BYODKIM: signs with the customer selector and key', async () => {
    const world = sendingWorld();
    await byodkimDomain(world, 'byo.example', 'sel2026');
    const { MessageId } = await world.backend.sendEmail(simple('a@byo.example', ['b@x.example']));
    const result = await verifyMessage(world.backend.outbox().raw(MessageId) as Uint8Array, world.zone, {
      now: world.now(),
    });
    expect(result.signatures.map((s) => [s.domain, s.selector, s.result])).toEqual([
      ['byo.example', 'sel2026', 'pass'],
      ['amazonses.com', (await world.backend.providerSigner()).selector, 'pass'],
    ]);
  });

  it('SigningEnabled false: only the provider signature', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'off.example');
    await world.backend.putEmailIdentityDkimAttributes({ EmailIdentity: 'off.example', SigningEnabled: false });
    const { MessageId } = await world.backend.sendEmail(simple('a@off.example', ['b@x.example']));
    const result = await verifyMessage(world.backend.outbox().raw(MessageId) as Uint8Array, world.zone, {
      now: world.now(),
    });
    expect(result.signatures.map((s) => [s.domain, s.result])).toEqual([['amazonses.com', 'pass']]);
  });

  it('Raw content: SES replaces Message-ID and Date, adds Feedback-ID, drops X-SES-* headers', async () => {
    const world = sendingWorld();
    await easyDkimDomain(world, 'raw.example');
    const raw = [
      'From: a@raw.example',
      'To: b@x.example',
      'Subject: raw',
      'Message-ID: <mine@raw.example>',
      'Date: Mon, 1 Jan 2001 00:00:00 +0000',
      'X-SES-CONFIGURATION-SET: ignored',
      'Feedback-ID: forged',
      '',
      'body',
      '',
    ].join('\n');
    const { MessageId } = await world.backend.sendEmail({
      Content: { Raw: { Data: Buffer.from(raw).toString('base64') } },
    });
    const [sent] = world.backend.outbox().list({ id: MessageId });
    expect(sent).toMatchObject({
      Id: MessageId,
      Region: REGION,
      Source: 'a@raw.example',
      Timestamp: '2026-12-01T12:00:00',
    });
    expect(sent).not.toHaveProperty('Destination');
    expect(sent).not.toHaveProperty('Subject');
    const text = sent?.RawData ?? '';
    expect(text).not.toMatch(/mine@raw\.example|2001|X-SES|forged/);
    expect(text).toContain('\r\nbody\r\n');
    const result = await verifyMessage(world.backend.outbox().raw(MessageId) as Uint8Array, world.zone, {
      now: world.now(),
    });
    expect(result.signatures.map((s) => s.result)).toEqual(['pass', 'pass']);
  });

  it('the outbox keeps LocalStack fields, filters by id and email exactly, and drops the oldest past its bound', async () => {
    const outbox = createOutbox({ capacity: 2 });
    const world = sendingWorld({ sending: { outbox } });
    await easyDkimDomain(world, 'box.example');
    const ids: string[] = [];
    for (const from of ['a@box.example', 'b@box.example', 'Named <c@box.example>']) {
      ids.push((await world.backend.sendEmail(simple(from, ['x@y.example']))).MessageId);
    }
    expect(outbox.list().map((m) => m.Id)).toEqual(ids.slice(1));
    expect(outbox.list({ email: 'b@box.example' }).map((m) => m.Id)).toEqual([ids[1]]);
    expect(outbox.list({ email: 'c@box.example' })).toEqual([]); // LocalStack compares Source verbatim
    expect(outbox.list({ id: ids[2], email: '' })[0]).toMatchObject({
      Source: 'Named <c@box.example>',
      Destination: { ToAddresses: ['x@y.example'] },
      Subject: 'Hello',
      Body: { text_part: 'Hi there.\n', html_part: null },
    });
    outbox.clear(ids[1]);
    expect(outbox.size).toBe(1);
  });
});
