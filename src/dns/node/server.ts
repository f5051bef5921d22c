// An authoritative DNS server over UDP and TCP answering from a resolver, and the wire answer it gives.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket from 'dns-packet';
import { hostPort } from '../address.js';
import { type DnsAnswer, type DnsRecordType, MAX_CNAME_STEPS, type Resolver } from '../types.js';
import { FrameReader, frameMessage } from './tcp-framing.js';

/**
 * A decoded DNS query, as far as the server reads it. Our own shape, so the published types
 * need no dns-packet; dns-packet's decoded packets fit it.
 */
export interface DecodedQuery {
  readonly id?: number;
  readonly type?: string;
  readonly flags?: number;
  readonly questions?: readonly { readonly name: string; readonly type: string; readonly class?: string }[];
  readonly additionals?: readonly { readonly type: string; readonly udpPayloadSize?: number }[];
}

/** One resource record of a response, as dns-packet encodes it (`data` per type). */
export interface ResponseRecord {
  readonly type: string;
  readonly name: string;
  readonly ttl?: number;
  readonly data?: unknown;
}

const RCODES: Readonly<Record<string, number>> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};
const SERVED_TYPES = new Set<string>(['TXT', 'CNAME', 'A', 'AAAA', 'NS', 'MX']);

/** Encodes a response to `query` (dns-packet's RCODE lives in the low bits of flags). */
export function encodeResponse(
  query: DecodedQuery,
  rcode: string,
  answers: readonly ResponseRecord[] = [],
  flags = 0,
): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags:
      dnsPacket.AUTHORITATIVE_ANSWER |
      flags |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      (RCODES[rcode] ?? 2),
    questions: query.questions,
    answers,
  } as unknown as dnsPacket.Packet);
}

/**
 * The wire answer a server backed by `resolver` gives to `query`: the CNAME chain, then the
 * records; NXDOMAIN, SERVFAIL or REFUSED as the resolver says; null for silence (TIMEOUT).
 */
export async function answerFromResolver(resolver: Resolver, query: DecodedQuery): Promise<Buffer | null> {
  const question = query.questions?.[0];
  if (!question || query.questions?.length !== 1) return encodeResponse(query, 'FORMERR');
  if (!SERVED_TYPES.has(question.type)) return encodeResponse(query, 'NOTIMP');
  const answer = (await resolver.resolve(question.name, question.type as DnsRecordType)) as DnsAnswer;
  if (answer.kind === 'TIMEOUT') return null;
  const chain = (answer.chain ?? [])
    .slice(0, MAX_CNAME_STEPS + 1)
    .map((step): ResponseRecord => ({ type: 'CNAME', name: step.name, ttl: 300, data: step.target }));
  switch (answer.kind) {
    case 'records': {
      const owner = answer.chain.at(-1)?.target ?? question.name;
      const ttl = answer.ttl ?? 300;
      const records = (answer.records as unknown[]).map(
        (data): ResponseRecord => ({
          type: answer.type,
          name: owner,
          ttl,
          data: answer.type === 'TXT' ? (data as Uint8Array[]).map((s) => Buffer.from(s)) : data,
        }),
      );
      return encodeResponse(query, 'NOERROR', [...chain, ...records]);
    }
    case 'NXDOMAIN':
      return encodeResponse(query, 'NXDOMAIN', chain);
    case 'NODATA':
      return encodeResponse(query, 'NOERROR', chain);
    case 'REFUSED':
      return encodeResponse(query, 'REFUSED');
    default:
      return encodeResponse(query, 'SERVFAIL');
  }
}

/** A running DNS server. */
export interface ZoneServer {
  readonly address: string;
  readonly port: number;
  /** `<address>:<port>`, as resolvers take it. */
  readonly server: string;
  close(): Promise<void>;
}

/**
 * An authoritative DNS server over UDP and TCP on one port, answering from a resolver (a zone
 * resolver, for the demo and emulators). Port 0 picks a free port; it tries again when TCP
 * cannot have the port UDP got. UDP answers over the client's payload size are truncated (TC).
 */
export async function startZoneServer(
  resolver: Resolver,
  options: { readonly address?: string; readonly port?: number } = {},
): Promise<ZoneServer> {
  const address = options.address ?? '127.0.0.1';
  for (let tries = 0; tries < 20; tries++) {
    const udp = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(options.port ?? 0, address, () => resolve());
    });
    const port = udp.address().port;
    const tcp = createServer();
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, address, () => resolve(true));
    });
    if (listening) return serve(resolver, udp, tcp, address, port);
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (options.port) throw new Error(`TCP port ${port} is taken`);
  }
  throw new Error('no free port for UDP and TCP together');
}

function serve(resolver: Resolver, udp: Socket, tcp: Server, address: string, port: number): ZoneServer {
  const connections = new Set<TcpSocket>();
  udp.on('message', async (message, remote) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    if (query.type !== 'query') return;
    let response = await answerFromResolver(resolver, query);
    if (response === null) return;
    const opt = (query.additionals ?? []).find((record) => record.type === 'OPT') as
      | { udpPayloadSize?: number }
      | undefined;
    if (response.length > Math.max(512, opt?.udpPayloadSize ?? 512)) {
      response = encodeResponse(query, 'NOERROR', [], dnsPacket.TRUNCATED_RESPONSE);
    }
    udp.send(response, remote.port, remote.address);
  });
  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(10_000, () => socket.destroy());
    const reader = new FrameReader();
    socket.on('data', async (data: Buffer) => {
      for (const message of reader.push(data)) {
        let query: dnsPacket.DecodedPacket;
        try {
          query = dnsPacket.decode(Buffer.from(message.buffer, message.byteOffset, message.length));
        } catch {
          socket.destroy();
          return;
        }
        const response = await answerFromResolver(resolver, query);
        if (response === null) continue;
        socket.write(frameMessage(response));
      }
    });
  });
  return {
    address,
    port,
    server: hostPort(address, port),
    async close() {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
