// Which failures the PostgreSQL store reports as retryable: connection losses and shutdowns, not bugs or conflicts.
import { describe, expect, it } from 'vitest';
import { isRetryable, isUnreachable, toStoreError } from '../../src/postgres/errors.js';
import { StoreConflictError, StoreUnavailableError } from '../../src/ses/persistence.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('PostgreSQL error mapping', () => {
  it('treats connection failures, shutdowns and serialization failures as retryable', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '53300', '40001', '40P01']) {
      expect(isRetryable(withCode(code)), code).toBe(true);
    }
    expect(isRetryable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isRetryable(Object.assign(new AggregateError([withCode('ECONNREFUSED')]), { code: undefined }))).toBe(true);
  });

  it('backs off only for an unreachable database, not for a lost race', () => {
    expect(isUnreachable(withCode('57P01'))).toBe(true);
    expect(isUnreachable(withCode('40P01'))).toBe(false);
    expect(isUnreachable(withCode('40001'))).toBe(false);
  });

  it('passes bugs and conflicts through unchanged', () => {
    for (const code of ['42601', '23505', '22P02', 'ENOENT']) expect(isRetryable(withCode(code)), code).toBe(false);
    const syntax = withCode('42601', 'syntax error');
    expect(toStoreError(syntax)).toBe(syntax);
    const conflict = new StoreConflictError('identities', 'a.com', 1, 2);
    expect(toStoreError(conflict)).toBe(conflict);
  });

  it('wraps a retryable failure in StoreUnavailableError with the original as its cause', () => {
    const refused = withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
    const mapped = toStoreError(refused);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true, cause: refused });
  });
});
