// An identity's status history: the state machine's transitions as checks apply them, bounded per identity.
import type { DkimStatus, ObservationOutcome, VerificationState } from '../core/status.js';
import type { IdentityRecord, VerificationKind } from './identity.js';

/** One status change of one verification kind. */
export interface StatusChange {
  /** When the check that moved it ran (epoch ms, the backend's clock). */
  readonly at: number;
  readonly kind: VerificationKind;
  readonly from: DkimStatus;
  readonly to: DkimStatus;
  /** What the check observed. */
  readonly outcome: ObservationOutcome | null;
}

/** Most changes one identity keeps; the oldest are dropped first. */
export const MAX_STATUS_HISTORY = 50;

/** Appends a change to `record.history` when `after` has another status than `before`. */
export function noteStatusChange(
  record: IdentityRecord,
  kind: VerificationKind,
  before: VerificationState,
  after: VerificationState,
  at: number,
): void {
  if (before.status === after.status) return;
  const change: StatusChange = { at, kind, from: before.status, to: after.status, outcome: after.lastOutcome };
  record.history = [...(record.history ?? []), change].slice(-MAX_STATUS_HISTORY);
}

const STATUSES: readonly string[] = ['NOT_STARTED', 'PENDING', 'SUCCESS', 'FAILED', 'TEMPORARY_FAILURE'];
const KINDS: readonly string[] = ['dkim', 'mailFrom', 'legacyTxt'];

/** Whether `value` is a history as {@link noteStatusChange} writes it (a restored snapshot is checked with it). */
export function isStatusHistory(value: unknown): value is StatusChange[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_STATUS_HISTORY &&
    value.every(
      (c) =>
        typeof c === 'object' &&
        c !== null &&
        Number.isFinite(c.at) &&
        KINDS.includes(c.kind) &&
        STATUSES.includes(c.from) &&
        STATUSES.includes(c.to) &&
        (c.outcome === null || ['MATCH', 'NO_MATCH', 'DNS_ERROR'].includes(c.outcome)),
    )
  );
}
