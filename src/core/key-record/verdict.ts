// Judging the TXT records at one key name against the expected key: the shared verdict vocabulary.
import { type ExpectedKey, type NormalizedKey, normalizedAlready, normalizeExpectedKey } from './expected-key.js';
import {
  type DkimKeyRecord,
  type KeyRecordIssueCode,
  type ParseNotes,
  parseKeyRecordExpecting,
  type RecordPublicKey,
  type TxtRecordStrings,
} from './parse.js';

export type { ExpectedKey } from './expected-key.js';

/**
 * The one vocabulary of outcomes shared by record evaluation, the verifier and the CLI.
 * The first group judges the records found; the second judges what DNS said.
 */
export const VERDICTS = [
  'MATCH',
  'VALID',
  'MISMATCH',
  'REVOKED',
  'INVALID',
  'WEAK_KEY',
  'MULTIPLE_RECORDS',
  'NOT_DKIM',
  'NOT_FOUND',
  'CNAME_MISMATCH',
  'CNAME_DANGLING',
  'CNAME_EXPECTED',
  'DNS_ERROR',
] as const;

export type Verdict = (typeof VERDICTS)[number];

/** What `evaluateKeyRecords` concluded about the TXT records at one name. */
export type KeyRecordsVerdict =
  | { readonly verdict: 'MATCH'; readonly detail: string; readonly record: KeyRecordOf<'key'> }
  /** A usable key record, with no expected key to compare it with. */
  | { readonly verdict: 'VALID'; readonly detail: string; readonly record: KeyRecordOf<'key'> }
  | { readonly verdict: 'MISMATCH'; readonly detail: string; readonly record: KeyRecordOf<'key'> }
  | { readonly verdict: 'REVOKED'; readonly detail: string; readonly record: KeyRecordOf<'revoked'> }
  | {
      readonly verdict: 'INVALID';
      readonly code: KeyRecordIssueCode;
      readonly detail: string;
      readonly hint: string;
      readonly record: DkimKeyRecord;
    }
  | {
      readonly verdict: 'WEAK_KEY';
      readonly detail: string;
      readonly hint: string;
      readonly record: KeyRecordOf<'key'>;
    }
  | { readonly verdict: 'MULTIPLE_RECORDS'; readonly detail: string; readonly records: readonly DkimKeyRecord[] }
  | { readonly verdict: 'NOT_DKIM'; readonly detail: string }
  | { readonly verdict: 'NOT_FOUND'; readonly detail: string };

type KeyRecordOf<K extends DkimKeyRecord['kind']> = Extract<DkimKeyRecord, { kind: K }>;

/**
 * Judges all TXT records at one DKIM key name, and compares the key found with the expected
 * one by modulus and exponent (so SPKI and PKCS #1 forms of one key match). Non-DKIM TXT
 * records beside a key record are ignored; several key records is a failure, because
 * receivers may pick any one.
 *
 * @example
 * ```ts
 * const answer = await resolver.resolve('ses2026._domainkey.example.com', 'TXT');
 * if (answer.kind === 'records') {
 *   const result = evaluateKeyRecords(answer.records, parsePrivateKey(pem));
 *   result.verdict; // 'MATCH', or e.g. 'MISMATCH', 'INVALID' (with code and hint), 'MULTIPLE_RECORDS'
 * }
 * ```
 */
export function evaluateKeyRecords(rrset: readonly TxtRecordStrings[], expected?: ExpectedKey): KeyRecordsVerdict {
  const { records, publishing } = parseRecordSet(rrset, expected && normalizedAlready(expected));
  return evaluateParsedRecords(records, expected, publishing);
}

/**
 * The records of one RRset parsed against the key they should publish, with the one (if any)
 * whose `p=` is that key's own text, for {@link evaluateParsedRecords} to skip comparing.
 */
export function parseRecordSet(
  rrset: readonly TxtRecordStrings[],
  known: NormalizedKey | undefined,
): { readonly records: DkimKeyRecord[]; readonly publishing: DkimKeyRecord | undefined } {
  const notes: ParseNotes = { publishesExpected: false };
  let publishing: DkimKeyRecord | undefined;
  const records: DkimKeyRecord[] = [];
  for (const strings of rrset) {
    const record = parseKeyRecordExpecting(strings, known, notes);
    if (notes.publishesExpected) {
      publishing = record;
      notes.publishesExpected = false;
    }
    records.push(record);
  }
  return { records, publishing };
}

/**
 * {@link evaluateKeyRecords} over records already parsed (the verifier shows them too).
 * `publishing` is a record whose parse noted (ParseNotes) that it publishes `expected`'s own
 * text: its key is not compared again.
 */
export function evaluateParsedRecords(
  records: readonly DkimKeyRecord[],
  expected?: ExpectedKey,
  publishing?: DkimKeyRecord,
): KeyRecordsVerdict {
  if (records.length === 0) return { verdict: 'NOT_FOUND', detail: 'no TXT record at this name' };
  // The usual answer is one key record: no copy of the list is made for it.
  const dkim =
    records.length === 1 && records[0]?.kind !== 'not-dkim'
      ? records
      : records.filter((record) => record.kind !== 'not-dkim');
  if (dkim.length === 0) {
    return {
      verdict: 'NOT_DKIM',
      detail: `${records.length === 1 ? 'the TXT record here is' : `all ${records.length} TXT records here are`} not DKIM key records`,
    };
  }
  if (dkim.length > 1) {
    return {
      verdict: 'MULTIPLE_RECORDS',
      detail: `${dkim.length} DKIM key records at one name; receivers may use any one of them`,
      records: dkim,
    };
  }
  const record = dkim[0] as Exclude<DkimKeyRecord, { kind: 'not-dkim' }>;
  switch (record.kind) {
    case 'invalid':
      return { verdict: 'INVALID', code: record.code, detail: record.detail, hint: record.hint, record };
    case 'revoked':
      return { verdict: 'REVOKED', detail: 'the key is revoked (empty p=)', record };
    case 'key':
      return judgeKey(record, expected, record === publishing);
  }
}

function judgeKey(record: KeyRecordOf<'key'>, expected: ExpectedKey | undefined, same: boolean): KeyRecordsVerdict {
  const weak = record.issues.length === 0 ? undefined : record.issues.find((issue) => issue.code === 'WEAK_KEY');
  if (weak) return { verdict: 'WEAK_KEY', detail: weak.detail, hint: weak.hint, record };
  if (expected !== undefined && !same && !sameKey(record.publicKey, expected)) {
    return { verdict: 'MISMATCH', detail: mismatchDetail(record.publicKey), record };
  }
  const blocking = record.issues.length === 0 ? undefined : record.issues.find((issue) => issue.severity === 'error');
  if (blocking) {
    const prefix = expected === undefined ? '' : 'the key matches, but ';
    return {
      verdict: 'INVALID',
      code: blocking.code,
      detail: `${prefix}${blocking.detail}`,
      hint: blocking.hint,
      record,
    };
  }
  if (expected === undefined) {
    return { verdict: 'VALID', detail: `a usable ${describeKey(record.publicKey)} key record`, record };
  }
  return { verdict: 'MATCH', detail: `the record publishes the expected ${describeKey(record.publicKey)} key`, record };
}

function sameKey(found: RecordPublicKey, expected: ExpectedKey): boolean {
  if (found.algorithm !== 'rsa') return false;
  const want = normalizeExpectedKey(expected);
  return bytesEqual(found.modulus, want.modulus) && bytesEqual(found.exponent, want.exponent);
}

// Without a branch per byte: twice as fast over a 256-byte modulus, and keys that match (the
// common case in bulk checks) are compared to the end anyway.
function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = a.length;
  if (length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

function describeKey(key: RecordPublicKey): string {
  return key.algorithm === 'rsa' ? `RSA ${key.bits}-bit` : 'Ed25519';
}

function mismatchDetail(key: RecordPublicKey): string {
  return key.algorithm === 'rsa'
    ? `the record publishes another ${describeKey(key)} key than the expected one`
    : 'the record publishes an Ed25519 key; the expected key is RSA';
}
