// SES v2 exceptions with their HTTP status, and the SES layer's own coded errors.
/** The SES v2 exceptions the identity operations raise, with their HTTP status. */
export const SES_EXCEPTIONS = {
  BadRequestException: 400,
  NotFoundException: 404,
  AlreadyExistsException: 400,
  LimitExceededException: 400,
  TooManyRequestsException: 429,
  ConcurrentModificationException: 500,
  /** A message whose custom MAIL FROM domain is not verified, with BehaviorOnMxFailure REJECT_MESSAGE. */
  MailFromDomainNotVerifiedException: 400,
} as const;

export type SesExceptionName = keyof typeof SES_EXCEPTIONS;

/**
 * An SES v2 exception: `name` is the exception's name as the SDK reports it, so emulators and
 * their users can tell them apart exactly as with the real service.
 */
export class SesException extends Error {
  override readonly name: SesExceptionName;
  readonly httpStatus: number;
  readonly $fault: 'client' | 'server';

  constructor(name: SesExceptionName, message: string) {
    super(message);
    this.name = name;
    this.httpStatus = SES_EXCEPTIONS[name];
    this.$fault = this.httpStatus >= 500 ? 'server' : 'client';
  }
}

export const badRequest = (message: string) => new SesException('BadRequestException', message);

/** The codes of the SES layer's own errors (the core's own are DkimErrorCode). */
export type SesErrorCode = 'KEY_ROTATION_TOO_SOON';

/**
 * SES refuses a key-length change within a day of the last key generation: a BadRequestException
 * to SDK clients, with code KEY_ROTATION_TOO_SOON for callers of the lifecycle functions.
 */
export class KeyRotationTooSoonError extends SesException {
  readonly code: SesErrorCode = 'KEY_ROTATION_TOO_SOON';

  constructor(message: string) {
    super('BadRequestException', message);
  }
}
