// The outbox kept in a DocumentStore (serve --state/--store): each message written before its send is answered.
import { base64Decode, base64Encode } from '../../core/base64.js';
import type { DocumentStore, JsonValue } from '../persistence.js';
import { createOutbox, type Outbox, type SentEmail } from './outbox.js';

/** One message in the `outbox` collection, keyed by its MessageId; `n` orders messages by when they were sent. */
interface OutboxDocument {
  readonly n: number;
  readonly entry: Omit<SentEmail, 'RawData'>;
  /** The exact signed bytes, base64; absent when they are kept in `parts` documents of `outboxParts`. */
  readonly raw?: string;
  /** How many `outboxParts` documents (`<MessageId>#<i>`, each `{ raw }`) hold the bytes, in order. */
  readonly parts?: number;
}

/**
 * Most message bytes one document carries: 8 MiB is about 11 MiB of base64, under the stores'
 * 16 MiB document bound. SES takes messages of up to 40 MB, so larger ones are kept in parts.
 */
export const OUTBOX_PART_BYTES = 8 * 1024 * 1024;

const partKey = (id: string, i: number) => `${id}#${i}`;
const partsOf = (raw: Uint8Array): string[] => {
  const parts: string[] = [];
  for (let at = 0; at < raw.length; at += OUTBOX_PART_BYTES) {
    parts.push(base64Encode(raw.subarray(at, at + OUTBOX_PART_BYTES)));
  }
  return parts;
};

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
  // How many parts each message this outbox wrote or read was stored in (0: inline).
  const partCounts = new Map<string, number>();
  const forget = (id: string) => {
    held.delete(id);
    partCounts.delete(id);
    inner.clear(id);
  };
  // The head first, so no reader finds a message without its parts; then the parts.
  const remove = async (id: string) => {
    const stored = partCounts.has(id)
      ? partCounts.get(id)
      : ((await store.get('outbox', id))?.doc as OutboxDocument | undefined)?.parts;
    await store.delete('outbox', id);
    for (let i = 0; i < (stored ?? 0); i++) await store.delete('outboxParts', partKey(id, i));
    partCounts.delete(id);
  };
  // The message's bytes: inline, or joined from its parts (undefined when a part is missing).
  const bytesOf = async (doc: OutboxDocument, parts?: Map<string, JsonValue>): Promise<Uint8Array | undefined> => {
    if (doc.parts === undefined) {
      partCounts.set(doc.entry.Id, 0);
      return base64Decode(doc.raw ?? '');
    }
    const keys = Array.from({ length: doc.parts }, (_, i) => partKey(doc.entry.Id, i));
    const found = parts
      ? keys.map((key) => parts.get(key))
      : (await store.getMany('outboxParts', keys)).map((d) => d?.doc);
    const chunks: Uint8Array[] = [];
    for (const part of found) {
      const text = (part as { raw?: unknown } | undefined)?.raw;
      if (typeof text !== 'string') return undefined;
      chunks.push(base64Decode(text));
    }
    const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    partCounts.set(doc.entry.Id, doc.parts);
    return out;
  };
  const readIn = async (doc: OutboxDocument, parts?: Map<string, JsonValue>): Promise<string[]> => {
    // Messages sent elsewhere are numbered there: later ones here follow the highest seen.
    next = Math.max(next, doc.n + 1);
    const raw = await bytesOf(doc, parts);
    return raw === undefined ? [] : remember(doc.entry, raw);
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
      const parts = raw.length > OUTBOX_PART_BYTES ? partsOf(raw) : undefined;
      const doc: OutboxDocument = parts
        ? { n: next++, entry, parts: parts.length }
        : { n: next++, entry, raw: base64Encode(raw) };
      const json = JSON.parse(JSON.stringify(doc)) as JsonValue;
      partCounts.set(entry.Id, parts?.length ?? 0);
      enqueue(async () => {
        try {
          // The parts before the head: whoever reads the head (a restart, another server) finds them.
          for (const [i, part] of (parts ?? []).entries())
            await store.put('outboxParts', partKey(entry.Id, i), { raw: part });
          await store.put('outbox', entry.Id, json);
        } catch (error) {
          forget(entry.Id); // not kept, so not listed either: the send is answered with an error
          throw error;
        }
        for (const id of gone) await remove(id);
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
        for (const key of stored) await remove(key);
        if (id === undefined)
          for (const part of await store.list('outboxParts')) await store.delete('outboxParts', part.key);
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
      const parts = new Map((await store.list('outboxParts')).map((d) => [d.key, d.doc]));
      const gone: string[] = [];
      for (const doc of stored) gone.push(...(await readIn(doc, parts)));
      // Parts without a head: a crash between writing a large message's parts and its head.
      const heads = new Set(stored.map((doc) => doc.entry.Id));
      const orphans = [...parts.keys()].filter((key) => !heads.has(key.slice(0, key.lastIndexOf('#'))));
      enqueue(async () => {
        for (const id of gone) await remove(id);
        for (const key of orphans) await store.delete('outboxParts', key);
      });
      await last;
    },
    async follow(id) {
      const stored = await store.get('outbox', id);
      if (!stored) forget(id);
      else if (!held.has(id)) await readIn(stored.doc as unknown as OutboxDocument);
    },
    async resync() {
      const stored = await store.list('outbox');
      const keys = new Set(stored.map((d) => d.key));
      for (const id of [...held]) if (!keys.has(id)) forget(id);
      const fresh = stored.filter((d) => !held.has(d.key)).map((d) => d.doc as unknown as OutboxDocument);
      for (const doc of fresh.sort((a, b) => a.n - b.n)) await readIn(doc);
    },
  };
}
