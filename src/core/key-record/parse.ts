import { base64Decode } from '../base64.js';
import { DkimError } from '../errors.js';
import { canonicalRsaSpki, parseRsaPublicKey } from '../public-key.js';
import { latin1 } from '../text.js';

/** The character-strings of one TXT record, as DNS returned them (bytes) or as text. */
export type TxtRecordStrings = readonly (string | Uint8Array)[];

/** A record longer than this (all strings joined) is refused before it is parsed. */
export const MAX_KEY_RECORD_LENGTH = 8192;
/** More strings than this in one record is refused before it is parsed. */
export const MAX_KEY_RECORD_STRINGS = 64;

/**
 * Why a DKIM key record is unusable, or what is worth fixing in it. The list is closed.
 * Codes marked "error" make the record invalid or the key unusable; the others are warnings.
 */
export const KEY_RECORD_ISSUE_CODES = [
  'RECORD_TOO_LARGE', // error: over MAX_KEY_RECORD_LENGTH or MAX_KEY_RECORD_STRINGS
  'TAG_SYNTAX', // error: not a tag-list (RFC 6376 section 3.2)
  'DUPLICATE_TAG', // error
  'VERSION_NOT_FIRST', // error: v= present but not the first tag
  'KEY_MISSING', // error: no p= tag
  'KEY_TYPE_UNKNOWN', // error: k= other than rsa or ed25519
  'KEY_TYPE_MISMATCH', // error: p= holds another algorithm's key than k= says
  'KEY_INVALID', // error: p= is not base64 of a public key
  'ZONE_SYNTAX', // error: quotes or backslashes from zone-file syntax inside the value
  'PEM_ARMOUR', // error: "-----BEGIN PUBLIC KEY-----" inside p=
  'TRUNCATED_AT_255', // error: a DNS panel kept only the first 255 octets
  'MISSING_SEMICOLON', // error: two tags run together
  'WEAK_KEY', // error: RSA under 1024 bits
  'HASH_EXCLUDES_SHA256', // error for SES: h= without sha256
  'SERVICE_EXCLUDES_EMAIL', // error for SES: s= without email or *
  'SPACE_IN_KEY', // warning: white space inside p= (legal, mishandled by some receivers)
  'KEY_SIZE_UNEXPECTED', // warning: an RSA modulus of an unusual size
  'TESTING', // warning: t=y, receivers may treat signatures as unverified
] as const;

export type KeyRecordIssueCode = (typeof KEY_RECORD_ISSUE_CODES)[number];

/** One problem found in a record, with what to publish instead. */
export interface KeyRecordIssue {
  readonly code: KeyRecordIssueCode;
  readonly severity: 'error' | 'warning';
  readonly detail: string;
  readonly hint: string;
}

/** The public key a record publishes, normalised to SubjectPublicKeyInfo DER. */
export type RecordPublicKey =
  | {
      readonly algorithm: 'rsa';
      /** How `p=` held it: SPKI (what everyone publishes) or PKCS #1 RSAPublicKey (RFC 6376's text). */
      readonly form: 'spki' | 'pkcs1';
      readonly spki: Uint8Array;
      readonly bits: number;
      /** Magnitude of the modulus, big-endian, no leading zero. */
      readonly modulus: Uint8Array;
      readonly exponent: Uint8Array;
    }
  | {
      readonly algorithm: 'ed25519';
      /** RFC 8463 publishes the raw 32 bytes; an SPKI wrapper is accepted too. */
      readonly form: 'raw' | 'spki';
      readonly spki: Uint8Array;
      readonly bits: 256;
      readonly raw: Uint8Array;
    };

interface RecordCommon {
  /** The record's text: its strings joined, as receivers see it. */
  readonly text: string;
}

/** The tags of a well-formed key record. */
export interface KeyRecordTags {
  readonly version: 'DKIM1' | null;
  readonly keyType: 'rsa' | 'ed25519';
  /** `h=`: acceptable hash algorithms; null when absent (all allowed). */
  readonly hashAlgorithms: readonly string[] | null;
  /** `s=`: service types; `['*']` when absent. */
  readonly serviceTypes: readonly string[];
  /** `t=`: y (testing), s (strict identity) and any unknown flags. */
  readonly flags: { readonly testing: boolean; readonly strict: boolean; readonly other: readonly string[] };
  /** `n=`, decoded from dkim-quoted-printable; null when absent. */
  readonly notes: string | null;
}

/** What one TXT record at a DKIM key name turned out to be. */
export type DkimKeyRecord =
  | (RecordCommon &
      KeyRecordTags & {
        readonly kind: 'key';
        readonly publicKey: RecordPublicKey;
        /** False when an error-level issue (weak key, h= or s= excluding SES) stops SES signing with it. */
        readonly usableForSes: boolean;
        readonly issues: readonly KeyRecordIssue[];
      })
  | (RecordCommon &
      KeyRecordTags & {
        readonly kind: 'revoked';
        readonly issues: readonly KeyRecordIssue[];
      })
  | (RecordCommon & {
      readonly kind: 'invalid';
      readonly code: KeyRecordIssueCode;
      readonly detail: string;
      readonly hint: string;
    })
  | (RecordCommon & { readonly kind: 'not-dkim'; readonly detail: string });

const WSP = /[ \t\r\n]/;
const ALL_WSP = /[ \t\r\n]+/g;
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
// tag-value: tvals of VALCHAR (%x21-3A / %x3C-7E) separated by white space.
const TAG_VALUE = /^[!-:<-~]*(?:[ \t\r\n]+[!-:<-~]+)*$/;
const RUN_TOGETHER = /[ \t\r\n]+[A-Za-z][A-Za-z0-9_]*[ \t\r\n]*=/;
const ED25519_SPKI_PREFIX = /* @__PURE__ */ Uint8Array.of(
  0x30,
  0x2a,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x03,
  0x21,
  0x00,
);

/**
 * Parses one TXT record found at a DKIM key name, the way a receiving mail server reads it
 * (RFC 6376 section 3.6.1, RFC 8463), and diagnoses the usual damage. Never throws for bad
 * data: every outcome is a value.
 */
export function parseDkimKeyRecord(strings: TxtRecordStrings): DkimKeyRecord {
  if (strings.length > MAX_KEY_RECORD_STRINGS) {
    return invalid('', 'RECORD_TOO_LARGE', `${strings.length} strings in one record`, HINTS.RECORD_TOO_LARGE);
  }
  let total = 0;
  for (const s of strings) total += s.length;
  if (total > MAX_KEY_RECORD_LENGTH) {
    return invalid('', 'RECORD_TOO_LARGE', `the record is ${total} octets long`, HINTS.RECORD_TOO_LARGE);
  }
  const parts = strings.map(toText);
  const text = parts.join('');
  const firstLength = parts[0]?.length ?? 0;

  const specs = splitTags(text);
  const first = specs[0];
  if (first === undefined) return { kind: 'not-dkim', text, detail: 'the record is empty' };
  if (first.name === 'v' && first.value !== 'DKIM1') {
    if (/^DKIM1[ \t\r\n]/.test(first.value) && RUN_TOGETHER.test(first.value)) {
      return invalid(text, 'MISSING_SEMICOLON', 'v=DKIM1 runs into the next tag', HINTS.MISSING_SEMICOLON);
    }
    if (/^["\\]*DKIM1["\\]*$/.test(first.value)) {
      return invalid(text, 'ZONE_SYNTAX', 'quotes or backslashes around DKIM1', HINTS.ZONE_SYNTAX);
    }
    return { kind: 'not-dkim', text, detail: `the first tag is v=${shorten(first.value)}, not v=DKIM1` };
  }
  if (!specs.some((spec) => spec.name === 'v' || spec.name === 'p')) {
    const unquoted = text.replace(/["\\]/g, '');
    if (unquoted !== text && splitTags(unquoted).some((spec) => spec.name === 'v' || spec.name === 'p')) {
      return invalid(text, 'ZONE_SYNTAX', 'the record is wrapped in quotes', HINTS.ZONE_SYNTAX);
    }
    return { kind: 'not-dkim', text, detail: 'the record has neither v= nor p=' };
  }
  return parseKeyRecord(text, specs, parts.length, firstLength);
}

interface TagSpec {
  readonly name: string;
  readonly value: string;
  /** The spec as written, for syntax checks. */
  readonly raw: string;
}

// Splits on ';' (VALCHAR excludes it) and on the first '=' of each spec, trimming white space.
function splitTags(text: string): TagSpec[] {
  const specs: TagSpec[] = [];
  const pieces = text.split(';');
  for (let i = 0; i < pieces.length; i++) {
    const raw = pieces[i] as string;
    const equals = raw.indexOf('=');
    if (equals < 0) {
      if (raw.trim() === '' && i === pieces.length - 1) break; // a trailing ';' is allowed
      specs.push({ name: raw.trim(), value: '', raw });
      continue;
    }
    specs.push({ name: raw.slice(0, equals).trim(), value: raw.slice(equals + 1).trim(), raw });
  }
  return specs;
}

function parseKeyRecord(text: string, specs: TagSpec[], stringCount: number, firstLength: number): DkimKeyRecord {
  const tags = new Map<string, string>();
  for (const [index, spec] of specs.entries()) {
    if (!TAG_NAME.test(spec.name) || !spec.raw.includes('=')) {
      if (/["\\]/.test(spec.raw))
        return invalid(text, 'ZONE_SYNTAX', 'quotes or backslashes in a tag', HINTS.ZONE_SYNTAX);
      const what = spec.raw.trim() === '' ? 'an empty tag between semicolons' : `tag ${index + 1} is not name=value`;
      return invalid(text, 'TAG_SYNTAX', what, HINTS.TAG_SYNTAX);
    }
    // p= is checked by the strict base64 decoder, which allows even less than tag-value does.
    if (spec.name !== 'p' && !TAG_VALUE.test(spec.value)) {
      if (/["\\]/.test(spec.value)) {
        return invalid(text, 'ZONE_SYNTAX', `quotes or backslashes in ${spec.name}=`, HINTS.ZONE_SYNTAX);
      }
      return invalid(text, 'TAG_SYNTAX', `${spec.name}= holds a character DKIM does not allow`, HINTS.TAG_SYNTAX);
    }
    if (tags.has(spec.name)) {
      return invalid(text, 'DUPLICATE_TAG', `${spec.name}= appears more than once`, HINTS.DUPLICATE_TAG);
    }
    if (spec.name === 'v' && index !== 0) {
      return invalid(text, 'VERSION_NOT_FIRST', 'v= is present but not the first tag', HINTS.VERSION_NOT_FIRST);
    }
    tags.set(spec.name, spec.value);
  }

  // A tag that swallowed the next one ("k=rsa p=MIIB...") shows white space then name=.
  const p = tags.get('p');
  const pHasSpace = p !== undefined && WSP.test(p);
  for (const name of ['k', 'h', 's', 't', 'p']) {
    const value = tags.get(name);
    const spaced = name === 'p' ? pHasSpace : value !== undefined && WSP.test(value);
    if (spaced && RUN_TOGETHER.test(value as string)) {
      return invalid(text, 'MISSING_SEMICOLON', `${name}= runs into the next tag`, HINTS.MISSING_SEMICOLON);
    }
  }
  const keyTypeValue = tags.get('k') ?? 'rsa';
  if (keyTypeValue !== 'rsa' && keyTypeValue !== 'ed25519') {
    return invalid(
      text,
      'KEY_TYPE_UNKNOWN',
      `k=${shorten(keyTypeValue)} is not rsa or ed25519`,
      HINTS.KEY_TYPE_UNKNOWN,
    );
  }
  const issues: KeyRecordIssue[] = [];
  const record: KeyRecordTags = {
    version: tags.has('v') ? 'DKIM1' : null,
    keyType: keyTypeValue,
    hashAlgorithms: tags.has('h') ? colonList(tags.get('h') as string) : null,
    serviceTypes: tags.has('s') ? colonList(tags.get('s') as string) : ['*'],
    flags: flagsOf(tags.get('t')),
    notes: tags.has('n') ? decodeQuotedPrintable(tags.get('n') as string) : null,
  };
  if (record.hashAlgorithms !== null && !record.hashAlgorithms.includes('sha256')) {
    issues.push(issue('HASH_EXCLUDES_SHA256', 'error', `h=${record.hashAlgorithms.join(':')} does not allow sha256`));
  }
  if (!record.serviceTypes.includes('email') && !record.serviceTypes.includes('*')) {
    issues.push(issue('SERVICE_EXCLUDES_EMAIL', 'error', `s=${record.serviceTypes.join(':')} excludes email`));
  }
  if (record.flags.testing) issues.push(issue('TESTING', 'warning', 't=y: the domain says it is testing DKIM'));

  if (p === undefined) return invalid(text, 'KEY_MISSING', 'the record has no p= tag', HINTS.KEY_MISSING);
  if (p.includes('-----')) return invalid(text, 'PEM_ARMOUR', 'p= holds PEM armour', HINTS.PEM_ARMOUR);
  const base64 = pHasSpace ? p.replace(ALL_WSP, '') : p;
  if (base64 !== p) {
    issues.push(issue('SPACE_IN_KEY', 'warning', 'p= contains white space (legal, but some receivers fail on it)'));
  }
  if (base64 === '') return { kind: 'revoked', text, ...record, issues };

  const truncated = stringCount === 1 && firstLength === 255;
  const decoded = decodePublicKey(base64, record.keyType);
  if ('error' in decoded) {
    if (/["\\]/.test(p)) return invalid(text, 'ZONE_SYNTAX', 'quotes or backslashes in p=', HINTS.ZONE_SYNTAX);
    if (!TAG_VALUE.test(p))
      return invalid(text, 'TAG_SYNTAX', 'p= holds a character DKIM does not allow', HINTS.TAG_SYNTAX);
    if (truncated) {
      return invalid(
        text,
        'TRUNCATED_AT_255',
        'the record is exactly 255 octets and its key does not decode',
        HINTS.TRUNCATED_AT_255,
      );
    }
    return invalid(text, decoded.code, decoded.error, HINTS[decoded.code]);
  }
  const publicKey = decoded.key;
  if (publicKey.algorithm === 'rsa') {
    if (publicKey.bits < 1024) {
      issues.push(
        issue('WEAK_KEY', 'error', `RSA key of ${publicKey.bits} bits; receivers refuse keys under 1024 bits`),
      );
    } else if (![1024, 2048, 3072, 4096].includes(publicKey.bits)) {
      issues.push(issue('KEY_SIZE_UNEXPECTED', 'warning', `RSA modulus of ${publicKey.bits} bits`));
    }
  }
  const usableForSes = !issues.some((i) => i.severity === 'error');
  return { kind: 'key', text, ...record, publicKey, usableForSes, issues };
}

type DecodedKey = { key: RecordPublicKey } | { error: string; code: 'KEY_INVALID' | 'KEY_TYPE_MISMATCH' };

function decodePublicKey(base64: string, keyType: 'rsa' | 'ed25519'): DecodedKey {
  let der: Uint8Array;
  try {
    der = base64Decode(base64);
  } catch (error) {
    return { error: `p= is not base64: ${messageOf(error)}`, code: 'KEY_INVALID' };
  }
  if (keyType === 'ed25519') {
    if (der.length === 32)
      return { key: { algorithm: 'ed25519', form: 'raw', spki: ed25519Spki(der), bits: 256, raw: der } };
    if (der.length === 44 && ED25519_SPKI_PREFIX.every((byte, i) => der[i] === byte)) {
      return { key: { algorithm: 'ed25519', form: 'spki', spki: der, bits: 256, raw: der.subarray(12) } };
    }
    const rsa = der.length > 44 && der[0] === 0x30;
    return rsa
      ? { error: 'k=ed25519 but p= holds an RSA key', code: 'KEY_TYPE_MISMATCH' }
      : { error: `an Ed25519 key is 32 bytes; p= holds ${der.length}`, code: 'KEY_INVALID' };
  }
  try {
    const parts = parseRsaPublicKey(der);
    const spki = canonicalRsaSpki(parts);
    return {
      key: {
        algorithm: 'rsa',
        form: parts.form,
        spki,
        bits: parts.bits,
        modulus: parts.modulus,
        exponent: parts.exponent,
      },
    };
  } catch (error) {
    if (error instanceof DkimError && error.code === 'NOT_RSA') {
      return { error: `k=rsa but p= holds another kind of key: ${error.message}`, code: 'KEY_TYPE_MISMATCH' };
    }
    if (der.length === 32)
      return { error: 'p= holds 32 bytes, an Ed25519 key, but k= says rsa', code: 'KEY_TYPE_MISMATCH' };
    return { error: `p= is not an RSA public key: ${messageOf(error)}`, code: 'KEY_INVALID' };
  }
}

function ed25519Spki(raw: Uint8Array): Uint8Array {
  const spki = new Uint8Array(44);
  spki.set(ED25519_SPKI_PREFIX, 0);
  spki.set(raw, 12);
  return spki;
}

function colonList(value: string): string[] {
  return value
    .split(':')
    .map((item) => item.replace(ALL_WSP, ''))
    .filter((item) => item !== '');
}

function flagsOf(value: string | undefined): KeyRecordTags['flags'] {
  const flags = value === undefined ? [] : colonList(value);
  return {
    testing: flags.includes('y'),
    strict: flags.includes('s'),
    other: flags.filter((flag) => flag !== 'y' && flag !== 's'),
  };
}

// dkim-quoted-printable (RFC 6376 section 2.11): =XX escapes, white space ignored.
function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const compact = value.replace(ALL_WSP, '');
  for (let i = 0; i < compact.length; i++) {
    const hex = compact.slice(i + 1, i + 3);
    if (compact[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(compact.charCodeAt(i));
    }
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

function toText(part: string | Uint8Array): string {
  return typeof part === 'string' ? part : latin1(part);
}

function invalid(text: string, code: KeyRecordIssueCode, detail: string, hint: string): DkimKeyRecord {
  return { kind: 'invalid', text, code, detail, hint };
}

function issue(code: KeyRecordIssueCode, severity: 'error' | 'warning', detail: string): KeyRecordIssue {
  return { code, severity, detail, hint: HINTS[code] };
}

function shorten(value: string): string {
  return value.length <= 32 ? value : `${value.slice(0, 29)}...`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What to publish instead, per issue. */
export const KEY_RECORD_HINTS: Readonly<Record<KeyRecordIssueCode, string>> = {
  RECORD_TOO_LARGE: 'A DKIM key record is a few hundred octets; publish only v=DKIM1; k=rsa; p=<key>.',
  TAG_SYNTAX: 'Publish tags as name=value separated by semicolons: v=DKIM1; k=rsa; p=<key>.',
  DUPLICATE_TAG: 'Publish each tag once.',
  VERSION_NOT_FIRST: 'Put v=DKIM1 first, or leave it out.',
  KEY_MISSING: 'Add p=<base64 public key>; an empty p= revokes the key.',
  KEY_TYPE_UNKNOWN: 'Use k=rsa (or k=ed25519), or leave k= out for RSA.',
  KEY_TYPE_MISMATCH: 'Make k= name the algorithm of the key in p=.',
  KEY_INVALID: 'Publish the base64 of the SubjectPublicKeyInfo DER (openssl rsa -pubout -outform DER | base64 -w0).',
  ZONE_SYNTAX:
    'Remove the quotes and backslashes: a DNS panel takes the bare value; quotes belong only in zone files, around each string.',
  PEM_ARMOUR: 'Remove the -----BEGIN/END----- lines and line breaks: p= takes only the base64 between them.',
  TRUNCATED_AT_255:
    'Your DNS provider kept only the first 255 characters; publish the value as several strings of at most 255 characters each (most panels do this when you paste the whole value).',
  MISSING_SEMICOLON: 'Separate tags with semicolons: v=DKIM1; k=rsa; p=<key>.',
  WEAK_KEY: 'Generate a 2048-bit key; receivers refuse RSA keys under 1024 bits (RFC 8301).',
  HASH_EXCLUDES_SHA256: 'Remove h= or include sha256 (h=sha256): SES signs with rsa-sha256.',
  SERVICE_EXCLUDES_EMAIL: 'Remove s= or use s=email.',
  SPACE_IN_KEY: 'Publish p= without spaces; split long values into several strings instead.',
  KEY_SIZE_UNEXPECTED:
    'An unusual modulus size often means a damaged or hand-edited key; republish it from the key file.',
  TESTING: 'Remove t=y once DKIM works.',
};
const HINTS = KEY_RECORD_HINTS;
