// Verification results: the closed list of result codes, the overall result and the RFC 8601 Authentication-Results fragment.

/** The result of one signature, as RFC 8601 names them for `dkim=`. */
export type SignatureResultKind = 'pass' | 'fail' | 'permerror' | 'temperror' | 'policy' | 'neutral';

/** The overall result of a message: `none` when it has no DKIM-Signature. */
export type MessageResultKind = SignatureResultKind | 'none';

/** Why a signature did not pass, grouped by result. The list is closed. */
export const SIGNATURE_CODES = {
  fail: ['BODY_HASH_MISMATCH', 'SIGNATURE_MISMATCH'],
  permerror: [
    'SYNTAX',
    'VERSION_UNSUPPORTED',
    'ALGORITHM_UNSUPPORTED',
    'CANONICALIZATION_UNSUPPORTED',
    'QUERY_METHOD_UNSUPPORTED',
    'FROM_NOT_SIGNED',
    'IDENTITY_MISMATCH',
    'SIGNATURE_EXPIRED',
    'BODY_LENGTH_EXCEEDS',
    'KEY_NOT_FOUND',
    'KEY_REVOKED',
    'KEY_INVALID',
    'KEY_TYPE_MISMATCH',
    'KEY_HASH_MISMATCH',
    'KEY_SERVICE_MISMATCH',
    'KEY_STRICT_IDENTITY',
  ],
  temperror: ['DNS_ERROR'],
  policy: ['KEY_TOO_SMALL', 'SHA1'],
  neutral: ['TOO_MANY_SIGNATURES'],
} as const;

/** A code from {@link SIGNATURE_CODES}. */
export type SignatureCode = (typeof SIGNATURE_CODES)[keyof typeof SIGNATURE_CODES][number];

/** A failed check: its result follows from the code. */
export interface Failure {
  readonly code: SignatureCode;
  readonly message: string;
}

const RESULT_OF = /* @__PURE__ */ (() => {
  const map = new Map<SignatureCode, SignatureResultKind>();
  for (const [result, codes] of Object.entries(SIGNATURE_CODES)) {
    for (const code of codes) map.set(code, result as SignatureResultKind);
  }
  return map;
})();

/** The result a code belongs to. */
export function resultOf(code: SignatureCode): SignatureResultKind {
  return RESULT_OF.get(code) as SignatureResultKind;
}

/** pass if any signature passes; else temperror if any has it; else the first (topmost) signature's result. */
export function overallResult(results: readonly SignatureResultKind[]): MessageResultKind {
  if (results.length === 0) return 'none';
  if (results.includes('pass')) return 'pass';
  if (results.includes('temperror')) return 'temperror';
  return results[0] as SignatureResultKind;
}

/** What a fragment needs from one signature's result. */
export interface ResultForFragment {
  readonly result: SignatureResultKind;
  readonly code?: SignatureCode;
  readonly domain: string;
  readonly selector: string;
  readonly algorithm: string;
  readonly identity?: string;
  /** The `b=` value without white space: its first 8 characters tell signatures apart (RFC 6008). */
  readonly signaturePrefix: string;
}

/**
 * The `dkim=` part of an RFC 8601 Authentication-Results field: one resinfo per signature,
 * separated by `; `, e.g. `dkim=pass header.d=example.com header.s=s1 header.a=rsa-sha256 header.b=AbCdEfGh`.
 */
export function authenticationResults(results: readonly ResultForFragment[]): string {
  if (results.length === 0) return 'dkim=none';
  return results
    .map((r) => {
      const parts = [`dkim=${r.result}`];
      if (r.code !== undefined) parts.push(`reason="${r.code.toLowerCase().replace(/_/g, ' ')}"`);
      if (r.domain !== '') parts.push(`header.d=${propertyValue(r.domain)}`);
      if (r.identity !== undefined) parts.push(`header.i=${propertyValue(r.identity)}`);
      if (r.selector !== '') parts.push(`header.s=${propertyValue(r.selector)}`);
      if (r.algorithm !== '') parts.push(`header.a=${propertyValue(r.algorithm)}`);
      if (r.signaturePrefix !== '') parts.push(`header.b=${propertyValue(r.signaturePrefix.slice(0, 8))}`);
      return parts.join(' ');
    })
    .join('; ');
}

// A property value is a token or a quoted string (RFC 8601 section 2.2): quote anything unusual.
function propertyValue(value: string): string {
  return /^(?:[A-Za-z0-9._+-]*@)?[A-Za-z0-9._+-]+$/.test(value)
    ? value
    : `"${value.replace(/["\\]/g, '\\$&').replace(/[\r\n]/g, '')}"`;
}
