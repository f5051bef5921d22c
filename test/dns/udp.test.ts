// The wire resolver against a misbehaving in-process server: spoofing, truncation, retries, the socket pool.
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createZoneResolver, type DnsAnswer } from '../../src/index.js';
import { createUdpResolver, parseServer } from '../../src/node.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';

const zone = createZoneResolver({
  's1._domainkey.example.com': { TXT: [['v=DKIM1; k=rsa; p=MIIB', 'AQAB']] },
  'big._domainkey.example.com': { TXT: [['a'.repeat(255), 'b'.repeat(255), 'c'.repeat(100)], ['v=DKIM1; p=']] },
  'tok._domainkey.example.com': { CNAME: 'tok.dkim.amazonses.com' },
  'tok.dkim.amazonses.com': { TXT: [['v=DKIM1; p=AAAA']] },
  'dangling._domainkey.example.com': { CNAME: 'gone.example.net' },
  'loop-a.example.com': { CNAME: 'loop-b.example.com' },
  'loop-b.example.com': { CNAME: 'loop-a.example.com' },
  'x.y.example.com': { A: ['192.0.2.7'] },
});

let server: TestDnsServer;
beforeAll(async () => {
  server = await startDnsServer(zone);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.setBehaviour('normal');
  server.queries.udp = 0;
  server.queries.tcp = 0;
});

const fast = { timeout: 150, attempts: 2, backoff: { min: 5, max: 10 } };
const resolver = () => createUdpResolver({ servers: [server.server], ...fast });
const strings = (answer: DnsAnswer) =>
  answer.kind === 'records'
    ? (answer.records as Uint8Array[][]).map((r) => r.map((s) => new TextDecoder().decode(s)))
    : [];

describe('wire resolver against an in-process server', () => {
  it('resolves TXT with its strings as bytes, the TTL and no AD bit', async () => {
    const answer = await resolver().resolve('s1._domainkey.example.com', 'TXT');
    expect(answer).toMatchObject({ kind: 'records', ttl: 300, authenticated: false, chain: [] });
    expect(strings(answer)).toEqual([['v=DKIM1; k=rsa; p=MIIB', 'AQAB']]);
  });

  it('tells NXDOMAIN from NODATA and keeps the chain of a dangling CNAME', async () => {
    const r = resolver();
    expect(await r.resolve('none.example.com', 'TXT')).toMatchObject({ kind: 'NXDOMAIN' });
    expect(await r.resolve('y.example.com', 'TXT')).toMatchObject({ kind: 'NODATA' });
    expect(await r.resolve('dangling._domainkey.example.com', 'TXT')).toMatchObject({
      kind: 'NXDOMAIN',
      chain: [{ name: 'dangling._domainkey.example.com', target: 'gone.example.net' }],
    });
  });

  it('follows a CNAME the answer carries', async () => {
    const answer = await resolver().resolve('tok._domainkey.example.com', 'TXT');
    expect(answer).toMatchObject({ kind: 'records', chain: [{ target: 'tok.dkim.amazonses.com' }] });
  });

  it('re-queries the target when the answer stops at a CNAME', async () => {
    // Answer CNAME questions with the CNAME alone, as an authoritative server does for an out-of-zone target.
    server.setBehaviour((query) =>
      query.questions?.[0]?.name.startsWith('tok._domainkey')
        ? {
            mutate: () =>
              dnsPacket.encode({
                type: 'response',
                id: query.id,
                flags: dnsPacket.AUTHORITATIVE_ANSWER,
                questions: query.questions,
                answers: [
                  { type: 'CNAME', name: 'tok._domainkey.example.com', ttl: 60, data: 'tok.dkim.amazonses.com' },
                ],
              }),
          }
        : 'normal',
    );
    const answer = await resolver().resolve('tok._domainkey.example.com', 'TXT');
    expect(answer).toMatchObject({
      kind: 'records',
      chain: [{ name: 'tok._domainkey.example.com', target: 'tok.dkim.amazonses.com' }],
    });
    expect(server.queries.udp).toBe(2);
  });

  it('turns a CNAME loop into SERVFAIL', async () => {
    expect(await resolver().resolve('loop-a.example.com', 'TXT')).toMatchObject({ kind: 'SERVFAIL' });
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    server.setBehaviour('truncate');
    const answer = await resolver().resolve('s1._domainkey.example.com', 'TXT');
    expect(answer.kind).toBe('records');
    expect(server.queries).toEqual({ udp: 1, tcp: 1 });
  });

  it('with EDNS off, a record set over 512 bytes arrives by TCP', async () => {
    const answer = await createUdpResolver({ servers: [server.server], ...fast, edns: false }).resolve(
      'big._domainkey.example.com',
      'TXT',
    );
    expect(strings(answer).map((r) => r.join('').length)).toEqual([610, 11]);
    expect(server.queries.tcp).toBe(1);
  });

  it.each([
    ['spoof-id-then-real', 'a wrong ID'],
    ['spoof-question-then-real', 'a wrong question'],
    ['spoof-port-then-real', 'a wrong source port'],
    ['not-a-response', 'a query echoed back'],
  ] as const)('drops %s (%s) and takes the real answer', async (mode, _what) => {
    server.setBehaviour(mode);
    const answer = await resolver().resolve('s1._domainkey.example.com', 'TXT');
    expect(strings(answer)).toEqual([['v=DKIM1; k=rsa; p=MIIB', 'AQAB']]);
  });

  it('times out when only spoofed answers arrive, after retrying', async () => {
    server.setBehaviour('spoof-id-only');
    const answer = await resolver().resolve('s1._domainkey.example.com', 'TXT');
    expect(answer.kind).toBe('TIMEOUT');
    expect(server.queries.udp).toBe(2);
  });

  it.each([
    ['servfail', 'SERVFAIL', 2],
    ['refused', 'REFUSED', 1],
    ['notimp', 'REFUSED', 1],
    ['formerr', 'REFUSED', 1],
    ['silence', 'TIMEOUT', 2],
    ['garbage', 'MALFORMED', 1],
  ] as const)('%s gives %s after %i attempt(s)', async (mode, kind, attempts) => {
    server.setBehaviour(mode);
    expect(await resolver().resolve('s1._domainkey.example.com', 'TXT')).toMatchObject({ kind });
    expect(server.queries.udp).toBe(attempts);
  });

  it('reports an oversized datagram of garbage with the right ID as MALFORMED', async () => {
    server.setBehaviour('oversized');
    expect(await resolver().resolve('s1._domainkey.example.com', 'TXT')).toMatchObject({ kind: 'MALFORMED' });
  });

  it('with pool: false, opens a fresh socket, so a new source port, for every query', async () => {
    const ports = new Set<number>();
    const watch = (_message: Buffer, remote: { port: number }) => ports.add(remote.port);
    server.onQuery(watch);
    const r = createUdpResolver({ servers: [server.server], ...fast, pool: false });
    for (let i = 0; i < 12; i++) await r.resolve('s1._domainkey.example.com', 'TXT');
    server.offQuery(watch);
    // Ephemeral ports are random; two of twelve may coincide, rarely more.
    expect(ports.size).toBeGreaterThanOrEqual(10);
  });

  it('fails over to the next server', async () => {
    const dead = createUdpResolver({ servers: ['127.0.0.1:9', server.server], ...fast, timeout: 100 });
    const answer = await dead.resolve('s1._domainkey.example.com', 'TXT');
    expect(answer.kind).toBe('records');
  });

  it('reports a network error when nothing listens, after its attempts', async () => {
    const nobody = createUdpResolver({
      servers: ['127.0.0.1:9'],
      timeout: 100,
      attempts: 2,
      backoff: { min: 1, max: 2 },
    });
    const answer = await nobody.resolve('s1._domainkey.example.com', 'TXT');
    expect(['NETWORK_ERROR', 'TIMEOUT']).toContain(answer.kind);
  });

  it('caches positive answers for their TTL on the injected clock', async () => {
    let clock = 1_000_000;
    const cached = createUdpResolver({ servers: [server.server], ...fast, cache: true, now: () => clock });
    await cached.resolve('s1._domainkey.example.com', 'TXT');
    await cached.resolve('S1._domainkey.example.com.', 'TXT');
    expect(server.queries.udp).toBe(1);
    clock += 301_000;
    await cached.resolve('s1._domainkey.example.com', 'TXT');
    expect(server.queries.udp).toBe(2);
    await cached.resolve('none.example.com', 'TXT');
    await cached.resolve('none.example.com', 'TXT');
    expect(server.queries.udp).toBe(4);
  });

  it('answers NETWORK_ERROR once closed', async () => {
    const r = resolver();
    await r.close?.();
    expect(await r.resolve('s1._domainkey.example.com', 'TXT')).toMatchObject({ kind: 'NETWORK_ERROR' });
  });
});

describe('server addresses', () => {
  it.each([
    ['127.0.0.1:5300', { address: '127.0.0.1', port: 5300, family: 4 }],
    ['[::1]:53', { address: '::1', port: 53, family: 6 }],
    ['::1', { address: '::1', port: 53, family: 6 }],
    ['192.0.2.1', { address: '192.0.2.1', port: 53, family: 4 }],
  ])('%s', (text, expected) => {
    expect(parseServer(text)).toEqual(expected);
  });

  it.each(['example.com', '1.2.3.4:0', '1.2.3.4:70000', '[::1', ''])('refuses %j', (text) => {
    expect(() => parseServer(text)).toThrow(/not a DNS server/);
  });
});

describe('wire resolver with a socket pool', () => {
  const pooled = (queriesPerSocket = 100) =>
    createUdpResolver({ servers: [server.server], ...fast, pool: { sockets: 4, queriesPerSocket } });

  it('resolves many concurrent questions, each answer to its own question', async () => {
    const r = pooled();
    const names = ['s1._domainkey.example.com', 'none.example.com', 'tok._domainkey.example.com', 'y.example.com'];
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => r.resolve(names[i % 4] as string, 'TXT')));
    expect(answers.map((a) => a.kind)).toEqual(
      Array.from({ length: 200 }, (_, i) => ['records', 'NXDOMAIN', 'records', 'NODATA'][i % 4]),
    );
    await r.close?.();
  });

  it.each(['spoof-id-then-real', 'spoof-question-then-real', 'spoof-port-then-real'] as const)(
    'drops %s and takes the real answer',
    async (mode) => {
      server.setBehaviour(mode);
      const r = pooled();
      expect(strings(await r.resolve('s1._domainkey.example.com', 'TXT'))).toEqual([
        ['v=DKIM1; k=rsa; p=MIIB', 'AQAB'],
      ]);
      await r.close?.();
    },
  );

  it('retires a socket after its quota, so source ports keep changing', async () => {
    const ports = new Set<number>();
    const watch = (_message: Buffer, remote: { port: number }) => ports.add(remote.port);
    server.onQuery(watch);
    const r = pooled(2);
    for (let i = 0; i < 12; i++) await r.resolve('s1._domainkey.example.com', 'TXT');
    server.offQuery(watch);
    expect(ports.size).toBeGreaterThanOrEqual(4);
    await r.close?.();
  });

  it('by default spreads sustained concurrent load over many ports, none serving more than its quota', async () => {
    const ports = new Map<number, number>();
    const watch = (_message: Buffer, remote: { port: number }) =>
      ports.set(remote.port, (ports.get(remote.port) ?? 0) + 1);
    server.onQuery(watch);
    const r = createUdpResolver({ servers: [server.server], ...fast, timeout: 2000 });
    let next = 0;
    const worker = async () => {
      while (next < 2000) {
        next++;
        expect((await r.resolve('s1._domainkey.example.com', 'TXT')).kind).toBe('records');
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    server.offQuery(watch);
    // 2,000 queries at 100 per socket: at least 20 sockets, each on an OS-chosen random port (two
    // sockets may rarely draw the same port number one after the other, hence the margins).
    expect(ports.size).toBeGreaterThanOrEqual(18);
    expect(Math.max(...ports.values())).toBeLessThanOrEqual(200);
    await r.close?.();
  });

  it('retires a socket after its age, however few queries it served', async () => {
    const ports: number[] = [];
    const watch = (_message: Buffer, remote: { port: number }) => ports.push(remote.port);
    server.onQuery(watch);
    const r = createUdpResolver({
      servers: [server.server],
      ...fast,
      pool: { sockets: 1, queriesPerSocket: 1000, maxSocketAgeMs: 500 },
    });
    await r.resolve('s1._domainkey.example.com', 'TXT');
    await r.resolve('s1._domainkey.example.com', 'TXT');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await r.resolve('s1._domainkey.example.com', 'TXT');
    server.offQuery(watch);
    expect(ports[1]).toBe(ports[0]);
    expect(ports[2]).not.toBe(ports[0]);
    await r.close?.();
  });

  it.each([{ sockets: 0 }, { sockets: 1.5 }, { queriesPerSocket: -1 }, { maxSocketAgeMs: 0 }])(
    'refuses pool options %j',
    (pool) => {
      expect(() => createUdpResolver({ servers: [server.server], pool })).toThrow(/must be a positive/);
    },
  );

  it('fails fast with NETWORK_ERROR when nothing listens (ICMP on a connected socket)', async () => {
    const r = createUdpResolver({ servers: ['127.0.0.1:9'], timeout: 1000, attempts: 1, pool: { sockets: 1 } });
    const started = performance.now();
    expect(await r.resolve('a.example.com', 'TXT')).toMatchObject({ kind: 'NETWORK_ERROR' });
    expect(performance.now() - started).toBeLessThan(900);
    await r.close?.();
  });
});
