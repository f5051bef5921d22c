// Signing an outgoing message as SES does: the identity's signature (when it signs) above the provider's d=amazonses.com one.
import type { DkimPrivateKey } from '../../core/key.js';
import { parseMessage } from '../../core/signature/message.js';
import type { SignatureCrypto, SignaturePrimitives } from '../../core/signature/primitives.js';
import { SES_FEEDBACK_ID, sesSignMessage } from '../../core/signature/ses.js';
import { sesHeaderNames, signMessage } from '../../core/signature/sign.js';
import type { IdentityRecord } from '../identity.js';
import { cachedKey, type SesBackendState } from '../state.js';
import type { DkimSigner, ProviderSigner } from './provider-key.js';

/**
 * The signer of a domain identity: BYODKIM's selector and key, or for Easy DKIM one of the three
 * tokens with the provider key behind it (`pick` chooses which; SES may use any of them). null
 * when the identity has no usable key here (an accepted unusable BYODKIM key; Easy DKIM without a
 * provider zone, where the backend never made the keys behind the tokens).
 */
export function identitySigner(state: SesBackendState, record: IdentityRecord, pick: number): DkimSigner | null {
  const domain = record.identity;
  if (record.origin === 'EXTERNAL') {
    if (!record.privateKey || !record.selector) return null;
    return { domain, selector: record.selector, key: cachedKey(state, record.privateKey) };
  }
  const keys = record.providerKeys;
  if (!keys || keys.length !== record.tokens.length || keys.length === 0) return null;
  const index = Math.abs(pick) % keys.length;
  return {
    domain,
    selector: record.tokens[index] as string,
    key: cachedKey(state, keys[index] as string) as DkimPrivateKey,
  };
}

/**
 * The DKIM-Signature fields SES puts on a message, topmost first: the identity's (SES's header
 * set, relaxed/simple, rsa-sha256, t=) when there is a signer, then always the provider's, over
 * the same set plus Feedback-ID with the same body hash and t= (the signatures core's SES profile).
 * Signing comes after SES's rewrites, so Date, Message-ID and Feedback-ID are SES's own.
 */
export async function sesSignatures(
  message: Uint8Array,
  identity: DkimSigner | null,
  provider: ProviderSigner,
  timestamp: number,
  crypto?: SignatureCrypto | SignaturePrimitives,
): Promise<readonly string[]> {
  const providerPart = { domain: provider.domain, selector: provider.selector, key: provider.key };
  const using = crypto ? { crypto } : {};
  if (identity) {
    const signed = await sesSignMessage(message, { ...identity, provider: providerPart, timestamp, ...using });
    return signed.fields;
  }
  const headers = sesHeaderNames(parseMessage(message), [SES_FEEDBACK_ID]);
  const signed = await signMessage(message, {
    ...providerPart,
    headers,
    canonicalization: 'relaxed/simple',
    timestamp,
    ...using,
  });
  return [signed.field];
}
