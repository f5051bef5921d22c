// DKIM key generation through WebCrypto: a new key in SES form, with its record on request.
import { DkimError } from './errors.js';
import { type DkimPrivateKey, parsePrivateKey, toSesPrivateKey } from './key.js';
import { type DkimTxtRecord, type DkimTxtRecordOptions, dkimTxtRecord } from './key-record/format.js';

/** The part of WebCrypto that key generation needs. */
export interface KeyGenerationCrypto {
  readonly subtle: Pick<SubtleCrypto, 'generateKey' | 'exportKey'>;
}

/** Options of {@link generateDkimKey}. */
export interface GenerateDkimKeyOptions extends Partial<DkimTxtRecordOptions> {
  /** Modulus size; 2048 unless said otherwise. */
  readonly bits?: 1024 | 2048;
  /** WebCrypto implementation; defaults to `globalThis.crypto`. */
  readonly crypto?: KeyGenerationCrypto;
}

/** A new key in SES's form, and its record when a domain and selector were given. */
export interface GeneratedDkimKey {
  /** One-line base64 PKCS #1: SES's DomainSigningPrivateKey. Secret. */
  readonly privateKey: string;
  readonly key: DkimPrivateKey;
  readonly record?: DkimTxtRecord;
}

/**
 * Generates an RSA key pair for DKIM through WebCrypto (Node and browsers).
 *
 * @example
 * ```ts
 * const { privateKey, record } = await generateDkimKey({ domain: 'example.com', selector: 'ses2026' });
 * // privateKey: SES's DomainSigningPrivateKey (secret); record.zone: the TXT line to publish
 * ```
 */
export async function generateDkimKey(options: GenerateDkimKeyOptions = {}): Promise<GeneratedDkimKey> {
  const bits = options.bits ?? 2048;
  if (bits !== 1024 && bits !== 2048) {
    throw new DkimError(
      'KEY_SIZE_UNSUPPORTED',
      `cannot generate a ${String(bits)}-bit key; SES accepts 1024 or 2048 bits`,
    );
  }
  const wantsRecord = options.domain !== undefined || options.selector !== undefined;
  if (wantsRecord && (options.domain === undefined || options.selector === undefined)) {
    throw new DkimError('OPTION_INVALID', 'a record needs both domain and selector');
  }
  const subtle = (options.crypto ?? globalThis.crypto)?.subtle;
  if (subtle === undefined) throw new DkimError('OPTION_INVALID', 'no WebCrypto available: pass options.crypto');
  const pair = (await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  // Re-parse from PKCS #1 so the key describes itself in SES's own form.
  const privateKey = toSesPrivateKey(parsePrivateKey(pkcs8));
  const key = parsePrivateKey(privateKey);
  if (!wantsRecord) return { privateKey, key };
  const record = dkimTxtRecord(key, options as DkimTxtRecordOptions);
  return { privateKey, key, record };
}
