// Parsing one TXT record at a DKIM key name into a DkimKeyRecord: size limits, then tags, then key.
import { latin1 } from '../text.js';
import type { NormalizedKey } from './expected-key.js';
import {
  fault,
  KEY_RECORD_HINTS,
  type KeyRecordFault,
  type KeyRecordIssue,
  type KeyRecordIssueCode,
  shorten,
} from './issues.js';
import { type RecordPublicKey, readKeyData } from './key-data.js';
import { findRunTogether, hasZoneQuoting, RUN_TOGETHER, readTagList, splitTags, type TagSpec } from './tag-list.js';
import { type KeyRecordTags, readTagValues } from './tags.js';

export {
  KEY_RECORD_HINTS,
  KEY_RECORD_ISSUE_CODES,
  type KeyRecordIssue,
  type KeyRecordIssueCode,
} from './issues.js';
export type { RecordPublicKey } from './key-data.js';
export type { KeyRecordTags } from './tags.js';

/** The character-strings of one TXT record, as DNS returned them (bytes) or as text. */
export type TxtRecordStrings = readonly (string | Uint8Array)[];

/** A record longer than this (all strings joined) is refused before it is parsed. */
export const MAX_KEY_RECORD_LENGTH = 8192;
/** More strings than this in one record is refused before it is parsed. */
export const MAX_KEY_RECORD_STRINGS = 64;

interface RecordCommon {
  /** The record's text: its strings joined, as receivers see it. */
  readonly text: string;
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

/**
 * Parses one TXT record found at a DKIM key name, the way a receiving mail server reads it
 * (RFC 6376 section 3.6.1, RFC 8463), and diagnoses the usual damage. Never throws for bad
 * data: every outcome is a value.
 *
 * @example
 * ```ts
 * const record = parseDkimKeyRecord(['v=DKIM1; k=rsa; ', 'p=MIIBIjANBgkqhkiG9w0B...']); // one TXT record's strings
 * if (record.kind === 'key') record.publicKey.bits; // 2048
 * else if (record.kind === 'invalid') [record.code, record.hint]; // e.g. 'TRUNCATED_AT_255' and what to publish instead
 * ```
 */
export function parseDkimKeyRecord(strings: TxtRecordStrings): DkimKeyRecord {
  return parseKeyRecordExpecting(strings, undefined);
}

/** What {@link parseKeyRecordExpecting} noticed on the way, for the verdict. */
export interface ParseNotes {
  /** Set when the record's `p=` was exactly the expected key's text, so its key is that key. */
  publishesExpected: boolean;
}

/**
 * {@link parseDkimKeyRecord} knowing the key the record should publish: a `p=` that is exactly
 * that key's text is not decoded again (the outcome is the same; a differential test pins it),
 * and `notes`, when given, learns that the key needs no comparing either.
 */
export function parseKeyRecordExpecting(
  strings: TxtRecordStrings,
  expected: NormalizedKey | undefined,
  notes?: ParseNotes,
): DkimKeyRecord {
  if (strings.length > MAX_KEY_RECORD_STRINGS) {
    return invalid('', fault('RECORD_TOO_LARGE', `${strings.length} strings in one record`));
  }
  let total = 0;
  for (const s of strings) total += s.length;
  if (total > MAX_KEY_RECORD_LENGTH) {
    return invalid('', fault('RECORD_TOO_LARGE', `the record is ${total} octets long`));
  }
  // Concatenated rather than mapped and joined: no array of parts for one or two strings.
  let text = '';
  for (const s of strings) text += toText(s);
  const specs = splitTags(text);
  const notKey = classifyNonKey(text, specs);
  if (notKey !== undefined) return notKey;
  // A DNS panel that cut the value keeps one string of exactly 255 octets.
  const truncated = strings.length === 1 && total === 255;
  return parseKeyRecord(text, specs, truncated, expected, notes);
}

// Records that are not key records at all (other TXT at the name), or key records wrapped in
// zone-file quoting, told apart before the tags are read.
function classifyNonKey(text: string, specs: readonly TagSpec[]): DkimKeyRecord | undefined {
  const first = specs[0];
  if (first === undefined) return { kind: 'not-dkim', text, detail: 'the record is empty' };
  if (first.name === 'v' && first.value !== 'DKIM1') {
    if (/^DKIM1[ \t\r\n]/.test(first.value) && RUN_TOGETHER.test(first.value)) {
      return invalid(text, fault('MISSING_SEMICOLON', 'v=DKIM1 runs into the next tag'));
    }
    if (/^["\\]*DKIM1["\\]*$/.test(first.value)) {
      return invalid(text, fault('ZONE_SYNTAX', 'quotes or backslashes around DKIM1'));
    }
    return { kind: 'not-dkim', text, detail: `the first tag is v=${shorten(first.value)}, not v=DKIM1` };
  }
  if (!specs.some(isKeyTag)) {
    const unquoted = text.replace(/["\\]/g, '');
    if (hasZoneQuoting(text) && splitTags(unquoted).some(isKeyTag)) {
      return invalid(text, fault('ZONE_SYNTAX', 'the record is wrapped in quotes'));
    }
    return { kind: 'not-dkim', text, detail: 'the record has neither v= nor p=' };
  }
  return undefined;
}

function isKeyTag(spec: TagSpec): boolean {
  return spec.name === 'v' || spec.name === 'p';
}

// Tag-list syntax, then the tag values, then the key data: each step's first fault wins.
function parseKeyRecord(
  text: string,
  specs: readonly TagSpec[],
  truncated: boolean,
  expected: NormalizedKey | undefined,
  notes: ParseNotes | undefined,
): DkimKeyRecord {
  const tags = readTagList(specs);
  if (!(tags instanceof Map)) return invalid(text, tags);
  const p = tags.get('p');
  const published = expected?.published;
  // p= compared with the expected key's text once, here; the steps below are told the answer.
  const publishesExpected = published != null && p === published.base64;
  const runTogether = findRunTogether(tags, publishesExpected ? p : undefined);
  if (runTogether !== undefined) return invalid(text, runTogether);
  const issues: KeyRecordIssue[] = [];
  const record = readTagValues(tags, issues);
  if ('code' in record) return invalid(text, record);
  if (p === undefined) return invalid(text, fault('KEY_MISSING', 'the record has no p= tag'));
  const known = publishesExpected && record.keyType === 'rsa' ? published.parts : undefined;
  const publicKey = readKeyData(p, record.keyType, truncated, issues, known);
  if (publicKey === null) return { kind: 'revoked', text, ...record, issues };
  if ('code' in publicKey) return invalid(text, publicKey);
  const usableForSes = issues.length === 0 || !issues.some((i) => i.severity === 'error');
  // Spelled out rather than spread ({ ...record }): a third of the cost of building the record.
  if (known !== undefined && notes !== undefined) notes.publishesExpected = true;
  return {
    kind: 'key',
    text,
    version: record.version,
    keyType: record.keyType,
    hashAlgorithms: record.hashAlgorithms,
    serviceTypes: record.serviceTypes,
    flags: record.flags,
    notes: record.notes,
    publicKey,
    usableForSes,
    issues,
  };
}

function toText(part: string | Uint8Array): string {
  return typeof part === 'string' ? part : latin1(part);
}

function invalid(text: string, { code, detail }: KeyRecordFault): DkimKeyRecord {
  return { kind: 'invalid', text, code, detail, hint: KEY_RECORD_HINTS[code] };
}
