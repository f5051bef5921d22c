// DEED (Deterministic Easy DKIM): a replica identity takes its DKIM signing from the same-named identity of another region.
import { badRequest } from './errors.js';
import type { IdentityRecord } from './identity.js';
import type { SesBackendState } from './state.js';

const ORIGIN_PATTERN = /^AWS_SES_([A-Z]{2}(?:_GOV)?_[A-Z]+_\d)$/;

/** The region an AWS_SES_<REGION> origin names (AWS_SES_EU_WEST_1 -> eu-west-1); null for AWS_SES and EXTERNAL. */
export function originRegion(origin: unknown): string | null {
  if (origin === undefined || origin === 'AWS_SES' || origin === 'EXTERNAL') return null;
  const match = typeof origin === 'string' ? ORIGIN_PATTERN.exec(origin) : null;
  if (!match?.[1]) {
    throw badRequest('DomainSigningAttributesOrigin must be AWS_SES, EXTERNAL or AWS_SES_<REGION>.');
  }
  return match[1].toLowerCase().replace(/_/g, '-');
}

/**
 * The parent of a replica about to be created, checked. SES's model reports a missing parent
 * later, as VerificationInfo.ErrorType REPLICATION_PRIMARY_NOT_FOUND; issue #15 asks for a
 * BadRequest at creation, and no SES source contradicts it with a message, so creation is
 * refused here (a parent deleted afterwards shows REPLICATION_PRIMARY_NOT_FOUND).
 */
export async function replicaParent(state: SesBackendState, region: string, key: string): Promise<IdentityRecord> {
  if (region === state.region) {
    throw badRequest(`The primary region ${region} must be different from the replica region.`);
  }
  const peer = state.peers?.(region);
  if (!peer) throw badRequest(`Region ${region} is not hosted by this server; DEED needs its parent identity.`);
  const parent = await peer.store.get(key);
  if (parent?.type !== 'DOMAIN') {
    throw badRequest(`No identity ${key} was found in the primary region ${region}.`);
  }
  if (parent.origin === 'EXTERNAL')
    throw badRequest('The primary identity uses BYODKIM, which DEED does not replicate.');
  if (parent.replicaOf !== undefined) throw badRequest('The primary identity is itself a replica.');
  if (parent.origin !== 'AWS_SES') throw badRequest(`The primary identity ${key} has no Easy DKIM set up.`);
  return parent;
}

/**
 * The record as SES shows it: a replica's DKIM (tokens, hosted zone, key lengths, status) is its
 * parent's, read now; a replica whose parent is gone FAILS with REPLICATION_PRIMARY_NOT_FOUND.
 */
export async function effectiveRecord(state: SesBackendState, record: IdentityRecord): Promise<IdentityRecord> {
  if (record.replicaOf === undefined) return record;
  const parent = await state.peers?.(record.replicaOf)?.store.get(record.identity.toLowerCase());
  if (parent?.origin !== 'AWS_SES') {
    return {
      ...record,
      verifications: { ...record.verifications, dkim: { ...record.verifications.dkim, status: 'FAILED' } },
      lastError: 'REPLICATION_PRIMARY_NOT_FOUND',
    };
  }
  return {
    ...record,
    tokens: [...parent.tokens],
    ...(parent.hostedZone !== undefined ? { hostedZone: parent.hostedZone } : {}),
    ...(parent.currentKeyLength !== undefined ? { currentKeyLength: parent.currentKeyLength } : {}),
    ...(parent.nextKeyLength !== undefined ? { nextKeyLength: parent.nextKeyLength } : {}),
    ...(parent.lastKeyGeneration !== undefined ? { lastKeyGeneration: parent.lastKeyGeneration } : {}),
    verifications: { ...record.verifications, dkim: parent.verifications.dkim },
    ...(parent.lastSuccessAt !== undefined ? { lastSuccessAt: parent.lastSuccessAt } : {}),
    ...(parent.lastError !== undefined ? { lastError: parent.lastError } : {}),
  };
}
