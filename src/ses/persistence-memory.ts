// The in-memory DocumentStore (the default) and the synchronous document state it shares with
// the file store, which journals each mutation this state returns.
import {
  type Claim,
  type CollectionName,
  type CompleteItem,
  type CompleteOutcome,
  checkCollection,
  checkKey,
  type DocumentStore,
  type JsonValue,
  MAX_DOCUMENT_BYTES,
  type PutOptions,
  StoreConflictError,
  type StoredDocument,
  StoreError,
  serializeDocument,
} from './persistence.js';

interface Entry {
  version: number;
  /** The document as JSON text, so no caller can mutate what is stored. */
  text: string;
  nextCheckAt: number | null;
  leaseUntil: number | null;
  leaseOwner: string | null;
}

/** One durable change, as a journal writes it. Leases are not durable: they end with the process. */
export type Mutation =
  | {
      readonly op: 'put';
      readonly collection: CollectionName;
      readonly key: string;
      readonly version: number;
      readonly text: string;
      readonly nextCheckAt: number | null;
    }
  | { readonly op: 'delete'; readonly collection: CollectionName; readonly key: string };

const toStored = (key: string, entry: Entry, collection: CollectionName): StoredDocument => ({
  key,
  version: entry.version,
  doc: JSON.parse(entry.text) as JsonValue,
  ...(collection === 'identities' ? { nextCheckAt: entry.nextCheckAt } : {}),
});

/** Every collection's documents with their versions, schedules and leases; synchronous. */
export class DocumentState {
  private readonly collections = new Map<CollectionName, Map<string, Entry>>();

  constructor(readonly maxDocumentBytes = MAX_DOCUMENT_BYTES) {}

  private table(collection: CollectionName): Map<string, Entry> {
    checkCollection(collection);
    let table = this.collections.get(collection);
    if (!table) {
      table = new Map();
      this.collections.set(collection, table);
    }
    return table;
  }

  get(collection: CollectionName, key: string): StoredDocument | undefined {
    const entry = this.table(collection).get(key);
    return entry && toStored(key, entry, collection);
  }

  getMany(collection: CollectionName, keys: readonly string[]): (StoredDocument | undefined)[] {
    return keys.map((key) => this.get(collection, key));
  }

  list(collection: CollectionName): StoredDocument[] {
    return [...this.table(collection).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => toStored(key, entry, collection));
  }

  /** Validates and applies a put; returns the mutation to make durable. */
  put(collection: CollectionName, key: string, doc: JsonValue, options: PutOptions = {}): Mutation {
    const table = this.table(collection);
    checkKey(key);
    const text = serializeDocument(doc, this.maxDocumentBytes);
    const current = table.get(key);
    if (options.expectedVersion !== undefined && options.expectedVersion !== (current?.version ?? 0)) {
      throw new StoreConflictError(collection, key, options.expectedVersion, current?.version ?? 0);
    }
    const scheduled = collection === 'identities' && options.nextCheckAt !== undefined;
    const nextCheckAt = scheduled ? (options.nextCheckAt ?? null) : (current?.nextCheckAt ?? null);
    const mutation: Mutation = { op: 'put', collection, key, version: (current?.version ?? 0) + 1, text, nextCheckAt };
    this.apply(mutation);
    return mutation;
  }

  /** Validates and applies a delete; returns the mutation, or undefined when there was nothing to delete. */
  delete(collection: CollectionName, key: string, expectedVersion?: number): Mutation | undefined {
    const current = this.table(collection).get(key);
    if (expectedVersion !== undefined && expectedVersion !== (current?.version ?? 0)) {
      throw new StoreConflictError(collection, key, expectedVersion, current?.version ?? 0);
    }
    if (!current) return undefined;
    const mutation: Mutation = { op: 'delete', collection, key };
    this.apply(mutation);
    return mutation;
  }

  /** Applies a mutation as is (a journal replay, or a validated change). A put ends any lease. */
  apply(mutation: Mutation): void {
    const table = this.table(mutation.collection);
    if (mutation.op === 'delete') {
      table.delete(mutation.key);
      return;
    }
    table.set(mutation.key, {
      version: mutation.version,
      text: mutation.text,
      nextCheckAt: mutation.nextCheckAt,
      leaseUntil: null,
      leaseOwner: null,
    });
  }

  claimDue(now: number, limit: number, leaseMs: number, workerId: string): Claim[] {
    const due: [string, Entry][] = [];
    for (const [key, entry] of this.table('identities')) {
      if (entry.nextCheckAt === null || entry.nextCheckAt > now) continue;
      if (entry.leaseUntil !== null && entry.leaseUntil > now) continue;
      due.push([key, entry]);
    }
    due.sort(([, a], [, b]) => (a.nextCheckAt ?? 0) - (b.nextCheckAt ?? 0));
    return due.slice(0, Math.max(0, limit)).map(([key, entry]) => {
      entry.leaseUntil = now + leaseMs;
      entry.leaseOwner = workerId;
      return { key, version: entry.version, doc: JSON.parse(entry.text) as JsonValue, leaseUntil: entry.leaseUntil };
    });
  }

  /** Checks a completion against the claimed version; returns the mutation to apply, or the refusal. */
  complete(item: CompleteItem): Mutation | CompleteOutcome {
    const current = this.table('identities').get(item.key);
    if (!current) return { status: 'missing' };
    if (current.version !== item.claimedVersion) return { status: 'stale', currentVersion: current.version };
    const text = serializeDocument(item.doc, this.maxDocumentBytes);
    const mutation: Mutation = {
      op: 'put',
      collection: 'identities',
      key: item.key,
      version: current.version + 1,
      text,
      nextCheckAt: item.nextCheckAt,
    };
    this.apply(mutation);
    return mutation;
  }

  release(key: string, claimedVersion: number, workerId: string): boolean {
    const current = this.table('identities').get(key);
    if (!current || current.version !== claimedVersion || current.leaseOwner !== workerId) return false;
    current.leaseUntil = null;
    current.leaseOwner = null;
    return true;
  }

  /** Every live document as a put mutation (what a compacted journal holds). */
  *mutations(): Iterable<Mutation> {
    for (const [collection, table] of this.collections) {
      for (const [key, entry] of table) {
        yield { op: 'put', collection, key, version: entry.version, text: entry.text, nextCheckAt: entry.nextCheckAt };
      }
    }
  }

  /** How many documents are live, over every collection. */
  get size(): number {
    let size = 0;
    for (const table of this.collections.values()) size += table.size;
    return size;
  }
}

/** A set of wake listeners (identity created or rescheduled). */
export class WakeListeners {
  private readonly listeners = new Set<() => void>();
  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** True when a mutation should wake workers: an identity put with a due time. */
export const wakes = (mutation: Mutation): boolean =>
  mutation.op === 'put' && mutation.collection === 'identities' && mutation.nextCheckAt !== null;

/**
 * The in-memory {@link DocumentStore}: nothing survives the process. The SES layer's default.
 * @example
 * const store = createMemoryStore();
 * const version = await store.put('identities', 'example.com', { dkim: 'PENDING' }, { nextCheckAt: Date.now() });
 */
export function createMemoryStore(options: { maxDocumentBytes?: number } = {}): DocumentStore {
  const state = new DocumentState(options.maxDocumentBytes);
  const wake = new WakeListeners();
  let closed = false;
  // Async even for sync work, so a closed store rejects rather than throws, as a database store would.
  const run = async <T>(work: () => T): Promise<T> => {
    if (closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
    return work();
  };
  const completeOne = (item: CompleteItem): CompleteOutcome => {
    const result = state.complete(item);
    return 'op' in result ? { status: 'applied', version: (result as { version: number }).version } : result;
  };
  return {
    get: (collection, key) => run(() => state.get(collection, key)),
    getMany: (collection, keys) => run(() => state.getMany(collection, keys)),
    list: (collection) => run(() => state.list(collection)),
    put: (collection, key, doc, putOptions) =>
      run(() => {
        const mutation = state.put(collection, key, doc, putOptions);
        if (wakes(mutation)) wake.emit();
        return (mutation as { version: number }).version;
      }),
    delete: (collection, key, deleteOptions) =>
      run(() => state.delete(collection, key, deleteOptions?.expectedVersion) !== undefined),
    claimDue: (now, limit, leaseMs, workerId) => run(() => state.claimDue(now, limit, leaseMs, workerId)),
    complete: (key, claimedVersion, doc, nextCheckAt) =>
      run(() => completeOne({ key, claimedVersion, doc, nextCheckAt })),
    completeMany: (items) => run(() => items.map(completeOne)),
    release: (key, claimedVersion, workerId) => run(() => state.release(key, claimedVersion, workerId)),
    onWake: (listener) => wake.add(listener),
    close: async () => {
      closed = true;
    },
  };
}
