// The wire resolvers (fresh sockets and the pool) against the hostile DNS server: issue #13 D8, W7-W10.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveFollowingCnames } from '../../src/dns/message.js';
import { createZoneResolver, type DnsAnswer } from '../../src/index.js';
import { createUdpResolver } from '../../src/node.js';
import {
  garbageOnly,
  garbageThenReal,
  rdlengthPastEnd,
  refusalWithoutQuestion,
  splitChain,
  startDnsServer,
  type TestDnsServer,
  txtWithTtl,
} from './fixtures/dns.js';

const NAME = 's1._domainkey.example.com';
const RECORD = 'v=DKIM1; k=rsa; p=MIIB';
const zone = createZoneResolver({ [NAME]: { TXT: [[RECORD]] } });
const chain = (length: number) => [NAME, ...Array.from({ length }, (_, i) => `c${i + 1}.example.net`)];

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

const fast = { timeout: 300, attempts: 2, backoff: { min: 5, max: 10 } };
const text = (answer: DnsAnswer) =>
  answer.kind === 'records' ? (answer.records as Uint8Array[][]).map((r) => new TextDecoder().decode(r[0])) : [];

describe.each([
  ['the default (a socket pool)', {}],
  ['fresh sockets', { pool: false }],
  ['a pool of 2 sockets', { pool: { sockets: 2 } }],
] as const)('hostile DNS answers, %s', (_label, extra) => {
  const resolver = (options = {}) => createUdpResolver({ servers: [server.server], ...fast, ...extra, ...options });

  it('#13 D8 counts one CNAME limit across answers: 8, then 8 more and the TXT, is SERVFAIL', async () => {
    server.setBehaviour(splitChain(chain(16), 8, RECORD));
    const answer = await resolver().resolve(NAME, 'TXT');
    expect(answer).toMatchObject({ kind: 'SERVFAIL', detail: 'more than 8 CNAMEs' });
    expect(answer.chain?.length).toBe(9);
  });

  it('#13 D8 a 9-CNAME chain in answers of 5 is SERVFAIL; 8 in answers of 5 is still answered', async () => {
    server.setBehaviour(splitChain(chain(9), 5, RECORD));
    expect(await resolver().resolve(NAME, 'TXT')).toMatchObject({ kind: 'SERVFAIL' });
    server.setBehaviour(splitChain(chain(8), 5, RECORD));
    const answer = await resolver().resolve(NAME, 'TXT');
    expect(answer).toMatchObject({ kind: 'records' });
    expect(answer.chain?.map((step) => step.target)).toEqual(chain(8).slice(1));
  });

  it('#13 D8 finds a CNAME loop that spans two answers', async () => {
    const names = [NAME, 'c1.example.net', 'c2.example.net', NAME, 'c1.example.net'];
    server.setBehaviour(splitChain(names, 2, RECORD));
    expect(await resolver().resolve(NAME, 'TXT')).toMatchObject({ kind: 'SERVFAIL', detail: `CNAME loop at ${NAME}` });
  });

  it('#13 W7 treats a TTL with the top bit set as 0 and does not cache it', async () => {
    server.setBehaviour(txtWithTtl(RECORD, 2 ** 31 + 5));
    const cached = resolver({ cache: true });
    expect(await cached.resolve(NAME, 'TXT')).toMatchObject({ kind: 'records', ttl: 0 });
    await cached.resolve(NAME, 'TXT');
    expect(server.queries.udp).toBe(2);
    server.setBehaviour(txtWithTtl(RECORD, 2 ** 31 - 1));
    expect(await resolver().resolve(NAME, 'TXT')).toMatchObject({ ttl: 2 ** 31 - 1 });
  });

  it('#13 W8 drops a datagram with the right ID that does not decode and takes the real answer after it', async () => {
    server.setBehaviour(garbageThenReal());
    const answer = await resolver().resolve(NAME, 'TXT');
    expect(text(answer)).toEqual([RECORD]);
    expect(server.queries.udp).toBe(1);
  });

  it('#13 W8 reports MALFORMED only when the wait ends with nothing but undecodable datagrams', async () => {
    server.setBehaviour(garbageOnly());
    const started = performance.now();
    expect(await resolver().resolve(NAME, 'TXT')).toMatchObject({ kind: 'MALFORMED' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(fast.timeout - 20);
  });

  it.each(['REFUSED', 'FORMERR', 'NOTIMP'] as const)(
    '#13 W9 %s without a question section, with the right ID, is REFUSED at once',
    async (rcode) => {
      server.setBehaviour(refusalWithoutQuestion(rcode));
      const started = performance.now();
      expect(await resolver().resolve(NAME, 'TXT')).toMatchObject({
        kind: 'REFUSED',
        detail: expect.stringContaining(rcode),
      });
      expect(performance.now() - started).toBeLessThan(fast.timeout);
      expect(server.queries.udp).toBe(1);
    },
  );

  it('#13 W9 a question-less REFUSED with another ID is still dropped (TIMEOUT)', async () => {
    server.setBehaviour(refusalWithoutQuestion('REFUSED', { wrongId: true }));
    expect(await resolver().resolve(NAME, 'TXT')).toMatchObject({ kind: 'TIMEOUT' });
  });

  it('#13 W10 a key record whose RDLENGTH runs past the end of the message is MALFORMED', async () => {
    server.setBehaviour(rdlengthPastEnd(RECORD, 25));
    expect(await resolver().resolve(NAME, 'TXT')).toMatchObject({
      kind: 'MALFORMED',
      detail: expect.stringContaining('RDLENGTH'),
    });
    server.setBehaviour(rdlengthPastEnd(RECORD, 0));
    expect(text(await resolver().resolve(NAME, 'TXT'))).toEqual([RECORD]);
  });
});

describe('resolveFollowingCnames, shared by the wire and DoH resolvers', () => {
  // Answers that each end on a CNAME to follow, `per` steps at a time, then the records.
  const askInSteps = (names: readonly string[], per: number) => async (name: string) => {
    const start = names.indexOf(name);
    const end = Math.min(start + per, names.length - 1);
    const chain = names.slice(start, end).map((n, i) => ({ name: n, target: names[start + i + 1] as string }));
    if (end < names.length - 1) return { kind: 'follow' as const, chain, target: names[end] as string };
    const answer: DnsAnswer<'TXT'> = {
      kind: 'records',
      type: 'TXT',
      records: [],
      ttl: 60,
      chain,
      authenticated: false,
    };
    return { kind: 'answer' as const, answer };
  };

  it.each([
    [16, 8, 'SERVFAIL'],
    [9, 5, 'SERVFAIL'],
    [9, 1, 'SERVFAIL'],
    [8, 5, 'records'],
    [8, 1, 'records'],
  ] as const)('#13 D8 a %i-step chain in answers of %i is %s', async (steps, per, kind) => {
    const answer = await resolveFollowingCnames(NAME, 'TXT', askInSteps(chain(steps), per));
    expect(answer.kind).toBe(kind);
    if (kind === 'records') expect(answer.chain).toHaveLength(steps);
  });
});
