// What SES v1 reads off an identity record: v1 status names, DKIM status, the legacy TXT verification.
import type { DkimStatus } from '../../core/status.js';
import { emailStatus, type IdentityRecord } from '../identity.js';

/** SES v1's VerificationStatus / DkimVerificationStatus / CustomMailFromStatus enum values. */
export type V1Status = 'Pending' | 'Success' | 'Failed' | 'TemporaryFailure' | 'NotStarted';

const V1_STATUS: Readonly<Record<DkimStatus, V1Status>> = {
  PENDING: 'Pending',
  SUCCESS: 'Success',
  FAILED: 'Failed',
  TEMPORARY_FAILURE: 'TemporaryFailure',
  NOT_STARTED: 'NotStarted',
};

/** A v2 status in v1's spelling (SUCCESS -> Success). */
export function v1Status(status: DkimStatus): V1Status {
  return V1_STATUS[status];
}

/** A domain identity's DKIM status. */
export function dkimStatusOf(record: IdentityRecord): DkimStatus {
  return record.verifications.dkim.status;
}

/** The legacy `_amazonses` TXT verification of a domain, when VerifyDomainIdentity started one. */
export function legacyTxtOf(record: IdentityRecord): { status: DkimStatus; token: string } | null {
  const status = record.verifications.legacyTxt?.status;
  const token = record.legacyTxt?.token;
  return status !== undefined && token !== undefined ? { status, token } : null;
}

/**
 * An identity's v1 VerificationStatus. An address: its confirmation. A domain: Success when its
 * DKIM or its legacy TXT verifies ("The domain's verification status also changes to 'Success'
 * when it is DKIM verified", VerifyDomainIdentityResponse doc); else the TXT verification's
 * status when there is one, else DKIM's.
 */
export function v1VerificationStatus(record: IdentityRecord, at: number): V1Status {
  if (record.type === 'EMAIL_ADDRESS') return v1Status(emailStatus(record, at));
  const dkim = dkimStatusOf(record);
  const legacy = legacyTxtOf(record);
  if (dkim === 'SUCCESS' || legacy?.status === 'SUCCESS') return 'Success';
  return v1Status(legacy?.status ?? dkim);
}
