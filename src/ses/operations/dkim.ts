// The DKIM operations of an identity: its signing attributes (Easy DKIM, BYODKIM, key length) and SigningEnabled.
import { transition } from '../../core/status.js';
import { changeKeyLength, setupByodkim, setupEasyDkim } from '../dkim-signing.js';
import { badRequest } from '../errors.js';
import type { PutDkimSigningAttributesInput } from '../shapes.js';
import { exclusive, findIdentity, type SesBackendState, throttle } from '../state.js';
import { keyLength, signingOrigin } from '../validate.js';

/** PutEmailIdentityDkimSigningAttributes: switches between Easy DKIM and BYODKIM, or changes the key length. */
export async function putEmailIdentityDkimSigningAttributes(
  state: SesBackendState,
  input: PutDkimSigningAttributesInput,
) {
  throttle(state, 'PutEmailIdentityDkimSigningAttributes');
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  if (record.type !== 'DOMAIN') throw badRequest('DKIM signing attributes apply to domain identities only.');
  const origin = signingOrigin(input.SigningAttributesOrigin);
  const attributes = input.SigningAttributes;
  return exclusive(state, key, async () => {
    const at = state.now();
    if (origin === 'EXTERNAL') {
      setupByodkim(state, record, attributes?.DomainSigningSelector, attributes?.DomainSigningPrivateKey);
      record.state = transition(record.state, { type: 'start', at });
    } else if (record.origin === 'AWS_SES' && attributes?.NextSigningKeyLength !== undefined) {
      await changeKeyLength(state, record, keyLength(attributes.NextSigningKeyLength), at);
    } else if (record.origin !== 'AWS_SES') {
      await setupEasyDkim(state, record, record.identity, keyLength(attributes?.NextSigningKeyLength), at);
      record.state = transition(record.state, { type: 'start', at });
    }
    await state.store.set(key, record);
    return { DkimStatus: record.state.status, DkimTokens: [...record.tokens] };
  });
}

/** PutEmailIdentityDkimAttributes: SigningEnabled. The status does not change. */
export async function putEmailIdentityDkimAttributes(
  state: SesBackendState,
  input: { EmailIdentity?: string; SigningEnabled?: boolean },
) {
  throttle(state, 'PutEmailIdentityDkimAttributes');
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  if (record.type !== 'DOMAIN') throw badRequest('DKIM signing applies to domain identities only.');
  return exclusive(state, key, async () => {
    record.signingEnabled = input.SigningEnabled === true;
    record.state = transition(record.state, { type: 'signing', at: state.now(), enabled: record.signingEnabled });
    await state.store.set(key, record);
    return {};
  });
}
