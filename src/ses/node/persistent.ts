// The server's backends over a DocumentStore: identities and configuration sets per region (keys
// `<region>/<name>`), provider keys published again on start, the outbox and the amazonses.com keys
// kept, checks claimed by a worker, and what other processes sharing the store change followed.

import type { ZoneResolver } from '../../dns/zone.js';
import { type CheckWorker, createCheckWorker, startCheckWorker } from '../check-worker.js';
import { republishProviderKeys } from '../dkim-signing.js';
import { documentIdentityStore, joinRecord, joinRecords } from '../document-identities.js';
import type { IdentityRecord } from '../identity.js';
import type { DocumentStore, JsonValue } from '../persistence.js';
import { type Follower, followChanges } from '../persistence-follow.js';
import type { SesRegions, SesRegionsOptions } from '../regions.js';
import { createStoredOutbox } from '../sending/stored-outbox.js';
import { providerKeyRegion, storedProviderSigners } from '../sending/stored-provider-key.js';
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

/** The regions {@link PersistentBackends.load} binds: with `regions()`, a resync also drops what is gone. */
type LoadedRegions = Pick<SesRegions, 'state'> & Partial<Pick<SesRegions, 'regions'>>;

/** What the server composes: the regions' store options, the worker, and the start-up and loop hooks. */
export interface PersistentBackends {
  /** Spread into createSesRegions: each region's identities and configuration sets in the store. */
  readonly regionOptions: Pick<SesRegionsOptions, 'storeFor' | 'persistConfigurationSetFor' | 'sending'>;
  readonly worker: CheckWorker;
  /**
   * Binds the regions made with {@link regionOptions}, makes the backend of every region the store
   * holds, publishes their provider keys again and loads their configuration sets and the outbox;
   * from then on follows what other processes sharing the store change there. Call once.
   */
  load(regions: LoadedRegions): Promise<void>;
  /** Starts the worker loop (checks on the cadence); returns its stop function. */
  startLoop(idleMs: number): () => Promise<void>;
}

/** Identities whose provider keys are read in one call when loading. */
const LOAD_BATCH = 500;

/** The region and name of a `<region>/<name>` key. */
function splitKey(key: string): [region: string, name: string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** The provider-zone names an Easy DKIM record's keys are published at. */
const publishedNames = (record: IdentityRecord): string[] =>
  record.hostedZone && record.providerKeys
    ? record.tokens.filter((_, i) => record.providerKeys?.[i] !== undefined).map((t) => `${t}.${record.hostedZone}`)
    : [];

/** Backends whose identities live in `store`, checked by claims so several processes can share it. */
export function persistentBackends(options: PersistentBackendOptions): PersistentBackends {
  const { store } = options;
  const checks = options.checkEvery === undefined ? {} : { recheckAfterMs: options.checkEvery };
  let regions: LoadedRegions | undefined;
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
  const providerSigners = storedProviderSigners(store, options.providerZone);
  // The Easy DKIM names published per identity key (space-separated: one string per identity is the
  // least memory), so an identity deleted by another process is unpublished here.
  const published = new Map<string, string>();
  const track = (key: string, record: IdentityRecord) => {
    const names = publishedNames(record);
    if (names.length > 0) published.set(key, names.join(' '));
    else published.delete(key);
  };
  const republish = (key: string, record: IdentityRecord | undefined) => {
    const state = stateFor(splitKey(key)[0]);
    const zone = state?.options.providerZone;
    if (!state || !zone) return;
    const names = record ? publishedNames(record) : [];
    for (const name of published.get(key)?.split(' ') ?? []) if (!names.includes(name)) zone.remove(name);
    if (record) republishProviderKeys(state, record);
    track(key, record ?? ({ tokens: [] } as unknown as IdentityRecord));
  };
  const followIdentity = async (key: string) => {
    const stored = await store.get('identities', key);
    republish(key, stored && (await joinRecord(store, key, stored)));
  };
  const followConfigurationSet = async (key: string) => {
    const [region, name] = splitKey(key);
    const stored = await store.get('configurationSets', key);
    const sets = stateFor(region)?.configurationSets;
    if (stored) sets?.set(name, stored.doc as unknown as ConfigurationSetRecord);
    else sets?.delete(name);
  };
  const loadAll = async (resync: boolean) => {
    // Only Easy DKIM identities have keys to publish; their keys are read a batch at a time.
    const withKeys = (await store.list('identities')).filter(
      (stored) => (stored.doc as { providerKeys?: unknown } | null)?.providerKeys === true,
    );
    const identities = new Set(withKeys.map((stored) => stored.key));
    for (let i = 0; i < withKeys.length; i += LOAD_BATCH) {
      const batch = withKeys.slice(i, i + LOAD_BATCH);
      const records = await joinRecords(store, batch);
      for (const [j, stored] of batch.entries()) republish(stored.key, records[j]);
    }
    for (const key of [...published.keys()]) if (!identities.has(key)) republish(key, undefined);
    const sets = new Set<string>();
    for (const stored of await store.list('configurationSets')) {
      sets.add(stored.key);
      const set = stored.doc as unknown as ConfigurationSetRecord;
      stateFor(splitKey(stored.key)[0])?.configurationSets.set(set.name, set);
    }
    // The regions known by now (those served, and those the store has identities or sets of) publish
    // their amazonses.com keys, so this DNS answers for mail another process signed.
    const known = regions?.regions?.() ?? [];
    await providerSigners.refresh(known);
    if (resync) {
      for (const region of known) {
        for (const name of [...(stateFor(region)?.configurationSets.keys() ?? [])]) {
          if (!sets.has(`${region}/${name}`)) stateFor(region)?.configurationSets.delete(name);
        }
      }
      await outbox.resync();
    } else await outbox.load();
  };
  const follow = (): Follower =>
    followChanges({
      store,
      // A large message's parts are read with its head (written after them), never on their own.
      wanted: ({ collection, key }) =>
        collection !== 'outboxParts' &&
        (collection !== 'secrets' || (key !== undefined && providerKeyRegion(key) !== undefined)),
      apply: async ({ collection, key }) => {
        if (collection === 'configurationSets') await followConfigurationSet(key);
        else if (collection === 'outbox') await outbox.follow(key);
        else if (collection === 'identities' || collection === 'providerKeys') await followIdentity(key);
        else if (collection === 'secrets') await providerSigners.refresh([providerKeyRegion(key) as string]);
      },
      resync: () => loadAll(true),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  return {
    regionOptions: {
      storeFor: (region) => {
        const identities = documentIdentityStore(store, { prefix: region, checks });
        // What this process writes or reads it publishes itself: remember the names to take back.
        return {
          ...identities,
          async get(key) {
            const record = await identities.get(key);
            if (record) track(`${region}/${key}`, record);
            return record;
          },
          async set(key, record, setOptions) {
            await identities.set(key, record, setOptions);
            track(`${region}/${key}`, record);
          },
        };
      },
      persistConfigurationSetFor: (region) => async (name: string, set: ConfigurationSetRecord | null) => {
        if (set) await store.put('configurationSets', `${region}/${name}`, set as unknown as JsonValue);
        else await store.delete('configurationSets', `${region}/${name}`);
      },
      sending: { outbox, providerFor: providerSigners },
    },
    worker,
    async load(bound) {
      regions = bound;
      // Listening before reading: a change made meanwhile is followed, not missed.
      await follow().ready(2_000);
      await loadAll(false);
    },
    startLoop(idleMs) {
      const loop = startCheckWorker({ ...workerOptions, idleMs }, worker);
      return () => loop.stop();
    },
  };
}
