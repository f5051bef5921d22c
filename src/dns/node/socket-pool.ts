// A pool of long-lived, connected UDP sockets shared by many queries (the wire resolver's `pool` option).
import { createSocket, type Socket } from 'node:dgram';
import { encodeQuery, interpretResponse, type Query } from '../message.js';
import type { DnsRecordType } from '../types.js';
import { networkError, type Settled, waitEnded } from './exchange.js';
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
  /** Resolves once the socket is connected to its server. */
  readonly ready: Promise<Error | undefined>;
  uses: number;
}

const POOL_RECEIVE_BUFFER = 4 * 1024 * 1024;

/**
 * Long-lived UDP sockets shared by many queries. Each socket is connected to one server, so
 * the kernel itself drops datagrams from anywhere else and sends need no address lookup;
 * answers are dispatched by ID and then checked like any answer (server, port, question).
 * A socket is retired after a set number of queries and closed once its last query settles.
 */
export class SocketPool {
  private readonly slots = new Map<string, (PooledSocket | undefined)[]>();
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly queriesPerSocket: number,
  ) {}

  async exchange<T extends DnsRecordType>(server: DnsServer, query: Query<T>, timeout: number): Promise<Settled<T>> {
    if (this.closed) return networkError(server, new Error('the resolver is closed'));
    const key = serverLabel(server);
    const slot = this.acquire(key, server);
    let id = query.id;
    while (slot.pending.has(id)) id = randomId();
    const ownQuery = { ...query, id };
    const result = new Promise<Settled<T>>((resolve) => {
      const timer = setTimeout(() => {
        const undecodable = slot.pending.get(id)?.undecodable;
        slot.pending.delete(id);
        this.release(slot, key);
        resolve(waitEnded(server, timeout, undecodable));
      }, timeout);
      slot.pending.set(id, {
        server,
        query: ownQuery,
        settle: (settled) => {
          clearTimeout(timer);
          slot.pending.delete(id);
          this.release(slot, key);
          resolve(settled as Settled<T>);
        },
      });
    });
    const connectError = await slot.ready;
    if (connectError) {
      slot.pending.get(id)?.settle(networkError(server, connectError));
    } else if (slot.pending.has(id)) {
      slot.socket.send(encodeQuery(ownQuery), (error) => {
        if (error) slot.pending.get(id)?.settle(networkError(server, error));
      });
    }
    return result;
  }

  close(): void {
    this.closed = true;
    for (const slots of this.slots.values()) {
      for (const slot of slots) if (slot) this.discard(slot, new Error('the resolver is closed'));
    }
    this.slots.clear();
  }

  private acquire(key: string, server: DnsServer): PooledSocket {
    let slots = this.slots.get(key);
    if (slots === undefined) {
      slots = Array.from({ length: this.size }, () => undefined);
      this.slots.set(key, slots);
    }
    const index = randomId() % this.size;
    let slot = slots[index];
    if (slot === undefined || slot.uses >= this.queriesPerSocket) {
      // A retired socket stays open for its pending queries and closes after the last one.
      if (slot && slot.pending.size === 0) closeQuietly(slot.socket);
      slot = this.open(server);
      slots[index] = slot;
    }
    slot.uses++;
    return slot;
  }

  private release(slot: PooledSocket, key: string): void {
    if (slot.pending.size === 0 && !(this.slots.get(key)?.includes(slot) ?? false)) closeQuietly(slot.socket);
  }

  private open(server: DnsServer): PooledSocket {
    const socket = createSocket({ type: server.family === 6 ? 'udp6' : 'udp4' });
    const ready = new Promise<Error | undefined>((resolve) => {
      socket.once('error', resolve);
      socket.connect(server.port, server.address, () => {
        socket.off('error', resolve);
        try {
          socket.setRecvBufferSize(POOL_RECEIVE_BUFFER);
        } catch {
          // the OS keeps its own limit (net.core.rmem_max); a smaller buffer only risks drops under bursts
        }
        resolve(undefined);
      });
    });
    const slot: PooledSocket = { socket, pending: new Map(), ready, uses: 0 };
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
    return slot;
  }

  private discard(slot: PooledSocket, error: Error): void {
    for (const pending of [...slot.pending.values()]) pending.settle(networkError(pending.server, error));
    for (const slots of this.slots.values()) {
      const index = slots.indexOf(slot);
      if (index >= 0) slots[index] = undefined;
    }
    closeQuietly(slot.socket);
  }
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // closed already
  }
}
