// The send operations: SES v2 SendEmail (Simple, Raw), v1 SendEmail and SendRawEmail, as requests of the one pipeline.
import { base64Decode } from '../../core/base64.js';
import { badRequest } from '../errors.js';
import type { SesBackendState } from '../state.js';
import { deliver } from './pipeline.js';
import type { SendEmailInput, SendRequest, V1SendEmailInput, V1SendRawEmailInput } from './types.js';

function rawBytes(data: string | Uint8Array | undefined): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data !== 'string' || data.length === 0) throw badRequest('Raw.Data is required.');
  try {
    return base64Decode(data);
  } catch {
    throw badRequest('Raw.Data is not valid base64.');
  }
}

/**
 * SES v2 SendEmail (POST /v2/email/outbound-emails): exactly one of Simple, Raw or Template
 * content (templates are not emulated). FromEmailAddressIdentityArn authorizes the sender.
 */
export async function sendEmail(state: SesBackendState, input: SendEmailInput): Promise<{ MessageId: string }> {
  const content = input.Content;
  const kinds = content ? (['Simple', 'Raw', 'Template'] as const).filter((k) => content[k] !== undefined) : [];
  if (!content || kinds.length !== 1) throw badRequest('Content must have exactly one of Simple, Raw or Template.');
  if (content.Template !== undefined) throw badRequest('Template content is not supported by this emulator.');
  const common = {
    api: 'v2' as const,
    operation: 'SendEmail' as const,
    ...(input.FromEmailAddress !== undefined ? { source: input.FromEmailAddress } : {}),
    ...(input.FromEmailAddressIdentityArn !== undefined ? { fromArn: input.FromEmailAddressIdentityArn } : {}),
    ...(input.Destination !== undefined ? { destination: input.Destination } : {}),
    ...(input.ReplyToAddresses !== undefined ? { replyTo: input.ReplyToAddresses } : {}),
  };
  if (content.Raw) {
    const data = rawBytes(content.Raw.Data);
    return deliver(state, { ...common, content: { kind: 'raw', data }, size: data.length });
  }
  const simple = content.Simple ?? {};
  if (!simple.Subject || !simple.Body) throw badRequest('Simple content needs a Subject and a Body.');
  const request: SendRequest = {
    ...common,
    content: {
      kind: 'simple',
      subject: simple.Subject,
      ...(simple.Body.Text ? { text: simple.Body.Text } : {}),
      ...(simple.Body.Html ? { html: simple.Body.Html } : {}),
    },
    size: 0, // counted once the message is built
  };
  return deliver(state, request);
}

/** SES v1 SendEmail. SourceArn authorizes the Source address. */
export async function v1SendEmail(state: SesBackendState, input: V1SendEmailInput): Promise<{ MessageId: string }> {
  const { Subject, Body } = input.Message;
  return deliver(state, {
    api: 'v1',
    operation: 'SendEmail',
    source: input.Source,
    ...(input.SourceArn !== undefined ? { fromArn: input.SourceArn } : {}),
    destination: input.Destination,
    ...(input.ReplyToAddresses !== undefined ? { replyTo: input.ReplyToAddresses } : {}),
    ...(input.ReturnPath !== undefined ? { returnPath: input.ReturnPath } : {}),
    content: {
      kind: 'simple',
      subject: Subject,
      ...(Body.Text ? { text: Body.Text } : {}),
      ...(Body.Html ? { html: Body.Html } : {}),
    },
    size: 0,
  });
}

/**
 * SES v1 SendRawEmail. Source, when given, is what SES checks (else the From header);
 * Destinations, when given, are the recipients (else To, Cc and Bcc). FromArn authorizes the
 * From address and wins over SourceArn.
 */
export async function v1SendRawEmail(
  state: SesBackendState,
  input: V1SendRawEmailInput,
): Promise<{ MessageId: string }> {
  const data = input.RawMessage.Data;
  const arn = input.FromArn ?? input.SourceArn;
  return deliver(state, {
    api: 'v1',
    operation: 'SendRawEmail',
    ...(input.Source !== undefined ? { source: input.Source } : {}),
    ...(arn !== undefined ? { fromArn: arn } : {}),
    ...(input.Destinations !== undefined ? { destinations: input.Destinations } : {}),
    content: { kind: 'raw', data },
    size: Math.ceil(data.length / 3) * 4,
  });
}
