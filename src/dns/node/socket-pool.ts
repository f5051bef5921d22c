// A pool of short-lived, connected UDP sockets shared by many queries (the wire resolver's default).
import { createSocket, type Socket } from 'node:dgram';
import { interpretResponse, type Query } from '../message.js';
import type { DnsRecordType } from '../types.js';
import { networkError, type Settled, waitEnded } from './exchange.js';
import { queryBytes } from './query-bytes.js';
import { randomId } from './query-id.js';
import { type DnsServer, serverLabel } from './server-address.js';

interface PendingQuery {
  readonly server: DnsServer;
  readonly query: Query<DnsRecordType>;
  readonly settle: (result: Settled<DnsRecordType>) => void;
  /** Why the last datagram with this ID did not decode: MALFORMED if nothing better comes. */
  undecodable?: string;
}

interface PooledSocket {
  readonly socket: Socket;
  readonly pending: Map<number, PendingQuery>;
  /** Resolves once the socket is bound (to an OS-chosen random port) and connected to its server. */
  readonly ready: Promise<Error | undefined>;
  connected: boolean;
  uses: number;
  /** Past its quota or its age: takes no new query, and closes once its last query settles. */
  retired: boolean;
}

/** The sockets of one server: those in service, chosen at random per query, and spares opened ahead. */
interface ServerSockets {
  readonly server: DnsServer;
  readonly slots: (PooledSocket | undefined)[];
  readonly spares: PooledSocket[];
  refilling: boolean;
}

/** How the pool sizes and rotates its sockets. */
export interface SocketPoolLimits {
  /** Sockets in service per server. */
  readonly sockets: number;
  /** Queries a socket serves before it is retired. */
  readonly queriesPerSocket: number;
  /** Milliseconds a socket may live, busy or idle, before it is retired. */
  readonly maxSocketAgeMs: number;
}

const POOL_RECEIVE_BUFFER = 4 * 1024 * 1024;
/** Sockets opened ahead per server, so a retired one is replaced without waiting for a connect. */
const SPARES = 2;

/**
 * Connected UDP sockets shared by many queries. Each is bound to its own OS-chosen (random)
 * port and connected to one server, so the kernel drops datagrams from anywhere else; answers
 * are dispatched by ID and then checked like any answer (server, port, question: RFC 5452).
 * Each query goes out on a socket chosen at random; a socket is retired after a set number of
 * queries or a set age, whichever comes first, and closes once its last query settles. Its
 * replacement is opened ahead of time, off the path of any query.
 */
export class SocketPool {
  private readonly servers = new Map<string, ServerSockets>();
  private closed = false;

  constructor(private readonly limits: SocketPoolLimits) {}

  async exchange<T extends DnsRecordType>(server: DnsServer, query: Query<T>, timeout: number): Promise<Settled<T>> {
    if (this.closed) return networkError(server, new Error('the resolver is closed'));
    const slot = this.acquire(server);
    let id = query.id;
    while (slot.pending.has(id)) id = randomId();
    const ownQuery = id === query.id ? query : { ...query, id };
    const result = new Promise<Settled<T>>((resolve) => {
      const timer = setTimeout(() => {
        const undecodable = slot.pending.get(id)?.undecodable;
        slot.pending.delete(id);
        this.release(slot);
        resolve(waitEnded(server, timeout, undecodable));
      }, timeout);
      slot.pending.set(id, {
        server,
        query: ownQuery,
        settle: (settled) => {
          clearTimeout(timer);
          slot.pending.delete(id);
          this.release(slot);
          resolve(settled as Settled<T>);
        },
      });
    });
    const connectError = slot.connected ? undefined : await slot.ready;
    if (connectError) {
      slot.pending.get(id)?.settle(networkError(server, connectError));
    } else if (slot.pending.has(id)) {
      slot.socket.send(queryBytes(ownQuery), (error) => {
        if (error) slot.pending.get(id)?.settle(networkError(server, error));
      });
    }
    return result;
  }

  close(): void {
    this.closed = true;
    const error = new Error('the resolver is closed');
    for (const sockets of this.servers.values()) {
      for (const slot of [...sockets.slots, ...sockets.spares]) if (slot) this.discard(slot, error);
    }
    this.servers.clear();
  }

  private acquire(server: DnsServer): PooledSocket {
    const key = serverLabel(server);
    let sockets = this.servers.get(key);
    if (sockets === undefined) {
      sockets = { server, slots: Array.from({ length: this.limits.sockets }), spares: [], refilling: false };
      this.servers.set(key, sockets);
    }
    const index = randomId() % this.limits.sockets;
    let slot = sockets.slots[index];
    if (slot === undefined || slot.retired) {
      slot = this.replacement(sockets);
      sockets.slots[index] = slot;
    }
    // Retired on its last query: it takes no more, and closes once that query settles.
    if (++slot.uses >= this.limits.queriesPerSocket) slot.retired = true;
    return slot;
  }

  /** A connected spare if one is ready (then another is opened after this turn), else a new socket. */
  private replacement(sockets: ServerSockets): PooledSocket {
    const index = sockets.spares.findIndex((spare) => spare.connected);
    const spare = index >= 0 ? sockets.spares.splice(index, 1)[0] : undefined;
    if (!sockets.refilling && !this.closed) {
      sockets.refilling = true;
      setImmediate(() => {
        sockets.refilling = false;
        while (!this.closed && sockets.spares.length < SPARES) sockets.spares.push(this.open(sockets.server));
      });
    }
    return spare ?? this.open(sockets.server);
  }

  private retire(slot: PooledSocket): void {
    slot.retired = true;
    this.release(slot);
  }

  private release(slot: PooledSocket): void {
    if (slot.retired && slot.pending.size === 0) this.drop(slot);
  }

  private open(server: DnsServer): PooledSocket {
    const socket = createSocket({ type: server.family === 6 ? 'udp6' : 'udp4' });
    // Connecting binds the socket to a port the OS picks at random from its ephemeral range.
    const ready = new Promise<Error | undefined>((resolve) => {
      socket.once('error', resolve);
      socket.connect(server.port, server.address, () => {
        socket.off('error', resolve);
        try {
          socket.setRecvBufferSize(POOL_RECEIVE_BUFFER);
        } catch {
          // the OS keeps its own limit (net.core.rmem_max); a smaller buffer only risks drops under bursts
        }
        slot.connected = true;
        resolve(undefined);
      });
    });
    const slot: PooledSocket = { socket, pending: new Map(), ready, connected: false, uses: 0, retired: false };
    socket.on('message', (message, remote) => {
      if (message.length < 2) return;
      const pending = slot.pending.get(message.readUInt16BE(0));
      if (pending === undefined || remote.address !== pending.server.address || remote.port !== pending.server.port)
        return;
      const result = interpretResponse(
        new Uint8Array(message.buffer, message.byteOffset, message.length),
        pending.query,
      );
      if (result.kind !== 'ignore') pending.settle(result);
      else if (result.undecodable) pending.undecodable = result.reason;
    });
    // On a connected socket an ICMP "port unreachable" arrives as ECONNREFUSED: fail fast.
    socket.on('error', (error) => this.discard(slot, error));
    socket.unref();
    // A socket's port is not used for long, however idle the resolver: the timer retires it.
    setTimeout(() => this.retire(slot), this.limits.maxSocketAgeMs).unref();
    return slot;
  }

  private discard(slot: PooledSocket, error: Error): void {
    for (const pending of [...slot.pending.values()]) pending.settle(networkError(pending.server, error));
    this.drop(slot);
  }

  /** Takes `slot` out of service and closes it. */
  private drop(slot: PooledSocket): void {
    slot.retired = true;
    for (const sockets of this.servers.values()) {
      const index = sockets.slots.indexOf(slot);
      if (index >= 0) sockets.slots[index] = undefined;
      const spare = sockets.spares.indexOf(slot);
      if (spare >= 0) sockets.spares.splice(spare, 1);
    }
    try {
      slot.socket.close();
    } catch {
      // closed already
    }
  }
}
