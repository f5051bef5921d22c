// DkimError and the closed list of its codes: every failure the core reports.
/**
 * Every failure the engine reports carries one of these codes. The list is closed:
 * callers may switch on it exhaustively, and a new code is a breaking change.
 */
export const DKIM_ERROR_CODES = [
  'EMPTY_INPUT',
  'INPUT_TOO_LARGE',
  'BASE64_INVALID',
  'PEM_INVALID',
  'DER_INVALID',
  'TRAILING_DATA',
  'NOT_RSA',
  'ENCRYPTED_KEY',
  'PUBLIC_KEY_GIVEN',
  'CERTIFICATE_GIVEN',
  'MULTI_PRIME',
  'KEY_SIZE_UNSUPPORTED',
  'EXPONENT_INVALID',
  'KEY_INCONSISTENT',
  'NOT_PRIME',
  'SELECTOR_INVALID',
  'DOMAIN_INVALID',
  'OPTION_INVALID',
  'MESSAGE_INVALID',
] as const;

/** A stable, machine-readable reason for a {@link DkimError}. */
export type DkimErrorCode = (typeof DKIM_ERROR_CODES)[number];

/**
 * The one error class of dkim-engine. Messages describe the problem and never
 * quote key material: they may be logged and shown to users as they are.
 */
export class DkimError extends Error {
  override readonly name = 'DkimError';
  readonly code: DkimErrorCode;

  constructor(code: DkimErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Type guard that also narrows on the code when one is given. */
export function isDkimError(value: unknown, code?: DkimErrorCode): value is DkimError {
  return value instanceof DkimError && (code === undefined || value.code === code);
}
