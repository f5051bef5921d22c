// Whether an identity is verified for sending: its own verification, or (for an address) its domain's.
import { normalizeDomain } from '../core/names.js';
import { effectiveRecord } from './deed.js';
import { addressDomain, type IdentityRecord, verificationStatus } from './identity.js';
import type { SesBackendState } from './state.js';
import { identityKeyOrNull } from './validate.js';

/** The domain identity of an address identity, as SES shows it (DEED resolved); undefined if none. */
export async function domainOfAddress(
  state: SesBackendState,
  record: IdentityRecord,
): Promise<IdentityRecord | undefined> {
  if (record.type !== 'EMAIL_ADDRESS') return undefined;
  const domain = await state.store.get(addressDomain(record));
  return domain?.type === 'DOMAIN' ? effectiveRecord(state, domain) : undefined;
}

/** VerifiedForSendingStatus: the identity verified (DKIM or v1 TXT for a domain), or an address under a verified domain. */
export async function verifiedForSending(state: SesBackendState, record: IdentityRecord): Promise<boolean> {
  const shown = await effectiveRecord(state, record);
  if (verificationStatus(shown, state.now()) === 'SUCCESS') return true;
  const domain = await domainOfAddress(state, record);
  return domain !== undefined && verificationStatus(domain, state.now()) === 'SUCCESS';
}

/**
 * Whether SendEmail from this address would be allowed: a verified address, or an address
 * under a verified domain (or a parent domain of it).
 */
export async function canSend(state: SesBackendState, fromAddress: string): Promise<boolean> {
  const at = fromAddress.lastIndexOf('@');
  if (at <= 0) return false;
  const address = await state.store.get(identityKeyOrNull(fromAddress) ?? '');
  if (address && (await verifiedForSending(state, address))) return true;
  let domain: string;
  try {
    domain = normalizeDomain(fromAddress.slice(at + 1));
  } catch {
    return false;
  }
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const record = await state.store.get(labels.slice(i).join('.'));
    if (record?.type !== 'DOMAIN') continue;
    if (verificationStatus(await effectiveRecord(state, record), state.now()) === 'SUCCESS') return true;
  }
  return false;
}
