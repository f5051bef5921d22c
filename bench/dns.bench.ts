// DNS lookups against one local Knot server: the wire resolver (its default, and a fresh socket per
// query) against node's c-ares resolver,
// at concurrency 1, 16 and 128, in the same run. Each lookup is a 2048-bit key record (two strings).
import { createSystemResolver, createUdpResolver } from '../src/node.js';
import { knotAvailable, startKnot, txtData, zoneFile } from '../test/helpers/knot.js';
import { loadRecordVectors } from '../vectors/load.js';
import { type CaseResult, type MeasureOptions, measure } from './harness.js';

export async function dnsSuite(options: MeasureOptions): Promise<CaseResult[]> {
  if (!knotAvailable()) {
    console.log('dns: knotd is not installed (apt-get install knot); skipped\n');
    return [];
  }
  const strings = loadRecordVectors().rrsets.find((v) => v.id === 'match')?.records[0] ?? [];
  const names = Array.from({ length: 256 }, (_, i) => `s${i}._domainkey`);
  const knot = await startKnot({
    'bench.test': zoneFile(
      'bench.test',
      names.map((name) => `${name} TXT ${txtData(strings)}`),
    ),
  });
  try {
    const wire = createUdpResolver({ servers: [knot.server], timeout: 2000, attempts: 2, pool: false });
    const pooled = createUdpResolver({ servers: [knot.server], timeout: 2000, attempts: 2 });
    const system = createSystemResolver({ servers: [knot.server], timeout: 2000, tries: 2 });
    const results: CaseResult[] = [];
    for (const concurrency of [1, 16, 128]) {
      let next = 0;
      const batch = (resolver: typeof wire) => async () => {
        const answers = await Promise.all(
          Array.from({ length: concurrency }, () =>
            resolver.resolve(`${names[next++ % names.length]}.bench.test`, 'TXT'),
          ),
        );
        if (answers.some((a) => a.kind !== 'records'))
          throw new Error(`lookup failed: ${answers.find((a) => a.kind !== 'records')?.kind}`);
      };
      results.push({
        suite: 'dns',
        case: `TXT lookups against local Knot, concurrency ${concurrency}`,
        unit: 'lookups',
        results: await measure(
          [
            { name: 'dkim-engine wire, default (pool)', run: batch(pooled), unitsPerRun: concurrency },
            { name: 'dkim-engine wire, pool: false', run: batch(wire), unitsPerRun: concurrency },
            { name: 'node:dns (c-ares)', run: batch(system), unitsPerRun: concurrency },
          ],
          options,
        ),
      });
    }
    await wire.close?.();
    await pooled.close?.();
    await system.close?.();
    return results;
  } finally {
    await knot.stop();
  }
}
