// Bulk verification: many identities through one resolver, in order, with a time budget each.
import { DkimError } from '../core/errors.js';
import { normalizeDomain } from '../core/names.js';
import type { DnsAnswer, Resolver } from '../dns/types.js';
import { iterate, OrderedWindow, type WindowSlot } from './ordered.js';
import {
  type Expectation,
  judgeKeyRecord,
  keyRecordLookup,
  unanswered,
  type VerificationResult,
  verifyIdentity,
} from './verify.js';

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
  const run = new BulkRun<T>(resolver, options.timeBudgetMs ?? 30_000, options.now ?? Date.now, concurrency);
  const { signal, onProgress } = options;
  const { iterator, sync } = iterate(inputs);
  let exhausted = false;
  let done = 0;
  try {
    for (;;) {
      while (!exhausted && run.window.size < concurrency) {
        signal?.throwIfAborted();
        // A plain iterable is read without a wait per item (a bulk run has one per identity).
        const next = sync ? (iterator as Iterator<T>).next() : await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        run.start(next.value);
      }
      if (run.window.size === 0) return;
      // A wait only when the oldest identity is still running: results in input order.
      const wait = run.window.frontSettled();
      if (wait) await wait;
      const result = run.window.take();
      signal?.throwIfAborted();
      done++;
      onProgress?.(done);
      yield result;
    }
  } finally {
    // No timer outlives the run, whatever the input's own clean-up awaits.
    run.stop();
    await iterator.return?.();
  }
}

/** One identity in flight: its window slot, and when its time budget runs out. */
interface Identity<T> extends WindowSlot {
  readonly index: number;
  readonly input: T;
  /** The observation time its result carries. */
  readonly at: number;
  /** Epoch ms past which its result is a TIMEOUT. */
  readonly deadline: number;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The identities of one bulk run, in a window that keeps input order, and their time budget.
 * Each identity is one slot and one callback on its lookup: no promise of its own. The budget
 * is one timer for all: deadlines come in the order identities start, which is the window's
 * order, so the timer is set for the first still running (or an earlier one: it then sets
 * itself again). It is not cleared between identities, only kept from holding the process open
 * while none runs.
 */
class BulkRun<T extends Expectation> {
  readonly window: OrderedWindow<BulkResult<T>, Identity<T>>;
  private next = 0;
  private running = 0;
  private timer: Timer | undefined;

  constructor(
    private readonly resolver: Resolver,
    private readonly budgetMs: number,
    private readonly now: () => number,
    concurrency: number,
  ) {
    this.window = new OrderedWindow(concurrency);
  }

  start(input: T): void {
    const at = this.now();
    // The budget runs on the real clock; with the default clock, one reading serves both.
    const deadline = (this.now === Date.now ? at : Date.now()) + this.budgetMs;
    const identity: Identity<T> = {
      settled: false,
      failed: false,
      value: undefined,
      index: this.next++,
      input,
      at,
      deadline,
    };
    this.window.push(identity);
    if (this.running++ === 0 && this.timer !== undefined) holdOpen(this.timer, true);
    if (this.timer === undefined) this.arm();
    try {
      // BYODKIM in line: the lookup's own promise and one callback on it. Easy DKIM's several
      // lookups are verifyIdentity's.
      const lookup = input.kind === 'byodkim' ? keyRecordLookup(normalizeDomain(input.domain), input) : undefined;
      const pending = lookup
        ? Promise.resolve(this.resolver.resolve(lookup.name, 'TXT'))
        : verifyIdentity(input, this.resolver, { now: at });
      pending.then(
        (answer) => {
          if (identity.settled) return; // over its budget already
          let result: VerificationResult;
          try {
            result = lookup ? judgeKeyRecord(lookup, answer as DnsAnswer<'TXT'>, at) : (answer as VerificationResult);
          } catch (error) {
            return this.failed(identity, error);
          }
          this.judged(identity, result);
        },
        (error: unknown) => this.failed(identity, error),
      );
    } catch (error) {
      this.failed(identity, error);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private judged(identity: Identity<T>, result: VerificationResult): void {
    this.finish(identity, { index: identity.index, input: identity.input, result });
  }

  /** A DkimError is the identity's own outcome; anything else is thrown where its result is due. */
  private failed(identity: Identity<T>, error: unknown): void {
    if (error instanceof DkimError) this.finish(identity, { index: identity.index, input: identity.input, error });
    else this.finish(identity, error, true);
  }

  /** The identity got its outcome (unless it had one). With none left running, the timer holds nothing open. */
  private finish(identity: Identity<T>, outcome: unknown, failed?: boolean): void {
    if (this.window.settle(identity, outcome, failed) && --this.running === 0 && this.timer !== undefined) {
      holdOpen(this.timer, false);
    }
  }

  private arm(): void {
    const window = this.window;
    let i = 0;
    while (i < window.size && window.at(i).settled) i++;
    const deadline = i < window.size ? window.at(i).deadline : undefined;
    this.timer =
      deadline === undefined ? undefined : setTimeout(() => this.sweep(), Math.max(0, deadline - Date.now()));
  }

  private sweep(): void {
    const now = Date.now();
    const detail = `no verdict within the time budget of ${this.budgetMs} ms`;
    for (let i = 0; i < this.window.size; i++) {
      const identity = this.window.at(i);
      if (identity.settled) continue;
      if (identity.deadline > now) break;
      this.judged(identity, unanswered(identity.input.domain, 'TIMEOUT', detail, identity.at));
    }
    this.arm();
  }
}

// Node's timers can stop holding the process open (unref); a browser's (numbers) have nothing to hold.
function holdOpen(timer: Timer, hold: boolean): void {
  (timer as { ref?: () => void; unref?: () => void })[hold ? 'ref' : 'unref']?.();
}
