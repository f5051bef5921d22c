// The SES v2 restJson1 routes of the SDK models (botocore 1.29 and JS SDK v3), one table.
import { MAX_MESSAGE_SIZE } from '../sending/pipeline.js';

/** A query-string member: its wire name and how its text becomes a value. */
export interface QueryMember {
  readonly wire: string;
  readonly type: 'string' | 'integer' | 'list';
}

/** One HTTP binding of one SES v2 operation, as an SDK model carries it. */
export interface SesV2Route {
  /** The operation's name, e.g. `PutEmailIdentityDkimSigningAttributes`. */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The URI template; each `{Member}` segment is a path label bound to that member. */
  readonly path: string;
  /** Members bound to the query string. */
  readonly query?: Readonly<Record<string, QueryMember>>;
  /** Members read from the JSON body (anything else in the body is ignored, as SES does). */
  readonly body?: readonly string[];
  /**
   * Which models send this binding: `botocore` is botocore 1.29 (Debian's awscli 2.9.19 and
   * python3-boto3), `js` is @aws-sdk/client-sesv2 3.11xx. Both when they agree.
   */
  readonly models: readonly ('botocore' | 'js')[];
  /** Most bytes of this route's body, when larger than the listener's default (SendEmail's Raw content). */
  readonly bodyLimit?: number;
}

const BOTH = ['botocore', 'js'] as const;
const BOTOCORE = ['botocore'] as const;
const JS = ['js'] as const;
const IDENTITY = '/v2/email/identities/{EmailIdentity}';
const POLICY = `${IDENTITY}/policies/{PolicyName}`;
const CONFIGURATION_SET = '/v2/email/configuration-sets/{ConfigurationSetName}';
const PAGING: Readonly<Record<string, QueryMember>> = {
  NextToken: { wire: 'NextToken', type: 'string' },
  PageSize: { wire: 'PageSize', type: 'integer' },
};

/**
 * Every route of the SES v2 operations the emulator serves. Where the models differ, each
 * binding is listed: older botocore lists with GET and query parameters and sends the signing
 * attributes to `/v1/...`; the current JS SDK lists with POST and a body, and uses `/v2/...`.
 */
export const SES_V2_ROUTES: readonly SesV2Route[] = [
  {
    operation: 'CreateEmailIdentity',
    method: 'POST',
    path: '/v2/email/identities',
    body: ['EmailIdentity', 'Tags', 'DkimSigningAttributes', 'ConfigurationSetName'],
    models: BOTH,
  },
  { operation: 'GetEmailIdentity', method: 'GET', path: IDENTITY, models: BOTH },
  { operation: 'ListEmailIdentities', method: 'GET', path: '/v2/email/identities', query: PAGING, models: BOTOCORE },
  {
    operation: 'ListEmailIdentities',
    method: 'POST',
    path: '/v2/email/list-identities',
    body: ['Filter', 'NextToken', 'PageSize'],
    models: JS,
  },
  { operation: 'DeleteEmailIdentity', method: 'DELETE', path: IDENTITY, models: BOTH },
  {
    operation: 'PutEmailIdentityDkimAttributes',
    method: 'PUT',
    path: `${IDENTITY}/dkim`,
    body: ['SigningEnabled'],
    models: BOTH,
  },
  {
    operation: 'PutEmailIdentityDkimSigningAttributes',
    method: 'PUT',
    path: '/v1/email/identities/{EmailIdentity}/dkim/signing',
    body: ['SigningAttributesOrigin', 'SigningAttributes'],
    models: BOTOCORE,
  },
  {
    operation: 'PutEmailIdentityDkimSigningAttributes',
    method: 'PUT',
    path: `${IDENTITY}/dkim/signing`,
    body: ['SigningAttributesOrigin', 'SigningAttributes'],
    models: JS,
  },
  {
    operation: 'PutEmailIdentityMailFromAttributes',
    method: 'PUT',
    path: `${IDENTITY}/mail-from`,
    body: ['MailFromDomain', 'BehaviorOnMxFailure'],
    models: BOTH,
  },
  {
    operation: 'PutEmailIdentityFeedbackAttributes',
    method: 'PUT',
    path: `${IDENTITY}/feedback`,
    body: ['EmailForwardingEnabled'],
    models: BOTH,
  },
  {
    operation: 'PutEmailIdentityConfigurationSetAttributes',
    method: 'PUT',
    path: `${IDENTITY}/configuration-set`,
    body: ['ConfigurationSetName'],
    models: BOTH,
  },
  { operation: 'CreateEmailIdentityPolicy', method: 'POST', path: POLICY, body: ['Policy'], models: BOTH },
  { operation: 'GetEmailIdentityPolicies', method: 'GET', path: `${IDENTITY}/policies`, models: BOTH },
  { operation: 'UpdateEmailIdentityPolicy', method: 'PUT', path: POLICY, body: ['Policy'], models: BOTH },
  { operation: 'DeleteEmailIdentityPolicy', method: 'DELETE', path: POLICY, models: BOTH },
  { operation: 'TagResource', method: 'POST', path: '/v2/email/tags', body: ['ResourceArn', 'Tags'], models: BOTH },
  {
    operation: 'UntagResource',
    method: 'DELETE',
    path: '/v2/email/tags',
    query: { ResourceArn: { wire: 'ResourceArn', type: 'string' }, TagKeys: { wire: 'TagKeys', type: 'list' } },
    models: BOTH,
  },
  {
    operation: 'ListTagsForResource',
    method: 'GET',
    path: '/v2/email/tags',
    query: { ResourceArn: { wire: 'ResourceArn', type: 'string' } },
    models: BOTH,
  },
  {
    operation: 'CreateConfigurationSet',
    method: 'POST',
    path: '/v2/email/configuration-sets',
    body: [
      'ConfigurationSetName',
      'TrackingOptions',
      'DeliveryOptions',
      'ReputationOptions',
      'SendingOptions',
      'Tags',
      'SuppressionOptions',
      'VdmOptions',
      'ArchivingOptions',
      'MessageSecurityOptions',
    ],
    models: BOTH,
  },
  { operation: 'GetConfigurationSet', method: 'GET', path: CONFIGURATION_SET, models: BOTH },
  {
    operation: 'ListConfigurationSets',
    method: 'GET',
    path: '/v2/email/configuration-sets',
    query: PAGING,
    models: BOTOCORE,
  },
  {
    operation: 'ListConfigurationSets',
    method: 'POST',
    path: '/v2/email/list-configuration-sets',
    body: ['Filter', 'NextToken', 'PageSize'],
    models: JS,
  },
  { operation: 'DeleteConfigurationSet', method: 'DELETE', path: CONFIGURATION_SET, models: BOTH },
  { operation: 'GetAccount', method: 'GET', path: '/v2/email/account', models: BOTH },
  {
    operation: 'SendEmail',
    method: 'POST',
    path: '/v2/email/outbound-emails',
    // SES v2 takes 40 MB messages; Raw content is base64 in the JSON body (4/3 of that), plus the rest.
    bodyLimit: Math.ceil((MAX_MESSAGE_SIZE.v2 * 4) / 3) + 64 * 1024,
    body: [
      'FromEmailAddress',
      'FromEmailAddressIdentityArn',
      'Destination',
      'ReplyToAddresses',
      'FeedbackForwardingEmailAddress',
      'FeedbackForwardingEmailAddressIdentityArn',
      'Content',
      'EmailTags',
      'ConfigurationSetName',
      'EndpointId',
      'TenantName',
      'ListManagementOptions',
      'ConfigurationOverrides',
    ],
    models: BOTH,
  },
];

/** The backend method an operation calls: its name in lowerCamelCase (`GetAccount` -> `getAccount`). */
export function backendMethodOf(operation: string): string {
  return operation.charAt(0).toLowerCase() + operation.slice(1);
}
