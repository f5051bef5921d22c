// The SES backend's options and explicit state, and the guards every operation shares.
import type { DkimPrivateKey } from '../core/key.js';
import type { SignatureCrypto, SignaturePrimitives } from '../core/signature/primitives.js';
import type { Resolver } from '../dns/types.js';
import type { ZoneResolver } from '../dns/zone.js';
import { SesException } from './errors.js';
import type { IdentityRecord } from './identity.js';
import { KeyCache } from './key-cache.js';
import { createLock } from './lock.js';
import type { SendingOptions } from './sending/context.js';
import { type IdentityStore, memoryStore } from './store.js';
import { identityKey } from './validate.js';

/** Options of {@link createSesV2Backend}. */
export interface SesV2BackendOptions {
  /** Where DNS is checked. */
  readonly resolver: Resolver;
  /** The clock, epoch milliseconds; default Date.now. */
  readonly now?: () => number;
  /** Default us-east-1; decides the Easy DKIM hosted zone, the MAIL FROM MX target and ARNs. */
  readonly region?: string;
  /** The account in ARNs; default '000000000000'. */
  readonly accountId?: string;
  /**
   * Whether the account is in SES's sandbox (GetAccount: ProductionAccessEnabled false, a quota
   * of 200 a day at 1 a second). Real new accounts start there; the emulator defaults to false
   * (production) so it sends to anyone unless asked (`serve --sandbox`).
   */
  readonly sandbox?: boolean;
  /** Most identities; past it, LimitExceededException. Default 10,000. */
  readonly maxIdentities?: number;
  /** Configuration sets that exist besides those created through CreateConfigurationSet. */
  readonly configurationSets?: { has(name: string): boolean };
  /** Returns false to throttle a request (TooManyRequestsException). */
  readonly rateLimiter?: (operation: string) => boolean;
  /** Where identities live; default an in-memory store. */
  readonly store?: IdentityStore;
  /**
   * SES accepts a well-formed key it cannot use, which then never verifies. By default the
   * backend refuses it with BadRequestException; 'accept' keeps SES's behaviour.
   */
  readonly unusableKeys?: 'reject' | 'accept';
  /** Deterministic Easy DKIM and v1 TXT tokens: the secret of the token derivation. Random without it. */
  readonly tokenSecret?: string;
  /**
   * The backend's own hosted zone: Easy DKIM key records are published into it, and checks
   * follow each CNAME to them. Without it, Easy DKIM is verified by its three CNAMEs.
   */
  readonly providerZone?: ZoneResolver;
  /** Parsed private keys kept (least recently used dropped first); default 1000. */
  readonly keyCacheSize?: number;
  /** How many identities checkAll checks at once; default 16. */
  readonly checkConcurrency?: number;
  /** The deadline of one identity's check, in real milliseconds; past it the check is a DNS error. Default 15,000. */
  readonly checkTimeoutMs?: number;
  /** Sending (SendEmail, SendRawEmail): the outbox, the provider signer, the sandbox (issue 16). */
  readonly sending?: SendingOptions;
  /** What sent mail is signed with: WebCrypto by default; `serve` passes node:crypto's primitives. */
  readonly signatureCrypto?: SignatureCrypto | SignaturePrimitives;
  /** Where configuration sets are kept besides memory (a DocumentStore); called before memory changes. */
  readonly persistConfigurationSet?: (name: string, set: ConfigurationSetRecord | null) => Promise<void>;
}

/** A configuration set as the backend keeps it. */
export interface ConfigurationSetRecord {
  name: string;
  createdAt: number;
  tags: { Key: string; Value: string }[];
  /** The option groups given at creation (TrackingOptions, DeliveryOptions, ...), as given. */
  options: Record<string, unknown>;
}

/** What every operation works on: the options, the store, the clock and in-process bookkeeping. */
export interface SesBackendState {
  readonly options: SesV2BackendOptions;
  readonly store: IdentityStore;
  readonly now: () => number;
  readonly region: string;
  readonly accountId: string;
  readonly maxIdentities: number;
  /** Identities a mutation is running on. */
  readonly busy: Set<string>;
  /** Bumped when an identity is created or deleted, so a check can tell its record was replaced. */
  readonly incarnations: Map<string, number>;
  /** Parsed private keys by their text: parsing is the slow part of a check. */
  readonly keyCache: KeyCache;
  /** Serializes the identity count's admission and commit, so concurrent creates cannot pass maxIdentities. */
  readonly countLock: <T>(section: () => Promise<T>) => Promise<T>;
  /** Creates admitted and not yet stored. */
  pendingCreates: number;
  readonly configurationSets: Map<string, ConfigurationSetRecord>;
  /** When each message was accepted (epoch ms), for SentLast24Hours; older than a day are pruned. */
  readonly sends: number[];
  /** The other regions a server hosts (DEED), set by createSesRegions. */
  peers: ((region: string) => SesBackendState | undefined) | null;
}

/** The state of a new backend, with the options' defaults filled in. */
export function createBackendState(options: SesV2BackendOptions): SesBackendState {
  return {
    options,
    store: options.store ?? memoryStore(),
    now: options.now ?? Date.now,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    maxIdentities: options.maxIdentities ?? 10_000,
    busy: new Set(),
    incarnations: new Map(),
    keyCache: new KeyCache(options.keyCacheSize),
    countLock: createLock(),
    pendingCreates: 0,
    configurationSets: new Map(),
    sends: [],
    peers: null,
  };
}

/** Stores a configuration set (null: deletes it), durably first when the backend persists them. */
export async function storeConfigurationSet(
  state: SesBackendState,
  name: string,
  set: ConfigurationSetRecord | null,
): Promise<void> {
  await state.options.persistConfigurationSet?.(name, set);
  if (set) state.configurationSets.set(name, set);
  else state.configurationSets.delete(name);
}

/** TooManyRequestsException when the rate limiter refuses the operation. */
export function throttle(state: SesBackendState, operation: string): void {
  if (state.options.rateLimiter && !state.options.rateLimiter(operation)) {
    throw new SesException('TooManyRequestsException', 'Too many requests have been made to the operation.');
  }
}

/**
 * The identity an EmailIdentity parameter names, with its store key; NotFoundException if none.
 * The record is a copy: a mutation shows only once {@link saveIdentity} stores it.
 */
export async function findIdentity(state: SesBackendState, raw: unknown): Promise<[string, IdentityRecord]> {
  const key = identityKey(raw);
  const record = await state.store.get(key);
  if (!record) throw new SesException('NotFoundException', `Email identity ${String(raw)} does not exist.`);
  return [key, structuredClone(record)];
}

/** Stores a changed record with its version bumped, so checks started before the change discard their result. */
export async function saveIdentity(state: SesBackendState, key: string, record: IdentityRecord): Promise<void> {
  record.version = (record.version ?? 0) + 1;
  await state.store.set(key, record);
}

/** Runs a mutation alone per identity: a second one meanwhile is a ConcurrentModificationException. */
export async function exclusive<T>(state: SesBackendState, key: string, action: () => Promise<T>): Promise<T> {
  if (state.busy.has(key)) {
    throw new SesException(
      'ConcurrentModificationException',
      'The resource is being modified by another operation or thread.',
    );
  }
  state.busy.add(key);
  try {
    return await action();
  } finally {
    state.busy.delete(key);
  }
}

/** Marks that the identity under `key` was created or deleted. */
export function bumpIncarnation(state: SesBackendState, key: string): void {
  state.incarnations.set(key, (state.incarnations.get(key) ?? 0) + 1);
}

/** A private key parsed once per backend (bounded LRU). Throws DkimError for a key it cannot use. */
export function cachedKey(state: SesBackendState, pem: string): DkimPrivateKey {
  return state.keyCache.get(pem);
}

/** Drops a record's keys from the parsed-key cache (deleted, replaced or re-keyed). */
export function forgetKeys(state: SesBackendState, record: IdentityRecord | undefined): void {
  if (!record) return;
  state.keyCache.drop([record.privateKey, ...(record.providerKeys ?? [])]);
}
