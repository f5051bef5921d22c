// The DKIM operations of an identity: its signing attributes (Easy DKIM, BYODKIM, key length) and SigningEnabled.
import { transition } from '../../core/status.js';
import { changeKeyLength, setupByodkim, setupEasyDkim } from '../dkim-signing.js';
import { badRequest } from '../errors.js';
import { addressDomain } from '../identity.js';
import type { PutDkimSigningAttributesInput } from '../shapes.js';
import { exclusive, findIdentity, type SesBackendState, saveIdentity, throttle } from '../state.js';
import { keyLength, optionalBoolean, optionalObject, signingOrigin } from '../validate.js';

/** PutEmailIdentityDkimSigningAttributes: switches between Easy DKIM and BYODKIM, or changes the key length. */
export async function putEmailIdentityDkimSigningAttributes(
  state: SesBackendState,
  input: PutDkimSigningAttributesInput,
) {
  throttle(state, 'PutEmailIdentityDkimSigningAttributes');
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  if (record.type !== 'DOMAIN') throw badRequest('DKIM signing attributes apply to domain identities only.');
  const origin = signingOrigin(input.SigningAttributesOrigin);
  const attributes = optionalObject(input.SigningAttributes, 'SigningAttributes');
  if (attributes?.DomainSigningAttributesOrigin !== undefined) {
    throw badRequest(
      'DomainSigningAttributesOrigin is allowed in CreateEmailIdentity only; use SigningAttributesOrigin.',
    );
  }
  return exclusive(state, key, async () => {
    const at = state.now();
    const oldKeys = [record.privateKey, ...(record.providerKeys ?? [])];
    if (record.replicaOf !== undefined) {
      // A DEED replica given its own signing stops following its parent.
      record.replicaOf = undefined;
      record.origin = null;
    }
    if (origin === 'EXTERNAL') {
      setupByodkim(state, record, attributes?.DomainSigningSelector, attributes?.DomainSigningPrivateKey);
      record.verifications.dkim = transition(record.verifications.dkim, { type: 'start', at });
    } else if (record.origin === 'AWS_SES' && attributes?.NextSigningKeyLength !== undefined) {
      await changeKeyLength(state, record, keyLength(attributes.NextSigningKeyLength), at);
    } else if (record.origin !== 'AWS_SES') {
      await setupEasyDkim(state, record, record.identity, keyLength(attributes?.NextSigningKeyLength), at);
      record.verifications.dkim = transition(record.verifications.dkim, { type: 'start', at });
    }
    await saveIdentity(state, key, record);
    const kept = new Set([record.privateKey, ...(record.providerKeys ?? [])]);
    state.keyCache.drop(oldKeys.filter((old) => !kept.has(old)));
    return { DkimStatus: record.verifications.dkim.status, DkimTokens: [...record.tokens] };
  });
}

/** PutEmailIdentityDkimAttributes: SigningEnabled. The status does not change. */
export async function putEmailIdentityDkimAttributes(
  state: SesBackendState,
  input: { EmailIdentity?: string; SigningEnabled?: boolean },
) {
  throttle(state, 'PutEmailIdentityDkimAttributes');
  const enabled = optionalBoolean(input.SigningEnabled, 'SigningEnabled') === true;
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  if (record.type !== 'DOMAIN') {
    // SES: a no-op for an address whose domain is an identity (the domain's setting governs).
    if ((await state.store.get(addressDomain(record)))?.type === 'DOMAIN') return {};
    throw badRequest(`Domain ${addressDomain(record)} is not verified for DKIM signing.`);
  }
  return exclusive(state, key, async () => {
    record.signingEnabled = enabled;
    record.verifications.dkim = transition(record.verifications.dkim, { type: 'signing', at: state.now(), enabled });
    await saveIdentity(state, key, record);
    return {};
  });
}
