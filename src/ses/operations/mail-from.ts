// The custom MAIL FROM domain of an identity: PutEmailIdentityMailFromAttributes, verified by its MX record.
import { DkimError } from '../../core/errors.js';
import { normalizeDomain } from '../../core/names.js';
import { initialState } from '../../core/status.js';
import { badRequest, SesException } from '../errors.js';
import { addressDomain, type BehaviorOnMxFailure } from '../identity.js';
import { exclusive, findIdentity, type SesBackendState, saveIdentity, throttle } from '../state.js';
import { optionalString } from '../validate.js';

const BEHAVIORS: readonly BehaviorOnMxFailure[] = ['USE_DEFAULT_VALUE', 'REJECT_MESSAGE'];

/** The input of PutEmailIdentityMailFromAttributes. */
export interface PutMailFromInput {
  EmailIdentity?: string;
  /** Absent or empty: no custom MAIL FROM domain. */
  MailFromDomain?: string;
  BehaviorOnMxFailure?: string;
}

function behaviorOf(raw: unknown): BehaviorOnMxFailure {
  if (raw === undefined || raw === null) return 'USE_DEFAULT_VALUE';
  if (!BEHAVIORS.includes(raw as BehaviorOnMxFailure)) {
    throw badRequest(
      `1 validation error detected: Value '${String(raw).slice(0, 64)}' at 'behaviorOnMxFailure' failed to satisfy constraint: Member must satisfy enum value set: [USE_DEFAULT_VALUE, REJECT_MESSAGE]`,
    );
  }
  return raw as BehaviorOnMxFailure;
}

/** The MAIL FROM domain, checked: a DNS name strictly below the identity's domain (an address's domain for an address). */
function mailFromDomainOf(raw: string, identityDomain: string): string {
  let domain: string;
  try {
    domain = normalizeDomain(raw);
  } catch (error) {
    if (error instanceof DkimError)
      throw badRequest(`Invalid MAIL FROM domain ${raw.slice(0, 100)}: ${error.message}.`);
    throw error;
  }
  if (!domain.endsWith(`.${identityDomain}`)) {
    // moto's wording; SES's exact text is unpublished.
    throw badRequest(
      `Provided MAIL-FROM domain '${domain}' is not subdomain of the domain of the identity '${identityDomain}'.`,
    );
  }
  return domain;
}

/**
 * PutEmailIdentityMailFromAttributes: sets (or, without MailFromDomain, removes) the custom MAIL
 * FROM domain and the behaviour on MX failure. A new domain starts its verification (PENDING);
 * the MX record to feedback-smtp.<region>.amazonses.com is then checked on DKIM's cadence.
 * An unknown identity is a BadRequestException, as SES answers.
 */
export async function putEmailIdentityMailFromAttributes(state: SesBackendState, input: PutMailFromInput) {
  throttle(state, 'PutEmailIdentityMailFromAttributes');
  const rawDomain = optionalString(input.MailFromDomain, 'MailFromDomain');
  const behavior = behaviorOf(input.BehaviorOnMxFailure);
  let found: Awaited<ReturnType<typeof findIdentity>>;
  try {
    found = await findIdentity(state, input.EmailIdentity);
  } catch (error) {
    if (error instanceof SesException && error.name === 'NotFoundException') {
      throw badRequest(`Identity ${String(input.EmailIdentity)} does not exist.`);
    }
    throw error;
  }
  const [key, record] = found;
  const identityDomain = record.type === 'DOMAIN' ? record.identity : addressDomain(record);
  const domain = rawDomain ? mailFromDomainOf(rawDomain, identityDomain) : null;
  return exclusive(state, key, async () => {
    const changed = domain !== (record.mailFrom?.domain ?? null);
    const lastError = changed ? undefined : record.mailFrom?.lastError;
    record.mailFrom = { domain, behaviorOnMxFailure: behavior, ...(lastError ? { lastError } : {}) };
    if (domain === null) {
      record.verifications.mailFrom = undefined;
    } else if (changed || record.verifications.mailFrom === undefined) {
      record.verifications.mailFrom = initialState({ at: state.now() });
    }
    await saveIdentity(state, key, record);
    return {};
  });
}

/** What MAIL FROM a message from an address gets, by SES's rules for the custom MAIL FROM domain. */
export type SendingMailFrom =
  /** The custom MAIL FROM domain, verified (MailFromDomainStatus SUCCESS). */
  | { readonly kind: 'custom'; readonly domain: string }
  /** amazonses.com (or a subdomain): none set, or not verified with USE_DEFAULT_VALUE. */
  | { readonly kind: 'default'; readonly domain: string | null }
  /** Not verified with REJECT_MESSAGE: SES refuses the message with MailFromDomainNotVerifiedException. */
  | { readonly kind: 'reject'; readonly domain: string };

/**
 * The MAIL FROM for a message from `fromAddress` (for the sending layer): the address identity's
 * custom MAIL FROM set-up if it has one, else its domain's. A verified domain is used; an
 * unverified one falls back to the default or, with REJECT_MESSAGE, refuses the message.
 */
export async function mailFromForSending(state: SesBackendState, fromAddress: string): Promise<SendingMailFrom> {
  const at = fromAddress.lastIndexOf('@');
  const candidates = [fromAddress.toLowerCase(), fromAddress.slice(at + 1).toLowerCase()];
  for (const key of candidates) {
    const record = await state.store.get(key);
    const setup = record?.mailFrom;
    if (!setup?.domain) continue;
    if (record?.verifications.mailFrom?.status === 'SUCCESS') return { kind: 'custom', domain: setup.domain };
    return setup.behaviorOnMxFailure === 'REJECT_MESSAGE'
      ? { kind: 'reject', domain: setup.domain }
      : { kind: 'default', domain: setup.domain };
  }
  return { kind: 'default', domain: null };
}
