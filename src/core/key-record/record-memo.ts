// The last key record parsed against each expected key, handed out again as a fresh copy when the next record's text is the same.
import type { NormalizedKey } from './expected-key.js';
import { copyRsaKey } from './key-data.js';
import type { DkimKeyRecord } from './parse.js';

type KeyRecord = Extract<DkimKeyRecord, { kind: 'key' }>;

// A bulk check reads the same record text for identity after identity: parsing is a function of
// the text and the expected key alone (the 255-octet cut matters only to a key that does not
// decode, never to a 'key' outcome), so the outcome is kept, per expected key, for the next one.
const last = new WeakMap<NormalizedKey, KeyRecord>();

/** A copy of the record parsed last from exactly `text` against `expected`, if there is one. */
export function recallKeyRecord(text: string, expected: NormalizedKey): KeyRecord | undefined {
  const record = last.get(expected);
  return record !== undefined && record.text === text ? copyKeyRecord(record) : undefined;
}

/** Keeps a copy of `record` (a caller may change its own) for {@link recallKeyRecord}. */
export function rememberKeyRecord(record: DkimKeyRecord, expected: NormalizedKey): void {
  if (record.kind !== 'key') return;
  const copy = copyKeyRecord(record);
  if (copy !== undefined) last.set(expected, copy);
}

// Its own arrays and bytes, fields in the parser's order: the result equals a
// fresh parse (a differential test pins it) and shares nothing with the kept record.
function copyKeyRecord(record: KeyRecord): KeyRecord | undefined {
  const publicKey = copyRsaKey(record.publicKey);
  if (publicKey === null) return undefined;
  return {
    ...record,
    hashAlgorithms: record.hashAlgorithms && [...record.hashAlgorithms],
    serviceTypes: [...record.serviceTypes],
    flags: { ...record.flags, other: [...record.flags.other] },
    publicKey,
    issues: record.issues.map((issue) => ({ ...issue })),
  };
}
