// An order-keeping window of concurrent work (bulk checks, the CLI's list check), with bounded memory.

/** One unit of work in an {@link OrderedWindow}: settled once, by a value or by an error. */
export interface WindowSlot {
  settled: boolean;
  /** Then `value` is an error, thrown where the slot is taken, so it surfaces in input order. */
  failed: boolean;
  value: unknown;
}

/**
 * Work in flight, in input order: slots are pushed as work starts, settled as it ends (in any
 * order) and taken from the front in the order pushed. No promise is made per slot: the
 * consumer waits on one only when the front slot is not settled yet.
 */
export class OrderedWindow<O, S extends WindowSlot = WindowSlot> {
  // A ring of `capacity` slots: an array shifted at the front and pushed at the back grows
  // its backing store again after every shift.
  private readonly ring: (S | undefined)[];
  private head = 0;
  /** Slots pushed and not yet taken. */
  size = 0;
  private wake: (() => void) | undefined;

  constructor(capacity: number) {
    this.ring = new Array(capacity);
  }

  /** Adds a slot at the back; the window must hold fewer than its capacity. */
  push(slot: S): void {
    this.ring[(this.head + this.size++) % this.ring.length] = slot;
  }

  /** The `i`-th slot from the front, for walks in input order. */
  at(i: number): S {
    return this.ring[(this.head + i) % this.ring.length] as S;
  }

  /** Settles `slot` with a value, or with `failed` an error; false, changing nothing, if it was settled already. */
  settle(slot: S, value: unknown, failed = false): boolean {
    if (slot.settled) return false;
    slot.settled = true;
    slot.failed = failed;
    slot.value = value;
    const wake = this.wake;
    if (wake !== undefined && this.ring[this.head] === slot) {
      this.wake = undefined;
      wake();
    }
    return true;
  }

  /** Nothing if the front slot is settled (no wait: a wait costs a turn), else a promise of when it is. */
  frontSettled(): Promise<void> | undefined {
    if ((this.ring[this.head] as S).settled) return undefined;
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Takes the front slot, which must be settled: its value, or its error thrown. */
  take(): O {
    const slot = this.ring[this.head] as S;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    if (slot.failed) throw slot.value;
    return slot.value as O;
  }
}

/** A sync or async iterator over `inputs`, and whether it is sync (read without a wait per item). */
export function iterate<I>(inputs: Iterable<I> | AsyncIterable<I>): {
  iterator: Iterator<I> | AsyncIterator<I>;
  sync: boolean;
} {
  const sync = !(Symbol.asyncIterator in inputs);
  const iterator = sync
    ? (inputs as Iterable<I>)[Symbol.iterator]()
    : (inputs as AsyncIterable<I>)[Symbol.asyncIterator]();
  return { iterator, sync };
}

/**
 * Maps `inputs` through `work` with at most `concurrency` calls in flight, yielding results in
 * input order. Inputs are pulled lazily, so memory is bounded by `concurrency`, not by the input.
 */
export async function* orderedMap<I, O>(
  inputs: Iterable<I> | AsyncIterable<I>,
  concurrency: number,
  work: (input: I, index: number) => Promise<O>,
  signal?: AbortSignal,
): AsyncGenerator<O> {
  const window = new OrderedWindow<O>(concurrency);
  const { iterator, sync } = iterate(inputs);
  let index = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && window.size < concurrency) {
        signal?.throwIfAborted();
        const next = sync ? (iterator as Iterator<I>).next() : await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const slot: WindowSlot = { settled: false, failed: false, value: undefined };
        window.push(slot);
        // Settled through the window, so work still in flight when the consumer stops early
        // never becomes an unhandled rejection.
        work(next.value, index++).then(
          (value) => window.settle(slot, value),
          (error: unknown) => window.settle(slot, error, true),
        );
      }
      if (window.size === 0) return;
      const wait = window.frontSettled();
      if (wait) await wait;
      const result = window.take();
      signal?.throwIfAborted();
      yield result;
    }
  } finally {
    await iterator.return?.();
  }
}
