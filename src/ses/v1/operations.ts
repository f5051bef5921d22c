// The SES v1 operation table: each awsQuery Action's parameters, the backend call it makes, its Result.
import { base64Decode } from '../../core/base64.js';
import type { Destination, V1SendEmailInput, V1SendRawEmailInput } from '../sending/types.js';
import { INVALID_ACTION_MESSAGE, SesQueryError } from './errors.js';
import {
  hasStruct,
  optionalBoolean,
  optionalInteger,
  optionalList,
  optionalString,
  optionalStructList,
  type QueryParams,
  requiredList,
  requiredString,
} from './form.js';
import { v1Status } from './record-view.js';
import { XmlMap, type XmlValue } from './xml.js';

/** The v1 API's version string (ses model apiVersion). */
export const SES_V1_VERSION = '2010-12-01';

type Result = { readonly [name: string]: XmlValue | undefined };

/** What the table needs of a backend: the facade's `v1` family, and (when present) the v2 operations it reuses. */
export interface SesV1Backend {
  readonly v1: {
    verifyDomainDkim(input: { Domain: string }): Promise<Result>;
    verifyEmailIdentity(input: { EmailAddress: string }): Promise<Result>;
    getIdentityVerificationAttributes(input: { Identities: string[] }): Promise<Result>;
    getIdentityDkimAttributes(input: { Identities: string[] }): Promise<Result>;
    setIdentityDkimEnabled(input: { Identity: string; DkimEnabled: boolean }): Promise<Result>;
    listIdentities(input: { IdentityType?: string; MaxItems?: number; NextToken?: string }): Promise<Result>;
    deleteIdentity(input: { Identity: string }): Promise<Result>;
    sendEmail(input: V1SendEmailInput): Promise<{ MessageId: string }>;
    sendRawEmail(input: V1SendRawEmailInput): Promise<{ MessageId: string }>;
  };
  /** The legacy `_amazonses` TXT verification (v2-backend, notes/phase2-shared.md). */
  verifyDomainIdentity?(input: { Domain: string }): Promise<{ VerificationToken: string }>;
  /** The v2 MAIL FROM operation that SetIdentityMailFromDomain maps onto. */
  putEmailIdentityMailFromAttributes?(input: {
    EmailIdentity: string;
    MailFromDomain?: string;
    BehaviorOnMxFailure?: string;
  }): Promise<unknown>;
  getEmailIdentity(input: { EmailIdentity: string }): Promise<object>;
}

/** One Action: `null` result means the response has no Result element (VerifyEmailAddress). */
type Handler = (backend: SesV1Backend, params: QueryParams) => Promise<Result | null>;

/** An Action whose backend operation this backend lacks: a client error, so SDKs do not retry it. */
function notYet(operation: string): SesQueryError {
  return new SesQueryError('InvalidAction', `${operation} is not available in this backend.`);
}

const BEHAVIOR = { UseDefaultValue: 'USE_DEFAULT_VALUE', RejectMessage: 'REJECT_MESSAGE' } as const;
const BEHAVIOR_V1: Readonly<Record<string, string>> = {
  USE_DEFAULT_VALUE: 'UseDefaultValue',
  REJECT_MESSAGE: 'RejectMessage',
};

async function setMailFrom(backend: SesV1Backend, params: QueryParams): Promise<Result> {
  const behavior = optionalString(params, 'BehaviorOnMXFailure');
  if (behavior !== undefined && !(behavior in BEHAVIOR)) {
    throw new SesQueryError(
      'ValidationError',
      `1 validation error detected: Value '${behavior.slice(0, 100)}' at 'behaviorOnMXFailure' failed to satisfy constraint: Member must satisfy enum value set: [RejectMessage, UseDefaultValue]`,
    );
  }
  if (!backend.putEmailIdentityMailFromAttributes) throw notYet('SetIdentityMailFromDomain');
  const mailFrom = optionalString(params, 'MailFromDomain');
  await backend.putEmailIdentityMailFromAttributes({
    EmailIdentity: requiredString(params, 'Identity'),
    // An absent or empty MailFromDomain turns the custom MAIL FROM off (ses model doc).
    ...(mailFrom ? { MailFromDomain: mailFrom } : {}),
    ...(behavior !== undefined ? { BehaviorOnMxFailure: BEHAVIOR[behavior as keyof typeof BEHAVIOR] } : {}),
  });
  return {};
}

interface MailFromAttributesV2 {
  readonly MailFromDomain?: string;
  readonly MailFromDomainStatus?: 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE';
  readonly BehaviorOnMxFailure?: string;
}

async function getMailFrom(backend: SesV1Backend, params: QueryParams): Promise<Result> {
  const entries: [string, XmlValue][] = [];
  for (const identity of requiredList(params, 'Identities')) {
    let found: { MailFromAttributes?: MailFromAttributesV2 };
    try {
      found = (await backend.getEmailIdentity({ EmailIdentity: identity })) as typeof found;
    } catch (error) {
      if ((error as { name?: string }).name === 'NotFoundException') continue; // unknown identities are left out
      throw error;
    }
    const mailFrom = found.MailFromAttributes ?? {};
    entries.push([
      identity,
      {
        MailFromDomain: mailFrom.MailFromDomain,
        MailFromDomainStatus: mailFrom.MailFromDomainStatus ? v1Status(mailFrom.MailFromDomainStatus) : undefined,
        BehaviorOnMXFailure: BEHAVIOR_V1[mailFrom.BehaviorOnMxFailure ?? 'USE_DEFAULT_VALUE'] ?? 'UseDefaultValue',
      },
    ]);
  }
  return { MailFromDomainAttributes: new XmlMap(entries) };
}

function destinationOf(params: QueryParams): Destination {
  const to = optionalList(params, 'Destination.ToAddresses');
  const cc = optionalList(params, 'Destination.CcAddresses');
  const bcc = optionalList(params, 'Destination.BccAddresses');
  return {
    ...(to ? { ToAddresses: to } : {}),
    ...(cc ? { CcAddresses: cc } : {}),
    ...(bcc ? { BccAddresses: bcc } : {}),
  };
}

function contentOf(params: QueryParams, prefix: string): { Data: string; Charset?: string } | undefined {
  if (!hasStruct(params, prefix)) return undefined;
  const charset = optionalString(params, `${prefix}.Charset`);
  return { Data: requiredString(params, `${prefix}.Data`), ...(charset !== undefined ? { Charset: charset } : {}) };
}

function sendingExtras(params: QueryParams) {
  const tags = optionalStructList(params, 'Tags', ['Name', 'Value']);
  const set = optionalString(params, 'ConfigurationSetName');
  const returnPathArn = optionalString(params, 'ReturnPathArn');
  const sourceArn = optionalString(params, 'SourceArn');
  return {
    ...(tags ? { Tags: tags.map((t) => ({ Name: t.Name ?? '', Value: t.Value ?? '' })) } : {}),
    ...(set !== undefined ? { ConfigurationSetName: set } : {}),
    ...(returnPathArn !== undefined ? { ReturnPathArn: returnPathArn } : {}),
    ...(sourceArn !== undefined ? { SourceArn: sourceArn } : {}),
  };
}

async function sendEmail(backend: SesV1Backend, params: QueryParams): Promise<Result> {
  const subject = contentOf(params, 'Message.Subject');
  const text = contentOf(params, 'Message.Body.Text');
  const html = contentOf(params, 'Message.Body.Html');
  const replyTo = optionalList(params, 'ReplyToAddresses');
  const returnPath = optionalString(params, 'ReturnPath');
  const input: V1SendEmailInput = {
    Source: requiredString(params, 'Source'),
    Destination: destinationOf(params),
    Message: {
      Subject: subject ?? { Data: requiredString(params, 'Message.Subject.Data') },
      Body: { ...(text ? { Text: text } : {}), ...(html ? { Html: html } : {}) },
    },
    ...(replyTo ? { ReplyToAddresses: replyTo } : {}),
    ...(returnPath !== undefined ? { ReturnPath: returnPath } : {}),
    ...sendingExtras(params),
  };
  return backend.v1.sendEmail(input);
}

async function sendRawEmail(backend: SesV1Backend, params: QueryParams): Promise<Result> {
  const data = requiredString(params, 'RawMessage.Data');
  const source = optionalString(params, 'Source');
  const destinations = optionalList(params, 'Destinations');
  const fromArn = optionalString(params, 'FromArn');
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(data);
  } catch {
    throw new SesQueryError('InvalidParameterValue', 'RawMessage.Data is not valid base64.');
  }
  return backend.v1.sendRawEmail({
    RawMessage: { Data: bytes },
    ...(source !== undefined ? { Source: source } : {}),
    ...(destinations ? { Destinations: destinations } : {}),
    ...(fromArn !== undefined ? { FromArn: fromArn } : {}),
    ...sendingExtras(params),
  });
}

/** Every v1 Action this emulator serves, by name (the ses model's operation names). */
export const SES_V1_OPERATIONS: Readonly<Record<string, Handler>> = {
  VerifyDomainIdentity: async (b, p) => {
    const Domain = requiredString(p, 'Domain');
    if (!b.verifyDomainIdentity) throw notYet('VerifyDomainIdentity');
    const { VerificationToken } = await b.verifyDomainIdentity({ Domain });
    return { VerificationToken };
  },
  VerifyDomainDkim: (b, p) => b.v1.verifyDomainDkim({ Domain: requiredString(p, 'Domain') }),
  VerifyEmailIdentity: (b, p) => b.v1.verifyEmailIdentity({ EmailAddress: requiredString(p, 'EmailAddress') }),
  VerifyEmailAddress: async (b, p) => {
    await b.v1.verifyEmailIdentity({ EmailAddress: requiredString(p, 'EmailAddress') });
    return null; // no output shape in the model
  },
  GetIdentityVerificationAttributes: (b, p) =>
    b.v1.getIdentityVerificationAttributes({ Identities: requiredList(p, 'Identities') }),
  GetIdentityDkimAttributes: (b, p) => b.v1.getIdentityDkimAttributes({ Identities: requiredList(p, 'Identities') }),
  SetIdentityDkimEnabled: (b, p) => {
    const enabled = optionalBoolean(p, 'DkimEnabled');
    if (enabled === undefined) requiredString(p, 'DkimEnabled');
    return b.v1.setIdentityDkimEnabled({ Identity: requiredString(p, 'Identity'), DkimEnabled: enabled === true });
  },
  ListIdentities: (b, p) => {
    const type = optionalString(p, 'IdentityType');
    const max = optionalInteger(p, 'MaxItems', 1, 1000);
    const token = optionalString(p, 'NextToken');
    return b.v1.listIdentities({
      ...(type !== undefined ? { IdentityType: type } : {}),
      ...(max !== undefined ? { MaxItems: max } : {}),
      ...(token !== undefined ? { NextToken: token } : {}),
    });
  },
  DeleteIdentity: (b, p) => b.v1.deleteIdentity({ Identity: requiredString(p, 'Identity') }),
  SetIdentityMailFromDomain: setMailFrom,
  GetIdentityMailFromDomainAttributes: getMailFrom,
  SendEmail: sendEmail,
  SendRawEmail: sendRawEmail,
};

/**
 * Runs one awsQuery request's Action. MissingAction without one, InvalidAction for a name the
 * table lacks (AWS common errors; SES's exact text for it is unconfirmed, ses-research C.1).
 */
export async function runQueryAction(
  backend: SesV1Backend,
  params: QueryParams,
): Promise<{ action: string; result: Result | null }> {
  const action = params.get('Action');
  if (action === undefined || action === '') {
    throw new SesQueryError('MissingAction', 'The request must contain the parameter Action.');
  }
  const handler = Object.hasOwn(SES_V1_OPERATIONS, action) ? SES_V1_OPERATIONS[action] : undefined;
  if (!handler) throw new SesQueryError('InvalidAction', `${INVALID_ACTION_MESSAGE} (${action.slice(0, 64)})`);
  const version = params.get('Version');
  if (version !== undefined && version !== SES_V1_VERSION) {
    throw new SesQueryError('InvalidAction', `Could not find operation ${action} for version ${version.slice(0, 20)}.`);
  }
  return { action, result: await handler(backend, params) };
}
