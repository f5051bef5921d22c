// SES's Easy DKIM lifecycle: an identity's signing state, key-length changes and key rotation.

import {
  bitsOf,
  type EasyDkimTokenOptions,
  easyDkimTokens,
  generateProviderKeys,
  type ProviderKey,
  type SigningKeyLength,
  signingHostedZone,
} from '../core/easy-dkim.js';
import { DkimError } from '../core/errors.js';
import type { KeyGenerationCrypto } from '../core/generate.js';
import { KeyRotationTooSoonError } from './errors.js';

/** The DKIM state SES reports for a domain identity (the DkimAttributes shape, less Status). */
export interface DkimSigningState {
  readonly SigningEnabled: boolean;
  readonly Tokens: readonly string[];
  readonly SigningHostedZone?: string;
  readonly SigningAttributesOrigin: 'AWS_SES' | 'EXTERNAL';
  readonly CurrentSigningKeyLength?: SigningKeyLength;
  readonly NextSigningKeyLength?: SigningKeyLength;
  /** Epoch milliseconds of the last key generation. */
  readonly LastKeyGenerationTimestamp?: number;
}

/** An Easy DKIM identity's state and the provider keys behind its tokens. */
export interface EasyDkimIdentity {
  readonly attributes: DkimSigningState;
  readonly providerKeys: readonly ProviderKey[];
}

/** Minimum time between key generations, and so between key-length changes: one day. */
export const KEY_GENERATION_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Options of {@link createEasyDkimIdentity}. */
export interface CreateEasyDkimOptions extends Omit<EasyDkimTokenOptions, 'crypto'> {
  /** Epoch milliseconds: the injected clock. */
  readonly now: number;
  readonly keyLength?: SigningKeyLength;
  readonly region?: string;
  readonly hostedZone?: string;
  readonly crypto?: EasyDkimTokenOptions['crypto'] & KeyGenerationCrypto;
}

/** A new Easy DKIM identity: tokens, provider keys of `keyLength` (default 2048 bits) and its DkimAttributes. */
export async function createEasyDkimIdentity(options: CreateEasyDkimOptions): Promise<EasyDkimIdentity> {
  const keyLength = options.keyLength ?? 'RSA_2048_BIT';
  bitsOf(keyLength);
  const tokens = await easyDkimTokens(options);
  const hostedZone = signingHostedZone(options);
  const providerKeys = await generateProviderKeys({ tokens, keyLength, hostedZone, ...cryptoOption(options) });
  return {
    attributes: {
      SigningEnabled: true,
      Tokens: tokens,
      SigningHostedZone: hostedZone,
      SigningAttributesOrigin: 'AWS_SES',
      CurrentSigningKeyLength: keyLength,
      NextSigningKeyLength: keyLength,
      LastKeyGenerationTimestamp: options.now,
    },
    providerKeys,
  };
}

/**
 * The signing state with NextSigningKeyLength set. SES allows this at most once per day: within
 * 24 hours of the last key generation the change is refused with {@link KeyRotationTooSoonError}
 * (code KEY_ROTATION_TOO_SOON). Setting the length it already has returns `attributes` itself.
 */
export function withNextSigningKeyLength(
  attributes: DkimSigningState,
  keyLength: SigningKeyLength,
  now: number,
): DkimSigningState {
  bitsOf(keyLength);
  if (attributes.SigningAttributesOrigin !== 'AWS_SES') {
    throw new DkimError('OPTION_INVALID', 'NextSigningKeyLength applies to Easy DKIM identities only');
  }
  if (attributes.NextSigningKeyLength === keyLength) return attributes;
  const last = attributes.LastKeyGenerationTimestamp ?? Number.NEGATIVE_INFINITY;
  if (now - last < KEY_GENERATION_INTERVAL_MS) {
    const wait = Math.ceil((last + KEY_GENERATION_INTERVAL_MS - now) / 60_000);
    throw new KeyRotationTooSoonError(
      `NextSigningKeyLength can be changed at most once per day; the last key generation was less than 24 hours ago (${wait} minutes to go).`,
    );
  }
  return { ...attributes, NextSigningKeyLength: keyLength };
}

/**
 * Sets NextSigningKeyLength on an identity (see {@link withNextSigningKeyLength}); a no-op
 * returns `identity` itself. Nothing is generated until {@link rotateEasyDkimKeys}.
 */
export function setNextSigningKeyLength(
  identity: EasyDkimIdentity,
  keyLength: SigningKeyLength,
  now: number,
): EasyDkimIdentity {
  const attributes = withNextSigningKeyLength(identity.attributes, keyLength, now);
  return attributes === identity.attributes ? identity : { ...identity, attributes };
}

/** The signing state after a key generation at `now`: CurrentSigningKeyLength becomes NextSigningKeyLength. */
export function rotatedSigningState(attributes: DkimSigningState, now: number): DkimSigningState {
  return {
    ...attributes,
    CurrentSigningKeyLength: attributes.NextSigningKeyLength ?? 'RSA_2048_BIT',
    LastKeyGenerationTimestamp: now,
  };
}

/**
 * Rotates the provider keys: new key pairs of NextSigningKeyLength behind the same tokens, so
 * the owner's CNAMEs stay valid and only the records in the hosted zone change.
 * CurrentSigningKeyLength becomes NextSigningKeyLength and LastKeyGenerationTimestamp `now`.
 */
export async function rotateEasyDkimKeys(
  identity: EasyDkimIdentity,
  options: { readonly now: number; readonly crypto?: KeyGenerationCrypto },
): Promise<EasyDkimIdentity> {
  const { attributes } = identity;
  if (attributes.SigningAttributesOrigin !== 'AWS_SES') {
    throw new DkimError('OPTION_INVALID', 'only Easy DKIM identities have provider keys to rotate');
  }
  const providerKeys = await generateProviderKeys({
    tokens: attributes.Tokens,
    keyLength: attributes.NextSigningKeyLength ?? 'RSA_2048_BIT',
    hostedZone: attributes.SigningHostedZone ?? signingHostedZone(),
    ...cryptoOption(options),
  });
  return { attributes: rotatedSigningState(attributes, options.now), providerKeys };
}

function cryptoOption(options: { readonly crypto?: KeyGenerationCrypto }): { crypto?: KeyGenerationCrypto } {
  return options.crypto ? { crypto: options.crypto } : {};
}
