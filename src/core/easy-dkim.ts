// Easy DKIM's DNS side: hosted zones, tokens, the owner's CNAMEs and the provider keys behind them.
import { DkimError } from './errors.js';
import { type GeneratedDkimKey, generateDkimKey, type KeyGenerationCrypto } from './generate.js';
import { type DkimTxtRecord, domainKeyName, keyRecordAt } from './key-record/format.js';
import { normalizeDomain } from './names.js';
import type { RandomSource } from './prime.js';

/** SES's default hosted zone for Easy DKIM keys. */
export const DEFAULT_SIGNING_HOSTED_ZONE = 'dkim.amazonses.com';

/** Where a region's hosted-zone entry comes from. */
export type HostedZoneSource = 'aws-guide' | 'third-party';

/**
 * Regions whose Easy DKIM CNAMEs point to `dkim.<region>.amazonses.com` instead of the default.
 * `aws-guide`: listed in the SES developer guide. `third-party`: reported by DNS providers and
 * tooling, not confirmed in AWS's own documentation.
 */
export const REGIONAL_SIGNING_HOSTED_ZONES: Readonly<Record<string, HostedZoneSource>> = {
  'af-south-1': 'aws-guide',
  'ap-northeast-3': 'aws-guide',
  'eu-south-1': 'aws-guide',
  'ap-south-2': 'third-party',
  'ap-southeast-3': 'third-party',
  'ap-southeast-5': 'third-party',
  'ca-west-1': 'third-party',
  'eu-central-2': 'third-party',
  'il-central-1': 'third-party',
  'me-central-1': 'third-party',
  'us-gov-east-1': 'third-party',
};

const REGION_PATTERN = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$/;

/** Whether `text` is a well-formed AWS region name (us-east-1, us-gov-west-1, ...): the one region rule. */
export function isRegionName(text: string): boolean {
  return REGION_PATTERN.test(text);
}

/**
 * The SigningHostedZone for a region: `dkim.<region>.amazonses.com` for the regions of
 * {@link REGIONAL_SIGNING_HOSTED_ZONES}, else `dkim.amazonses.com`. A custom zone (self-hosted
 * use) wins over the region.
 */
export function signingHostedZone(options: { readonly region?: string; readonly hostedZone?: string } = {}): string {
  if (options.hostedZone !== undefined) return normalizeDomain(options.hostedZone);
  const region = options.region;
  if (region === undefined) return DEFAULT_SIGNING_HOSTED_ZONE;
  if (!isRegionName(region))
    throw new DkimError('OPTION_INVALID', `"${region.slice(0, 40)}" is not an AWS region name`);
  return region in REGIONAL_SIGNING_HOSTED_ZONES ? `dkim.${region}.amazonses.com` : DEFAULT_SIGNING_HOSTED_ZONE;
}

/** Options of {@link easyDkimTokens}. */
export interface EasyDkimTokenOptions {
  readonly domain: string;
  /**
   * Makes the tokens deterministic: token i is the base32 of the first 20 bytes of
   * HMAC-SHA-256(secret, `${domain}\n${generation}\n${i}`). Without it, tokens are random.
   */
  readonly secret?: string;
  /** Distinguishes successive token sets of one domain under one secret; default 0. */
  readonly generation?: number;
  /** WebCrypto (randomness, and HMAC for deterministic tokens); default `globalThis.crypto`. */
  readonly crypto?: RandomSource & { readonly subtle?: Pick<SubtleCrypto, 'importKey' | 'sign'> };
}

const TOKEN_BYTES = 20; // 160 bits: 32 base32 characters, as real SES tokens are
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The three Easy DKIM tokens of an identity: 32 distinct characters of lowercase base32 each.
 * Async because deterministic tokens use WebCrypto's HMAC.
 *
 * @example
 * ```ts
 * const random = await easyDkimTokens({ domain: 'example.com' });
 * const stable = await easyDkimTokens({ domain: 'example.com', secret: 'emulator-seed' }); // same every run
 * ```
 */
export async function easyDkimTokens(options: EasyDkimTokenOptions): Promise<[string, string, string]> {
  const domain = normalizeDomain(options.domain);
  const webCrypto = options.crypto ?? globalThis.crypto;
  if (webCrypto === undefined) throw new DkimError('OPTION_INVALID', 'no WebCrypto available: pass options.crypto');
  const tokens: string[] = [];
  if (options.secret === undefined) {
    while (tokens.length < 3) {
      const token = base32(webCrypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
      if (!tokens.includes(token)) tokens.push(token);
    }
    return tokens as [string, string, string];
  }
  const generation = options.generation ?? 0;
  if (!Number.isSafeInteger(generation) || generation < 0) {
    throw new DkimError('OPTION_INVALID', 'generation must be a non-negative integer');
  }
  if (options.secret.length === 0 || options.secret.length > 1024) {
    throw new DkimError('OPTION_INVALID', 'secret must be 1 to 1024 characters');
  }
  const subtle = webCrypto.subtle;
  if (subtle === undefined) throw new DkimError('OPTION_INVALID', 'deterministic tokens need WebCrypto subtle (HMAC)');
  const encoder = new TextEncoder();
  const key = await subtle.importKey('raw', encoder.encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  // A collision (probability 2^-160) moves on to the next index; the cap only guards a broken HMAC.
  for (let index = 0; tokens.length < 3; index++) {
    if (index === 64) throw new DkimError('OPTION_INVALID', 'HMAC kept producing the same token');
    const mac = new Uint8Array(await subtle.sign('HMAC', key, encoder.encode(`${domain}\n${generation}\n${index}`)));
    const token = base32(mac.subarray(0, TOKEN_BYTES));
    if (!tokens.includes(token)) tokens.push(token);
  }
  return tokens as [string, string, string];
}

/** RFC 4648 base32, lower case, for inputs whose length is a multiple of 5 bytes (no padding). */
function base32(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    let chunk = 0n;
    for (let j = 0; j < 5; j++) chunk = (chunk << 8n) | BigInt(bytes[i + j] ?? 0);
    for (let shift = 35n; shift >= 0n; shift -= 5n) out += BASE32.charAt(Number((chunk >> shift) & 31n));
  }
  return out;
}

/** One Easy DKIM CNAME record. */
export interface EasyDkimCnameRecord {
  /** `<token>._domainkey.<domain>` */
  readonly name: string;
  readonly type: 'CNAME';
  /** `<token>.<SigningHostedZone>` */
  readonly value: string;
  /** One zone-file line. */
  readonly zone: string;
}

/** Options of {@link easyDkimRecords}. */
export interface EasyDkimRecordOptions {
  readonly domain: string;
  readonly tokens: readonly string[];
  readonly region?: string;
  /** A custom hosted zone for self-hosted use; wins over `region`. */
  readonly hostedZone?: string;
}

const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

/**
 * The three CNAME records the domain owner publishes for Easy DKIM.
 *
 * @example
 * ```ts
 * const tokens = await easyDkimTokens({ domain: 'example.com' });
 * for (const record of easyDkimRecords({ domain: 'example.com', tokens, region: 'eu-south-1' })) {
 *   record.zone; // '<token>._domainkey.example.com. IN CNAME <token>.dkim.eu-south-1.amazonses.com.'
 * }
 * ```
 */
export function easyDkimRecords(options: EasyDkimRecordOptions): EasyDkimCnameRecord[] {
  const domain = normalizeDomain(options.domain);
  const zone = signingHostedZone(options);
  checkTokens(options.tokens);
  return options.tokens.map((token) => {
    const name = domainKeyName(token, domain);
    const value = `${token}.${zone}`;
    for (const n of [name, value]) {
      if (n.length > 253) throw new DkimError('DOMAIN_INVALID', `${n.length}-octet name; a DNS name holds at most 253`);
    }
    return { name, type: 'CNAME', value, zone: `${name}. IN CNAME ${value}.` };
  });
}

function checkTokens(tokens: readonly string[]): void {
  if (tokens.length !== 3 || new Set(tokens).size !== 3 || !tokens.every((t) => TOKEN_PATTERN.test(t))) {
    throw new DkimError('OPTION_INVALID', 'Easy DKIM takes three distinct tokens of 32 lowercase base32 characters');
  }
}

/** SES's key lengths for Easy DKIM. */
export type SigningKeyLength = 'RSA_1024_BIT' | 'RSA_2048_BIT';

/** The provider side of one token: its key pair and the TXT record its hosted zone serves. */
export interface ProviderKey {
  readonly token: string;
  readonly key: GeneratedDkimKey;
  /** At `<token>.<SigningHostedZone>`, where the owner's CNAME points. */
  readonly record: DkimTxtRecord;
}

/** Generates the key pair behind each token, and the record the hosted zone serves for it. */
export async function generateProviderKeys(options: {
  readonly tokens: readonly string[];
  readonly keyLength?: SigningKeyLength;
  readonly region?: string;
  readonly hostedZone?: string;
  readonly crypto?: KeyGenerationCrypto;
}): Promise<ProviderKey[]> {
  checkTokens(options.tokens);
  const zone = signingHostedZone(options);
  const bits = bitsOf(options.keyLength ?? 'RSA_2048_BIT');
  return Promise.all(
    options.tokens.map(async (token) => {
      const key = await generateDkimKey({ bits, ...(options.crypto ? { crypto: options.crypto } : {}) });
      return { token, key, record: keyRecordAt(`${token}.${zone}`, key.key) };
    }),
  );
}

/** The RSA modulus size of an SES key length; OPTION_INVALID for any other value. */
export function bitsOf(length: SigningKeyLength): 1024 | 2048 {
  if (length === 'RSA_1024_BIT') return 1024;
  if (length === 'RSA_2048_BIT') return 2048;
  throw new DkimError('OPTION_INVALID', `key length must be RSA_1024_BIT or RSA_2048_BIT, not ${String(length)}`);
}
