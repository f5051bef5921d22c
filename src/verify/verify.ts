// Verifying one identity's DNS records (BYODKIM key record, Easy DKIM CNAMEs) into checks and a status.
import { signingHostedZone } from '../core/easy-dkim.js';
import { DkimError } from '../core/errors.js';
import { type NormalizedKey, normalizedAlready, normalizeExpectedKey } from '../core/key-record/expected-key.js';
import { domainKeyName } from '../core/key-record/format.js';
import {
  type ExpectedKey,
  evaluateParsedRecords,
  type KeyRecordsVerdict,
  parseRecordSet,
  type Verdict,
} from '../core/key-record/verdict.js';
import { normalizeDomain, normalizeSelector } from '../core/names.js';
import { type CheckedStatus, type ObservationOutcome, type VerificationEvent, worstStatus } from '../core/status.js';
import { latin1 } from '../core/text.js';
import type { DnsAnswer, DnsErrorKind, Resolver } from '../dns/types.js';

/** What an identity should have published. */
export type Expectation =
  | {
      readonly kind: 'byodkim';
      readonly domain: string;
      readonly selector: string;
      /** The key the record must publish; without it, any one valid key record passes. */
      readonly key?: ExpectedKey;
    }
  | {
      readonly kind: 'easy-dkim';
      readonly domain: string;
      readonly tokens: readonly string[];
      readonly region?: string;
      readonly hostedZone?: string;
      /** The provider's key per token (same order): then CNAME -> TXT -> key is followed to the key. */
      readonly providerKeys?: readonly ExpectedKey[];
    };

/** One record checked. */
export interface RecordCheck {
  readonly name: string;
  readonly type: 'TXT' | 'CNAME' | 'MX';
  /** What DNS holds there, readable: TXT values joined, CNAME targets. */
  readonly found: readonly string[];
  /** What should be there, readable; null when any valid key will do. */
  readonly expected: string | null;
  readonly verdict: Verdict;
  /** A stable reason code: the record issue code, the DNS answer kind, or the verdict itself. */
  readonly reason: string;
  readonly detail: string;
  readonly hint?: string;
  /** The DNS answer kind behind a DNS_ERROR, NOT_FOUND or CNAME_DANGLING. */
  readonly dns?: DnsAnswer['kind'];
  /** Whether every answer behind this check carried the AD bit. */
  readonly authenticated: boolean;
  /** Seconds: the answer's TTL, or for a negative answer how long resolvers may cache it; null when unknown. */
  readonly ttl: number | null;
}

/** The verdict of one identity at one moment. */
export interface VerificationResult {
  readonly domain: string;
  readonly checks: readonly RecordCheck[];
  /** Worst across records: FAILED > TEMPORARY_FAILURE > PENDING > SUCCESS. */
  readonly status: CheckedStatus;
  /** The observation to feed the state machine. */
  readonly event: Extract<VerificationEvent, { type: 'observation' }>;
  readonly authenticated: boolean;
}

/** Options of {@link verifyIdentity}. */
export interface VerifyOptions {
  /** The observation time (epoch ms); default Date.now(). */
  readonly now?: number;
  /** Easy DKIM: also resolve the CNAME target's TXT (default true), to find dangling targets and check keys. */
  readonly followTargets?: boolean;
}

/** The one-shot status of each verdict. */
export const VERDICT_STATUS: Readonly<Record<Verdict, CheckedStatus>> = {
  MATCH: 'SUCCESS',
  VALID: 'SUCCESS',
  NOT_FOUND: 'PENDING',
  CNAME_DANGLING: 'PENDING',
  MISMATCH: 'FAILED',
  REVOKED: 'FAILED',
  INVALID: 'FAILED',
  WEAK_KEY: 'FAILED',
  MULTIPLE_RECORDS: 'FAILED',
  NOT_DKIM: 'FAILED',
  CNAME_MISMATCH: 'FAILED',
  CNAME_EXPECTED: 'FAILED',
  DNS_ERROR: 'TEMPORARY_FAILURE',
};

/**
 * Checks an identity's DNS records: BYODKIM's key record at `<selector>._domainkey.<domain>`,
 * or Easy DKIM's three CNAMEs (and, following them, the provider's key records).
 *
 * @example
 * ```ts
 * const result = await verifyIdentity(
 *   { kind: 'byodkim', domain: 'example.com', selector: 'ses2026', key: parsePrivateKey(pem) },
 *   createDohResolver({ url: 'https://cloudflare-dns.com/dns-query' }),
 * );
 * result.status; // 'SUCCESS' | 'PENDING' | 'TEMPORARY_FAILURE' | 'FAILED'
 * for (const check of result.checks) console.log(check.name, check.verdict, check.hint ?? '');
 * ```
 */
export async function verifyIdentity(
  expectation: Expectation,
  resolver: Resolver,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const at = options.now ?? Date.now();
  const domain = normalizeDomain(expectation.domain);
  if (expectation.kind === 'easy-dkim') {
    return summarize(domain, await checkEasyDkim(domain, expectation, resolver, options.followTargets ?? true), at);
  }
  const lookup = keyRecordLookup(domain, expectation);
  return judgeKeyRecord(lookup, await resolver.resolve(lookup.name, 'TXT'), at);
}

/** A BYODKIM identity's key record name and expected key, ready to be looked up and judged. */
export interface KeyRecordLookup {
  readonly domain: string;
  readonly name: string;
  readonly key: ExpectedKey | undefined;
  readonly normalized: NormalizedKey | undefined;
}

/**
 * The first half of a BYODKIM check, without a wait: the key record name, and the expected key
 * normalised (cached per key object) before asking, so an unreadable key throws here. Bulk runs
 * use the two halves directly, with no promise of their own per identity.
 */
export function keyRecordLookup(
  domain: string,
  expectation: Extract<Expectation, { kind: 'byodkim' }>,
): KeyRecordLookup {
  const key = expectation.key;
  return {
    domain,
    name: domainKeyName(normalizeSelector(expectation.selector), domain),
    key,
    normalized: key && normalizeExpectedKey(key),
  };
}

/** The second half of a BYODKIM check: the result for the answer at the key record name. */
export function judgeKeyRecord(lookup: KeyRecordLookup, answer: DnsAnswer<'TXT'>, at: number): VerificationResult {
  const { name, key, normalized } = lookup;
  return summarize(lookup.domain, [keyRecordCheck(name, answer, key, normalized?.recordText ?? null, normalized)], at);
}

/**
 * A TEMPORARY_FAILURE result for an identity that got no DNS answer to judge at all (over its
 * time budget, no name servers found): one DNS_ERROR check at the domain itself.
 */
export function unanswered(domain: string, reason: string, detail: string, at: number): VerificationResult {
  const check: RecordCheck = {
    name: domain,
    type: 'TXT',
    found: [],
    expected: null,
    verdict: 'DNS_ERROR',
    reason,
    detail,
    ...(reason === 'TIMEOUT' ? { dns: 'TIMEOUT' as const } : {}),
    authenticated: false,
    ttl: null,
  };
  return summarize(domain, [check], at);
}

/** The result for a set of checks: the worst status, the event, the AD summary. */
export function summarize(domain: string, checks: readonly RecordCheck[], at: number): VerificationResult {
  if (checks.length === 1) return summarizeOne(domain, checks, checks[0] as RecordCheck, at);
  // No checks at all is nothing found yet: PENDING, not worstStatus's SUCCESS for none.
  const status = checks.length === 0 ? 'PENDING' : worstStatus(checks.map((check) => VERDICT_STATUS[check.verdict]));
  const outcome: ObservationOutcome = checks.every((c) => VERDICT_STATUS[c.verdict] === 'SUCCESS')
    ? 'MATCH'
    : checks.some((c) => c.verdict === 'DNS_ERROR')
      ? 'DNS_ERROR'
      : 'NO_MATCH';
  return {
    domain,
    checks,
    status,
    event: { type: 'observation', at, outcome },
    authenticated: checks.length > 0 && checks.every((c) => c.authenticated),
  };
}

// summarize for one check (every BYODKIM result): its status is the worst, with no lists made.
function summarizeOne(
  domain: string,
  checks: readonly RecordCheck[],
  check: RecordCheck,
  at: number,
): VerificationResult {
  const status = VERDICT_STATUS[check.verdict];
  const outcome: ObservationOutcome =
    status === 'SUCCESS' ? 'MATCH' : check.verdict === 'DNS_ERROR' ? 'DNS_ERROR' : 'NO_MATCH';
  return {
    domain,
    checks,
    status,
    event: { type: 'observation', at, outcome },
    authenticated: check.authenticated,
  };
}

function keyRecordCheck(
  name: string,
  answer: DnsAnswer<'TXT'>,
  key: ExpectedKey | undefined,
  expected: string | null,
  normalized: NormalizedKey | undefined,
): RecordCheck {
  if (answer.kind !== 'records') return dnsOutcome({ name, type: 'TXT', expected }, answer, 'TXT');
  const { records, publishing } = parseRecordSet(answer.records, normalized);
  const verdict = evaluateParsedRecords(records, key, publishing);
  // Built in one literal: this runs once per identity in bulk checks.
  const check: RecordCheck = {
    name,
    type: 'TXT',
    expected,
    found: records.map((record) => record.text),
    verdict: verdict.verdict,
    reason: reasonOf(verdict),
    detail: verdict.detail,
    authenticated: answer.authenticated,
    ttl: answer.ttl,
  };
  return 'hint' in verdict ? { ...check, hint: verdict.hint } : check;
}

function reasonOf(verdict: KeyRecordsVerdict): string {
  return verdict.verdict === 'INVALID' ? verdict.code : verdict.verdict;
}

/** NOT_FOUND, CNAME_DANGLING or DNS_ERROR from a DNS answer that holds no records. */
export function dnsOutcome(
  base: { name: string; type: 'TXT' | 'CNAME' | 'MX'; expected: string | null },
  answer: Exclude<DnsAnswer, { kind: 'records' }>,
  type: 'TXT' | 'CNAME' | 'MX',
): RecordCheck {
  const chain = answer.chain ?? [];
  const found = chain.map((step) => `CNAME ${step.target}`);
  if (answer.kind === 'NXDOMAIN' || answer.kind === 'NODATA') {
    // A CNAME walked to a name that does not exist is dangling; anything else is simply not there.
    const target = chain.at(-1)?.target;
    const dangling = target !== undefined && answer.kind === 'NXDOMAIN';
    return {
      ...base,
      found,
      verdict: dangling ? 'CNAME_DANGLING' : 'NOT_FOUND',
      reason: dangling ? 'CNAME_DANGLING' : answer.kind,
      detail: dangling
        ? `${base.name} is a CNAME to ${target}, which does not exist`
        : answer.kind === 'NXDOMAIN'
          ? `${base.name} does not exist`
          : `${base.name} has no ${type} record`,
      dns: answer.kind,
      authenticated: answer.authenticated,
      ttl: answer.negativeTtl ?? null,
    };
  }
  return {
    ...base,
    found,
    verdict: 'DNS_ERROR',
    reason: answer.kind,
    detail: `DNS ${answer.kind} for ${base.name}: ${(answer as { detail: string }).detail}`,
    dns: answer.kind as DnsErrorKind,
    authenticated: false,
    ttl: null,
  };
}

async function checkEasyDkim(
  domain: string,
  expectation: Extract<Expectation, { kind: 'easy-dkim' }>,
  resolver: Resolver,
  followTargets: boolean,
): Promise<RecordCheck[]> {
  const zone = signingHostedZone(expectation);
  if (expectation.tokens.length !== 3) throw new DkimError('OPTION_INVALID', 'Easy DKIM takes exactly three tokens');
  if (expectation.providerKeys && expectation.providerKeys.length !== expectation.tokens.length) {
    throw new DkimError('OPTION_INVALID', 'providerKeys must give one key per token');
  }
  return Promise.all(
    expectation.tokens.map((token, i) =>
      checkToken(domain, token.toLowerCase(), zone, expectation.providerKeys?.[i], resolver, followTargets),
    ),
  );
}

async function checkToken(
  domain: string,
  token: string,
  zone: string,
  key: ExpectedKey | undefined,
  resolver: Resolver,
  followTargets: boolean,
): Promise<RecordCheck> {
  const name = domainKeyName(token, domain);
  const target = `${token}.${zone}`;
  const base = { name, type: 'CNAME' as const, expected: target };
  const answer = await resolver.resolve(name, 'CNAME');
  if (answer.kind === 'NODATA') {
    // Something is at the name but not a CNAME: a TXT where the CNAME belongs is a common mistake.
    const txt = await resolver.resolve(name, 'TXT');
    if (txt.kind === 'records') {
      return {
        ...base,
        found: txt.records.map((record) => `TXT ${joinStrings(record)}`),
        verdict: 'CNAME_EXPECTED',
        reason: 'CNAME_EXPECTED',
        detail: `${name} holds a TXT record; Easy DKIM needs a CNAME to ${target}`,
        hint: `Publish ${name} CNAME ${target} instead.`,
        authenticated: txt.authenticated,
        ttl: txt.ttl,
      };
    }
  }
  if (answer.kind !== 'records') return dnsOutcome(base, answer, 'CNAME');
  const found = answer.records;
  const cname = { ...base, found, authenticated: answer.authenticated, ttl: answer.ttl };
  if (found.length !== 1 || found[0] !== target) {
    return {
      ...cname,
      verdict: 'CNAME_MISMATCH',
      reason: 'CNAME_MISMATCH',
      detail: `${name} points to ${found.join(', ')}, not ${target}`,
      hint: `Publish ${name} CNAME ${target}.`,
    };
  }
  if (!followTargets) return { ...cname, verdict: 'MATCH', reason: 'MATCH', detail: `${name} points to ${target}` };
  const inner = keyRecordCheck(target, await resolver.resolve(target, 'TXT'), key, null, key && normalizedAlready(key));
  if (inner.verdict === 'NOT_FOUND' && inner.dns === 'NXDOMAIN') {
    return {
      ...cname,
      verdict: 'CNAME_DANGLING',
      reason: 'CNAME_DANGLING',
      detail: `${name} points to ${target}, which does not exist`,
      dns: 'NXDOMAIN',
      authenticated: false,
    };
  }
  const matched = inner.verdict === 'VALID' || inner.verdict === 'MATCH';
  return {
    ...cname,
    found: [...found, ...inner.found.map((value) => `${target} TXT ${value}`)],
    verdict: matched ? 'MATCH' : inner.verdict,
    reason: matched ? 'MATCH' : inner.reason,
    detail: matched
      ? `${name} points to ${target}, which publishes ${key ? 'the expected key' : 'a valid key'}`
      : `${target}: ${inner.detail}`,
    ...(inner.hint ? { hint: inner.hint } : {}),
    ...(inner.dns ? { dns: inner.dns } : {}),
    authenticated: answer.authenticated && inner.authenticated,
  };
}

function joinStrings(strings: readonly Uint8Array[]): string {
  return strings.map(latin1).join('');
}
