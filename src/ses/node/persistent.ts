// The server's backends over a DocumentStore: identities and configuration sets per region (keys
// `<region>/<name>`), provider keys published again on start, and checks claimed by a worker.
import { backendOver } from '../backend.js';
import { type CheckWorker, createCheckWorker, startCheckWorker } from '../check-worker.js';
import { republishProviderKeys } from '../dkim-signing.js';
import { documentIdentityStore, joinRecord } from '../document-identities.js';
import type { DocumentStore, JsonValue } from '../persistence.js';
import {
  type ConfigurationSetRecord,
  createBackendState,
  type SesBackendState,
  type SesV2BackendOptions,
} from '../state.js';
import type { RegionBackends } from './regions.js';

/** Options of {@link persistentBackends}. */
export interface PersistentBackendOptions {
  readonly store: DocumentStore;
  /** serve --check-every: an open window is due once its last check is this old. */
  readonly checkEvery?: number;
  /** The lease of a claimed check (ms); default 30 s. */
  readonly leaseMs?: number;
  readonly now: () => number;
  readonly onError?: (error: unknown) => void;
}

/** What the server composes: the backend factory, the worker, and the start-up and loop hooks. */
export interface PersistentBackends {
  /** Makes a region's backend over the store (`createBackend` of startSesServer). */
  backend(options: SesV2BackendOptions): object;
  readonly worker: CheckWorker;
  /** Creates the backend of every region the store holds, and publishes their provider keys again. */
  load(regions: RegionBackends<object>): Promise<void>;
  /** Starts the worker loop (checks on the cadence); returns its stop function. */
  startLoop(idleMs: number): () => Promise<void>;
}

/** Backends whose identities live in `store`, checked by claims so several processes can share it. */
export function persistentBackends(options: PersistentBackendOptions): PersistentBackends {
  const states = new Map<string, SesBackendState>();
  const checks = options.checkEvery === undefined ? {} : { recheckAfterMs: options.checkEvery };
  let regionsRef: RegionBackends<object> | undefined;
  const stateFor = (region: string): SesBackendState | undefined => {
    if (!states.has(region)) {
      try {
        regionsRef?.get(region); // a region another process created: make its backend here too
      } catch {
        return undefined;
      }
    }
    return states.get(region);
  };
  const workerOptions = {
    store: options.store,
    stateFor,
    now: options.now,
    checks,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  };
  const worker = createCheckWorker(workerOptions);
  return {
    backend(backendOptions) {
      const region = backendOptions.region ?? 'us-east-1';
      const store = documentIdentityStore(options.store, { prefix: region, checks });
      const persistConfigurationSet = async (name: string, set: ConfigurationSetRecord | null) => {
        if (set) await options.store.put('configurationSets', `${region}/${name}`, set as unknown as JsonValue);
        else await options.store.delete('configurationSets', `${region}/${name}`);
      };
      const state = createBackendState({ ...backendOptions, store, persistConfigurationSet });
      states.set(region, state);
      return backendOver(state);
    },
    worker,
    async load(regions) {
      regionsRef = regions;
      for (const stored of await options.store.list('identities')) {
        const region = stored.key.slice(0, stored.key.indexOf('/'));
        const state = stateFor(region);
        if (!state) continue;
        republishProviderKeys(state, await joinRecord(options.store, stored.key, stored));
      }
      for (const stored of await options.store.list('configurationSets')) {
        const slash = stored.key.indexOf('/');
        const set = stored.doc as unknown as ConfigurationSetRecord;
        stateFor(stored.key.slice(0, slash))?.configurationSets.set(set.name, set);
      }
    },
    startLoop(idleMs) {
      const loop = startCheckWorker({ ...workerOptions, idleMs }, worker);
      return () => loop.stop();
    },
  };
}
