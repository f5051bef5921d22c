// The send pipeline every send operation shares: build or read the message, gate, stamp, sign, keep in the outbox.
import { DkimError } from '../../core/errors.js';
import { badRequest, SesException } from '../errors.js';
import { recordSend } from '../operations/account.js';
import { mailFromForSending } from '../operations/mail-from.js';
import { type SesBackendState, throttle } from '../state.js';
import { checkRecipients, domainOf, type Mailbox, parseMailbox, splitAddressList } from './addresses.js';
import { sendingContext } from './context.js';
import { gate, signingIdentity } from './gate.js';
import { feedbackId, messageIdField, outboxTimestamp, rfc5322Date, sesMessageId } from './message-id.js';
import { buildSimpleMessage } from './mime.js';
import type { SentEmail } from './outbox.js';
import { headerValue, joinMessage, type MessageText, splitMessage, stampMessage } from './rewrite.js';
import { identitySigner, sesSignatures } from './signing.js';
import type { SendRequest } from './types.js';

/** SES's message size limits (quotas.html): v1 10 MB after base64 encoding, v2 40 MB. */
export const MAX_MESSAGE_SIZE = { v1: 10 * 1024 * 1024, v2: 40 * 1024 * 1024 } as const;

const encoder = new TextEncoder();

/** The size SES counts: v1 after base64 encoding (4 characters per 3 bytes), v2 the bytes. */
export function countedSize(api: 'v1' | 'v2', bytes: number): number {
  return api === 'v1' ? Math.ceil(bytes / 3) * 4 : bytes;
}

function checkSize(api: 'v1' | 'v2', size: number): void {
  const limit = MAX_MESSAGE_SIZE[api];
  // SES's wording for an oversized message, as reported by users; not in AWS's docs (ses-research E.1).
  if (size > limit) throw badRequest(`Message length is more than ${limit} bytes long: '${size}'.`);
}

/** The message, sender and recipients of a request, before SES's checks. */
interface Draft {
  readonly message: MessageText;
  /** The From header's mailbox: its domain decides the identity's signature. */
  readonly from: Mailbox;
  /** Source / FromEmailAddress, else the From header: what the gate checks and the outbox records. */
  readonly sender: Mailbox;
  readonly recipients: readonly string[];
  readonly fromArn?: string;
}

function destinationList(request: SendRequest): string[] {
  const d = request.destination ?? {};
  return [...(d.ToAddresses ?? []), ...(d.CcAddresses ?? []), ...(d.BccAddresses ?? [])];
}

function simpleDraft(request: SendRequest & { content: { kind: 'simple' } }): Draft {
  if (!request.source) throw badRequest('FromEmailAddress is required for Simple content.');
  const sender = parseMailbox(request.source);
  const d = request.destination ?? {};
  const { subject, text, html } = request.content;
  if (subject.Data === undefined) throw badRequest('Subject is required.');
  const built = buildSimpleMessage({
    from: request.source,
    to: d.ToAddresses ?? [],
    cc: d.CcAddresses ?? [],
    replyTo: request.replyTo ?? [],
    subject,
    ...(text ? { text } : {}),
    ...(html ? { html } : {}),
  });
  return { message: splitMessage(encoder.encode(built)), from: sender, sender, recipients: destinationList(request) };
}

function rawDraft(request: SendRequest & { content: { kind: 'raw' } }): Draft {
  const message = splitMessage(request.content.data);
  const fromHeader = headerValue(message, 'From');
  // Real SES's text for a raw message without From (floci, "verified against real AWS").
  if (!fromHeader) throw badRequest("Missing required header 'From'.");
  const from = parseMailbox(splitAddressList(fromHeader)[0] ?? fromHeader);
  const sender = request.source !== undefined ? parseMailbox(request.source) : from;
  // Parameters win over the X-SES-* headers; SES removes the headers before sending (SendRawEmail doc).
  const fromArn = request.fromArn ?? headerValue(message, 'X-SES-FROM-ARN') ?? headerValue(message, 'X-SES-SOURCE-ARN');
  let recipients: string[] = request.destinations ? [...request.destinations] : destinationList(request);
  if (recipients.length === 0) {
    recipients = ['To', 'Cc', 'Bcc'].flatMap((name) => splitAddressList(headerValue(message, name) ?? ''));
  }
  return { message, from, sender, recipients, ...(fromArn !== undefined ? { fromArn } : {}) };
}

/** The signatures; a message the signature core refuses (too many header fields, ...) is a BadRequest. */
async function sign(...args: Parameters<typeof sesSignatures>): Promise<readonly string[]> {
  try {
    return await sesSignatures(...args);
  } catch (error) {
    if (error instanceof DkimError) throw badRequest(`The message cannot be signed: ${error.message}.`);
    throw error;
  }
}

/** A number from the MessageId, to pick one of the three Easy DKIM keys (SES may sign with any). */
function keyPick(messageId: string): number {
  let sum = 0;
  for (const c of messageId) sum += c.charCodeAt(0);
  return sum;
}

/**
 * Sends one message as SES does: the size limit; the message built (Simple) or read (Raw); the
 * sender and, in the sandbox, the recipients verified (MessageRejected otherwise); SES's Date,
 * Message-ID and Feedback-ID stamped; then signed (the identity's signature when it signs, the
 * provider's always) and kept in the outbox. Resolves to the MessageId in SES's form.
 */
export async function deliver(state: SesBackendState, request: SendRequest): Promise<{ MessageId: string }> {
  throttle(state, request.operation);
  checkSize(request.api, request.size);
  const context = sendingContext(state);
  const draft =
    request.content.kind === 'simple'
      ? simpleDraft(request as SendRequest & { content: { kind: 'simple' } })
      : rawDraft(request as SendRequest & { content: { kind: 'raw' } });
  const recipients = checkRecipients(draft.recipients);
  const fromArn = draft.fromArn ?? request.fromArn;
  await gate(state, {
    sender: draft.sender,
    ...(fromArn !== undefined ? { fromArn } : {}),
    recipients,
    sandbox: context.sandbox,
    accountId: context.accountId,
  });
  const mailFrom = await mailFromForSending(state, draft.sender.address);
  if (mailFrom.kind === 'reject') {
    // SES's exact text is not documented (ses-research B.4); the code is the model's.
    throw new SesException(
      'MailFromDomainNotVerifiedException',
      `The custom MAIL FROM domain ${mailFrom.domain} is not verified, and BehaviorOnMxFailure is REJECT_MESSAGE.`,
    );
  }
  const at = state.now();
  const messageId = sesMessageId(state.region, at);
  const stamped = stampMessage(draft.message, {
    date: rfc5322Date(at),
    messageId: messageIdField(messageId, state.region),
    feedbackId: await feedbackId(state.region, context.accountId, domainOf(draft.sender.address)),
  });
  const unsigned = joinMessage(stamped);
  checkSize(request.api, countedSize(request.api, unsigned.length));
  const record = await signingIdentity(state, draft.from.address);
  const signer = record ? identitySigner(state, record, keyPick(messageId)) : null;
  const fields = await sign(
    unsigned,
    signer,
    await context.provider(),
    Math.floor(at / 1000),
    state.options.signatureCrypto,
  );
  const signed = joinMessage(stamped, fields);
  context.outbox.add(outboxEntry(request, draft, messageId, state.region, at), signed);
  await context.outbox.settled?.(); // kept in the store (serve --state) before the send is answered
  await recordSend(state); // counts in GetAccount's SentLast24Hours
  return { MessageId: messageId };
}

/** The LocalStack-shaped record: SendEmail keeps Destination, Subject and Body; SendRawEmail does not. */
function outboxEntry(
  request: SendRequest,
  draft: Draft,
  id: string,
  region: string,
  at: number,
): Omit<SentEmail, 'RawData'> {
  const base = { Id: id, Region: region, Timestamp: outboxTimestamp(at), Source: draft.sender.text };
  if (request.content.kind !== 'simple') return base;
  return {
    ...base,
    Destination: request.destination ?? {},
    Subject: request.content.subject.Data ?? '',
    Body: { text_part: request.content.text?.Data ?? null, html_part: request.content.html?.Data ?? null },
  };
}
