// A DoH endpoint (RFC 8484, GET and POST) on 127.0.0.1 answering from a zone resolver.
import { createServer, type Server } from 'node:http';
import dnsPacket from 'dns-packet';
import type { ZoneResolver } from '../../src/index.js';
import { readDohQuery } from '../../src/node.js';
import { answerFromZone } from './dns-server.js';

export type DohMisbehaviour = 'normal' | 'http-500' | 'http-404' | 'wrong-type' | 'hang' | 'huge' | 'other-question';

export interface TestDohServer {
  readonly url: string;
  readonly requests: { method: string; id: number }[];
  setBehaviour(behaviour: DohMisbehaviour): void;
  close(): Promise<void>;
}

export async function startDohServer(zone: ZoneResolver): Promise<TestDohServer> {
  let behaviour: DohMisbehaviour = 'normal';
  const requests: { method: string; id: number }[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/dns-query') {
      res.writeHead(404).end();
      return;
    }
    // The helper mutates queries with dns-packet, so it reads them as dns-packet packets.
    const query = (await readDohQuery(req)) as dnsPacket.DecodedPacket | null;
    if (query === null) {
      res.writeHead(400).end();
      return;
    }
    requests.push({ method: req.method ?? '', id: query.id ?? -1 });
    switch (behaviour) {
      case 'http-500':
        res.writeHead(500).end();
        return;
      case 'http-404':
        res.writeHead(404).end();
        return;
      case 'wrong-type':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
        return;
      case 'hang':
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/dns-message' });
        res.end(Buffer.alloc(70_000));
        return;
      case 'other-question': {
        const other = dnsPacket.decode(
          dnsPacket.encode({ ...query, questions: [{ name: 'other.example', type: 'TXT' }] } as dnsPacket.Packet),
        );
        const answer = await answerFromZone(zone, other);
        res.writeHead(200, { 'content-type': 'application/dns-message' }).end(answer);
        return;
      }
      default: {
        const answer = await answerFromZone(zone, query);
        if (!answer) return;
        res.writeHead(200, { 'content-type': 'application/dns-message', 'cache-control': 'max-age=60' }).end(answer);
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/dns-query`,
    requests,
    setBehaviour(next) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
