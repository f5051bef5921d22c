// Key-record issues: the closed list of codes, the issue shape and the hint for each code.

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

/** A problem that makes the record invalid: the parser turns it into an `invalid` record. */
export interface KeyRecordFault {
  readonly code: KeyRecordIssueCode;
  readonly detail: string;
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

/** An issue with its hint. */
export function issue(code: KeyRecordIssueCode, severity: 'error' | 'warning', detail: string): KeyRecordIssue {
  return { code, severity, detail, hint: KEY_RECORD_HINTS[code] };
}

/** A fault: the record is invalid. */
export function fault(code: KeyRecordIssueCode, detail: string): KeyRecordFault {
  return { code, detail };
}

/** A value cut to 32 characters, for details that quote what a record holds. */
export function shorten(value: string): string {
  return value.length <= 32 ? value : `${value.slice(0, 29)}...`;
}
