// One question over TCP, for answers too big for UDP (the TC bit).
import { connect } from 'node:net';
import { encodeQuery, interpretResponse, MAX_MESSAGE_SIZE, type Query } from '../message.js';
import type { DnsRecordType } from '../types.js';
import { type Final, networkError, type OpenSockets, timedOut } from './exchange.js';
import { type DnsServer, serverLabel } from './server-address.js';
import { FrameReader, frameMessage } from './tcp-framing.js';

/** Asks `query` over a TCP connection of its own; the first whole message is the answer. */
export function tcpExchange<T extends DnsRecordType>(
  server: DnsServer,
  query: Query<T>,
  timeout: number,
  open: OpenSockets,
): Promise<Final<T>> {
  return new Promise((resolve) => {
    const socket = connect({ host: server.address, port: server.port, family: server.family });
    open.add(socket);
    let done = false;
    const reader = new FrameReader();
    let received = 0;
    const finish = (result: Final<T>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      open.delete(socket);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(timedOut(server, timeout, 'TCP answer')), timeout);
    socket.on('connect', () => socket.write(frameMessage(encodeQuery(query))));
    socket.on('data', (data: Buffer) => {
      received += data.length;
      if (received > 2 + MAX_MESSAGE_SIZE) {
        finish({ kind: 'answer', answer: { kind: 'MALFORMED', detail: 'the TCP answer runs past its length' } });
        return;
      }
      const message = reader.push(data)[0];
      if (message === undefined) return;
      const result = interpretResponse(message, query);
      if (result.kind === 'ignore' || result.kind === 'truncated') {
        const detail = `unusable TCP answer from ${serverLabel(server)}`;
        finish({ kind: 'answer', answer: { kind: 'MALFORMED', detail } });
      } else {
        finish(result);
      }
    });
    socket.on('error', (error) => finish(networkError(server, error)));
    socket.on('close', () => finish(networkError(server, new Error('connection closed before the answer'))));
  });
}
