// Tag values of a key record: k=, h=, s=, t= and n= read into KeyRecordTags, with SES's objections.
import { fault, issue, type KeyRecordFault, type KeyRecordIssue, shorten } from './issues.js';
import { ALL_WSP } from './tag-list.js';

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

/** The tag values read, or KEY_TYPE_UNKNOWN; issues found in h=, s= and t= are pushed to `issues`. */
export function readTagValues(
  tags: ReadonlyMap<string, string>,
  issues: KeyRecordIssue[],
): KeyRecordTags | KeyRecordFault {
  const keyType = tags.get('k') ?? 'rsa';
  if (keyType !== 'rsa' && keyType !== 'ed25519') {
    return fault('KEY_TYPE_UNKNOWN', `k=${shorten(keyType)} is not rsa or ed25519`);
  }
  const h = tags.get('h');
  const s = tags.get('s');
  const n = tags.get('n');
  const record: KeyRecordTags = {
    version: tags.has('v') ? 'DKIM1' : null,
    keyType,
    hashAlgorithms: h !== undefined ? colonList(h) : null,
    serviceTypes: s !== undefined ? colonList(s) : ['*'],
    flags: flagsOf(tags.get('t')),
    notes: n !== undefined ? decodeQuotedPrintable(n) : null,
  };
  if (record.hashAlgorithms !== null && !record.hashAlgorithms.includes('sha256')) {
    issues.push(issue('HASH_EXCLUDES_SHA256', 'error', `h=${record.hashAlgorithms.join(':')} does not allow sha256`));
  }
  if (!record.serviceTypes.includes('email') && !record.serviceTypes.includes('*')) {
    issues.push(issue('SERVICE_EXCLUDES_EMAIL', 'error', `s=${record.serviceTypes.join(':')} excludes email`));
  }
  if (record.flags.testing) issues.push(issue('TESTING', 'warning', 't=y: the domain says it is testing DKIM'));
  return record;
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
