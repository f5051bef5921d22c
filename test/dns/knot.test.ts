// The wire and system resolvers against a real authoritative server (Knot DNS): big RRsets, CNAMEs, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DnsAnswer, evaluateKeyRecords, parsePrivateKey } from '../../src/index.js';
import { createSystemResolver, createUdpResolver } from '../../src/node.js';
import { loadRecordVectors } from '../../vectors/load.js';
import { type KnotServer, knotAvailable, startKnot, txtData, zoneFile } from '../helpers/knot.js';

const vector = loadRecordVectors().rrsets.find((v) => v.id === 'match');
const keyStrings = vector?.records[0] ?? [];
// Eight 120-octet TXT records at one name: about 1,000 bytes, over the 512 of classic UDP.
const bigRecords = Array.from({ length: 8 }, (_, i) => `big TXT "${String(i).repeat(120)}"`);

const ZONES: Record<string, string | null> = {
  'example.com': zoneFile('example.com', [
    `s2048._domainkey TXT ${txtData(keyStrings)}`,
    'sel._domainkey CNAME keys',
    `keys TXT ${txtData(keyStrings)}`,
    'tok._domainkey CNAME tok.dkim.amazonses.test.',
    'dangling._domainkey CNAME gone.example.com.',
    'x.y A 192.0.2.1',
    ...bigRecords,
  ]),
  'dkim.amazonses.test': zoneFile('dkim.amazonses.test', [`tok TXT ${txtData(keyStrings)}`], {
    nameServer: 'ns1.example.com.',
  }),
  // Configured, but its file does not exist: Knot cannot load it and answers SERVFAIL.
  'broken.test': null,
};

const run = knotAvailable();
let knot: KnotServer;

describe.skipIf(!run)('resolvers against Knot DNS', () => {
  beforeAll(async () => {
    knot = await startKnot(ZONES);
  }, 30_000);
  afterAll(async () => {
    await knot?.stop();
  });

  const wire = () =>
    createUdpResolver({ servers: [knot.server], timeout: 500, attempts: 2, backoff: { min: 5, max: 20 } });
  const system = () => createSystemResolver({ servers: [knot.server], timeout: 500, tries: 1 });
  const joined = (answer: DnsAnswer) =>
    answer.kind === 'records'
      ? (answer.records as Uint8Array[][]).map((r) => r.map((s) => new TextDecoder().decode(s)))
      : [];

  it('serves a 2048-bit key record split into strings, which matches its key', async () => {
    const answer = await wire().resolve('s2048._domainkey.example.com', 'TXT');
    expect(answer).toMatchObject({ kind: 'records', ttl: 300, chain: [] });
    expect(joined(answer)).toEqual([keyStrings]);
    if (answer.kind !== 'records' || !vector?.key) throw new Error('no records');
    expect(evaluateKeyRecords(answer.records, parsePrivateKey(vector.key)).verdict).toBe('MATCH');
  });

  it('carries an RRset over 512 bytes: over TCP when EDNS is off, in one UDP answer with EDNS', async () => {
    const classic = await createUdpResolver({ servers: [knot.server], edns: false, timeout: 500 }).resolve(
      'big.example.com',
      'TXT',
    );
    expect(classic.kind === 'records' && classic.records.length).toBe(8);
    const withEdns = await wire().resolve('big.example.com', 'TXT');
    expect(joined(withEdns).sort()).toEqual(joined(classic).sort());
  });

  it('follows an in-zone CNAME and re-queries an out-of-zone target', async () => {
    expect(await wire().resolve('sel._domainkey.example.com', 'TXT')).toMatchObject({
      kind: 'records',
      chain: [{ name: 'sel._domainkey.example.com', target: 'keys.example.com' }],
    });
    const delegated = await wire().resolve('tok._domainkey.example.com', 'TXT');
    expect(delegated).toMatchObject({ kind: 'records', chain: [{ target: 'tok.dkim.amazonses.test' }] });
    expect(joined(delegated)).toEqual([keyStrings]);
    expect(await wire().resolve('tok._domainkey.example.com', 'CNAME')).toMatchObject({
      kind: 'records',
      records: ['tok.dkim.amazonses.test'],
    });
  });

  it('tells NXDOMAIN from NODATA, and shows a dangling CNAME', async () => {
    expect(await wire().resolve('nothing.example.com', 'TXT')).toMatchObject({ kind: 'NXDOMAIN' });
    expect(await wire().resolve('y.example.com', 'TXT')).toMatchObject({ kind: 'NODATA' });
    expect(await wire().resolve('s2048._domainkey.example.com', 'CNAME')).toMatchObject({ kind: 'NODATA' });
    expect(await wire().resolve('dangling._domainkey.example.com', 'TXT')).toMatchObject({
      kind: 'NXDOMAIN',
      chain: [{ target: 'gone.example.com' }],
    });
  });

  it('answers SERVFAIL for a zone Knot could not load, REFUSED for one it does not serve', async () => {
    expect(await wire().resolve('s1._domainkey.broken.test', 'TXT')).toMatchObject({ kind: 'SERVFAIL' });
    expect(await wire().resolve('s1._domainkey.elsewhere.test', 'TXT')).toMatchObject({ kind: 'REFUSED' });
  });

  it('the system resolver (c-ares) gives the same records and answer kinds', async () => {
    const names: [string, 'TXT' | 'CNAME'][] = [
      ['s2048._domainkey.example.com', 'TXT'],
      ['big.example.com', 'TXT'],
      ['sel._domainkey.example.com', 'TXT'],
      ['tok._domainkey.example.com', 'CNAME'],
      ['nothing.example.com', 'TXT'],
      ['y.example.com', 'TXT'],
      ['s1._domainkey.broken.test', 'TXT'],
      ['s1._domainkey.elsewhere.test', 'TXT'],
    ];
    for (const [name, type] of names) {
      const [fromWire, fromSystem] = await Promise.all([wire().resolve(name, type), system().resolve(name, type)]);
      expect(fromSystem.kind, name).toBe(fromWire.kind);
      if (type === 'TXT') expect(joined(fromSystem).sort(), name).toEqual(joined(fromWire).sort());
      if (fromSystem.kind === 'records') expect(fromSystem.ttl).toBeNull();
    }
  });
});
