// The outbox kept in a DocumentStore (serve --state/--store): each message written before its send is answered.
import { base64Decode, base64Encode } from '../../core/base64.js';
import type { DocumentStore, JsonValue } from '../persistence.js';
import { createOutbox, type Outbox, type SentEmail } from './outbox.js';

/** One message in the `outbox` collection, keyed by its MessageId; `n` orders messages by when they were sent. */
interface OutboxDocument {
  readonly n: number;
  readonly entry: Omit<SentEmail, 'RawData'>;
  /** The exact signed bytes, base64. */
  readonly raw: string;
}

/** An {@link Outbox} over a store, with `load()` to read back what the store kept. */
export interface StoredOutbox extends Outbox {
  /** Reads the stored messages into the outbox (oldest first, bounded as ever); call once, before use. */
  load(): Promise<void>;
  /**
   * Follows a change another process made to message `id` in the store: one it added is read in, one
   * it removed is dropped here. Nothing is written back (the writer keeps the store bounded).
   */
  follow(id: string): Promise<void>;
  /** Follows every change at once (after notifications were lost): reads in what is new, drops what is gone. */
  resync(): Promise<void>;
}

/**
 * The in-memory outbox mirrored into `store`'s `outbox` collection: a message added is put there,
 * one the bounds drop (oldest first) or `clear` removes is deleted there. Writes run one after
 * another; {@link Outbox.settled} waits for them, so a send is answered only once its message is kept.
 */
export function createStoredOutbox(
  store: DocumentStore,
  options: { readonly capacity?: number; readonly maxBytes?: number } = {},
): StoredOutbox {
  const inner = createOutbox(options);
  // The ids the inner outbox holds, oldest first (a Set keeps insertion order), to see which ones it dropped.
  const held = new Set<string>();
  let next = 1;
  let chain: Promise<void> = Promise.resolve();
  let last: Promise<void> = chain;
  const enqueue = (write: () => Promise<unknown>) => {
    last = chain.then(async () => {
      await write();
    });
    chain = last.catch(() => {});
  };
  const dropped = (): string[] => {
    const gone: string[] = [];
    for (const id of held) {
      if (inner.raw(id) !== undefined) break;
      gone.push(id);
    }
    for (const id of gone) held.delete(id);
    return gone;
  };
  const forget = (id: string) => {
    held.delete(id);
    inner.clear(id);
  };
  const readIn = (doc: OutboxDocument) => {
    // Messages sent elsewhere are numbered there: later ones here follow the highest seen.
    next = Math.max(next, doc.n + 1);
    remember(doc.entry, base64Decode(doc.raw));
  };
  const remember = (entry: Omit<SentEmail, 'RawData'>, raw: Uint8Array): string[] => {
    held.delete(entry.Id);
    inner.add(entry, raw);
    held.add(entry.Id);
    return dropped();
  };
  return {
    capacity: inner.capacity,
    maxBytes: inner.maxBytes,
    add(entry, raw) {
      const gone = remember(entry, raw);
      const doc: OutboxDocument = { n: next++, entry, raw: base64Encode(raw) };
      const json = JSON.parse(JSON.stringify(doc)) as JsonValue;
      enqueue(async () => {
        await store.put('outbox', entry.Id, json);
        for (const id of gone) await store.delete('outbox', id);
      });
    },
    list: (filter) => inner.list(filter),
    raw: (id) => inner.raw(id),
    clear(id) {
      const ids = id === undefined ? [...held] : [id];
      const found = inner.clear(id);
      for (const gone of ids) held.delete(gone);
      // Every stored message, not only those held: a bound may have kept fewer than the store had.
      enqueue(async () => {
        const stored = id === undefined ? (await store.list('outbox')).map((d) => d.key) : ids;
        for (const key of stored) await store.delete('outbox', key);
      });
      return found;
    },
    get size() {
      return inner.size;
    },
    settled: () => last,
    async load() {
      const stored = (await store.list('outbox')).map((d) => d.doc as unknown as OutboxDocument);
      stored.sort((a, b) => a.n - b.n);
      const gone: string[] = [];
      for (const doc of stored) {
        gone.push(...remember(doc.entry, base64Decode(doc.raw)));
        next = Math.max(next, doc.n + 1);
      }
      enqueue(async () => {
        for (const id of gone) await store.delete('outbox', id);
      });
      await last;
    },
    async follow(id) {
      const stored = await store.get('outbox', id);
      if (!stored) forget(id);
      else if (!held.has(id)) readIn(stored.doc as unknown as OutboxDocument);
    },
    async resync() {
      const stored = await store.list('outbox');
      const keys = new Set(stored.map((d) => d.key));
      for (const id of [...held]) if (!keys.has(id)) forget(id);
      const fresh = stored.filter((d) => !held.has(d.key)).map((d) => d.doc as unknown as OutboxDocument);
      for (const doc of fresh.sort((a, b) => a.n - b.n)) readIn(doc);
    },
  };
}
