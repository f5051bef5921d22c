// The wire decoder and query writer against dns-packet (an independent implementation): the same
// messages read the same, on packets dns-packet writes and on mutated (hostile) ones.
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQuery } from '../../src/dns/message.js';
import { readMessage, type WireMessage } from '../../src/dns/wire.js';

const label = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const nameArb = fc.array(label, { minLength: 0, maxLength: 5 }).map((labels) => labels.join('.') || '.');
const ttl = fc.nat({ max: 2 ** 32 - 1 });
const recordArb = fc.oneof(
  fc.record({
    type: fc.constant('TXT' as const),
    name: nameArb,
    ttl,
    data: fc.array(fc.uint8Array({ maxLength: 255 }).map(Buffer.from), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ type: fc.constantFrom('CNAME' as const, 'NS' as const), name: nameArb, ttl, data: nameArb }),
  fc.record({
    type: fc.constant('MX' as const),
    name: nameArb,
    ttl,
    data: fc.record({ preference: fc.nat({ max: 65535 }), exchange: nameArb }),
  }),
  fc.record({ type: fc.constant('A' as const), name: nameArb, ttl, data: fc.ipV4() }),
  fc.record({
    type: fc.constant('AAAA' as const),
    name: nameArb,
    ttl,
    data: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
      const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i] as number) & (i % 3 ? 0xff : 0)).toString(16));
      return groups.join(':');
    }),
  }),
  fc.record({
    type: fc.constant('SOA' as const),
    name: nameArb,
    ttl,
    data: fc.record({
      mname: nameArb,
      rname: nameArb,
      serial: ttl,
      refresh: ttl,
      retry: ttl,
      expire: ttl,
      minimum: ttl,
    }),
  }),
);
const packetArb = fc.record({
  id: fc.nat({ max: 65535 }),
  flags: fc.nat({ max: 0x7fff }),
  questions: fc.array(
    fc.record({ name: nameArb, type: fc.constantFrom('TXT', 'CNAME', 'A', 'MX') as fc.Arbitrary<'TXT'> }),
    {
      maxLength: 2,
    },
  ),
  answers: fc.array(recordArb, { maxLength: 5 }),
  authorities: fc.array(recordArb, { maxLength: 2 }),
  edns: fc.boolean(),
});

function encode(
  p: fc.Arbitrary<unknown> extends never ? never : typeof packetArb extends fc.Arbitrary<infer R> ? R : never,
) {
  return dnsPacket.encode({
    type: 'response',
    id: p.id,
    flags: p.flags,
    questions: p.questions.map((q) => ({ ...q, class: 'IN' })),
    answers: p.answers as dnsPacket.Answer[],
    authorities: p.authorities as dnsPacket.Answer[],
    additionals: p.edns
      ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as unknown as dnsPacket.Answer]
      : [],
  });
}

const KNOWN = new Set(['TXT', 'CNAME', 'NS', 'MX', 'A', 'AAAA', 'SOA', 'OPT']);

// Only IN counts; other classes are named differently (CLASS3 here, CH in dns-packet).
// Question types other than the engine's are named differently too (TKEY there, UNKNOWN_249 here).
const typeOf = (name: string) => (KNOWN.has(name) ? name : 'other');
const classOf = (name: string | undefined) => (name === 'IN' ? 'IN' : 'other');
const classesOf = (message: Omit<WireMessage, 'overrun'>) => ({
  ...message,
  questions: message.questions.map((q) => ({ ...q, type: typeOf(q.type), class: classOf(q.class) })),
  answers: message.answers.map((r) => ({ ...r, class: classOf(r.class) })),
  authorities: message.authorities.map((r) => ({ ...r, class: classOf(r.class) })),
});

/** dns-packet's reading, in the decoder's terms (OPT dropped, class without the mDNS flush bit). */
function reference(bytes: Uint8Array): Omit<WireMessage, 'overrun'> | undefined {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(Buffer.from(bytes));
  } catch {
    return undefined;
  }
  const records = (list: dnsPacket.Answer[] | undefined) =>
    (list ?? [])
      .filter((r) => r.type !== 'OPT')
      .map((r) => {
        const a = r as dnsPacket.Answer & { class: string; ttl: number; data: unknown };
        let data = a.data;
        if (a.type === 'TXT') data = (data as Buffer[]).map((s) => new Uint8Array(s));
        if (a.type === 'SOA') data = { minimum: (data as { minimum: number }).minimum };
        return { name: a.name, type: a.type, class: classOf(a.class), ttl: a.ttl, data };
      });
  return {
    response: packet.type === 'response',
    truncated: packet.flag_tc === true,
    authenticated: packet.flag_ad === true,
    rcode: (packet as unknown as { rcode: string }).rcode,
    questions: (packet.questions ?? []).map((q) => ({ name: q.name, type: typeOf(q.type), class: classOf(q.class) })),
    answers: records(packet.answers),
    authorities: records(packet.authorities),
  };
}

describe('readMessage against dns-packet', () => {
  it('reads every message dns-packet writes exactly as dns-packet reads it', () => {
    fc.assert(
      fc.property(packetArb, (p) => {
        const bytes = new Uint8Array(encode(p));
        const mine = readMessage(bytes);
        if (typeof mine === 'string') throw new Error(mine);
        const { overrun, ...rest } = mine;
        expect(overrun).toBeNull();
        expect(classesOf(rest)).toEqual(reference(bytes));
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('on mutated messages of known types, agrees with dns-packet whenever both read them', () => {
    const mutated = fc
      .record({
        packet: packetArb,
        edits: fc.array(fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 4 }),
        cut: fc.option(fc.nat(), { nil: undefined }),
      })
      .map(({ packet, edits, cut }) => {
        const bytes = new Uint8Array(encode({ ...packet, edns: false }));
        for (const { at, value } of edits) bytes[at % bytes.length] = value;
        return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      });
    let compared = 0;
    let stricter = 0;
    fc.assert(
      fc.property(mutated, (bytes) => {
        const expected = reference(bytes);
        const mine = readMessage(bytes);
        const types = expected && [...expected.answers, ...expected.authorities].map((r) => r.type);
        if (expected === undefined || !types?.every((t) => KNOWN.has(t))) return;
        if (typeof mine === 'string' || mine.overrun !== null) {
          // Stricter than dns-packet: data that does not fill its RDLENGTH, or runs past the end.
          stricter++;
          return;
        }
        const { overrun: _, ...rest } = mine;
        expect(classesOf(rest)).toEqual(expected);
        compared++;
      }),
      { numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(100);
    expect(stricter).toBeGreaterThan(0);
  }, 30_000);

  it('never reads past the message or loops, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const mine = readMessage(bytes);
        expect(typeof mine === 'string' || Array.isArray(mine.answers)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // A pointer loop (each name points at the other) and a forward pointer do not decode.
    const loop = Uint8Array.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 0xc0, 12, 0, 16, 0, 1]);
    expect(readMessage(loop)).toBe('a question runs past the end');
  }, 30_000);
});

describe('encodeQuery against dns-packet', () => {
  it('writes the bytes dns-packet writes for the same query', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.nat({ max: 65535 }),
          name: fc.oneof(nameArb, fc.string({ maxLength: 80 })),
          type: fc.constantFrom('TXT', 'CNAME', 'A', 'AAAA', 'NS', 'MX') as fc.Arbitrary<'TXT'>,
          edns: fc.boolean(),
          dnssec: fc.boolean(),
        }),
        (query) => {
          const packet: dnsPacket.Packet = {
            type: 'query',
            id: query.id,
            flags: dnsPacket.RECURSION_DESIRED,
            questions: [{ type: query.type, name: query.name, class: 'IN' }],
          };
          if (query.edns) {
            packet.additionals = [
              {
                type: 'OPT',
                name: '.',
                udpPayloadSize: 1232,
                flags: query.dnssec ? dnsPacket.DNSSEC_OK : 0,
                options: [],
              } as unknown as dnsPacket.Answer,
            ];
          }
          expect(Buffer.from(encodeQuery(query)).toString('hex')).toBe(dnsPacket.encode(packet).toString('hex'));
        },
      ),
      { numRuns: 3000 },
    );
  }, 30_000);
});
