// Custom MAIL FROM verification: the MX record SES requires of a MAIL FROM domain, and the SPF record it recommends.
import { normalizeDomain } from '../core/names.js';
import { latin1 } from '../core/text.js';
import type { Resolver } from '../dns/types.js';
import { dnsOutcome, type RecordCheck, summarize, type VerificationResult } from './verify.js';

/** The SPF record SES tells owners to publish at the MAIL FROM domain. */
export const MAIL_FROM_SPF = 'v=spf1 include:amazonses.com ~all';
/** The preference SES's set-up instructions give the MX record. */
export const MAIL_FROM_MX_PREFERENCE = 10;

/** The mail exchanger a MAIL FROM domain must point to: SES's feedback endpoint in the region. */
export function mailFromMxTarget(region: string): string {
  return `feedback-smtp.${region.toLowerCase()}.amazonses.com`;
}

/** The records to publish for a MAIL FROM domain, as zone-file values. */
export function mailFromRecords(options: { readonly mailFromDomain: string; readonly region: string }) {
  const name = normalizeDomain(options.mailFromDomain);
  return [
    { name, type: 'MX' as const, value: `${MAIL_FROM_MX_PREFERENCE} ${mailFromMxTarget(options.region)}` },
    { name, type: 'TXT' as const, value: MAIL_FROM_SPF },
  ];
}

/** The result of a MAIL FROM check: `checks` holds the MX check, then the advisory SPF check. */
export interface MailFromResult extends VerificationResult {
  /** The SPF check alone: SES recommends the record, but only the MX decides the status. */
  readonly spf: RecordCheck;
}

/**
 * Checks a custom MAIL FROM domain. SES documents that MailFromDomainStatus reflects whether it
 * "has successfully read the MX record", so the status and event come from the MX check alone;
 * the SPF record (`include:amazonses.com`) is checked and reported, and does not change them.
 */
export async function verifyMailFrom(
  options: { readonly mailFromDomain: string; readonly region: string },
  resolver: Resolver,
  verifyOptions: { readonly now?: number } = {},
): Promise<MailFromResult> {
  const at = verifyOptions.now ?? Date.now();
  const domain = normalizeDomain(options.mailFromDomain);
  const [mx, spf] = await Promise.all([
    checkMx(domain, mailFromMxTarget(options.region), resolver),
    checkSpf(domain, resolver),
  ]);
  return { ...summarize(domain, [mx], at), checks: [mx, spf], spf };
}

async function checkMx(name: string, target: string, resolver: Resolver): Promise<RecordCheck> {
  const expected = `${MAIL_FROM_MX_PREFERENCE} ${target}`;
  const answer = await resolver.resolve(name, 'MX');
  if (answer.kind !== 'records') return dnsOutcome({ name, type: 'MX', expected }, answer, 'MX');
  const found = answer.records.map((mx) => `${mx.preference} ${mx.exchange}`);
  const base = { name, type: 'MX' as const, expected, found, authenticated: answer.authenticated, ttl: answer.ttl };
  if (answer.records.some((mx) => mx.exchange === target)) {
    return { ...base, verdict: 'MATCH', reason: 'MATCH', detail: `${name} has an MX record to ${target}` };
  }
  return {
    ...base,
    verdict: 'MISMATCH',
    reason: 'MX_MISMATCH',
    detail: `${name} has MX ${found.join(', ')}, not ${target}`,
    hint: `Publish ${name} MX ${expected}.`,
  };
}

async function checkSpf(name: string, resolver: Resolver): Promise<RecordCheck> {
  const answer = await resolver.resolve(name, 'TXT');
  const base = { name, type: 'TXT' as const, expected: MAIL_FROM_SPF };
  if (answer.kind !== 'records')
    return { ...dnsOutcome(base, answer, 'TXT'), hint: `Publish ${name} TXT "${MAIL_FROM_SPF}".` };
  const texts = answer.records.map((strings) => strings.map(latin1).join(''));
  const spf = texts.filter((text) => /^v=spf1(\s|$)/i.test(text));
  const checked = { ...base, found: texts, authenticated: answer.authenticated, ttl: answer.ttl };
  if (spf.length === 0) {
    return {
      ...checked,
      verdict: 'NOT_FOUND',
      reason: 'SPF_NOT_FOUND',
      detail: `${name} has no SPF record`,
      hint: `Publish ${name} TXT "${MAIL_FROM_SPF}".`,
    };
  }
  if (spf.length > 1) {
    return {
      ...checked,
      verdict: 'MULTIPLE_RECORDS',
      reason: 'SPF_MULTIPLE',
      detail: `${name} has ${spf.length} SPF records; SPF allows one (RFC 7208 section 4.5)`,
      hint: 'Merge them into one record.',
    };
  }
  const includes = /(^|\s)[+?~-]?include:amazonses\.com(\s|$)/i.test(spf[0] ?? '');
  return includes
    ? { ...checked, verdict: 'MATCH', reason: 'MATCH', detail: `${name}'s SPF record includes amazonses.com` }
    : {
        ...checked,
        verdict: 'MISMATCH',
        reason: 'SPF_NO_INCLUDE',
        detail: `${name}'s SPF record does not include amazonses.com`,
        hint: 'Add include:amazonses.com to it.',
      };
}
