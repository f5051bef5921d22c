// One SES identity as the backend keeps it, and the verification status SES reports for it.
import type { SigningKeyLength } from '../core/easy-dkim.js';
import type { DkimStatus, VerificationState } from '../core/status.js';

/** A resource tag. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** Why the last DNS check failed, as SES's VerificationInfo.ErrorType says it. */
export type VerificationErrorType =
  | 'DNS_SERVER_ERROR'
  | 'HOST_NOT_FOUND'
  | 'TYPE_NOT_FOUND'
  | 'INVALID_VALUE'
  | 'SERVICE_ERROR';

/** One identity as the backend keeps it: plain data, so it can be snapshotted. */
export interface IdentityRecord {
  identity: string;
  type: 'DOMAIN' | 'EMAIL_ADDRESS';
  createdAt: number;
  tags: Tag[];
  configurationSetName?: string;
  signingEnabled: boolean;
  origin: 'AWS_SES' | 'EXTERNAL' | null;
  tokens: string[];
  hostedZone?: string;
  selector?: string;
  /** BYODKIM: the key in SES form; null for a key accepted as SES does but unusable. */
  privateKey?: string | null;
  currentKeyLength?: SigningKeyLength;
  nextKeyLength?: SigningKeyLength;
  lastKeyGeneration?: number;
  /** Easy DKIM keys published into the provider zone, in SES form per token. */
  providerKeys?: string[];
  state: VerificationState;
  confirmedAt?: number;
  lastSuccessAt?: number;
  lastError?: VerificationErrorType;
}

/** An address SES never saw confirmed fails after a day, as SES's verification link expires. */
const EMAIL_UNVERIFIED_FAILS_AFTER_MS = 24 * 60 * 60 * 1000;

/** An email-address identity's status: confirmed, pending, or failed once the link has expired. */
export function emailStatus(record: IdentityRecord, at: number): DkimStatus {
  if (record.confirmedAt !== undefined) return 'SUCCESS';
  return at - record.createdAt >= EMAIL_UNVERIFIED_FAILS_AFTER_MS ? 'FAILED' : 'PENDING';
}

/** The VerificationStatus of an identity at `at`: a domain's DKIM status, an address's confirmation. */
export function verificationStatus(record: IdentityRecord, at: number): DkimStatus {
  return record.type === 'EMAIL_ADDRESS' ? emailStatus(record, at) : record.state.status;
}

/** The domain part of an email-address identity, in lower case. */
export function addressDomain(record: IdentityRecord): string {
  return record.identity.slice(record.identity.lastIndexOf('@') + 1).toLowerCase();
}
