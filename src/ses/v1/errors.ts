// SES v1 (awsQuery) errors: the wire codes, their HTTP status, and how v2 exceptions read in v1.
import { SesException } from '../errors.js';

/**
 * An awsQuery error as SES v1 answers it: `<ErrorResponse><Error><Type>Sender</Type><Code>…`.
 * `code` is the wire code botocore and the JS SDK report (e.g. `InvalidParameterValue`).
 */
export class SesQueryError extends Error {
  override readonly name = 'SesQueryError';

  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }

  /** `Sender` for client faults, `Receiver` for the service's own (AWS's common errors). */
  get type(): 'Sender' | 'Receiver' {
    return this.httpStatus >= 500 ? 'Receiver' : 'Sender';
  }
}

/** AWS's common error text for an unknown action (docs: APIReference/CommonErrors.html). */
export const INVALID_ACTION_MESSAGE =
  'The action or operation requested is invalid. Verify that the action is typed correctly.';

/** `InvalidParameterValue`, SES v1's error for a bad parameter (v2 says BadRequestException). */
export const invalidParameter = (message: string) => new SesQueryError('InvalidParameterValue', message);

/** `MissingParameter` (AWS common errors), for a required parameter that is absent. */
export const missingParameter = (name: string) =>
  new SesQueryError('MissingParameter', `The request must contain the parameter ${name}.`);

/**
 * SES v1's code for a v2 exception. The sending errors keep their names (the ses model's
 * `error.code`); identity-level failures are InvalidParameterValue in v1.
 */
const V1_CODES: Readonly<Record<string, string>> = {
  BadRequestException: 'InvalidParameterValue',
  NotFoundException: 'InvalidParameterValue',
  AlreadyExistsException: 'AlreadyExists',
  LimitExceededException: 'LimitExceeded',
  TooManyRequestsException: 'Throttling',
  ConcurrentModificationException: 'InternalFailure',
  MessageRejected: 'MessageRejected',
  MailFromDomainNotVerifiedException: 'MailFromDomainNotVerifiedException',
};

/** Any error an operation raised, as a v1 error; null for one that is a bug (answered as InternalFailure). */
export function toQueryError(error: unknown): SesQueryError | null {
  if (error instanceof SesQueryError) return error;
  if (error instanceof SesException) {
    const code = V1_CODES[error.name] ?? 'InvalidParameterValue';
    return new SesQueryError(
      code,
      error.message,
      code === 'Throttling' ? 400 : error.httpStatus === 404 ? 400 : error.httpStatus,
    );
  }
  return null;
}
