// The outbox: every accepted message in LocalStack's SentEmail shape, bounded (oldest dropped), with LocalStack's filters.
import type { Destination } from './types.js';

/** Most messages an outbox keeps by default; past it the oldest is dropped. */
export const DEFAULT_OUTBOX_SIZE = 1000;

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
  add(message: SentEmail, raw: Uint8Array): void;
  /** Messages in the order they were sent, oldest first. */
  list(filter?: OutboxFilter): SentEmail[];
  /** The exact bytes of a message. */
  raw(id: string): Uint8Array | undefined;
  /** Removes one message (true when it was there), or every message without an id. */
  clear(id?: string): boolean;
  readonly size: number;
}

const matches = (wanted: string | null | undefined, actual: string) =>
  wanted === undefined || wanted === null || wanted === '' || wanted === actual;

/** A bounded in-memory outbox: at most `capacity` messages (default 1000), the oldest dropped first. */
export function createOutbox(options: { readonly capacity?: number } = {}): Outbox {
  const capacity = options.capacity ?? DEFAULT_OUTBOX_SIZE;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  // A Map keeps insertion order, so its first key is the oldest message.
  const messages = new Map<string, { entry: SentEmail; raw: Uint8Array }>();
  return {
    capacity,
    add(entry, raw) {
      messages.delete(entry.Id);
      messages.set(entry.Id, { entry, raw });
      while (messages.size > capacity) {
        const oldest = messages.keys().next().value as string;
        messages.delete(oldest);
      }
    },
    list(filter = {}) {
      return [...messages.values()]
        .map((m) => m.entry)
        .filter((m) => matches(filter.id, m.Id) && matches(filter.email, m.Source));
    },
    raw: (id) => messages.get(id)?.raw,
    clear(id) {
      if (id === undefined) {
        messages.clear();
        return true;
      }
      return messages.delete(id);
    },
    get size() {
      return messages.size;
    },
  };
}
