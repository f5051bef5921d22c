// The console's calls to its own server: identities, the outbox, the admin routes, the event stream and DoH.
import { createDohResolver, type Resolver } from '../index.js';
import type { ConsoleIdentities } from '../ses/node/console-view.js';

/** One message of `GET /_aws/ses`, in LocalStack's shape. */
export interface SentEmail {
  readonly Id: string;
  readonly Region: string;
  readonly Timestamp: string;
  readonly Source: string;
  readonly Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  readonly Subject?: string;
  readonly RawData: string;
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = ((await response.json()) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new Error(message);
  }
  return (response.status === 204 ? {} : await response.json()) as T;
}

/** The identities of a region (the server's default when empty). */
export function fetchIdentities(region: string): Promise<ConsoleIdentities> {
  return json(`/_dkim-engine/identities${region ? `?region=${encodeURIComponent(region)}` : ''}`);
}

/** The outbox, newest first. Null when this server has no outbox. */
export async function fetchOutbox(): Promise<SentEmail[] | null> {
  const response = await fetch('/_aws/ses', { headers: { accept: 'application/json' } });
  if (!response.ok) return null;
  const body = (await response.json()) as { messages?: SentEmail[] };
  return Array.isArray(body.messages) ? [...body.messages].reverse() : null;
}

/** `DELETE /_aws/ses`. */
export async function clearOutbox(): Promise<void> {
  await json('/_aws/ses', { method: 'DELETE' });
}

/** Moves the emulator's clock forward; resolves to the new now. */
export async function advanceClock(advanceMs: number): Promise<number> {
  const body = JSON.stringify({ advanceMs });
  return (await json<{ now: number }>('/_dkim-engine/clock', { method: 'POST', body })).now;
}

/** Runs every due check now; resolves to how many identities were checked. */
export async function runChecks(): Promise<number> {
  return (await json<{ checked: number }>('/_dkim-engine/check', { method: 'POST', body: '{}' })).checked;
}

/** Calls `onChange` whenever the server says something changed; returns a function that stops listening. */
export function watchEvents(onChange: () => void, onState: (live: boolean) => void): () => void {
  const source = new EventSource('/_dkim-engine/events');
  source.addEventListener('change', onChange);
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
  return () => source.close();
}

/**
 * The server's DoH endpoint as a resolver. An authoritative customer server answers a CNAME into
 * the provider's zone and cannot answer for the target, so a lookup that gets no records asks
 * for a CNAME at the name and then for the target, which the server routes to its provider zone.
 */
export function serverResolver(): Resolver {
  const doh = createDohResolver({ url: new URL('/dns-query', location.href).href });
  return {
    async resolve(name, type) {
      const answer = await doh.resolve(name, type);
      if (answer.kind === 'records' || type === 'CNAME') return answer;
      const cname = await doh.resolve(name, 'CNAME');
      const target = cname.kind === 'records' ? cname.records[0] : undefined;
      if (target === undefined) return answer;
      const next = await doh.resolve(target, type);
      return { ...next, chain: [{ name, target }, ...(next.chain ?? [])] } as typeof answer;
    },
  };
}
