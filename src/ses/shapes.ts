// The SES v2 request and response shapes of the identity operations, built from identity records.
import type { SigningKeyLength } from '../core/easy-dkim.js';
import type { DkimStatus } from '../core/status.js';
import type { IdentityRecord, MailFromSetup, Tag, VerificationErrorType } from './identity.js';

/** The DkimAttributes shape of the SES v2 API. */
export interface DkimAttributes {
  SigningEnabled: boolean;
  Status: DkimStatus;
  Tokens?: string[];
  SigningHostedZone?: string;
  /** AWS_SES, EXTERNAL, or AWS_SES_<REGION> for a DEED replica. */
  SigningAttributesOrigin?: string;
  NextSigningKeyLength?: SigningKeyLength;
  CurrentSigningKeyLength?: SigningKeyLength;
  LastKeyGenerationTimestamp?: Date;
}

/** The DkimSigningAttributes of CreateEmailIdentity and PutEmailIdentityDkimSigningAttributes. */
export interface DkimSigningAttributesInput {
  DomainSigningSelector?: string;
  DomainSigningPrivateKey?: string;
  NextSigningKeyLength?: SigningKeyLength;
  /** CreateEmailIdentity only: AWS_SES_<REGION> makes the identity a DEED replica of that region's. */
  DomainSigningAttributesOrigin?: string;
}

/** The input of CreateEmailIdentity. */
export interface CreateEmailIdentityInput {
  EmailIdentity?: string;
  Tags?: Tag[];
  DkimSigningAttributes?: DkimSigningAttributesInput;
  ConfigurationSetName?: string;
}

/** The input of PutEmailIdentityDkimSigningAttributes. */
export interface PutDkimSigningAttributesInput {
  EmailIdentity?: string;
  SigningAttributesOrigin?: string;
  SigningAttributes?: DkimSigningAttributesInput;
}

/** The VerificationInfo shape of GetEmailIdentity. */
export interface VerificationInfo {
  LastCheckedTimestamp?: Date;
  LastSuccessTimestamp?: Date;
  ErrorType?: VerificationErrorType;
}

/** What SES gives an email address whose domain is not an identity: DKIM not started. */
const ADDRESS_DKIM: DkimAttributes = {
  SigningEnabled: false,
  Status: 'NOT_STARTED',
  SigningAttributesOrigin: 'AWS_SES',
  NextSigningKeyLength: 'RSA_1024_BIT',
};

/** The DkimSigningAttributesOrigin value naming a region, e.g. AWS_SES_EU_WEST_1. */
export function regionOrigin(region: string): string {
  return `AWS_SES_${region.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * An identity's DkimAttributes. An email address has none of its own: it shows its domain
 * identity's (`domain`, when that domain is an identity) or DKIM not started.
 */
export function dkimAttributes(record: IdentityRecord, domain?: IdentityRecord): DkimAttributes {
  if (record.type === 'EMAIL_ADDRESS') return domain ? dkimAttributes(domain) : { ...ADDRESS_DKIM };
  const origin = record.replicaOf !== undefined ? regionOrigin(record.replicaOf) : record.origin;
  return {
    SigningEnabled: record.signingEnabled,
    Status: record.verifications.dkim.status,
    Tokens: [...record.tokens],
    ...(record.hostedZone ? { SigningHostedZone: record.hostedZone } : {}),
    ...(origin ? { SigningAttributesOrigin: origin } : {}),
    ...(record.nextKeyLength ? { NextSigningKeyLength: record.nextKeyLength } : {}),
    ...(record.currentKeyLength ? { CurrentSigningKeyLength: record.currentKeyLength } : {}),
    ...(record.lastKeyGeneration !== undefined
      ? { LastKeyGenerationTimestamp: new Date(record.lastKeyGeneration) }
      : {}),
  };
}

/** The MailFromAttributes shape: always present; only the behaviour when no MAIL FROM domain is set. */
export interface MailFromAttributes {
  MailFromDomain?: string;
  MailFromDomainStatus?: 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE';
  BehaviorOnMxFailure: MailFromSetup['behaviorOnMxFailure'];
}

/** An identity's MailFromAttributes, as SES returns them. */
export function mailFromAttributes(record: IdentityRecord): MailFromAttributes {
  const setup = record.mailFrom;
  const status = record.verifications.mailFrom?.status;
  if (!setup?.domain || status === undefined || status === 'NOT_STARTED') {
    return { BehaviorOnMxFailure: setup?.behaviorOnMxFailure ?? 'USE_DEFAULT_VALUE' };
  }
  return { MailFromDomain: setup.domain, MailFromDomainStatus: status, BehaviorOnMxFailure: setup.behaviorOnMxFailure };
}

/**
 * An identity's VerificationInfo, from the verification behind its status: DKIM, or the v1 TXT
 * record while DKIM is not started. The error type is shown only while the status is not SUCCESS.
 */
export function verificationInfo(record: IdentityRecord, status: DkimStatus): VerificationInfo {
  const txtOnly = record.verifications.dkim.status === 'NOT_STARTED' && record.verifications.legacyTxt !== undefined;
  const checkedAt = (txtOnly ? record.verifications.legacyTxt : record.verifications.dkim)?.lastCheckedAt ?? null;
  const successAt = txtOnly ? record.verifications.legacyTxt?.verifiedAt : record.lastSuccessAt;
  const error = txtOnly ? record.legacyTxt?.lastError : record.lastError;
  return {
    ...(checkedAt !== null ? { LastCheckedTimestamp: new Date(checkedAt) } : {}),
    ...(successAt !== undefined && successAt !== null ? { LastSuccessTimestamp: new Date(successAt) } : {}),
    ...(error !== undefined && status !== 'SUCCESS' ? { ErrorType: error } : {}),
  };
}
