// The check worker over a shared DocumentStore: claims due identities in bounded batches with a
// lease, runs their checks, and completes them at the claimed version, so a late answer never rewinds state.
import { republishProviderKeys } from './dkim-signing.js';
import { identityDocument, joinRecords } from './document-identities.js';
import type { IdentityRecord } from './identity.js';
import { type CheckAllOptions, checkRecord, recordNextCheckAt } from './operations/checks.js';
import {
  type Claim,
  type CompleteItem,
  type CompleteOutcome,
  DEFAULT_LEASE_MS,
  type DocumentStore,
  isRetryableStoreError,
  StoreError,
} from './persistence.js';
import { runBounded } from './pool.js';
import type { SesBackendState } from './state.js';

/** Options of {@link startCheckWorker} and {@link createCheckWorker}. */
export interface CheckWorkerOptions {
  readonly store: DocumentStore;
  /** The backend state of a region (identity keys are `<region>/<identity>`); undefined: not served here. */
  readonly stateFor: (region: string) => SesBackendState | undefined;
  /** The clock that decides what is due; default Date.now. */
  readonly now?: () => number;
  /** Identities claimed at once (three batches are in flight): memory stays flat whatever the store holds. Default 200. */
  readonly batchSize?: number;
  /** How long a claim is this worker's; a worker that dies loses its checks after it. Default 30 s. */
  readonly leaseMs?: number;
  /** Checks run at once within a batch; default 64. */
  readonly concurrency?: number;
  /** Names this worker in the store's leases; default a random id. */
  readonly workerId?: string;
  /** The scheduling rule (serve --check-every). */
  readonly checks?: CheckAllOptions;
  /** With nothing due, look again after this long (a NOTIFY wakes the worker sooner); default 1 s. */
  readonly idleMs?: number;
  /** After a retryable store error, wait this long, doubling up to `maxBackoffMs`; default 100 ms. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Sees store errors and failed checks. */
  readonly onError?: (error: unknown) => void;
  /** Sees each completed check: the key, the claimed version and what became of it. */
  readonly onComplete?: (key: string, claimedVersion: number, outcome: CompleteOutcome) => void;
}

/** A check worker. */
export interface CheckWorker {
  /** Claims and checks until nothing is due; resolves to how many identities this call checked. */
  drain(): Promise<number>;
  /** Identities this worker has checked (applied) since it was made. */
  readonly checked: number;
  /** Stops the loop of {@link startCheckWorker}; waits for the batch in flight. */
  stop(): Promise<void>;
}

// The bench's figures (README, Outgrowing one machine) are for these.
const DEFAULT_BATCH_SIZE = 200;
const DEFAULT_CONCURRENCY = 64;

const randomId = () => `worker-${Math.random().toString(36).slice(2, 10)}`;

/** One claim's check on its joined record: the completion to write, with whether a check ran. */
async function checkClaim(
  options: CheckWorkerOptions,
  state: SesBackendState,
  claim: Claim,
  record: IdentityRecord,
  at: number,
): Promise<{ item: CompleteItem; ran: boolean }> {
  republishProviderKeys(state, record);
  const checked = await checkRecord(state, record, at, options.checks);
  const next = checked ?? record;
  const item = {
    key: claim.key,
    claimedVersion: claim.version,
    // Not copied: `next` is this check's own record, and the store serializes the document at once.
    doc: identityDocument(next),
    nextCheckAt: recordNextCheckAt(next, options.checks),
  };
  return { item, ran: checked !== null };
}

/** A claimed batch, joined with its secrets: what the checks need. */
interface Prepared {
  readonly at: number;
  readonly claimed: number;
  readonly served: readonly { claim: Claim; state: SesBackendState; record: IdentityRecord }[];
}

/** A worker whose {@link CheckWorker.drain} is called by its owner (serve's check route, a test). */
export function createCheckWorker(options: CheckWorkerOptions): CheckWorker {
  const settings = { ...options, workerId: options.workerId ?? randomId() };
  const { store, workerId } = settings;
  const now = options.now ?? Date.now;
  let checked = 0;
  let running: Promise<number> | null = null;
  /** Claims a batch and reads its secrets (one call per collection); others' regions go to `unserved`. */
  const prepare = async (unserved: Claim[]): Promise<Prepared> => {
    const at = now();
    const leaseMs = settings.leaseMs ?? DEFAULT_LEASE_MS;
    const claims = await store.claimDue(at, settings.batchSize ?? DEFAULT_BATCH_SIZE, leaseMs, workerId);
    const served: { claim: Claim; state: SesBackendState }[] = [];
    for (const claim of claims) {
      const slash = claim.key.indexOf('/');
      const state = slash > 0 ? settings.stateFor(claim.key.slice(0, slash)) : undefined;
      if (state) served.push({ claim, state });
      else unserved.push(claim);
    }
    const records = await joinRecords(
      store,
      served.map(({ claim }) => ({ key: claim.key, version: claim.version, doc: claim.doc })),
    );
    return {
      at,
      claimed: claims.length,
      served: served.map((s, i) => ({ ...s, record: records[i] as IdentityRecord })),
    };
  };
  /** Runs a batch's checks, `concurrency` at a time; a check that throws leaves its claim to its lease. */
  const check = async ({ at, served }: Prepared) => {
    const done: { item: CompleteItem; ran: boolean }[] = [];
    await runBounded(served, settings.concurrency ?? DEFAULT_CONCURRENCY, async ({ claim, state, record }) => {
      try {
        done.push(await checkClaim(settings, state, claim, record, at));
      } catch (error) {
        settings.onError?.(error); // the claim stays leased: another worker takes it once the lease ends
      }
    });
    return done;
  };
  /** Completes a checked batch in one call, each only at its claimed version; resolves to the checks applied. */
  const complete = async (done: readonly { item: CompleteItem; ran: boolean }[]): Promise<number> => {
    const outcomes = done.length === 0 ? [] : await store.completeMany(done.map((d) => d.item));
    let applied = 0;
    for (const [i, outcome] of outcomes.entries()) {
      const { item, ran } = done[i] as { item: CompleteItem; ran: boolean };
      settings.onComplete?.(item.key, item.claimedVersion, outcome);
      if (ran && outcome.status === 'applied') applied++;
    }
    checked += applied;
    return applied;
  };
  /**
   * A pipeline of three batches at most: one claimed (with its secrets) while one is checked and
   * the one before completes. Should a step fail, the claims in flight are left to their leases.
   */
  const drain = async () => {
    let total = 0;
    // Claims of regions not served here are held until the drain ends (released then, so another
    // worker takes them at once): given back sooner, this drain would claim them again and again.
    const unserved: Claim[] = [];
    const quiet = <T>(promise: Promise<T>) => {
      promise.catch(() => {});
      return promise;
    };
    let completing = Promise.resolve(0);
    let next = quiet(prepare(unserved));
    let early = false;
    try {
      for (;;) {
        let batch = await next;
        if (batch.claimed === 0 && early) {
          // That claim was made before the batches in flight completed, and may have missed what
          // they made due again (a stale completion whose identity an API write rescheduled).
          total += await completing;
          completing = Promise.resolve(0);
          early = false;
          batch = await prepare(unserved);
        }
        if (batch.claimed === 0) return total + (await completing);
        next = quiet(prepare(unserved));
        early = true;
        const done = await check(batch);
        total += await completing;
        completing = quiet(complete(done));
      }
    } finally {
      await completing.catch(() => 0);
      await Promise.all(unserved.map((c) => store.release(c.key, c.version, workerId).catch(() => false)));
    }
  };
  return {
    drain() {
      // One drain at a time per worker: a second caller waits for the first, then drains again.
      const run = (running ?? Promise.resolve(0)).catch(() => 0).then(drain);
      running = run;
      return run;
    },
    get checked() {
      return checked;
    },
    stop: async () => {},
  };
}

/**
 * Starts a worker loop: drains due checks, sleeps `idleMs` or until the store signals new work
 * (LISTEN/NOTIFY with PostgreSQL), and backs off on retryable store errors (a database restart).
 * @example
 * const worker = startCheckWorker({ store, stateFor: (region) => states.get(region) });
 * await worker.stop();
 */
export function startCheckWorker(
  options: CheckWorkerOptions,
  worker: CheckWorker = createCheckWorker(options),
): CheckWorker {
  let stopped = false;
  let wake: (() => void) | null = null;
  const unsubscribe = options.store.onWake(() => wake?.());
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  const loop = (async () => {
    let backoff = 0;
    while (!stopped) {
      try {
        await worker.drain();
        backoff = 0;
        await sleep(options.idleMs ?? 1000);
      } catch (error) {
        options.onError?.(error);
        const retryable = isRetryableStoreError(error);
        if (error instanceof StoreError && error.code === 'STORE_CLOSED') return;
        backoff = retryable
          ? Math.min(Math.max(backoff * 2, options.backoffMs ?? 100), options.maxBackoffMs ?? 5000)
          : 1000;
        await sleep(backoff);
      }
    }
  })();
  return {
    drain: () => worker.drain(),
    get checked() {
      return worker.checked;
    },
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
    },
  };
}
