// DKIM signing set-up of an identity: BYODKIM, Easy DKIM, provider-zone publishing and key-length rotation.
import { easyDkimTokens, type ProviderKey, type SigningKeyLength, signingHostedZone } from '../core/easy-dkim.js';
import { DkimError } from '../core/errors.js';
import { toSesPrivateKey } from '../core/key.js';
import { keyRecordAt } from '../core/key-record/format.js';
import { badRequest } from './errors.js';
import type { IdentityRecord } from './identity.js';
import {
  createEasyDkimIdentity,
  type DkimSigningState,
  rotatedSigningState,
  rotateEasyDkimKeys,
  withNextSigningKeyLength,
} from './signing-state.js';
import { cachedKey, type SesBackendState } from './state.js';
import { byodkimAttributes } from './validate.js';

/** Publishes Easy DKIM key records into the provider zone, when the backend has one. */
function publishProviderKeys(state: SesBackendState, record: IdentityRecord, keys: readonly ProviderKey[]): void {
  const zone = state.options.providerZone;
  if (!zone) return;
  for (const provider of keys) zone.set(provider.record.name, 'TXT', [provider.record.strings]);
  record.providerKeys = keys.map((p) => p.key.privateKey);
}

/**
 * Publishes a stored record's Easy DKIM keys into the provider zone again (a restarted server, or
 * another process sharing the store), so DNS answers with the keys the record signs with.
 */
export function republishProviderKeys(state: SesBackendState, record: IdentityRecord): void {
  const zone = state.options.providerZone;
  if (!zone || !record.hostedZone || !record.providerKeys) return;
  for (const [i, token] of record.tokens.entries()) {
    const pem = record.providerKeys[i];
    if (pem === undefined) continue;
    const published = keyRecordAt(`${token}.${record.hostedZone}`, cachedKey(state, pem));
    zone.set(published.name, 'TXT', [published.strings]);
  }
}

/** Removes what the backend published for an identity. */
export function unpublishProviderKeys(state: SesBackendState, record: IdentityRecord): void {
  const zone = state.options.providerZone;
  if (!zone || !record.hostedZone) return;
  for (const token of record.tokens) zone.remove(`${token}.${record.hostedZone}`);
  record.providerKeys = undefined;
}

function tokenSecret(state: SesBackendState, record: IdentityRecord): { secret?: string; generation?: number } {
  const secret = state.options.tokenSecret;
  return secret !== undefined ? { secret, generation: record.createdAt } : {};
}

/** Sets up Easy DKIM on a record: tokens, and keys in the provider zone when there is one. */
export async function setupEasyDkim(
  state: SesBackendState,
  record: IdentityRecord,
  domain: string,
  keyLength: SigningKeyLength,
  at: number,
): Promise<void> {
  unpublishProviderKeys(state, record);
  const hostedZone = signingHostedZone({ region: state.region });
  if (state.options.providerZone) {
    const created = await createEasyDkimIdentity({
      domain,
      now: at,
      keyLength,
      hostedZone,
      ...tokenSecret(state, record),
    });
    record.tokens = [...created.attributes.Tokens];
    publishProviderKeys(state, record, created.providerKeys);
  } else {
    record.tokens = await easyDkimTokens({ domain, ...tokenSecret(state, record) });
  }
  Object.assign(record, {
    origin: 'AWS_SES',
    hostedZone,
    selector: undefined,
    privateKey: undefined,
    currentKeyLength: keyLength,
    nextKeyLength: keyLength,
    lastKeyGeneration: at,
  });
}

/** Sets up BYODKIM on a record: the selector and the key, in SES form (null for an accepted unusable key). */
export function setupByodkim(
  state: SesBackendState,
  record: IdentityRecord,
  rawSelector: unknown,
  rawPrivateKey: unknown,
): void {
  const { selector, privateKey } = byodkimAttributes(rawSelector, rawPrivateKey);
  let stored: string | null;
  try {
    stored = toSesPrivateKey(cachedKey(state, privateKey));
  } catch (error) {
    if (!(error instanceof DkimError)) throw error;
    if ((state.options.unusableKeys ?? 'reject') === 'reject') {
      throw badRequest(`Invalid DomainSigningPrivateKey: ${error.message} (${error.code}).`);
    }
    stored = null; // SES's own behaviour: accepted, and it will never verify.
  }
  unpublishProviderKeys(state, record);
  Object.assign(record, {
    origin: 'EXTERNAL',
    selector,
    privateKey: stored,
    tokens: [selector],
    hostedZone: undefined,
    currentKeyLength: undefined,
    nextKeyLength: undefined,
    lastKeyGeneration: undefined,
  });
}

/** The lifecycle view of an Easy DKIM record. */
function signingStateOf(record: IdentityRecord): DkimSigningState {
  return {
    SigningEnabled: record.signingEnabled,
    Tokens: record.tokens,
    SigningAttributesOrigin: 'AWS_SES',
    ...(record.hostedZone !== undefined ? { SigningHostedZone: record.hostedZone } : {}),
    ...(record.currentKeyLength !== undefined ? { CurrentSigningKeyLength: record.currentKeyLength } : {}),
    ...(record.nextKeyLength !== undefined ? { NextSigningKeyLength: record.nextKeyLength } : {}),
    ...(record.lastKeyGeneration !== undefined ? { LastKeyGenerationTimestamp: record.lastKeyGeneration } : {}),
  };
}

/**
 * Changes an Easy DKIM identity's key length through the lifecycle functions: at most once a day
 * (KeyRotationTooSoonError, a BadRequestException), then new keys behind the same tokens, so the
 * owner's CNAMEs stay valid. Without a provider zone only the state changes.
 */
export async function changeKeyLength(
  state: SesBackendState,
  record: IdentityRecord,
  next: SigningKeyLength,
  at: number,
): Promise<void> {
  const before = signingStateOf(record);
  const changed = withNextSigningKeyLength(before, next, at);
  if (changed === before) return;
  let after: DkimSigningState;
  if (state.options.providerZone) {
    const rotated = await rotateEasyDkimKeys({ attributes: changed, providerKeys: [] }, { now: at });
    publishProviderKeys(state, record, rotated.providerKeys);
    after = rotated.attributes;
  } else {
    after = rotatedSigningState(changed, at);
  }
  record.nextKeyLength = after.NextSigningKeyLength;
  record.currentKeyLength = after.CurrentSigningKeyLength;
  record.lastKeyGeneration = after.LastKeyGenerationTimestamp;
}
