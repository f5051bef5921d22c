// Building key records: the record name and text rules, dkimTxtRecord and character-string splitting.
import { base64Encode } from '../base64.js';
import { DkimError } from '../errors.js';
import { DkimPrivateKey } from '../key.js';
import { normalizeDomain, normalizeSelector } from '../names.js';
import { canonicalRsaSpki, parseRsaPublicKey } from '../public-key.js';

/** The longest character-string a TXT record can hold (RFC 1035 section 3.3). */
export const MAX_CHARACTER_STRING = 255;
const MAX_NOTES_LENGTH = 512;
const HASH_ALGORITHMS = ['sha256', 'sha1'] as const;

/** The optional tags of a key record. */
export interface DkimKeyTagOptions {
  /** `h=`: hash algorithms the key may be used with. Omitted means all. */
  readonly hashAlgorithms?: readonly (typeof HASH_ALGORITHMS)[number][];
  /** `t=y`: the domain is testing DKIM. */
  readonly testing?: boolean;
  /** `t=s`: the i= domain must equal d= exactly, no subdomains. */
  readonly strictIdentity?: boolean;
  /** `n=`: notes for humans, encoded as dkim-quoted-printable. */
  readonly notes?: string;
}

/** Options of {@link dkimTxtRecord}. */
export interface DkimTxtRecordOptions extends DkimKeyTagOptions {
  readonly domain: string;
  readonly selector: string;
}

/** A DKIM key record ready to publish. */
export interface DkimTxtRecord {
  /** `<selector>._domainkey.<domain>`, lower-case A-labels, no trailing dot. */
  readonly name: string;
  readonly type: 'TXT';
  /** The record's text, as receivers see it after joining the strings. */
  readonly value: string;
  /** The value cut into character-strings of at most 255 octets, for DNS APIs. */
  readonly strings: readonly string[];
  /** One zone-file line: `<name>. IN TXT "..." "..."`. */
  readonly zone: string;
}

/**
 * The DKIM TXT record publishing a key's public half at `<selector>._domainkey.<domain>`:
 * `v=DKIM1; k=rsa; p=<SPKI base64>`, with optional `h=`, `t=` and `n=` tags.
 * Takes a parsed private key, or public key DER (SPKI or PKCS #1 RSAPublicKey).
 *
 * @example
 * ```ts
 * const record = dkimTxtRecord(parsePrivateKey(pem), { domain: 'example.com', selector: 'ses2026' });
 * record.name; // 'ses2026._domainkey.example.com'
 * record.value; // 'v=DKIM1; k=rsa; p=MIIBIjANBg...'
 * record.strings; // the value in strings of at most 255 octets, for DNS APIs
 * ```
 */
export function dkimTxtRecord(keyOrSpki: DkimPrivateKey | Uint8Array, options: DkimTxtRecordOptions): DkimTxtRecord {
  return keyRecordAt(dkimRecordName(options.selector, options.domain), keyOrSpki, options);
}

/**
 * A key record at a name that is already validated and normalised (the provider side of
 * Easy DKIM serves keys at `<token>.<hosted zone>`, not under `_domainkey`).
 */
export function keyRecordAt(
  name: string,
  keyOrSpki: DkimPrivateKey | Uint8Array,
  options: DkimKeyTagOptions = {},
): DkimTxtRecord {
  const spki = keyOrSpki instanceof DkimPrivateKey ? keyOrSpki.spki : publicKeyToSpki(keyOrSpki);
  let hashes: string | undefined;
  if (options.hashAlgorithms !== undefined) {
    const list = options.hashAlgorithms;
    if (list.length === 0 || list.some((hash) => !HASH_ALGORITHMS.includes(hash))) {
      throw new DkimError('OPTION_INVALID', `hashAlgorithms must be a non-empty list of ${HASH_ALGORITHMS.join(', ')}`);
    }
    hashes = [...new Set(list)].join(':');
  }
  const flags = options.testing ? (options.strictIdentity ? 'y:s' : 'y') : options.strictIdentity ? 's' : undefined;
  const notes = options.notes === undefined ? undefined : encodeNotes(options.notes);
  const value = recordText(spki, 'rsa', hashes, flags, notes);
  const strings = splitCharacterStrings(value);
  // One string per record for keys of up to 1024 bits, two for 2048: written out, not mapped.
  let zone = `${name}. IN TXT "${strings[0]}"`;
  for (let i = 1; i < strings.length; i++) zone += ` "${strings[i]}"`;
  return { name, type: 'TXT', value, strings, zone };
}

/**
 * The one place the key record name rule is written: `<selector>._domainkey.<domain>`.
 * Takes labels that are already normalised; {@link dkimRecordName} validates first.
 */
export function domainKeyName(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain}`;
}

/** Optional tags of {@link keyRecordText}, already encoded: `h=`, `t=`, `n=`. */
export interface KeyRecordExtraTags {
  readonly h?: string;
  readonly t?: string;
  readonly n?: string;
}

/**
 * The one place the key record text rule is written: `v=DKIM1; [h=..; ]k=<type>; [t=..; ][n=..; ]p=<base64>`.
 * `publicKey` is the SPKI DER for `rsa`, the 32 raw bytes for `ed25519` (RFC 8463).
 */
export function keyRecordText(
  publicKey: Uint8Array,
  keyType: 'rsa' | 'ed25519' = 'rsa',
  extra: KeyRecordExtraTags = {},
): string {
  return recordText(publicKey, keyType, extra.h, extra.t, extra.n);
}

// The text rule itself, as one concatenation (this runs once per record made, on the hot path).
function recordText(
  publicKey: Uint8Array,
  keyType: string,
  h: string | undefined,
  t: string | undefined,
  n: string | undefined,
): string {
  return `v=DKIM1; ${h === undefined ? '' : `h=${h}; `}k=${keyType}; ${t === undefined ? '' : `t=${t}; `}${
    n === undefined ? '' : `n=${n}; `
  }p=${base64Encode(publicKey)}`;
}

/** `<selector>._domainkey.<domain>`, validated and normalised. */
export function dkimRecordName(selector: string, domain: string): string {
  const name = domainKeyName(normalizeSelector(selector), normalizeDomain(domain));
  if (name.length > 253) {
    throw new DkimError('DOMAIN_INVALID', `record name is ${name.length} octets long; a DNS name holds at most 253`);
  }
  return name;
}

/** Cuts ASCII text into character-strings of at most 255 octets. */
export function splitCharacterStrings(value: string): string[] {
  const strings: string[] = [];
  for (let offset = 0; offset < value.length; offset += MAX_CHARACTER_STRING) {
    strings.push(value.slice(offset, offset + MAX_CHARACTER_STRING));
  }
  return strings.length === 0 ? [''] : strings;
}

function publicKeyToSpki(der: Uint8Array): Uint8Array {
  const key = parseRsaPublicKey(der);
  if (key.bits !== 1024 && key.bits !== 2048) {
    throw new DkimError('KEY_SIZE_UNSUPPORTED', `RSA key of ${key.bits} bits; SES accepts 1024 or 2048 bits`);
  }
  return canonicalRsaSpki(key);
}

// dkim-quoted-printable (RFC 6376 section 2.11). Quotes and backslashes are legal there but
// encoded anyway, so the zone-file line never needs escapes and DNS panels cannot mangle it.
function encodeNotes(notes: string): string {
  if (notes.length > MAX_NOTES_LENGTH)
    throw new DkimError('OPTION_INVALID', `notes exceed ${MAX_NOTES_LENGTH} characters`);
  let out = '';
  for (const byte of new TextEncoder().encode(notes)) {
    const safe = byte >= 0x21 && byte <= 0x7e && byte !== 0x3b && byte !== 0x3d && byte !== 0x22 && byte !== 0x5c;
    out += safe ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
