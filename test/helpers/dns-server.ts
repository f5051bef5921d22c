// An in-process DNS server on 127.0.0.1 (UDP and TCP on one random port) that answers from a
// zone resolver and can misbehave on purpose: spoofed answers, truncation, error codes,
// garbage, silence. Tests start it and stop it.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket from 'dns-packet';
import { answerFromResolver, encodeResponse } from '../../src/dns/node/server.js';
import type { ZoneResolver } from '../../src/index.js';

export type Misbehaviour =
  | 'normal'
  | 'silence'
  | 'servfail'
  | 'refused'
  | 'notimp'
  | 'formerr'
  | 'truncate'
  | 'garbage'
  | 'oversized'
  | 'spoof-id-then-real'
  | 'spoof-question-then-real'
  | 'spoof-port-then-real'
  | 'spoof-id-only'
  | 'not-a-response'
  | { readonly mutate: (packet: Buffer) => Buffer }
  /** Answers of its own (UDP datagrams in order, `delay` ms apart; over TCP the first one). */
  | {
      readonly reply: (query: dnsPacket.DecodedPacket, real: Buffer | null) => readonly Buffer[];
      readonly delay?: number;
    };

export interface TestDnsServer {
  readonly address: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, as resolvers take it. */
  readonly server: string;
  /** Questions received, UDP and TCP. */
  readonly queries: { udp: number; tcp: number };
  setBehaviour(behaviour: Misbehaviour | ((query: dnsPacket.DecodedPacket) => Misbehaviour)): void;
  /** Watches every UDP datagram received, with its source. */
  onQuery(listener: (message: Buffer, remote: RemoteInfo) => void): void;
  offQuery(listener: (message: Buffer, remote: RemoteInfo) => void): void;
  close(): Promise<void>;
}

type Decoded = dnsPacket.DecodedPacket;

/** The wire answer to `query` from the zone (the product's own server logic). */
export const answerFromZone = (zone: ZoneResolver, query: Decoded) => answerFromResolver(zone, query);

export const respond = (query: Decoded, rcode: string, answers: dnsPacket.Answer[] = [], extraFlags = 0) =>
  encodeResponse(query, rcode, answers, extraFlags);

/** Starts a server answering from `zone`; picks another port if TCP cannot have the UDP one. */
export async function startDnsServer(zone: ZoneResolver): Promise<TestDnsServer> {
  for (let tries = 0; tries < 20; tries++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve());
    });
    const port = udp.address().port;
    const tcp = createServer();
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) return serve(zone, udp, tcp, port);
    udp.close();
  }
  throw new Error('no free port for UDP and TCP');
}

function serve(zone: ZoneResolver, udp: Socket, tcp: Server, port: number): TestDnsServer {
  let behaviour: Misbehaviour | ((query: Decoded) => Misbehaviour) = 'normal';
  const queries = { udp: 0, tcp: 0 };
  const other = createSocket('udp4');
  other.bind(0, '127.0.0.1');
  const connections = new Set<TcpSocket>();

  const decide = (query: Decoded): Misbehaviour => (typeof behaviour === 'function' ? behaviour(query) : behaviour);

  udp.on('message', async (message, remote: RemoteInfo) => {
    queries.udp++;
    let query: Decoded;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const send = (bytes: Buffer, from: Socket = udp) => from.send(bytes, remote.port, remote.address);
    const mode = decide(query);
    const real = await answerFromZone(zone, query);
    const edns = (query.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const limit = edns?.udpPayloadSize ?? 512;
    const fits = (bytes: Buffer | null) =>
      bytes && bytes.length > limit ? respond(query, 'NOERROR', [], dnsPacket.TRUNCATED_RESPONSE) : bytes;
    if (typeof mode === 'object' && 'reply' in mode) {
      mode.reply(query, real).forEach((bytes, i) => {
        if (i === 0) send(bytes);
        else setTimeout(() => send(bytes), i * (mode.delay ?? 20));
      });
      return;
    }
    switch (typeof mode === 'object' ? 'mutate' : mode) {
      case 'normal': {
        const bytes = fits(real);
        if (bytes) send(bytes);
        return;
      }
      case 'silence':
        return;
      case 'servfail':
      case 'refused':
      case 'notimp':
      case 'formerr':
        send(respond(query, (mode as string).toUpperCase()));
        return;
      case 'truncate':
        send(respond(query, 'NOERROR', [], dnsPacket.TRUNCATED_RESPONSE));
        return;
      case 'garbage':
        // The right ID, a response header claiming 65,535 questions, and nothing behind it.
        send(
          Buffer.concat([
            message.subarray(0, 2),
            Buffer.from([0x81, 0x80, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6]),
          ]),
        );
        return;
      case 'oversized':
        send(Buffer.concat([message.subarray(0, 2), Buffer.alloc(70_000 - 2, 0x41)]).subarray(0, 65_000));
        return;
      case 'not-a-response':
        send(message);
        setTimeout(() => {
          const bytes = fits(real);
          if (bytes) send(bytes);
        }, 30);
        return;
      case 'spoof-id-only':
        send(
          dnsPacket.encode({
            ...(dnsPacket.decode(real ?? respond(query, 'NOERROR')) as dnsPacket.Packet),
            id: ((query.id ?? 0) + 1) & 0xffff,
          }),
        );
        return;
      case 'spoof-id-then-real':
      case 'spoof-question-then-real':
      case 'spoof-port-then-real': {
        const packet = dnsPacket.decode(real ?? respond(query, 'NXDOMAIN')) as dnsPacket.Packet;
        const forged = dnsPacket.encode({
          ...packet,
          id: mode === 'spoof-id-then-real' ? ((query.id ?? 0) + 1) & 0xffff : query.id,
          questions:
            mode === 'spoof-question-then-real'
              ? [{ name: `attacker.${query.questions?.[0]?.name ?? 'x'}`, type: 'TXT', class: 'IN' }]
              : packet.questions,
          answers: [{ type: 'TXT', name: query.questions?.[0]?.name ?? 'x', ttl: 60, data: 'v=DKIM1; p=FORGED' }],
        } as dnsPacket.Packet);
        send(forged, mode === 'spoof-port-then-real' ? other : udp);
        setTimeout(() => {
          const bytes = fits(real);
          if (bytes) send(bytes);
        }, 30);
        return;
      }
      default: {
        const base = real ?? respond(query, 'NXDOMAIN');
        send((mode as { mutate: (p: Buffer) => Buffer }).mutate(Buffer.from(base)));
      }
    }
  });

  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', async (data) => {
      buffered = Buffer.concat([buffered, data]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) return;
      queries.tcp++;
      const query = dnsPacket.decode(buffered.subarray(2, 2 + length));
      buffered = buffered.subarray(2 + length);
      const mode = decide(query);
      if (mode === 'silence') return;
      let real = await answerFromZone(zone, query);
      if (typeof mode === 'object' && 'reply' in mode) real = mode.reply(query, real)[0] ?? null;
      if (!real) return;
      const framed = Buffer.alloc(2 + real.length);
      framed.writeUInt16BE(real.length, 0);
      real.copy(framed, 2);
      socket.write(framed);
    });
  });

  return {
    address: '127.0.0.1',
    port,
    server: `127.0.0.1:${port}`,
    queries,
    setBehaviour(next) {
      behaviour = next;
    },
    onQuery(listener) {
      udp.on('message', listener);
    },
    offQuery(listener) {
      udp.off('message', listener);
    },
    async close() {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => other.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
