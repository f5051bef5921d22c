// The provider's own DKIM key (d=amazonses.com): made at start-up, published in the provider zone.

import { generateDkimKey } from '../../core/generate.js';
import type { DkimPrivateKey } from '../../core/key.js';
import { type DkimTxtRecord, keyRecordAt } from '../../core/key-record/format.js';
import type { ZoneResolver } from '../../dns/zone.js';

/** The domain of SES's second signature on every message. */
export const PROVIDER_SIGNING_DOMAIN = 'amazonses.com';

/** A signer: the domain, selector and key one DKIM-Signature is made with. */
export interface DkimSigner {
  readonly domain: string;
  readonly selector: string;
  readonly key: DkimPrivateKey;
}

/** The provider's signer and the key record that makes its signatures verifiable. */
export interface ProviderSigner extends DkimSigner {
  /** `<selector>._domainkey.amazonses.com` TXT. */
  readonly record: DkimTxtRecord;
}

/** Options of {@link createProviderSigner}. */
export interface ProviderSignerOptions {
  /** Where the key record is published: the zone `serve --dns-port` serves. */
  readonly zone?: ZoneResolver;
  /**
   * The selector; default 32 random lowercase base32 characters, as SES's own selectors are
   * (e.g. `224i4yxa5dv7c2xz3womw6peuasteono` in us-east-1, seen on real SES mail).
   */
  readonly selector?: string;
  /** Default 2048. */
  readonly bits?: 1024 | 2048;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function randomSelector(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => BASE32.charAt(b & 31)).join('');
}

/**
 * Makes the provider's signing key and, with `zone`, publishes its record there, so receivers
 * (and tests, through the emulator's DNS port) can verify the `d=amazonses.com` signature.
 */
export async function createProviderSigner(options: ProviderSignerOptions = {}): Promise<ProviderSigner> {
  const generated = await generateDkimKey({ bits: options.bits ?? 2048 });
  return providerSignerOf(options.selector ?? randomSelector(), generated.key, options.zone);
}

/** The signer of a known selector and key (one kept in a store), its record published in `zone` when given. */
export function providerSignerOf(selector: string, key: DkimPrivateKey, zone?: ZoneResolver): ProviderSigner {
  const record = keyRecordAt(`${selector}._domainkey.${PROVIDER_SIGNING_DOMAIN}`, key);
  zone?.set(record.name, 'TXT', [record.strings]);
  return { domain: PROVIDER_SIGNING_DOMAIN, selector, key, record };
}
