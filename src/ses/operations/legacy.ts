// SES v1 domain verification on the v2 backend: VerifyDomainIdentity's TXT token, and verification attributes per identity.
import { base64Encode } from '../../core/base64.js';
import { initialState } from '../../core/status.js';
import { badRequest } from '../errors.js';
import type { IdentityRecord } from '../identity.js';
import { type SesBackendState, saveIdentity, throttle } from '../state.js';
import { identityKey, parseIdentity } from '../validate.js';
import { verifiedForSending } from '../verified.js';
import { putEmailIdentityDkimSigningAttributes } from './dkim.js';
import { addIdentity, createEmailIdentity, getEmailIdentity, newRecord } from './identities.js';

/** A 44-character VerificationToken (32 bytes, base64): random, or derived from `tokenSecret` for repeatable tests. */
async function newToken(state: SesBackendState, domain: string, createdAt: number): Promise<string> {
  const secret = state.options.tokenSecret;
  if (secret === undefined) return base64Encode(crypto.getRandomValues(new Uint8Array(32)));
  const text = new TextEncoder().encode(`legacy-txt\u0000${secret}\u0000${domain}\u0000${createdAt}`);
  return base64Encode(new Uint8Array(await crypto.subtle.digest('SHA-256', text)));
}

/**
 * VerifyDomainIdentity (v1): makes the domain an identity if it is not one (visible through v2,
 * with DKIM not started) and returns its VerificationToken, to publish as TXT at
 * `_amazonses.<domain>`. The token is stable for the identity; calling again after FAILED
 * restarts the 72-hour search, as SES's documentation says one must.
 */
export async function verifyDomainIdentity(
  state: SesBackendState,
  input: { Domain?: string },
): Promise<{ VerificationToken: string }> {
  throttle(state, 'VerifyDomainIdentity');
  const parsed = parseIdentity(input.Domain);
  if (parsed.type !== 'DOMAIN') throw badRequest(`Domain ${String(input.Domain).slice(0, 100)} is invalid.`);
  const existing = await state.store.get(parsed.key);
  if (existing) return startLegacyTxt(state, parsed.key, structuredClone(existing));
  const record = await addIdentity(state, parsed.key, async () => {
    const at = state.now();
    const created = newRecord(parsed.display, 'DOMAIN', at);
    created.legacyTxt = { token: await newToken(state, parsed.display, at) };
    created.verifications.legacyTxt = initialState({ at });
    return created;
  });
  return { VerificationToken: record.legacyTxt?.token ?? '' };
}

async function startLegacyTxt(state: SesBackendState, key: string, record: IdentityRecord) {
  const at = state.now();
  const status = record.verifications.legacyTxt?.status;
  if (record.legacyTxt && status !== undefined && status !== 'FAILED')
    return { VerificationToken: record.legacyTxt.token };
  record.legacyTxt = { token: record.legacyTxt?.token ?? (await newToken(state, record.identity, record.createdAt)) };
  record.verifications.legacyTxt = initialState({ at });
  await saveIdentity(state, key, record);
  return { VerificationToken: record.legacyTxt.token };
}

/**
 * The verification attributes of identities (for v1 GetIdentityVerificationAttributes), in v2
 * spelling: each known identity's VerificationStatus, and a domain's VerificationToken when it
 * has one. Unknown identities are left out, as SES does.
 */
export async function getIdentityVerificationAttributes(
  state: SesBackendState,
  input: { Identities?: string[] },
): Promise<Record<string, { VerificationStatus: string; VerificationToken?: string; VerifiedForSending: boolean }>> {
  if (!Array.isArray(input.Identities) || input.Identities.length > 100) {
    throw badRequest('Identities must be a list of at most 100 identities.');
  }
  const out: Record<string, { VerificationStatus: string; VerificationToken?: string; VerifiedForSending: boolean }> =
    {};
  for (const identity of input.Identities) {
    let record: IdentityRecord | undefined;
    try {
      record = await state.store.get(identityKey(identity));
    } catch {
      continue;
    }
    if (!record) continue;
    const shown = await getEmailIdentity(state, { EmailIdentity: identity });
    out[identity] = {
      VerificationStatus: shown.VerificationStatus,
      ...(record.legacyTxt ? { VerificationToken: record.legacyTxt.token } : {}),
      VerifiedForSending: await verifiedForSending(state, record),
    };
  }
  return out;
}

function isAlreadyExists(error: unknown): boolean {
  return (error as { name?: unknown })?.name === 'AlreadyExistsException';
}

/**
 * VerifyDomainDkim (v1): Easy DKIM for the domain (creating the identity if absent, setting up
 * Easy DKIM on a domain that has none) and its three tokens.
 */
export async function verifyDomainDkim(state: SesBackendState, input: { Domain?: string }) {
  const parsed = parseIdentity(input.Domain);
  if (parsed.type !== 'DOMAIN') throw badRequest(`Domain ${String(input.Domain).slice(0, 100)} is invalid.`);
  try {
    const created = await createEmailIdentity(state, { EmailIdentity: parsed.display });
    return { DkimTokens: created.DkimAttributes?.Tokens ?? [] };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const record = await state.store.get(parsed.key);
  if (record?.origin === 'AWS_SES' || record?.replicaOf !== undefined) {
    const shown = await getEmailIdentity(state, { EmailIdentity: parsed.key });
    return { DkimTokens: shown.DkimAttributes.Tokens ?? [] };
  }
  const set = await putEmailIdentityDkimSigningAttributes(state, {
    EmailIdentity: parsed.key,
    SigningAttributesOrigin: 'AWS_SES',
  });
  return { DkimTokens: set.DkimTokens };
}

/** VerifyEmailIdentity / VerifyEmailAddress (v1): the address becomes an identity; idempotent, as in v1. */
export async function verifyEmailIdentity(state: SesBackendState, input: { EmailAddress?: string }) {
  const parsed = parseIdentity(input.EmailAddress);
  if (parsed.type !== 'EMAIL_ADDRESS') throw badRequest(`Invalid email address${String(input.EmailAddress)}.`);
  try {
    await createEmailIdentity(state, { EmailIdentity: parsed.display });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  return {};
}
