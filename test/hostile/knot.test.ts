// A real authoritative server (Knot DNS) serving CNAME chains in answers of five: issue #13 D8.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUdpResolver } from '../../src/node.js';
import { type KnotServer, knotAvailable, startKnot, txtData, zoneFile } from '../helpers/knot.js';

// Knot follows CNAMEs inside a zone and stops where one leaves it: each zone here holds five
// steps of a chain, so a chain of n steps reaches the resolver in answers of at most five.
const chainZones = (prefix: string, steps: number): Record<string, string> => {
  const zones: Record<string, string[]> = {};
  const zoneOf = (step: number) => `${prefix}${Math.floor(step / 5)}.test`;
  const add = (step: number, line: string) => {
    zones[zoneOf(step)] = [...(zones[zoneOf(step)] ?? []), line];
  };
  for (let i = 0; i < steps; i++) add(i, `c${i} CNAME c${i + 1}.${zoneOf(i + 1)}.`);
  add(steps, `c${steps} TXT ${txtData(['v=DKIM1; p=MIIB'])}`);
  return Object.fromEntries(
    Object.entries(zones).map(([origin, lines]) => [
      origin,
      zoneFile(origin, lines, { nameServer: 'ns1.example.com.' }),
    ]),
  );
};

const run = knotAvailable();
let knot: KnotServer;

describe.skipIf(!run)('CNAME chains from Knot in answers of five', () => {
  beforeAll(async () => {
    knot = await startKnot({ ...chainZones('nine', 9), ...chainZones('eight', 8) });
  }, 30_000);
  afterAll(async () => {
    await knot?.stop();
  });
  const resolver = () =>
    createUdpResolver({ servers: [knot.server], timeout: 500, attempts: 2, backoff: { min: 5, max: 20 } });

  it('#13 D8 a 9-CNAME chain served in answers of 5 and 4 is SERVFAIL', async () => {
    const answer = await resolver().resolve('c0.nine0.test', 'TXT');
    expect(answer).toMatchObject({ kind: 'SERVFAIL', detail: 'more than 8 CNAMEs' });
  });

  it('#13 D8 an 8-CNAME chain served in answers of 5 and 3 is answered, with its whole chain', async () => {
    const answer = await resolver().resolve('c0.eight0.test', 'TXT');
    expect(answer).toMatchObject({ kind: 'records' });
    expect(answer.chain).toHaveLength(8);
  });
});
