// An order-keeping concurrent map over an async iterable, with bounded memory.
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
  const window: Promise<O>[] = [];
  const sync = !(Symbol.asyncIterator in inputs);
  const iterator = (sync ? (inputs as Iterable<I>)[Symbol.iterator]() : inputs[Symbol.asyncIterator]()) as
    | AsyncIterator<I>
    | Iterator<I>;
  let index = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && window.length < concurrency) {
        signal?.throwIfAborted();
        // A plain iterable is read without a wait per item (a bulk run has one per identity).
        const next = sync ? (iterator as Iterator<I>).next() : await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const pending = work(next.value, index++);
        // If the consumer stops early, work still in flight must not become an unhandled rejection.
        pending.catch(ignore);
        window.push(pending);
      }
      const head = window.shift();
      if (head === undefined) return;
      const result = await head;
      signal?.throwIfAborted();
      yield result;
    }
  } finally {
    await iterator.return?.();
  }
}

// One function for every identity's guard, not a closure each.
function ignore(): undefined {
  return undefined;
}
