// The page's own DNS checks of an identity: the engine's verifiers over the server's DoH endpoint.
import { type RecordCheck, type Resolver, type VerificationResult, verifyIdentity } from '../index.js';
import type { ConsoleChecks, ConsoleIdentity } from '../ses/node/console-view.js';
import { verifyLegacyTxt } from '../verify/legacy-txt.js';
import { verifyMailFrom } from '../verify/mail-from.js';

/** The page's verdicts for one identity, per verification kind. */
export interface PageChecks {
  readonly dkim?: VerificationResult;
  readonly mailFrom?: VerificationResult;
  readonly legacyTxt?: VerificationResult;
}

function spki(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function dkimCheck(check: NonNullable<ConsoleChecks['dkim']>, resolver: Resolver): Promise<VerificationResult> {
  if (check.kind === 'byodkim') {
    const key = check.key === null ? {} : { key: spki(check.key) };
    return verifyIdentity({ kind: 'byodkim', domain: check.domain, selector: check.selector, ...key }, resolver);
  }
  const keys = check.providerKeys ? { providerKeys: check.providerKeys.map(spki) } : {};
  return verifyIdentity(
    { kind: 'easy-dkim', domain: check.domain, tokens: check.tokens, hostedZone: check.hostedZone, ...keys },
    resolver,
  );
}

/** Runs every check the identity has, in the page. A check that throws is left out. */
export async function checkInPage(identity: ConsoleIdentity, resolver: Resolver): Promise<PageChecks> {
  const { checks } = identity;
  const settle = <T>(p: Promise<T> | undefined) => (p ? p.catch(() => undefined) : Promise.resolve(undefined));
  const [dkim, mailFrom, legacyTxt] = await Promise.all([
    settle(checks.dkim ? dkimCheck(checks.dkim, resolver) : undefined),
    settle(checks.mailFrom ? verifyMailFrom(checks.mailFrom, resolver) : undefined),
    settle(checks.legacyTxt ? verifyLegacyTxt(checks.legacyTxt, resolver) : undefined),
  ]);
  return { ...(dkim ? { dkim } : {}), ...(mailFrom ? { mailFrom } : {}), ...(legacyTxt ? { legacyTxt } : {}) };
}

/** Every record check of the page's results, in one list. */
export function allChecks(results: PageChecks): RecordCheck[] {
  return [results.dkim, results.mailFrom, results.legacyTxt].flatMap((r) => r?.checks ?? []);
}

/** The first record check that does not pass: what explains a status that is not SUCCESS. */
export function firstProblem(result: VerificationResult | undefined): RecordCheck | undefined {
  return result?.checks.find((c) => c.verdict !== 'MATCH' && c.verdict !== 'VALID');
}

/** One line saying why: the verifier's detail with the DNS answer kind, then its hint or what to publish. */
export function explanation(check: RecordCheck): string {
  const dns = check.dns && !check.detail.includes(check.dns) ? ` (${check.dns})` : '';
  const publish = check.expected ? `Publish ${check.name} ${check.type} ${check.expected}.` : '';
  return `${check.detail}${dns}. ${check.hint ?? publish}`.trim();
}
