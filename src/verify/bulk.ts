// Bulk verification: many identities through one resolver, in order, with a time budget each.
import { DkimError } from '../core/errors.js';
import type { Resolver } from '../dns/types.js';
import { orderedMap } from './ordered.js';
import { type Expectation, unanswered, type VerificationResult, verifyIdentity } from './verify.js';

/** Options of {@link verifyMany}. */
export interface VerifyManyOptions {
  /** Identities checked at once; default 16. */
  readonly concurrency?: number;
  /** Stops pulling new identities; the generator then throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after each identity, with how many are done. */
  readonly onProgress?: (done: number) => void;
  /** Milliseconds one identity may take; past it, its result is a DNS_ERROR (TIMEOUT). Default 30,000. */
  readonly timeBudgetMs?: number;
  /** Observation time; default Date.now() per identity. */
  readonly now?: () => number;
}

/** One identity's outcome in a bulk run: its result, or the error its input caused. */
export type BulkResult<T> =
  | { readonly index: number; readonly input: T; readonly result: VerificationResult }
  | { readonly index: number; readonly input: T; readonly error: DkimError };

/**
 * Verifies many identities with bounded concurrency, yielding results in input order.
 * Input and output are streamed: memory holds at most `concurrency` identities in flight,
 * whatever the number of identities.
 */
export async function* verifyMany<T extends Expectation>(
  inputs: Iterable<T> | AsyncIterable<T>,
  resolver: Resolver,
  options: VerifyManyOptions = {},
): AsyncGenerator<BulkResult<T>> {
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 4096) {
    throw new DkimError('OPTION_INVALID', 'concurrency must be an integer from 1 to 4096');
  }
  const budget = options.timeBudgetMs ?? 30_000;
  const now = options.now ?? Date.now;
  let done = 0;
  for await (const result of orderedMap(
    inputs,
    concurrency,
    (input, index) => checkOne(input, index, resolver, budget, now),
    options.signal,
  )) {
    done++;
    options.onProgress?.(done);
    yield result;
  }
}

async function checkOne<T extends Expectation>(
  input: T,
  index: number,
  resolver: Resolver,
  budget: number,
  now: () => number,
): Promise<BulkResult<T>> {
  const at = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overBudget = new Promise<VerificationResult>((resolve) => {
    timer = setTimeout(
      () => resolve(unanswered(input.domain, 'TIMEOUT', `no verdict within the time budget of ${budget} ms`, at)),
      budget,
    );
  });
  try {
    const result = await Promise.race([verifyIdentity(input, resolver, { now: at }), overBudget]);
    return { index, input, result };
  } catch (error) {
    if (error instanceof DkimError) return { index, input, error };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
