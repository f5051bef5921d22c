// The scheduled DNS checks of identities (DKIM, MAIL FROM, v1 TXT): what each expects, and how a result moves its state.
import { signingHostedZone } from '../../core/easy-dkim.js';
import { nextCheckAt, transition, type VerificationState } from '../../core/status.js';
import { verifyLegacyTxt } from '../../verify/legacy-txt.js';
import { verifyMailFrom } from '../../verify/mail-from.js';
import { type Expectation, unanswered, type VerificationResult, verifyIdentity } from '../../verify/verify.js';
import { noteStatusChange } from '../history.js';
import type { IdentityRecord, VerificationErrorType, VerificationKind } from '../identity.js';
import { runBounded, withDeadline } from '../pool.js';
import { cachedKey, type SesBackendState, saveIdentity } from '../state.js';

const STATUS_ERROR: Readonly<Record<string, VerificationErrorType>> = {
  DNS_ERROR: 'DNS_SERVER_ERROR',
  NXDOMAIN: 'HOST_NOT_FOUND',
  NODATA: 'TYPE_NOT_FOUND',
};

const DEFAULT_CONCURRENCY = 16;
const DEFAULT_TIMEOUT_MS = 15_000;

/** What a domain identity's records must show; null for a BYODKIM key that can never verify. */
function expectationOf(state: SesBackendState, record: IdentityRecord): Expectation | null {
  const domain = record.identity;
  if (record.origin === 'EXTERNAL') {
    if (!record.privateKey || !record.selector) return null;
    return { kind: 'byodkim', domain, selector: record.selector, key: cachedKey(state, record.privateKey) };
  }
  return {
    kind: 'easy-dkim',
    domain,
    tokens: record.tokens,
    hostedZone: record.hostedZone ?? signingHostedZone({ region: state.region }),
    ...(record.providerKeys ? { providerKeys: record.providerKeys.map((key) => cachedKey(state, key)) } : {}),
  };
}

/** Options of {@link checkAll}. */
export interface CheckAllOptions {
  /** `serve --check-every`: an open verification window is also due once its last check is this old (ms). */
  readonly recheckAfterMs?: number;
}

function isDue(verification: VerificationState | undefined, at: number, options: CheckAllOptions = {}): boolean {
  if (verification === undefined) return false;
  const due = nextCheckAt(verification);
  if (due === null) return false;
  const { recheckAfterMs } = options;
  const open = verification.status === 'PENDING' || verification.status === 'TEMPORARY_FAILURE';
  if (open && recheckAfterMs !== undefined && at - (verification.lastCheckedAt ?? 0) >= recheckAfterMs) return true;
  return due <= at;
}

/** The verifications of a record that are open and due at `at`. A DEED replica's DKIM is its parent's to check. */
function dueKinds(record: IdentityRecord, at: number, options?: CheckAllOptions): VerificationKind[] {
  const kinds: VerificationKind[] = [];
  const v = record.verifications;
  const signs = record.type === 'DOMAIN' && record.origin !== null && record.replicaOf === undefined;
  if (signs && isDue(v.dkim, at, options)) kinds.push('dkim');
  if (record.mailFrom?.domain && isDue(v.mailFrom, at, options)) kinds.push('mailFrom');
  if (record.legacyTxt && isDue(v.legacyTxt, at, options)) kinds.push('legacyTxt');
  return kinds;
}

/** One kind's check; null when nothing could ever match (an unusable or unreadable key). */
async function runCheck(
  state: SesBackendState,
  record: IdentityRecord,
  kind: VerificationKind,
  at: number,
): Promise<VerificationResult | null> {
  const resolver = state.options.resolver;
  if (kind === 'mailFrom') {
    return verifyMailFrom({ mailFromDomain: record.mailFrom?.domain ?? '', region: state.region }, resolver, {
      now: at,
    });
  }
  if (kind === 'legacyTxt') {
    return verifyLegacyTxt({ domain: record.identity, token: record.legacyTxt?.token ?? '' }, resolver, { now: at });
  }
  let expectation: Expectation | null;
  try {
    expectation = expectationOf(state, record);
  } catch {
    return null; // a key that does not parse can never verify: judged like an unusable key
  }
  if (expectation === null) return null;
  return verifyIdentity(expectation, resolver, { now: at, followTargets: Boolean(state.options.providerZone) });
}

/** The ErrorType SES would show for a result that is not a match. */
function errorOf(result: VerificationResult | null): VerificationErrorType | undefined {
  if (result === null) return 'INVALID_VALUE';
  if (result.event.outcome === 'MATCH') return undefined;
  const failing = result.checks.find((check) => check.verdict !== 'MATCH' && check.verdict !== 'VALID');
  if (failing === undefined) return undefined;
  return failing.verdict === 'DNS_ERROR' ? 'DNS_SERVER_ERROR' : (STATUS_ERROR[failing.dns ?? ''] ?? 'INVALID_VALUE');
}

/** Moves one verification of a record by a check's result and notes the error SES shows. */
function applyCheck(record: IdentityRecord, kind: VerificationKind, result: VerificationResult | null, at: number) {
  const event = result?.event ?? { type: 'observation' as const, at, outcome: 'NO_MATCH' as const };
  const error = errorOf(result);
  const before = record.verifications[kind];
  if (before === undefined) return;
  record.verifications[kind] = transition(before, event);
  noteStatusChange(record, kind, before, record.verifications[kind], at);
  if (kind === 'dkim') {
    if (event.outcome === 'MATCH') record.lastSuccessAt = at;
    record.lastError = error;
  } else if (kind === 'mailFrom' && record.mailFrom) {
    record.mailFrom.lastError = error;
  } else if (kind === 'legacyTxt' && record.legacyTxt) {
    record.legacyTxt.lastError = error;
  }
}

/**
 * Checks one identity's due verifications and applies the results, only if the record is still
 * the version that was checked (no change, delete or re-create meanwhile). Never throws: one
 * identity's failure must not stop the others.
 */
async function checkIdentity(
  state: SesBackendState,
  key: string,
  at: number,
  options?: CheckAllOptions,
): Promise<boolean> {
  try {
    const record = await state.store.get(key);
    if (!record || state.busy.has(key)) return false;
    const kinds = dueKinds(record, at, options);
    if (kinds.length === 0) return false;
    const version = record.version;
    const incarnation = state.incarnations.get(key);
    const deadline = state.options.checkTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const results = await Promise.all(
      kinds.map((kind) =>
        withDeadline(runCheck(state, record, kind, at), deadline, () =>
          unanswered(record.identity, 'TIMEOUT', `no DNS answer within ${deadline} ms`, at),
        ).catch(() => null),
      ),
    );
    const current = await state.store.get(key);
    if (!current || state.busy.has(key) || current.version !== version) return false; // changed meanwhile: stale
    if (state.incarnations.get(key) !== incarnation) return false; // deleted or re-created meanwhile
    const next = structuredClone(current);
    for (const [i, kind] of kinds.entries()) applyCheck(next, kind, results[i] ?? null, at);
    await saveIdentity(state, key, next);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs every check that is due on the backend's clock, `checkConcurrency` identities at a time,
 * each within `checkTimeoutMs`; returns how many identities were checked.
 */
export async function checkAll(state: SesBackendState, options?: CheckAllOptions): Promise<{ checked: number }> {
  const at = state.now();
  let checked = 0;
  const keys = await state.store.keys();
  await runBounded(keys, state.options.checkConcurrency ?? DEFAULT_CONCURRENCY, async (key) => {
    if (await checkIdentity(state, key, at, options)) checked++;
  });
  return { checked };
}
