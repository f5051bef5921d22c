// LISTEN for identity creations on a dedicated connection that reconnects with backoff; every
// (re)connection also wakes listeners, since notifications sent while away are lost.
import pg from 'pg';
import { WAKE_CHANNEL } from './schema.js';

/** Exponential backoff bounds, in milliseconds. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Listens for wakes of `schema` while started; `stop` ends it for good. */
export function startWakeListener(
  config: pg.ClientConfig,
  schema: string,
  backoff: Backoff,
  emit: () => void,
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
      if (message.channel === WAKE_CHANNEL && message.payload === schema) emit();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${WAKE_CHANNEL}`);
      if (stopped) {
        await next.end();
        return;
      }
      delay = backoff.initialMs;
      emit();
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
