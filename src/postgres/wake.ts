// LISTEN for identity creations and document changes on a dedicated connection that reconnects with
// backoff; every (re)connection also wakes listeners and reports a lost change, since notifications
// sent while away are lost.
import pg from 'pg';
import type { StoreChange } from '../ses/persistence.js';
import { CHANGE_CHANNEL, WAKE_CHANNEL } from './schema.js';

/** Exponential backoff bounds, in milliseconds. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** What the listener reports: wakes, and changes made by writers other than `origin` (an application_name). */
export interface WakeHandlers {
  readonly wake: () => void;
  readonly change: (change: StoreChange) => void;
  readonly origin: string;
}

/** The change a notification payload announces, or undefined for another schema or our own write. */
export function parseChange(payload: string | undefined, schema: string, origin: string): StoreChange | undefined {
  let parsed: { s?: unknown; o?: unknown; c?: unknown; k?: unknown };
  try {
    parsed = JSON.parse(payload ?? '') as typeof parsed;
  } catch {
    return undefined;
  }
  if (parsed.s !== schema || parsed.o === origin || typeof parsed.c !== 'string') return undefined;
  const collection = parsed.c as StoreChange['collection'];
  return typeof parsed.k === 'string' ? { collection, key: parsed.k } : { collection };
}

/** Listens for wakes and changes of `schema` while started; `stop` ends it for good. */
export function startWakeListener(
  config: pg.ClientConfig,
  schema: string,
  backoff: Backoff,
  handlers: WakeHandlers,
): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | undefined;
  let delay = backoff.initialMs;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref?.();
    delay = Math.min(delay * 2, backoff.maxMs);
  };

  const connect = async () => {
    const next = new pg.Client(config);
    client = next;
    // A lost connection emits 'error' (and 'end'); without a listener it would crash the process.
    next.on('error', () => {});
    next.on('end', () => {
      if (client === next) retry();
    });
    next.on('notification', (message) => {
      if (message.channel === WAKE_CHANNEL && message.payload === schema) handlers.wake();
      else if (message.channel === CHANGE_CHANNEL) {
        const change = parseChange(message.payload, schema, handlers.origin);
        if (change) handlers.change(change);
      }
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${WAKE_CHANNEL}; LISTEN ${CHANGE_CHANNEL}`);
      if (stopped) {
        await next.end();
        return;
      }
      delay = backoff.initialMs;
      handlers.wake();
      handlers.change({});
    } catch {
      await next.end().catch(() => {});
      if (client === next) retry();
    }
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
