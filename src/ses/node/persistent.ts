// The server's backends over a DocumentStore: identities and configuration sets per region (keys
// `<region>/<name>`), provider keys published again on start, the outbox and the amazonses.com keys
// kept, and checks claimed by a worker.

import type { ZoneResolver } from '../../dns/zone.js';
import { type CheckWorker, createCheckWorker, startCheckWorker } from '../check-worker.js';
import { republishProviderKeys } from '../dkim-signing.js';
import { documentIdentityStore, joinRecord } from '../document-identities.js';
import type { DocumentStore, JsonValue } from '../persistence.js';
import type { SesRegions, SesRegionsOptions } from '../regions.js';
import { createStoredOutbox } from '../sending/stored-outbox.js';
import { storedProviderSigners } from '../sending/stored-provider-key.js';
import type { ConfigurationSetRecord, SesBackendState } from '../state.js';

/** Options of {@link persistentBackends}. */
export interface PersistentBackendOptions {
  readonly store: DocumentStore;
  /** Where the provider's amazonses.com keys read from the store are published (the server's provider zone). */
  readonly providerZone?: ZoneResolver;
  /** serve --check-every: an open window is due once its last check is this old. */
  readonly checkEvery?: number;
  /** The lease of a claimed check (ms); default 30 s. */
  readonly leaseMs?: number;
  readonly now: () => number;
  readonly onError?: (error: unknown) => void;
}

/** What the server composes: the regions' store options, the worker, and the start-up and loop hooks. */
export interface PersistentBackends {
  /** Spread into createSesRegions: each region's identities and configuration sets in the store. */
  readonly regionOptions: Pick<SesRegionsOptions, 'storeFor' | 'persistConfigurationSetFor' | 'sending'>;
  readonly worker: CheckWorker;
  /**
   * Binds the regions made with {@link regionOptions}, makes the backend of every region the store
   * holds, publishes their provider keys again and loads their configuration sets and the outbox.
   */
  load(regions: Pick<SesRegions, 'state'>): Promise<void>;
  /** Starts the worker loop (checks on the cadence); returns its stop function. */
  startLoop(idleMs: number): () => Promise<void>;
}

/** Backends whose identities live in `store`, checked by claims so several processes can share it. */
export function persistentBackends(options: PersistentBackendOptions): PersistentBackends {
  const { store } = options;
  const checks = options.checkEvery === undefined ? {} : { recheckAfterMs: options.checkEvery };
  let regions: Pick<SesRegions, 'state'> | undefined;
  // A region another process created gets its backend here on first claim.
  const stateFor = (region: string): SesBackendState | undefined => regions?.state(region);
  const workerOptions = {
    store,
    stateFor,
    now: options.now,
    checks,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  };
  const worker = createCheckWorker(workerOptions);
  const outbox = createStoredOutbox(store);
  return {
    regionOptions: {
      storeFor: (region) => documentIdentityStore(store, { prefix: region, checks }),
      persistConfigurationSetFor: (region) => async (name: string, set: ConfigurationSetRecord | null) => {
        if (set) await store.put('configurationSets', `${region}/${name}`, set as unknown as JsonValue);
        else await store.delete('configurationSets', `${region}/${name}`);
      },
      sending: { outbox, providerFor: storedProviderSigners(store, options.providerZone) },
    },
    worker,
    async load(bound) {
      regions = bound;
      for (const stored of await store.list('identities')) {
        const state = stateFor(stored.key.slice(0, stored.key.indexOf('/')));
        if (state) republishProviderKeys(state, await joinRecord(store, stored.key, stored));
      }
      for (const stored of await store.list('configurationSets')) {
        const set = stored.doc as unknown as ConfigurationSetRecord;
        stateFor(stored.key.slice(0, stored.key.indexOf('/')))?.configurationSets.set(set.name, set);
      }
      await outbox.load();
    },
    startLoop(idleMs) {
      const loop = startCheckWorker({ ...workerOptions, idleMs }, worker);
      return () => loop.stop();
    },
  };
}
