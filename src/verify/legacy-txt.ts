// SES v1 domain verification: the VerificationToken published as TXT at _amazonses.<domain>.
import { normalizeDomain } from '../core/names.js';
import { latin1 } from '../core/text.js';
import type { Resolver } from '../dns/types.js';
import { dnsOutcome, type RecordCheck, summarize, type VerificationResult } from './verify.js';

/** The name of the verification record of a domain: `_amazonses.<domain>`. */
export function legacyTxtName(domain: string): string {
  return `_amazonses.${normalizeDomain(domain)}`;
}

/**
 * Checks a domain's v1 verification record: a TXT record at `_amazonses.<domain>` whose text is
 * the VerificationToken. Other TXT records may sit beside it (one per region, say).
 */
export async function verifyLegacyTxt(
  options: { readonly domain: string; readonly token: string },
  resolver: Resolver,
  verifyOptions: { readonly now?: number } = {},
): Promise<VerificationResult> {
  const at = verifyOptions.now ?? Date.now();
  const domain = normalizeDomain(options.domain);
  const name = legacyTxtName(domain);
  const answer = await resolver.resolve(name, 'TXT');
  const base = { name, type: 'TXT' as const, expected: options.token };
  let check: RecordCheck;
  if (answer.kind !== 'records') {
    check = { ...dnsOutcome(base, answer, 'TXT'), hint: `Publish ${name} TXT "${options.token}".` };
  } else {
    const found = answer.records.map((strings) => strings.map(latin1).join(''));
    const checked = { ...base, found, authenticated: answer.authenticated, ttl: answer.ttl };
    check = found.some((text) => text.trim() === options.token)
      ? { ...checked, verdict: 'MATCH', reason: 'MATCH', detail: `${name} publishes the verification token` }
      : {
          ...checked,
          verdict: 'MISMATCH',
          reason: 'TOKEN_MISMATCH',
          detail: `${name} holds ${found.length} TXT record(s), none of them the verification token`,
          hint: `Publish ${name} TXT "${options.token}".`,
        };
  }
  return summarize(domain, [check], at);
}
