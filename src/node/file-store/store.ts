// The crash-safe file store: one local file (mode 0600) with every collection, loaded on open,
// every write journaled and fsynced before it is acknowledged, locked against a second process.
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  type CompleteItem,
  type CompleteOutcome,
  type DocumentStore,
  MAX_DOCUMENT_BYTES,
  MAX_KEY_LENGTH,
  StoreError,
} from '../../ses/persistence.js';
import { DocumentState, WakeListeners, wakes } from '../../ses/persistence-memory.js';
import { checkHeader, encodeHeader, encodeSnapshot, type JournalDamage, scanJournal } from './format.js';
import { Journal, writeFileAtomic } from './journal.js';
import { acquireLock } from './lock.js';

export interface FileStoreOptions {
  /** Bound on one document, checked before any work; default 16 MiB. */
  readonly maxDocumentBytes?: number;
  /** Compact once the file is this many times its size after the last compaction; default 2. */
  readonly compactRatio?: number;
  /** ...and over this many bytes; default 1 MiB. */
  readonly compactMinBytes?: number;
  /** Keep a damaged file as `<path>.damaged-<time>` before rewriting it; default true. */
  readonly keepDamaged?: boolean;
}

/** What opening found: log `damage` when it is not empty (each entry is data that was not loaded). */
export interface FileStoreOpenReport {
  readonly path: string;
  readonly created: boolean;
  /** Journal records replayed. */
  readonly records: number;
  readonly documents: number;
  readonly damage: readonly JournalDamage[];
  /** Where the damaged file was kept, when there was damage. */
  readonly damagedCopy?: string;
}

/**
 * A {@link DocumentStore} in one file, with its open report and on-demand compaction. A write is
 * acknowledged once fsynced; a read may already see a write whose fsync is still in flight.
 */
export interface FileStore extends DocumentStore {
  readonly report: FileStoreOpenReport;
  compact(): Promise<void>;
}

/** Removes temp files of compactions that a crash interrupted: with the lock held, none is in progress. */
function removeStaleTemps(path: string): void {
  const prefix = `${basename(path)}.tmp-`;
  for (const name of readdirSync(dirname(path))) {
    if (name.startsWith(prefix)) rmSync(join(dirname(path), name), { force: true });
  }
}

/** Loads the file into `state`, creating it when absent; returns the open report. */
function load(path: string, state: DocumentState, maxRecordBytes: number, keepDamaged: boolean): FileStoreOpenReport {
  // Zero bytes hold no data (a file made by `touch`): start it as new rather than refuse it.
  if (!existsSync(path) || statSync(path).size === 0) {
    writeFileAtomic(path, encodeHeader());
    return { path, created: true, records: 0, documents: 0, damage: [] };
  }
  chmodSync(path, 0o600);
  const bytes = readFileSync(path);
  checkHeader(path, bytes);
  const { mutations, damage } = scanJournal(bytes, maxRecordBytes);
  for (const mutation of mutations) state.apply(mutation);
  const report = { path, created: false, records: mutations.length, documents: state.size, damage };
  if (damage.length === 0) return report;
  let damagedCopy: string | undefined;
  if (keepDamaged) {
    damagedCopy = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    copyFileSync(path, damagedCopy);
    chmodSync(damagedCopy, 0o600);
  }
  // Rewrite now: appending after a torn record would leave new records unreadable.
  writeFileAtomic(path, encodeSnapshot(state.mutations(), maxRecordBytes));
  return damagedCopy ? { ...report, damagedCopy } : report;
}

/**
 * Opens (or creates) the store in `path`. Throws STORE_LOCKED when another running process has
 * it open, StoreVersionError for a newer format, STORE_FORMAT for a file that is not a store.
 * A torn or corrupt record is dropped and listed in `report.damage`; no part of one is loaded.
 * @example
 * const store = await openFileStore('/var/lib/dkim/state.dkim');
 * for (const damage of store.report.damage) console.warn('state file damage', damage);
 */
export async function openFileStore(path: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const maxDocumentBytes = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  // A record is the document, its key (at most 6 UTF-8 bytes per unit, escaped) and a small envelope.
  const maxRecordBytes = maxDocumentBytes + MAX_KEY_LENGTH * 6 + 256;
  const release = acquireLock(path);
  const state = new DocumentState(maxDocumentBytes);
  let journal: Journal;
  let report: FileStoreOpenReport;
  try {
    removeStaleTemps(path);
    report = load(path, state, maxRecordBytes, options.keepDamaged ?? true);
    journal = await Journal.open(path, () => state.mutations(), {
      maxRecordBytes,
      compactMinBytes: options.compactMinBytes ?? 1 << 20,
      compactRatio: options.compactRatio ?? 2,
    });
  } catch (error) {
    release();
    throw error;
  }
  return fileStore(report, state, journal, release);
}

function fileStore(
  report: FileStoreOpenReport,
  state: DocumentState,
  journal: Journal,
  release: () => void,
): FileStore {
  const wake = new WakeListeners();
  let closed = false;
  const run = async <T>(work: () => T): Promise<T> => {
    if (closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
    // After a failed write memory may hold what the disk does not: answer nothing more.
    if (journal.failed) throw journal.failed;
    return work();
  };
  const completeOne = (item: CompleteItem): Promise<CompleteOutcome> => {
    const result = state.complete(item);
    if (!('op' in result)) return Promise.resolve(result);
    const version = (result as { version: number }).version;
    return journal.append(result).then(() => ({ status: 'applied', version }) as const);
  };
  return {
    report,
    get: (collection, key) => run(() => state.get(collection, key)),
    getMany: (collection, keys) => run(() => state.getMany(collection, keys)),
    list: (collection) => run(() => state.list(collection)),
    put: async (collection, key, doc, putOptions) => {
      const mutation = await run(() => state.put(collection, key, doc, putOptions));
      await journal.append(mutation);
      if (wakes(mutation)) wake.emit();
      return (mutation as { version: number }).version;
    },
    delete: async (collection, key, deleteOptions) => {
      const mutation = await run(() => state.delete(collection, key, deleteOptions?.expectedVersion));
      if (!mutation) return false;
      await journal.append(mutation);
      return true;
    },
    claimDue: (now, limit, leaseMs, workerId) => run(() => state.claimDue(now, limit, leaseMs, workerId)),
    complete: async (key, claimedVersion, doc, nextCheckAt) =>
      completeOne(await run(() => ({ key, claimedVersion, doc, nextCheckAt }))),
    completeMany: async (items) => Promise.all((await run(() => items)).map(completeOne)),
    release: (key, claimedVersion, workerId) => run(() => state.release(key, claimedVersion, workerId)),
    onWake: (listener) => wake.add(listener),
    compact: async () => {
      await run(() => undefined);
      await journal.compact();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await journal.close();
      } finally {
        release();
      }
    },
  };
}
