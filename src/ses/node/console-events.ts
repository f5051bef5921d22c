// Server-Sent Events for the console: one watcher per server tells every open page when identities or the outbox change.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdentityRecord } from '../identity.js';
import type { SesServerMountContext } from './server.js';

/** Options of {@link createConsoleEvents}. */
export interface ConsoleEventsOptions {
  /** How often the watcher looks for changes, ms; default 500. */
  readonly intervalMs?: number;
  /** Most pages streaming at once; past it 503. Default 32. */
  readonly maxClients?: number;
  /** How often an idle stream gets a comment line, so proxies keep it open; default 15 s. */
  readonly heartbeatMs?: number;
}

interface Client {
  readonly res: ServerResponse;
  readonly closing: () => boolean;
}

type SnapshotSource = { snapshot?: () => Promise<{ identities: readonly IdentityRecord[] }> };
type OutboxSource = { outbox?: () => { size: number } };

/**
 * What the page shows, as one string: each identity's statuses, history length and set-up, the
 * outbox's size, and the clock's offset. Check times are left out: with `--check-every` they move
 * on every run, and the page need not redraw for them. Listing the outbox would decode every
 * message on each tick, so a message replaced in place is seen when the page next opens the outbox.
 */
export async function consoleFingerprint(context: Pick<SesServerMountContext, 'regions' | 'clock'>): Promise<string> {
  const parts: string[] = [`clock:${context.clock.offsetMs}`];
  for (const [region, backend] of context.regions.entries()) {
    const snapshot = await (backend as SnapshotSource).snapshot?.();
    for (const record of snapshot?.identities ?? []) parts.push(`${region}/${identityFingerprint(record)}`);
    const outbox = (backend as OutboxSource).outbox?.();
    if (outbox) parts.push(`outbox:${outbox.size}`);
  }
  return parts.join('\n');
}

function identityFingerprint(record: IdentityRecord): string {
  const v = record.verifications;
  const statuses = [v.dkim.status, v.mailFrom?.status, v.legacyTxt?.status, record.confirmedAt !== undefined];
  const setup = [record.origin, record.tokens.join(','), record.mailFrom?.domain, record.legacyTxt?.token];
  return JSON.stringify([record.identity, statuses, setup, record.history?.length ?? 0, record.signingEnabled]);
}

/**
 * `GET /_dkim-engine/events`: a `text/event-stream` sending `event: change` whenever the
 * fingerprint changes, so the page refetches without a reload. Streams end when the server
 * starts shutting down (its grace period is for requests, not for streams).
 */
export function createConsoleEvents(options: ConsoleEventsOptions = {}) {
  const intervalMs = options.intervalMs ?? 500;
  const maxClients = options.maxClients ?? 32;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const clients = new Set<Client>();
  let timer: NodeJS.Timeout | undefined;
  let watched: SesServerMountContext | undefined;
  let last = '';
  let busy = false;
  let sinceWrite = 0;

  const send = (text: string) => {
    for (const client of clients) client.res.write(text);
    sinceWrite = 0;
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const tick = async () => {
    for (const client of clients) {
      if (client.closing()) {
        clients.delete(client);
        client.res.end();
      }
    }
    if (clients.size === 0 || !watched) return stop();
    if (busy) return;
    busy = true;
    try {
      const now = await consoleFingerprint(watched);
      if (now !== last) {
        last = now;
        send(`event: change\ndata: ${JSON.stringify({ now: watched.clock.now() })}\n\n`);
      } else {
        sinceWrite += intervalMs;
        if (sinceWrite >= heartbeatMs) send(': ping\n\n');
      }
    } catch {
      // A backend that fails to snapshot this time is looked at again next tick.
    } finally {
      busy = false;
    }
  };

  return (req: IncomingMessage, res: ServerResponse, context: SesServerMountContext): void => {
    req.resume();
    if (clients.size >= maxClients || context.closing()) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end('too many event streams\n');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 1000\n\n');
    const client = { res, closing: context.closing };
    clients.add(client);
    res.on('close', () => clients.delete(client));
    watched = context;
    if (!timer) {
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    }
  };
}
