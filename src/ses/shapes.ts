// The SES v2 request and response shapes of the identity operations, built from identity records.
import type { SigningKeyLength } from '../core/easy-dkim.js';
import type { DkimStatus } from '../core/status.js';
import type { IdentityRecord, Tag, VerificationErrorType } from './identity.js';

/** The DkimAttributes shape of the SES v2 API. */
export interface DkimAttributes {
  SigningEnabled: boolean;
  Status: DkimStatus;
  Tokens: string[];
  SigningHostedZone?: string;
  SigningAttributesOrigin?: 'AWS_SES' | 'EXTERNAL';
  NextSigningKeyLength?: SigningKeyLength;
  CurrentSigningKeyLength?: SigningKeyLength;
  LastKeyGenerationTimestamp?: Date;
}

/** The DkimSigningAttributes of CreateEmailIdentity and PutEmailIdentityDkimSigningAttributes. */
export interface DkimSigningAttributesInput {
  DomainSigningSelector?: string;
  DomainSigningPrivateKey?: string;
  NextSigningKeyLength?: SigningKeyLength;
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

/** An identity's DkimAttributes; an email address has none of its own. */
export function dkimAttributes(record: IdentityRecord): DkimAttributes {
  if (record.type === 'EMAIL_ADDRESS') return { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [] };
  return {
    SigningEnabled: record.signingEnabled,
    Status: record.state.status,
    Tokens: [...record.tokens],
    ...(record.hostedZone ? { SigningHostedZone: record.hostedZone } : {}),
    ...(record.origin ? { SigningAttributesOrigin: record.origin } : {}),
    ...(record.nextKeyLength ? { NextSigningKeyLength: record.nextKeyLength } : {}),
    ...(record.currentKeyLength ? { CurrentSigningKeyLength: record.currentKeyLength } : {}),
    ...(record.lastKeyGeneration !== undefined
      ? { LastKeyGenerationTimestamp: new Date(record.lastKeyGeneration) }
      : {}),
  };
}

/** An identity's VerificationInfo; the error type is shown only while the status is not SUCCESS. */
export function verificationInfo(record: IdentityRecord, status: DkimStatus): VerificationInfo {
  return {
    ...(record.state.lastCheckedAt !== null ? { LastCheckedTimestamp: new Date(record.state.lastCheckedAt) } : {}),
    ...(record.lastSuccessAt !== undefined ? { LastSuccessTimestamp: new Date(record.lastSuccessAt) } : {}),
    ...(record.lastError !== undefined && status !== 'SUCCESS' ? { ErrorType: record.lastError } : {}),
  };
}
