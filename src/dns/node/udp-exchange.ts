// One question over UDP on a fresh socket (a fresh random source port), answers checked per RFC 5452.
import { createSocket } from 'node:dgram';
import { interpretResponse, type Query } from '../message.js';
import type { DnsRecordType } from '../types.js';
import { networkError, type OpenSockets, type Settled, waitEnded } from './exchange.js';
import { queryBytes } from './query-bytes.js';
import type { DnsServer } from './server-address.js';

/**
 * Sends `query` to `server` from a socket of its own and waits `timeout` ms for the answer.
 * Datagrams from any other address or port, or not answering this query, are dropped while the
 * wait goes on, so a spoofed packet cannot end it.
 */
export function udpExchange<T extends DnsRecordType>(
  server: DnsServer,
  query: Query<T>,
  timeout: number,
  open: OpenSockets,
): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: server.family === 6 ? 'udp6' : 'udp4' });
    open.add(socket);
    let done = false;
    const finish = (result: Settled<T>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      open.delete(socket);
      try {
        socket.close();
      } catch {
        // already closed by close(): the answer below still settles the query
      }
      resolve(result);
    };
    // A datagram with our ID that does not decode cannot be matched to the question: it is
    // dropped and the wait goes on; only if nothing better comes is the answer MALFORMED.
    let undecodable: string | undefined;
    const timer = setTimeout(() => finish(waitEnded(server, timeout, undecodable)), timeout);
    socket.on('message', (message, remote) => {
      // RFC 5452: only the server we asked, on the port we asked, counts.
      if (remote.address !== server.address || remote.port !== server.port) return;
      const result = interpretResponse(new Uint8Array(message.buffer, message.byteOffset, message.length), query);
      if (result.kind !== 'ignore') finish(result);
      else if (result.undecodable) undecodable = result.reason;
    });
    socket.on('error', (error) => finish(networkError(server, error)));
    socket.on('close', () => finish(networkError(server, new Error('socket closed'))));
    socket.send(queryBytes(query), server.port, server.address, (error) => {
      if (error) finish(networkError(server, error));
    });
  });
}
