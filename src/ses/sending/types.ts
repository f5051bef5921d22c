// The request shapes of SES's send operations (v2 SendEmail, v1 SendEmail and SendRawEmail), and the one request they become.

/** `Content`: text and its charset (7-bit ASCII when absent, as SES says). */
export interface Content {
  Data?: string;
  Charset?: string;
}

/** `Destination`: at most 50 addresses over the three lists (SES quotas). */
export interface Destination {
  ToAddresses?: string[];
  CcAddresses?: string[];
  BccAddresses?: string[];
}

/** A message tag (`EmailTags` in v2, `Tags` in v1). */
export interface MessageTag {
  Name: string;
  Value: string;
}

/** The input of SES v2 SendEmail (POST /v2/email/outbound-emails). `Raw.Data` is base64 in JSON, bytes from code. */
export interface SendEmailInput {
  FromEmailAddress?: string;
  FromEmailAddressIdentityArn?: string;
  Destination?: Destination;
  ReplyToAddresses?: string[];
  FeedbackForwardingEmailAddress?: string;
  FeedbackForwardingEmailAddressIdentityArn?: string;
  Content?: {
    Simple?: { Subject?: Content; Body?: { Text?: Content; Html?: Content } };
    Raw?: { Data?: string | Uint8Array };
    Template?: unknown;
  };
  EmailTags?: MessageTag[];
  ConfigurationSetName?: string;
}

/** The input of SES v1 SendEmail. */
export interface V1SendEmailInput {
  Source: string;
  Destination: Destination;
  Message: { Subject: Content; Body: { Text?: Content; Html?: Content } };
  ReplyToAddresses?: string[];
  ReturnPath?: string;
  SourceArn?: string;
  ReturnPathArn?: string;
  Tags?: MessageTag[];
  ConfigurationSetName?: string;
}

/** The input of SES v1 SendRawEmail (`RawMessage.Data` decoded from the form's base64). */
export interface V1SendRawEmailInput {
  RawMessage: { Data: Uint8Array };
  Source?: string;
  Destinations?: string[];
  FromArn?: string;
  SourceArn?: string;
  ReturnPathArn?: string;
  Tags?: MessageTag[];
  ConfigurationSetName?: string;
}

/** What every send operation becomes before the shared pipeline (gate, build, rewrite, sign, outbox). */
export interface SendRequest {
  readonly api: 'v1' | 'v2';
  readonly operation: 'SendEmail' | 'SendRawEmail';
  /** FromEmailAddress (v2) or Source (v1): may carry a display name. */
  readonly source?: string;
  /** The identity authorizing the From address (v2 FromEmailAddressIdentityArn, v1 FromArn / SourceArn). */
  readonly fromArn?: string;
  readonly destination?: Destination;
  /** v1 SendRawEmail's envelope recipients. */
  readonly destinations?: readonly string[];
  readonly replyTo?: readonly string[];
  readonly returnPath?: string;
  readonly content:
    | { readonly kind: 'simple'; readonly subject: Content; readonly text?: Content; readonly html?: Content }
    | { readonly kind: 'raw'; readonly data: Uint8Array };
  /** The request's size as SES counts it against the limit (v1: after base64 encoding). */
  readonly size: number;
}
