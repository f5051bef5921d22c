// SES's DKIM status lifecycle (PENDING, SUCCESS, TEMPORARY_FAILURE, FAILED) as a pure function of events.
// No clock of its own: every event carries its time, and nextCheckAt says when to look again.

/** SES's DKIM status values. */
export type DkimStatus = 'NOT_STARTED' | 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE';

/** What one observation of DNS concluded, over all the records an identity needs. */
export type ObservationOutcome =
  /** Every required record matched. */
  | 'MATCH'
  /** A definitive answer that is not a match: not found, mismatch, invalid, ... */
  | 'NO_MATCH'
  /** DNS could not answer (timeout, SERVFAIL, ...): nothing definitive was learnt. */
  | 'DNS_ERROR';

/** The state of one identity. Times are epoch milliseconds. */
export interface VerificationState {
  readonly status: DkimStatus;
  readonly identityType: 'DOMAIN' | 'EMAIL_ADDRESS';
  /** When the current verification window opened (start, restart); null once verified. */
  readonly pendingSince: number | null;
  /** When the identity last became SUCCESS. */
  readonly verifiedAt: number | null;
  /** When a verified identity first failed a recheck; null while it passes. */
  readonly failingSince: number | null;
  readonly lastCheckedAt: number | null;
  readonly lastOutcome: ObservationOutcome | null;
}

/** What happens to an identity. */
export type VerificationEvent =
  /** A new identity, or new signing attributes (new key, selector or tokens). */
  | { readonly type: 'start'; readonly at: number }
  /** An explicit re-verification. */
  | { readonly type: 'restart'; readonly at: number }
  | { readonly type: 'observation'; readonly at: number; readonly outcome: ObservationOutcome }
  /** SigningEnabled turned on or off: the status does not change. */
  | { readonly type: 'signing'; readonly at: number; readonly enabled: boolean };

/** How long SES keeps looking before FAILED: 72 hours, for new identities and lost records alike. */
export const VERIFICATION_WINDOW_MS = 72 * 60 * 60 * 1000;
/** How often a verified identity is rechecked. */
export const SUCCESS_RECHECK_MS = 6 * 60 * 60 * 1000;

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** The state of a new identity: PENDING for a domain, NOT_STARTED for an email address (no DKIM). */
export function initialState(options: {
  readonly at: number;
  readonly identityType?: 'DOMAIN' | 'EMAIL_ADDRESS';
}): VerificationState {
  const identityType = options.identityType ?? 'DOMAIN';
  return {
    status: identityType === 'DOMAIN' ? 'PENDING' : 'NOT_STARTED',
    identityType,
    pendingSince: identityType === 'DOMAIN' ? options.at : null,
    verifiedAt: null,
    failingSince: null,
    lastCheckedAt: null,
    lastOutcome: null,
  };
}

/**
 * The state after `event`. Follows the transition table in the README, which is the contract.
 * Events older than the last observation are ignored (the state is returned unchanged), so a
 * late answer cannot rewind an identity.
 *
 * @example
 * ```ts
 * let state = initialState({ at: t0 }); // PENDING
 * state = transition(state, { type: 'observation', at: t0 + 60_000, outcome: 'MATCH' });
 * state.status; // 'SUCCESS'
 * nextCheckAt(state); // t0 + 60_000 + SUCCESS_RECHECK_MS
 * ```
 */
export function transition(state: VerificationState, event: VerificationEvent): VerificationState {
  if (state.identityType === 'EMAIL_ADDRESS') return state;
  if (state.lastCheckedAt !== null && event.at < state.lastCheckedAt) return state;
  switch (event.type) {
    case 'signing':
      return state;
    case 'start':
    case 'restart':
      return { ...initialState({ at: event.at }), lastCheckedAt: state.lastCheckedAt };
    case 'observation':
      return observe(state, event.at, event.outcome);
  }
}

function observe(state: VerificationState, at: number, outcome: ObservationOutcome): VerificationState {
  const checked = { ...state, lastCheckedAt: at, lastOutcome: outcome };
  if (state.status === 'FAILED' || state.status === 'NOT_STARTED') return checked;
  if (outcome === 'MATCH') {
    return {
      ...checked,
      status: 'SUCCESS',
      pendingSince: null,
      failingSince: null,
      verifiedAt: state.status === 'SUCCESS' ? state.verifiedAt : at,
    };
  }
  if (state.status === 'SUCCESS') {
    // A verified identity that loses its records, or whose DNS errs, is rechecked for 72 hours.
    return { ...checked, status: 'TEMPORARY_FAILURE', failingSince: at };
  }
  const windowStart = state.failingSince ?? state.pendingSince ?? at;
  if (at - windowStart >= VERIFICATION_WINDOW_MS) return { ...checked, status: 'FAILED' };
  if (state.failingSince !== null) return { ...checked, status: 'TEMPORARY_FAILURE' };
  return { ...checked, status: outcome === 'DNS_ERROR' ? 'TEMPORARY_FAILURE' : 'PENDING' };
}

/**
 * When to observe DNS next (epoch milliseconds), or null when no check is due (FAILED,
 * NOT_STARTED). While a 72-hour window is open: every 5 minutes in its first hour, every 15
 * minutes until hour 6, every 30 minutes until hour 24, then hourly; never past the deadline.
 * A verified identity is rechecked every 6 hours.
 */
export function nextCheckAt(state: VerificationState): number | null {
  if (state.status === 'FAILED' || state.status === 'NOT_STARTED') return null;
  if (state.status === 'SUCCESS') return (state.lastCheckedAt ?? state.verifiedAt ?? 0) + SUCCESS_RECHECK_MS;
  const windowStart = state.failingSince ?? state.pendingSince;
  if (windowStart === null) return state.lastCheckedAt;
  const deadline = windowStart + VERIFICATION_WINDOW_MS;
  if (state.lastCheckedAt === null || state.lastCheckedAt < windowStart) return windowStart;
  const elapsed = state.lastCheckedAt - windowStart;
  const interval =
    elapsed < HOUR ? 5 * MINUTE : elapsed < 6 * HOUR ? 15 * MINUTE : elapsed < 24 * HOUR ? 30 * MINUTE : HOUR;
  return Math.min(state.lastCheckedAt + interval, deadline);
}

/** The state after each event in turn: replaying a log gives the same state every time. */
export function replay(initial: VerificationState, events: readonly VerificationEvent[]): VerificationState {
  return events.reduce(transition, initial);
}

/** A status that a finished check can report: every status but NOT_STARTED. */
export type CheckedStatus = Exclude<DkimStatus, 'NOT_STARTED'>;

/** The one place the status precedence is written: FAILED > TEMPORARY_FAILURE > PENDING > SUCCESS. */
export const STATUS_PRECEDENCE: readonly CheckedStatus[] = ['FAILED', 'TEMPORARY_FAILURE', 'PENDING', 'SUCCESS'];

/**
 * The most severe of several statuses (SUCCESS for none), by {@link STATUS_PRECEDENCE}.
 * @example worstStatus(['SUCCESS', 'PENDING']) // 'PENDING'
 */
export function worstStatus(statuses: Iterable<CheckedStatus>): CheckedStatus {
  let worst = STATUS_PRECEDENCE.length - 1;
  for (const status of statuses) worst = Math.min(worst, STATUS_PRECEDENCE.indexOf(status));
  return STATUS_PRECEDENCE[worst] ?? 'SUCCESS';
}
