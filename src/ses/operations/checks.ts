// The scheduled DNS checks of domain identities: what each expects, and how a result moves its state.
import { signingHostedZone } from '../../core/easy-dkim.js';
import { nextCheckAt, transition } from '../../core/status.js';
import { type Expectation, type VerificationResult, verifyIdentity } from '../../verify/verify.js';
import type { IdentityRecord, VerificationErrorType } from '../identity.js';
import { cachedKey, type SesBackendState } from '../state.js';

const STATUS_ERROR: Readonly<Record<string, VerificationErrorType>> = {
  DNS_ERROR: 'DNS_SERVER_ERROR',
  NXDOMAIN: 'HOST_NOT_FOUND',
  NODATA: 'TYPE_NOT_FOUND',
};

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

/** Moves a record's state by a check's result (null: nothing could match) and notes the error SES shows. */
function applyCheck(record: IdentityRecord, result: VerificationResult | null, at: number): void {
  if (result === null) {
    record.state = transition(record.state, { type: 'observation', at, outcome: 'NO_MATCH' });
    record.lastError = 'INVALID_VALUE';
    return;
  }
  record.state = transition(record.state, result.event);
  if (result.event.outcome === 'MATCH') {
    record.lastSuccessAt = at;
    record.lastError = undefined;
    return;
  }
  const failing = result.checks.find((check) => check.verdict !== 'MATCH' && check.verdict !== 'VALID');
  record.lastError =
    failing === undefined
      ? undefined
      : failing.verdict === 'DNS_ERROR'
        ? 'DNS_SERVER_ERROR'
        : (STATUS_ERROR[failing.dns ?? ''] ?? 'INVALID_VALUE');
}

/** Runs every check that is due on the backend's clock; returns how many ran. */
export async function checkAll(state: SesBackendState): Promise<{ checked: number }> {
  const at = state.now();
  let checked = 0;
  for (const key of await state.store.keys()) {
    const record = await state.store.get(key);
    if (record?.type !== 'DOMAIN' || state.busy.has(key)) continue;
    const due = nextCheckAt(record.state);
    if (due === null || due > at) continue;
    const incarnation = state.incarnations.get(key);
    const expectation = expectationOf(state, record);
    const result =
      expectation === null
        ? null
        : await verifyIdentity(expectation, state.options.resolver, {
            now: at,
            followTargets: Boolean(state.options.providerZone),
          });
    const current = await state.store.get(key);
    if (current === undefined || state.incarnations.get(key) !== incarnation) continue; // deleted or replaced meanwhile
    applyCheck(current, result, at);
    await state.store.set(key, current);
    checked++;
  }
  return { checked };
}
