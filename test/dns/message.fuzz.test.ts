// Fuzzing the response decoder: random and mutated answers never throw, and no query is left hanging.
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpretResponse, type Query } from '../../src/dns/message.js';
import { createZoneResolver } from '../../src/index.js';
import { createUdpResolver } from '../../src/node.js';
import { respond, startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';

const query: Query<'TXT'> = { id: 0x1234, name: 's1._domainkey.example.com', type: 'TXT', edns: true, dnssec: true };
const decodedQuery = dnsPacket.decode(
  dnsPacket.encode({ type: 'query', id: query.id, questions: [{ type: 'TXT', name: query.name, class: 'IN' }] }),
);
const realAnswers: Buffer[] = [
  respond(decodedQuery, 'NOERROR', [
    { type: 'CNAME', name: query.name, ttl: 60, data: 'k.dkim.amazonses.com' },
    { type: 'TXT', name: 'k.dkim.amazonses.com', ttl: 60, data: ['v=DKIM1; k=rsa; p=MIIB', 'AQAB'] },
  ]),
  respond(decodedQuery, 'NXDOMAIN'),
  respond(decodedQuery, 'NOERROR', [{ type: 'TXT', name: query.name, ttl: 60, data: 'x'.repeat(200) }]),
];

const mutation = fc.record({
  base: fc.integer({ min: 0, max: realAnswers.length - 1 }),
  edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  tail: fc.uint8Array({ maxLength: 40 }),
});

function mutate({ base, edits, cut, tail }: typeof mutation extends fc.Arbitrary<infer R> ? R : never): Uint8Array {
  const bytes = Uint8Array.from([...(realAnswers[base] as Buffer), ...tail]);
  // Keep the ID most of the time, so the decoder, not the ID check, meets the damage.
  for (const { at, value } of edits) {
    const index = 2 + (at % Math.max(1, bytes.length - 2));
    bytes[index] = value;
  }
  return cut === undefined ? bytes : bytes.subarray(0, 12 + (cut % Math.max(1, bytes.length - 12)));
}

describe('the response decoder under fuzzing', () => {
  it('never throws on 100,000 random and mutated responses', () => {
    const kinds = new Map<string, number>();
    const packetArb = fc.oneof(
      { weight: 3, arbitrary: mutation.map(mutate) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }).map((b) => Uint8Array.from([0x12, 0x34, ...b])) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }) },
    );
    fc.assert(
      fc.property(packetArb, (packet) => {
        const result = interpretResponse(packet, query);
        const kind = result.kind === 'answer' ? result.answer.kind : result.kind;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        expect(['ignore', 'truncated', 'follow', 'answer']).toContain(result.kind);
      }),
      { numRuns: 100_000 },
    );
    // The fuzzer reaches the interesting outcomes, not just one rejection path.
    for (const kind of ['ignore', 'MALFORMED', 'records', 'NXDOMAIN']) expect(kinds.get(kind) ?? 0).toBeGreaterThan(0);
  });

  it('reads the unmutated answers correctly', () => {
    expect(interpretResponse(realAnswers[0] as Buffer, query)).toMatchObject({
      kind: 'answer',
      answer: { kind: 'records', chain: [{ name: query.name, target: 'k.dkim.amazonses.com' }], ttl: 60 },
    });
    expect(interpretResponse(realAnswers[1] as Buffer, query)).toMatchObject({
      kind: 'answer',
      answer: { kind: 'NXDOMAIN' },
    });
  });
});

describe('mutated answers over loopback', () => {
  const zone = createZoneResolver({ 's1._domainkey.example.com': { TXT: [['v=DKIM1; k=rsa; p=MIIB', 'AQAB']] } });
  let server: TestDnsServer;
  beforeAll(async () => {
    server = await startDnsServer(zone);
  });
  afterAll(async () => {
    await server.close();
  });

  it('never leaves a query hanging (300 queries, 20 at a time)', async () => {
    const samples = fc.sample(mutation, { numRuns: 300, seed: 42 });
    let next = 0;
    server.setBehaviour(() => {
      const sample = samples[next++ % samples.length] as Parameters<typeof mutate>[0];
      return {
        mutate: (packet) =>
          Buffer.from(mutate({ ...sample, base: 0 }).map((b, i) => (i < 2 ? (packet[i] as number) : b))),
      };
    });
    const resolver = createUdpResolver({
      servers: [server.server],
      timeout: 150,
      attempts: 2,
      backoff: { min: 1, max: 5 },
    });
    const deadline = 150 * 2 + 5 + 500;
    const kinds = new Map<string, number>();
    for (let batch = 0; batch < 15; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          Promise.race([
            resolver.resolve('s1._domainkey.example.com', 'TXT'),
            new Promise<{ kind: 'HUNG' }>((resolve) => setTimeout(() => resolve({ kind: 'HUNG' }), deadline)),
          ]),
        ),
      );
      for (const answer of answers) kinds.set(answer.kind, (kinds.get(answer.kind) ?? 0) + 1);
    }
    expect(kinds.get('HUNG') ?? 0).toBe(0);
    expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBe(300);
    await resolver.close?.();
  });
});
