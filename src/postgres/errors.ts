// Which PostgreSQL and socket failures mean "the database is away, retry later", mapped to the
// store's typed retryable error; anything else is a bug and passes through unchanged.
import { StoreError, StoreUnavailableError } from '../ses/persistence.js';

/** SQLSTATE classes and codes that a retry can outlive: connection exceptions, lack of resources, shutdowns... */
const UNREACHABLE_STATES = /^(08|53|57P0[1-4])/;
/** ...and serialization failures and deadlocks, which say nothing about the connection. */
const CONTENTION_STATES = /^(40001|40P01)$/;
const RETRYABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** node-postgres reports a lost or unobtainable connection with these messages and no code. */
const RETRYABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout/i;

/** True when `error` says the database could not be reached or went away (the store then backs off). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof StoreError) return false;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_STATES.test(code) || RETRYABLE_ERRNOS.has(code))) return true;
  // AggregateError from a dual-stack connect carries the codes in `errors`.
  const nested = (error as { errors?: unknown[] } | undefined)?.errors;
  if (Array.isArray(nested) && nested.some(isUnreachable)) return true;
  return typeof message === 'string' && RETRYABLE_MESSAGES.test(message);
}

/** True when the same call may succeed later: the database was unreachable, or lost a race. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof StoreError) return error.retryable;
  const code = (error as { code?: unknown } | undefined)?.code;
  return isUnreachable(error) || (typeof code === 'string' && CONTENTION_STATES.test(code));
}

/** Maps a failure to the store's errors: retryable ones become StoreUnavailableError. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError || !isRetryable(error)) return error;
  const { code, message } = error as { code?: string; message?: string };
  return new StoreUnavailableError(`PostgreSQL is unavailable: ${code ?? ''} ${message ?? ''}`.trim(), {
    cause: error,
  });
}
