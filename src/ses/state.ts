// The SES backend's options and explicit state, and the guards every operation shares.
import type { DkimPrivateKey } from '../core/key.js';
import { parsePrivateKey } from '../core/key.js';
import type { Resolver } from '../dns/types.js';
import type { ZoneResolver } from '../dns/zone.js';
import { SesException } from './errors.js';
import type { IdentityRecord } from './identity.js';
import type { SendingOptions } from './sending/context.js';
import { type IdentityStore, memoryStore } from './store.js';
import { identityKey } from './validate.js';

/** Options of {@link createSesV2Backend}. */
export interface SesV2BackendOptions {
  /** Where DNS is checked. */
  readonly resolver: Resolver;
  /** The clock, epoch milliseconds; default Date.now. */
  readonly now?: () => number;
  /** Default us-east-1; decides the Easy DKIM hosted zone. */
  readonly region?: string;
  /** Most identities; past it, LimitExceededException. Default 10,000. */
  readonly maxIdentities?: number;
  /** Known configuration sets; without it, none exists. */
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
  /** Deterministic Easy DKIM tokens: the secret of the token derivation. Random without it. */
  readonly tokenSecret?: string;
  /**
   * The backend's own hosted zone: Easy DKIM key records are published into it, and checks
   * follow each CNAME to them. Without it, Easy DKIM is verified by its three CNAMEs.
   */
  readonly providerZone?: ZoneResolver;
  /** Sending (SendEmail, SendRawEmail): the outbox, the provider signer, the sandbox. */
  readonly sending?: SendingOptions;
}

/** What every operation works on: the options, the store, the clock and in-process bookkeeping. */
export interface SesBackendState {
  readonly options: SesV2BackendOptions;
  readonly store: IdentityStore;
  readonly now: () => number;
  readonly region: string;
  readonly maxIdentities: number;
  /** Identities a mutation is running on. */
  readonly busy: Set<string>;
  /** Bumped when an identity is created or deleted, so a check can tell its record was replaced. */
  readonly incarnations: Map<string, number>;
  /** Parsed private keys by their text: parsing is the slow part of a check. */
  readonly keyCache: Map<string, DkimPrivateKey>;
}

/** The state of a new backend, with the options' defaults filled in. */
export function createBackendState(options: SesV2BackendOptions): SesBackendState {
  return {
    options,
    store: options.store ?? memoryStore(),
    now: options.now ?? Date.now,
    region: options.region ?? 'us-east-1',
    maxIdentities: options.maxIdentities ?? 10_000,
    busy: new Set(),
    incarnations: new Map(),
    keyCache: new Map(),
  };
}

/** TooManyRequestsException when the rate limiter refuses the operation. */
export function throttle(state: SesBackendState, operation: string): void {
  if (state.options.rateLimiter && !state.options.rateLimiter(operation)) {
    throw new SesException('TooManyRequestsException', 'Too many requests have been made to the operation.');
  }
}

/** The identity an EmailIdentity parameter names, with its store key; NotFoundException if none. */
export async function findIdentity(state: SesBackendState, raw: unknown): Promise<[string, IdentityRecord]> {
  const key = identityKey(raw);
  const record = await state.store.get(key);
  if (!record) throw new SesException('NotFoundException', `Email identity ${String(raw)} does not exist.`);
  return [key, record];
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

/** A private key parsed once per backend. Throws DkimError for a key it cannot use. */
export function cachedKey(state: SesBackendState, pem: string): DkimPrivateKey {
  let key = state.keyCache.get(pem);
  if (!key) {
    key = parsePrivateKey(pem);
    state.keyCache.set(pem, key);
  }
  return key;
}
