// One SES identity as the backend keeps it, and the verification status SES reports for it.
import type { SigningKeyLength } from '../core/easy-dkim.js';
import type { DkimStatus, VerificationState } from '../core/status.js';
import type { StatusChange } from './history.js';

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
  | 'SERVICE_ERROR'
  | 'REPLICATION_PRIMARY_NOT_FOUND';

/** The kinds of DNS verification an identity can have open, each on the same state machine. */
export type VerificationKind = 'dkim' | 'mailFrom' | 'legacyTxt';

/**
 * An identity's verifications: DKIM always (NOT_STARTED for an address, or a domain created by
 * v1 VerifyDomainIdentity); the custom MAIL FROM domain and the v1 `_amazonses` TXT when set up.
 */
export interface Verifications {
  dkim: VerificationState;
  mailFrom?: VerificationState;
  legacyTxt?: VerificationState;
}

/** SES's BehaviorOnMxFailure values. */
export type BehaviorOnMxFailure = 'USE_DEFAULT_VALUE' | 'REJECT_MESSAGE';

/** The custom MAIL FROM set-up of an identity. */
export interface MailFromSetup {
  /** Null: no custom MAIL FROM domain (only the behaviour was set). */
  domain: string | null;
  behaviorOnMxFailure: BehaviorOnMxFailure;
  lastError?: VerificationErrorType;
}

/** One identity as the backend keeps it: plain data, so it can be snapshotted. */
export interface IdentityRecord {
  identity: string;
  type: 'DOMAIN' | 'EMAIL_ADDRESS';
  createdAt: number;
  /** Bumped on every change: a check's result applies only to the version it checked. */
  version: number;
  tags: Tag[];
  configurationSetName?: string;
  signingEnabled: boolean;
  origin: 'AWS_SES' | 'EXTERNAL' | null;
  /** DEED: the region (e.g. eu-west-1) whose same-named identity this replica takes DKIM signing from. */
  replicaOf?: string;
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
  verifications: Verifications;
  confirmedAt?: number;
  lastSuccessAt?: number;
  /** The DKIM check's last error. */
  lastError?: VerificationErrorType;
  /** PutEmailIdentityFeedbackAttributes; SES's default is true. */
  feedbackForwarding?: boolean;
  mailFrom?: MailFromSetup;
  /** v1 VerifyDomainIdentity: the token published at `_amazonses.<domain>`. */
  legacyTxt?: { token: string; lastError?: VerificationErrorType };
  /** Sending authorization policies by name, as minified JSON. */
  policies?: Record<string, string>;
  /** The status changes checks made, oldest first, at most MAX_STATUS_HISTORY (ses/history.ts). */
  history?: StatusChange[];
}

/** An address SES never saw confirmed fails after a day, as SES's verification link expires. */
const EMAIL_UNVERIFIED_FAILS_AFTER_MS = 24 * 60 * 60 * 1000;

/** An email-address identity's status: confirmed, pending, or failed once the link has expired. */
export function emailStatus(record: IdentityRecord, at: number): DkimStatus {
  if (record.confirmedAt !== undefined) return 'SUCCESS';
  return at - record.createdAt >= EMAIL_UNVERIFIED_FAILS_AFTER_MS ? 'FAILED' : 'PENDING';
}

/**
 * A domain's VerificationStatus: SUCCESS when DKIM or the v1 TXT record verified it (SES: "The
 * domain's verification status also changes to 'Success' when it is DKIM verified"); otherwise
 * DKIM's status, or the TXT record's while DKIM is not started.
 */
export function domainStatus(record: IdentityRecord): DkimStatus {
  const dkim = record.verifications.dkim.status;
  const txt = record.verifications.legacyTxt?.status;
  if (dkim === 'SUCCESS' || txt === 'SUCCESS') return 'SUCCESS';
  return dkim === 'NOT_STARTED' && txt !== undefined ? txt : dkim;
}

/** The VerificationStatus of an identity at `at`: a domain's DKIM or TXT status, an address's confirmation. */
export function verificationStatus(record: IdentityRecord, at: number): DkimStatus {
  return record.type === 'EMAIL_ADDRESS' ? emailStatus(record, at) : domainStatus(record);
}

/** The domain part of an email-address identity, in lower case. */
export function addressDomain(record: IdentityRecord): string {
  return record.identity.slice(record.identity.lastIndexOf('@') + 1).toLowerCase();
}
