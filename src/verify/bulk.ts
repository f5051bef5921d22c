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
  const budget = new Budget(options.timeBudgetMs ?? 30_000);
  const now = options.now ?? Date.now;
  let done = 0;
  try {
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
  } finally {
    budget.stop();
  }
}

function checkOne<T extends Expectation>(
  input: T,
  index: number,
  resolver: Resolver,
  budget: Budget,
  now: () => number,
): Promise<BulkResult<T>> {
  const at = now();
  // One promise per identity, settled by the check or by the budget, whichever comes first.
  return new Promise<BulkResult<T>>((resolve, reject) => {
    const entry = budget.start(() =>
      resolve({
        index,
        input,
        result: unanswered(input.domain, 'TIMEOUT', `no verdict within the time budget of ${budget.ms} ms`, at),
      }),
    );
    verifyIdentity(input, resolver, { now: at }).then(
      (result) => {
        budget.finish(entry);
        resolve({ index, input, result });
      },
      (error: unknown) => {
        budget.finish(entry);
        if (error instanceof DkimError) resolve({ index, input, error });
        else reject(error);
      },
    );
  });
}

interface Deadline {
  readonly at: number;
  /** Null once the identity is done (in time or not): the entry then holds nothing of it. */
  expire: (() => void) | null;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The time budget of every identity in flight, kept by one timer rather than one each: with
 * one budget for all, deadlines come in the order identities start, so a queue holds them and
 * the timer is set for the first that is still running (or an earlier one: it then sets itself
 * again). Entries done are dropped from the front as they finish, so the queue holds about the
 * identities in flight; the timer is not cleared between identities, only kept from holding
 * the process open while none runs.
 */
class Budget {
  private readonly queue: (Deadline | undefined)[] = [];
  private head = 0;
  private timer: Timer | undefined;
  private running = 0;

  constructor(readonly ms: number) {}

  start(expire: () => void): Deadline {
    const entry: Deadline = { at: Date.now() + this.ms, expire };
    this.queue.push(entry);
    if (this.running++ === 0 && this.timer !== undefined) holdOpen(this.timer, true);
    if (this.timer === undefined) this.arm();
    return entry;
  }

  /** The identity got its verdict in time. With none left running, the timer holds nothing open. */
  finish(entry: Deadline): void {
    if (entry.expire === null) return;
    entry.expire = null;
    this.dropDone();
    if (--this.running === 0 && this.timer !== undefined) holdOpen(this.timer, false);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.head = 0;
    this.running = 0;
  }

  private dropDone(): void {
    const queue = this.queue;
    while (this.head < queue.length && (queue[this.head] as Deadline).expire === null) queue[this.head++] = undefined;
    if (this.head === queue.length) {
      queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > queue.length) {
      queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private arm(): void {
    this.dropDone();
    const next = this.queue[this.head];
    this.timer = next === undefined ? undefined : setTimeout(() => this.sweep(), Math.max(0, next.at - Date.now()));
    if (this.timer !== undefined && this.running === 0) holdOpen(this.timer, false);
  }

  private sweep(): void {
    const now = Date.now();
    for (let i = this.head; i < this.queue.length; i++) {
      const entry = this.queue[i] as Deadline;
      if (entry.at > now) break;
      const expire = entry.expire;
      if (expire !== null) {
        entry.expire = null;
        this.running--;
        expire();
      }
    }
    this.arm();
  }
}

// Node's timers can stop holding the process open (unref); a browser's (numbers) have nothing to hold.
function holdOpen(timer: Timer, hold: boolean): void {
  (timer as { ref?: () => void; unref?: () => void })[hold ? 'ref' : 'unref']?.();
}
