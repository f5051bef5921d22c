// The IdentityStore over a DocumentStore: identities in `identities` (record version = document
// version), BYODKIM private keys in `secrets`, Easy DKIM provider keys in `providerKeys`.
import { SesException } from './errors.js';
import type { IdentityRecord } from './identity.js';
import { type CheckAllOptions, recordNextCheckAt } from './operations/checks.js';
import { type DocumentStore, type JsonValue, StoreConflictError, type StoredDocument } from './persistence.js';
import type { IdentityStore } from './store.js';

/** Options of {@link documentIdentityStore}. */
export interface DocumentIdentityStoreOptions {
  /** Prefix of every key (one region's identities beside another's): `<prefix>/<identity>`. */
  readonly prefix?: string;
  /** The scheduling rule written as each identity's `nextCheckAt` (serve --check-every). */
  readonly checks?: CheckAllOptions;
}

/** The identity document: the record less its private keys (kept apart), with markers for them. */
interface IdentityDocument {
  readonly record: Omit<IdentityRecord, 'privateKey' | 'providerKeys'>;
  /** BYODKIM: the key is in `secrets` (true), or was accepted unusable (null). */
  readonly privateKey?: true | null;
  /** The Easy DKIM keys are in `providerKeys`. */
  readonly providerKeys?: true;
}

const conflict = () =>
  new SesException('ConcurrentModificationException', 'The resource is being modified by another operation or thread.');

/**
 * The identity document of a record: the record less its secrets, with markers for them. Not a
 * copy: it shares the record's objects, and its undefined fields are dropped when a store serializes it.
 */
export function identityDocument(record: IdentityRecord): JsonValue {
  const { privateKey, providerKeys, ...rest } = record;
  const doc: IdentityDocument = {
    record: rest,
    ...(privateKey === undefined ? {} : { privateKey: privateKey === null ? null : true }),
    ...(providerKeys === undefined ? {} : { providerKeys: true }),
  };
  return doc as unknown as JsonValue;
}

/** The identity document of a record (a plain JSON copy), and the secrets that go beside it. */
export function splitRecord(record: IdentityRecord): {
  doc: JsonValue;
  privateKey: string | null | undefined;
  providerKeys: string[] | undefined;
} {
  const doc = JSON.parse(JSON.stringify(identityDocument(record))) as JsonValue;
  return { doc, privateKey: record.privateKey, providerKeys: record.providerKeys };
}

/** Rebuilds a record from its document (at the document's version), reading the secrets it marks. */
export async function joinRecord(store: DocumentStore, key: string, stored: StoredDocument): Promise<IdentityRecord> {
  const [record] = await joinRecords(store, [{ ...stored, key }]);
  return record as IdentityRecord;
}

/**
 * {@link joinRecord} for a batch (a check worker's claims): the secrets they mark are read with one
 * call per collection. Each stored document is a fresh parse (every store returns copies): it is used as is.
 */
export async function joinRecords(store: DocumentStore, stored: readonly StoredDocument[]): Promise<IdentityRecord[]> {
  const docs = stored.map((s) => s.doc as unknown as IdentityDocument);
  const marked = (test: (doc: IdentityDocument) => boolean) =>
    stored.filter((_, i) => test(docs[i] as IdentityDocument));
  const withKey = marked((doc) => doc.privateKey === true);
  const withProviderKeys = marked((doc) => doc.providerKeys === true);
  const read = async (collection: 'secrets' | 'providerKeys', of: readonly StoredDocument[]) => {
    const keys = of.map((s) => s.key);
    const found = keys.length === 0 ? [] : await store.getMany(collection, keys);
    return new Map(keys.map((key, i) => [key, found[i]?.doc as Record<string, unknown> | undefined]));
  };
  const [secrets, providerKeys] = await Promise.all([read('secrets', withKey), read('providerKeys', withProviderKeys)]);
  return stored.map((s, i) => {
    const doc = docs[i] as IdentityDocument;
    const record = { ...doc.record, version: s.version } as IdentityRecord;
    if (doc.privateKey === null) record.privateKey = null;
    else if (doc.privateKey === true) {
      const privateKey = secrets.get(s.key)?.privateKey;
      record.privateKey = typeof privateKey === 'string' ? privateKey : null;
    }
    if (doc.providerKeys === true) {
      const list = providerKeys.get(s.key)?.keys;
      if (Array.isArray(list)) record.providerKeys = list as string[];
    }
    return record;
  });
}

/** Runs a store call, turning a version conflict into SES's ConcurrentModificationException. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StoreConflictError) throw conflict();
    throw error;
  }
}

/**
 * An {@link IdentityStore} that keeps identities in a {@link DocumentStore}. A write must be made at
 * the version it read (`record.version` is the next document version): a record changed meanwhile
 * by another process is a ConcurrentModificationException. StoreUnavailableError passes through
 * (the server answers 503). Secrets are written before the identity document, which commits them.
 */
export function documentIdentityStore(
  store: DocumentStore,
  options: DocumentIdentityStoreOptions = {},
): IdentityStore & { readonly documents: DocumentStore; readonly prefix: string } {
  const prefix = options.prefix === undefined ? '' : `${options.prefix}/`;
  const full = (key: string) => prefix + key;
  // The secrets last written or read per key, so an unchanged key is not written again.
  const known = new Map<string, { privateKey?: string; providerKeys?: string }>();
  const remember = (key: string, record: IdentityRecord) => {
    known.set(key, {
      ...(typeof record.privateKey === 'string' ? { privateKey: record.privateKey } : {}),
      ...(record.providerKeys ? { providerKeys: JSON.stringify(record.providerKeys) } : {}),
    });
  };
  const writeSecrets = async (key: string, record: IdentityRecord) => {
    const { privateKey, providerKeys } = splitRecord(record);
    const seen = known.get(key) ?? {};
    if (typeof privateKey === 'string' && seen.privateKey !== privateKey) {
      await store.put('secrets', full(key), { privateKey });
    }
    if (providerKeys && seen.providerKeys !== JSON.stringify(providerKeys)) {
      await store.put('providerKeys', full(key), { keys: providerKeys });
    }
  };
  // A signing change (Easy DKIM <-> BYODKIM) leaves the old keys unused: delete them once the
  // identity no longer names them, so no private key outlives its use and other servers on the
  // store (which follow providerKeys changes) take the old token records back.
  const dropReplacedSecrets = async (key: string, record: IdentityRecord) => {
    const seen = known.get(key);
    if (seen?.privateKey !== undefined && typeof record.privateKey !== 'string') {
      await store.delete('secrets', full(key));
    }
    if (seen?.providerKeys !== undefined && !record.providerKeys) await store.delete('providerKeys', full(key));
  };
  return {
    documents: store,
    prefix: options.prefix ?? '',
    async get(key) {
      const stored = await store.get('identities', full(key));
      if (!stored) return undefined;
      const record = await joinRecord(store, full(key), stored);
      remember(key, record);
      return record;
    },
    async set(key, record, setOptions) {
      await writeSecrets(key, record);
      const { doc } = splitRecord(record);
      const nextCheckAt = recordNextCheckAt(record, options.checks);
      const expectedVersion = setOptions?.replace ? undefined : Math.max(0, record.version - 1);
      const version = await guarded(() =>
        store.put('identities', full(key), doc, {
          nextCheckAt,
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
        }),
      );
      record.version = version;
      await dropReplacedSecrets(key, record);
      remember(key, record);
    },
    async delete(key) {
      await store.delete('identities', full(key));
      await store.delete('secrets', full(key));
      await store.delete('providerKeys', full(key));
      known.delete(key);
    },
    async keys() {
      const all = await store.list('identities');
      return all
        .filter((doc) => doc.key.startsWith(prefix))
        .sort((a, b) => createdAt(a) - createdAt(b))
        .map((doc) => doc.key.slice(prefix.length));
    },
    async size() {
      return (await this.keys()).length;
    },
  };
}

function createdAt(stored: StoredDocument): number {
  return (stored.doc as unknown as IdentityDocument).record.createdAt ?? 0;
}
