// The storage contract of the SES layer: versioned JSON documents in named collections, plus
// the claim/lease API that lets many workers share the identity checks. Pure and browser-safe.

/** A JSON value, the only thing a store keeps. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The collections a store holds. `secrets` (BYODKIM private keys) is kept apart where a backend can;
 * `outboxParts` holds the bytes of sent messages too large for one document.
 */
export const COLLECTIONS = [
  'identities',
  'configurationSets',
  'tags',
  'outbox',
  'outboxParts',
  'providerKeys',
  'secrets',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

/** A document as stored: its `version` starts at 1 and grows by one on every write. */
export interface StoredDocument {
  readonly key: string;
  readonly version: number;
  readonly doc: JsonValue;
  /** Identities only: when the next check is due (ms since the epoch), or null when none is scheduled. */
  readonly nextCheckAt?: number | null;
}

export interface PutOptions {
  /** Optimistic concurrency: the write applies only if the current version is this one (0: must not exist). */
  readonly expectedVersion?: number;
  /** Identities only: a time (ms) schedules the next check, null unschedules, absent keeps the schedule. */
  readonly nextCheckAt?: number | null;
}

/** An identity handed to one worker until `leaseUntil` (ms), with the version it was claimed at. */
export interface Claim {
  readonly key: string;
  readonly version: number;
  readonly doc: JsonValue;
  readonly leaseUntil: number;
}

export interface CompleteItem {
  readonly key: string;
  /** The version returned by `claimDue`: the write applies only if it is still current. */
  readonly claimedVersion: number;
  readonly doc: JsonValue;
  /** The next due time (ms), or null for none. */
  readonly nextCheckAt: number | null;
}

/** What became of a completed check: a late answer (`stale`) never rewinds state. */
export type CompleteOutcome =
  | { readonly status: 'applied'; readonly version: number }
  | { readonly status: 'stale'; readonly currentVersion: number }
  | { readonly status: 'missing' };

/**
 * A change another process sharing the store made: one document (`collection` and `key`), anything in
 * `collection` (no key), or anything at all (neither: notifications may have been lost, re-read everything).
 */
export interface StoreChange {
  readonly collection?: CollectionName;
  readonly key?: string;
}

/**
 * An async store of versioned JSON documents. Every method either resolves once the write is
 * durable (for durable backends) or rejects with a {@link StoreError}.
 */
export interface DocumentStore {
  get(collection: CollectionName, key: string): Promise<StoredDocument | undefined>;
  /** {@link get} for many keys, in one round trip where the backend can; results in input order. */
  getMany(collection: CollectionName, keys: readonly string[]): Promise<(StoredDocument | undefined)[]>;
  /** Writes `doc`; resolves to the new version. Rejects with {@link StoreConflictError} on a version mismatch. */
  put(collection: CollectionName, key: string, doc: JsonValue, options?: PutOptions): Promise<number>;
  /** Deletes `key`; resolves to false when it did not exist. `expectedVersion` guards it as for `put`. */
  delete(collection: CollectionName, key: string, options?: { readonly expectedVersion?: number }): Promise<boolean>;
  /** Every document of `collection`, ordered by key. */
  list(collection: CollectionName): Promise<StoredDocument[]>;
  /**
   * Leases up to `limit` identities whose next check is due at `now` and whose lease (if any) has
   * expired, oldest due first, to `workerId` for `leaseMs`. Two callers never get the same identity
   * while its lease runs. Claiming does not change a document's version.
   */
  claimDue(now: number, limit: number, leaseMs: number, workerId: string): Promise<Claim[]>;
  /** Applies a check's result if the identity is still at `claimedVersion`, and ends the lease. */
  complete(key: string, claimedVersion: number, doc: JsonValue, nextCheckAt: number | null): Promise<CompleteOutcome>;
  /** {@link complete} for a batch, in one round trip where the backend can; outcomes in input order. */
  completeMany(items: readonly CompleteItem[]): Promise<CompleteOutcome[]>;
  /** Gives a lease back unchanged (the check was not run); false when the claim is no longer current. */
  release(key: string, claimedVersion: number, workerId: string): Promise<boolean>;
  /** Calls `listener` when an identity is created or rescheduled (a worker should look for due work). */
  onWake(listener: () => void): () => void;
  /**
   * Calls `listener` when another process sharing the store changes a document (not for this store's
   * own writes), so what a process keeps in memory can follow; after a lost connection, with an empty
   * change. Identities are reported only when created or deleted, and only those whose document has a
   * `providerKeys` field (Easy DKIM keys, in every process's provider zone). Absent, or never called,
   * where the store is one process's alone (the memory and file stores).
   */
  onChange?(listener: (change: StoreChange) => void): () => void;
  close(): Promise<void>;
}

/** Stable codes of {@link StoreError}. */
export type StoreErrorCode =
  | 'STORE_CONFLICT'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TOO_LARGE'
  | 'STORE_CLOSED'
  | 'STORE_LOCKED'
  | 'STORE_FORMAT'
  | 'STORE_VERSION';

/** A store failure with a stable `code`; `retryable` says whether the same call may succeed later. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

/** Whether an error is the store's "try again later" (a database restart): answered 503 and retried. */
export function isRetryableStoreError(error: unknown): boolean {
  return error instanceof StoreError && error.retryable;
}

/** A version mismatch: the SES layer reports it as ConcurrentModificationException. */
export class StoreConflictError extends StoreError {
  override readonly name = 'StoreConflictError';
  constructor(
    readonly collection: CollectionName,
    readonly key: string,
    readonly expectedVersion: number,
    /** 0 when the document does not exist. */
    readonly actualVersion: number,
  ) {
    super('STORE_CONFLICT', `${collection}/${key} is at version ${actualVersion}, not ${expectedVersion}`);
  }
}

/** The backend cannot be reached (a database restart, a lost connection): retry later. */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, true);
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause });
  }
}

/** The lease a check is claimed for unless the caller says otherwise: a worker that dies loses its checks after this. */
export const DEFAULT_LEASE_MS = 30_000;

/** Default bound on one serialized document, checked before any work: 16 MiB. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Serializes `doc`, refusing one over `maxBytes` (UTF-8) with STORE_TOO_LARGE. */
export function serializeDocument(doc: JsonValue, maxBytes = MAX_DOCUMENT_BYTES): string {
  const text = JSON.stringify(doc);
  if (text === undefined) throw new StoreError('STORE_FORMAT', 'document is not JSON');
  // Each UTF-16 unit is at most 3 UTF-8 bytes: count exactly only when that bound is over the limit.
  if (text.length * 3 > maxBytes && new TextEncoder().encode(text).length > maxBytes) {
    throw new StoreError('STORE_TOO_LARGE', `document is over ${maxBytes} bytes`);
  }
  return text;
}

/** The longest key a store accepts, in UTF-16 units: an email address identity is at most 320. */
export const MAX_KEY_LENGTH = 1024;

/** Throws STORE_FORMAT for an empty or over-long key. */
export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new StoreError('STORE_FORMAT', `a key is 1 to ${MAX_KEY_LENGTH} characters`);
  }
}

/** Throws STORE_FORMAT for a collection name outside {@link COLLECTIONS}. */
export function checkCollection(collection: string): asserts collection is CollectionName {
  if (!(COLLECTIONS as readonly string[]).includes(collection)) {
    throw new StoreError('STORE_FORMAT', `unknown collection ${JSON.stringify(collection)}`);
  }
}
