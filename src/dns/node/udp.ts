// The wire resolver over UDP, with TCP for truncated answers: its options and how the pieces fit.
import { DkimError } from '../../core/errors.js';
import { type Query, resolveFollowingCnames } from '../message.js';
import { canonicalName, type DnsAnswer, type DnsRecordType, type Resolver } from '../types.js';
import { AnswerCache } from './answer-cache.js';
import type { Final, OpenSockets } from './exchange.js';
import { randomId } from './query-id.js';
import { askWithRetry } from './retry.js';
import { type DnsServer, parseServer, systemServers } from './server-address.js';
import { SocketPool } from './socket-pool.js';
import { tcpExchange } from './tcp-exchange.js';
import { udpExchange } from './udp-exchange.js';

export { type DnsServer, parseServer } from './server-address.js';

/** Options of {@link createUdpResolver}. */
export interface UdpResolverOptions {
  /** `'127.0.0.1:5300'`, `'[::1]:53'`, or a bare address for port 53; default: /etc/resolv.conf. */
  readonly servers?: readonly string[];
  /** Milliseconds per attempt; default 2000. */
  readonly timeout?: number;
  /** Attempts per question, spread over the servers in turn; default 3. */
  readonly attempts?: number;
  /** Backoff between attempts (exponential, with jitter), in milliseconds; default 50 to 1000. */
  readonly backoff?: { readonly min: number; readonly max: number };
  /** Cache positive answers for their TTL; `{ maxEntries }` bounds it (default 10,000). */
  readonly cache?: boolean | { readonly maxEntries?: number };
  /** Send EDNS0 (1232-byte payload); default true. False forces 512-byte UDP and so TCP for big answers. */
  readonly edns?: boolean;
  /** Set the DO bit and report the AD bit; default true. */
  readonly dnssec?: boolean;
  /** The cache's clock; default Date.now. */
  readonly now?: () => number;
  /**
   * How query sockets are used. By default a small pool per server: `sockets` (default 8) UDP
   * sockets, each bound to its own OS-chosen random port, each query on one chosen at random;
   * a socket is retired after `queriesPerSocket` queries (default 100) or `maxSocketAgeMs`
   * (default 5,000), whichever comes first, and its replacement is opened ahead of time. Receive
   * buffers are enlarged to 4 MiB where the OS allows. `false`: a fresh socket for every query.
   */
  readonly pool?:
    | false
    | { readonly sockets?: number; readonly queriesPerSocket?: number; readonly maxSocketAgeMs?: number };
}

/**
 * A wire-level resolver over UDP, with TCP when an answer is truncated. Each query gets a
 * crypto-random ID and goes out from a random source port (a pooled socket of short life, or
 * with `pool: false` a fresh socket); an answer counts only from the server asked, with the
 * same ID and question (RFC 5452), and anything else is dropped while the wait goes on. Timeouts, SERVFAIL and network errors are retried with exponential
 * backoff and jitter, moving to the next server each time.
 */
export function createUdpResolver(options: UdpResolverOptions = {}): Resolver {
  const servers = (options.servers ?? systemServers()).map(parseServer);
  if (servers.length === 0) throw new DkimError('OPTION_INVALID', 'no DNS servers given and none in /etc/resolv.conf');
  const timeout = positive(options.timeout ?? 2000, 'timeout');
  const attempts = positive(options.attempts ?? 3, 'attempts');
  const backoff = options.backoff ?? { min: 50, max: 1000 };
  const edns = options.edns ?? true;
  const dnssec = options.dnssec ?? true;
  const cache = new AnswerCache(cacheBound(options.cache), options.now ?? Date.now);
  const open: OpenSockets = new Set();
  let closed = false;
  const pool = options.pool === false ? undefined : socketPool(options.pool ?? {});

  const exchange = async <T extends DnsRecordType>(server: DnsServer, name: string, type: T): Promise<Final<T>> => {
    if (closed) return { kind: 'answer', answer: { kind: 'NETWORK_ERROR', detail: 'the resolver is closed' } };
    const query: Query<T> = { id: randomId(), name, type, edns, dnssec };
    const overUdp = pool
      ? await pool.exchange(server, query, timeout)
      : await udpExchange(server, query, timeout, open);
    if (overUdp.kind !== 'truncated') return overUdp;
    return tcpExchange(server, { ...query, id: randomId() }, timeout, open);
  };
  const policy = { servers, attempts, backoff, closed: () => closed };
  const askOnce = <T extends DnsRecordType>(name: string, type: T): Promise<Final<T>> =>
    askWithRetry((server) => exchange(server, name, type), policy);

  return {
    async resolve<T extends DnsRecordType>(rawName: string, type: T): Promise<DnsAnswer<T>> {
      const name = canonicalName(rawName);
      const hit = cache.enabled ? cache.get(name, type) : undefined;
      if (hit) return hit;
      const answer = await resolveFollowingCnames(name, type, askOnce);
      if (cache.enabled) cache.put(name, type, answer);
      return answer;
    },
    async close() {
      closed = true;
      for (const socket of open) {
        if ('destroy' in socket) socket.destroy();
        else socket.close();
      }
      open.clear();
      pool?.close();
      cache.clear();
    },
  };
}

function socketPool(options: Exclude<UdpResolverOptions['pool'], false | undefined>): SocketPool {
  return new SocketPool({
    sockets: integer(options.sockets ?? 8, 'pool.sockets'),
    queriesPerSocket: integer(options.queriesPerSocket ?? 100, 'pool.queriesPerSocket'),
    maxSocketAgeMs: positive(options.maxSocketAgeMs ?? 5000, 'pool.maxSocketAgeMs'),
  });
}

function integer(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new DkimError('OPTION_INVALID', `${name} must be a positive integer`);
  return value;
}

function cacheBound(cache: UdpResolverOptions['cache']): number {
  if (!cache) return 0;
  return typeof cache === 'object' ? (cache.maxEntries ?? 10_000) : 10_000;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new DkimError('OPTION_INVALID', `${name} must be a positive number`);
  return value;
}
