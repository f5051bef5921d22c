// The outbox: every accepted message in LocalStack's SentEmail shape, bounded (oldest dropped), with LocalStack's filters.
import type { Destination } from './types.js';

/** Most messages an outbox keeps by default; past it the oldest is dropped. */
export const DEFAULT_OUTBOX_SIZE = 1000;
/** Most message bytes an outbox keeps by default (256 MiB); past it the oldest are dropped. */
export const DEFAULT_OUTBOX_BYTES = 256 * 1024 * 1024;

/**
 * One sent message, as LocalStack's `GET /_aws/ses` lists it (localstack services/ses/models.py
 * SentEmail): keys are absent where LocalStack leaves them out. SendRawEmail records no
 * Destination, Subject or Body; SendEmail has them. RawData is the exact signed message.
 */
export interface SentEmail {
  /** The MessageId the send returned. */
  readonly Id: string;
  readonly Region: string;
  /** `YYYY-MM-DDTHH:MM:SS`, UTC. */
  readonly Timestamp: string;
  readonly Source: string;
  readonly Destination?: Destination;
  readonly Subject?: string;
  readonly Body?: { readonly text_part: string | null; readonly html_part: string | null };
  /** The message as sent, signatures included, decoded as UTF-8. */
  readonly RawData: string;
}

/** Filters of {@link Outbox.list}: each an exact match, absent or empty for none (as LocalStack's). */
export interface OutboxFilter {
  readonly id?: string | null;
  readonly email?: string | null;
}

/** Where sent messages go: shared by every region of a server, as LocalStack's one EMAILS dict. */
export interface Outbox {
  /** The maximum number of messages kept. */
  readonly capacity: number;
  /** The maximum number of message bytes kept (the newest message is always kept). */
  readonly maxBytes: number;
  /** Adds a message; RawData is made from `raw` (UTF-8) when listed, so only the bytes are held. */
  add(message: Omit<SentEmail, 'RawData'>, raw: Uint8Array): void;
  /** Messages in the order they were sent, oldest first. */
  list(filter?: OutboxFilter): SentEmail[];
  /** The exact bytes of a message. */
  raw(id: string): Uint8Array | undefined;
  /** Removes one message (true when it was there), or every message without an id. */
  clear(id?: string): boolean;
  readonly size: number;
  /**
   * Resolves once every change made so far is durable (an outbox kept in a store); rejects when
   * the last one failed. Absent: every change is done when the call returns.
   */
  settled?(): Promise<void>;
}

const matches = (wanted: string | null | undefined, actual: string) =>
  wanted === undefined || wanted === null || wanted === '' || wanted === actual;

const utf8 = new TextDecoder();

/**
 * A bounded in-memory outbox: at most `capacity` messages (default 1000) and `maxBytes` of
 * message bytes (default 256 MiB); past either, the oldest messages are dropped first.
 */
export function createOutbox(options: { readonly capacity?: number; readonly maxBytes?: number } = {}): Outbox {
  const capacity = options.capacity ?? DEFAULT_OUTBOX_SIZE;
  const maxBytes = options.maxBytes ?? DEFAULT_OUTBOX_BYTES;
  for (const [name, value] of [
    ['capacity', capacity],
    ['maxBytes', maxBytes],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  }
  // A Map keeps insertion order, so its first key is the oldest message.
  const messages = new Map<string, { entry: Omit<SentEmail, 'RawData'>; raw: Uint8Array }>();
  let bytes = 0;
  const remove = (id: string): boolean => {
    const found = messages.get(id);
    if (found) bytes -= found.raw.length;
    return messages.delete(id);
  };
  return {
    capacity,
    maxBytes,
    add(entry, raw) {
      remove(entry.Id);
      messages.set(entry.Id, { entry, raw });
      bytes += raw.length;
      while (messages.size > capacity || (bytes > maxBytes && messages.size > 1)) {
        remove(messages.keys().next().value as string);
      }
    },
    list(filter = {}) {
      return [...messages.values()]
        .filter((m) => matches(filter.id, m.entry.Id) && matches(filter.email, m.entry.Source))
        .map((m) => ({ ...m.entry, RawData: utf8.decode(m.raw) }));
    },
    raw: (id) => messages.get(id)?.raw,
    clear(id) {
      if (id !== undefined) return remove(id);
      messages.clear();
      bytes = 0;
      return true;
    },
    get size() {
      return messages.size;
    },
  };
}
