// Following the changes other processes make to a shared store: coalesced by key, applied one at a
// time, and a bounded backlog (past it, one full re-read replaces the pending keys).
import { type DocumentStore, isRetryableStoreError, type StoreChange, StoreError } from './persistence.js';

/** Options of {@link followChanges}. */
export interface FollowOptions {
  readonly store: DocumentStore;
  /** Whether a change concerns what this process keeps in memory; others are not queued. */
  readonly wanted: (change: StoreChange) => boolean;
  /** Re-reads one changed document and updates memory; called at most once at a time. */
  readonly apply: (change: Required<StoreChange>) => Promise<void>;
  /** Re-reads everything this process keeps (notifications were lost). */
  readonly resync: () => Promise<void>;
  /** Most distinct keys waiting; past it they are dropped for one {@link resync}. Default 10,000. */
  readonly maxPending?: number;
  /** How long to wait before retrying after a failure (the database is away); default 1,000 ms. */
  readonly retryMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** A running follower: `ready` resolves once the store listens (or after `waitMs`); `idle` once nothing is pending. */
export interface Follower {
  ready(waitMs: number): Promise<void>;
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Subscribes to `store.onChange` and applies changes in the background. The first report of a
 * (re)connection asks for a resync, except the first one when {@link Follower.ready} was awaited
 * before memory was loaded: nothing could have been missed before it.
 */
export function followChanges(options: FollowOptions): Follower {
  const maxPending = options.maxPending ?? 10_000;
  const pending = new Map<string, Required<StoreChange>>();
  let resyncWanted = false;
  let connected = false;
  let stopped = false;
  let running: Promise<void> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let onConnected: (() => void) | undefined;

  const fail = (error: unknown) => {
    // A closed store ends the follower quietly: the server is shutting down.
    if (error instanceof StoreError && error.code === 'STORE_CLOSED') {
      stopped = true;
      return;
    }
    if (!isRetryableStoreError(error)) options.onError?.(error);
    resyncWanted = true;
    retry = setTimeout(() => {
      retry = undefined;
      kick();
    }, options.retryMs ?? 1_000);
    retry.unref?.();
  };

  const drain = async () => {
    while (!stopped && (resyncWanted || pending.size > 0)) {
      if (resyncWanted) {
        resyncWanted = false;
        pending.clear();
        await options.resync();
        continue;
      }
      const [id, change] = pending.entries().next().value as [string, Required<StoreChange>];
      pending.delete(id);
      await options.apply(change);
    }
  };

  const kick = () => {
    if (running || retry || stopped) return;
    running = drain()
      .catch(fail)
      .finally(() => {
        running = undefined;
        if (!retry && (resyncWanted || pending.size > 0)) kick();
      });
  };

  const unsubscribe =
    options.store.onChange?.((change) => {
      if (change.collection === undefined || change.key === undefined) {
        // The first connection after ready() was awaited needs no resync; any later one does.
        if (!connected && onConnected) {
          connected = true;
          onConnected();
          return;
        }
        connected = true;
        resyncWanted = true;
      } else if (!options.wanted(change)) return;
      else if (pending.size >= maxPending) resyncWanted = true;
      else pending.set(`${change.collection}\u0000${change.key}`, change as Required<StoreChange>);
      kick();
    }) ?? (() => {});

  return {
    ready(waitMs) {
      if (connected || !options.store.onChange) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          // Not listening yet: the first connection, when it comes, must resync.
          onConnected = undefined;
          resolve();
        }, waitMs);
        timer.unref?.();
        onConnected = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      unsubscribe();
    },
  };
}
