// SES's signing profile: relaxed/simple rsa-sha256 with t=, SES's header set, and the provider's second signature.
import { canonicalizeBody } from './canonicalize.js';
import { primitivesOf, readMessageWith } from './primitives.js';
import {
  currentUnixTime,
  finishSignature,
  prependFields,
  type SignedMessage,
  type SignOptions,
  sesHeaderNames,
  signingPlan,
} from './sign.js';
import type { SigningKey } from './signing-key.js';

/** The domain of SES's own signature on every message it sends. */
export const SES_PROVIDER_DOMAIN = 'amazonses.com';

/** The header the provider's signature adds to SES's set. */
export const SES_FEEDBACK_ID = 'Feedback-ID';

/** Options of {@link sesSignMessage}. */
export interface SesSignOptions {
  /** The identity's signature: its domain, selector (BYODKIM selector or Easy DKIM token) and key. */
  readonly domain: string;
  readonly selector: string;
  readonly key: SigningKey;
  /** The provider's signature (d=amazonses.com by default); none when absent. */
  readonly provider?: { readonly selector: string; readonly key: SigningKey; readonly domain?: string };
  /** `t=` in Unix seconds, shared by both signatures; default the current time. */
  readonly timestamp?: number;
  readonly crypto?: SignOptions['crypto'];
}

/** Both signatures: `fields` topmost first (the identity's above the provider's). */
export interface SesSignedMessage {
  readonly fields: readonly string[];
  readonly signatures: readonly SignedMessage[];
  /** The message with every field on top, in order, with the message's line ends. */
  prepend(message: string): string;
  prepend(message: Uint8Array): Uint8Array;
}

/**
 * Signs the way SES does: `c=relaxed/simple`, `a=rsa-sha256`, `t=`, no `i=`, `l=` or `x=`, over
 * SES's header set as present in the message. With `provider`, a second signature (d=amazonses.com)
 * over the same set plus Feedback-ID, with the same body hash and time, sits below the identity's.
 */
export async function sesSignMessage(message: string | Uint8Array, options: SesSignOptions): Promise<SesSignedMessage> {
  const primitives = primitivesOf(options.crypto);
  const parsed = readMessageWith(primitives, message);
  const timestamp = options.timestamp ?? currentUnixTime();
  const identityNames = sesHeaderNames(parsed);
  const common = { canonicalization: 'relaxed/simple', timestamp, crypto: primitives } as const;
  const identityOptions: SignOptions = {
    ...common,
    domain: options.domain,
    selector: options.selector,
    key: options.key,
  };
  const plan = signingPlan(parsed, { ...identityOptions, headers: identityNames });
  const bodyHash = await primitives.sha256(canonicalizeBody(parsed.body, 'simple'));
  const identity = await finishSignature(parsed, identityOptions, plan, bodyHash, undefined, primitives);
  const signatures = [identity];
  if (options.provider !== undefined) {
    const providerOptions: SignOptions = {
      ...common,
      domain: options.provider.domain ?? SES_PROVIDER_DOMAIN,
      selector: options.provider.selector,
      key: options.provider.key,
      headers: sesHeaderNames(parsed, [SES_FEEDBACK_ID]),
    };
    const providerPlan = signingPlan(parsed, providerOptions);
    signatures.push(await finishSignature(parsed, providerOptions, providerPlan, bodyHash, undefined, primitives));
  }
  const fields = signatures.map((s) => s.field);
  return {
    fields,
    signatures,
    prepend: ((target: string | Uint8Array) =>
      prependFields(fields, target, parsed.lineEnding)) as SesSignedMessage['prepend'],
  };
}
