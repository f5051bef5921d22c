// Bulk verification of 10,000 BYODKIM identities: over the zone-data resolver (the engine
// alone), over the wire resolver against a local Knot server (end to end), and the same lookups
// made alone, in one run.
import { createZoneResolver, type Expectation, parsePrivateKey, verifyMany } from '../src/index.js';
import { createUdpResolver } from '../src/node.js';
import { knotAvailable, startKnot, txtData, zoneFile } from '../test/helpers/knot.js';
import { loadRecordVectors } from '../vectors/load.js';
import { type CaseResult, type MeasureOptions, measure, roundByRoundRatio, type Subject } from './harness.js';

const COUNT = 10_000;

export async function verifySuite(options: MeasureOptions): Promise<CaseResult[]> {
  const vector = loadRecordVectors().rrsets.find((v) => v.id === 'match');
  const strings = vector?.records[0] ?? [];
  const key = parsePrivateKey(vector?.key ?? '');
  const names = Array.from({ length: COUNT }, (_, i) => `d${i}.bench.test`);
  const zone = createZoneResolver();
  for (const name of names) zone.set(`s1._domainkey.${name}`, 'TXT', [strings]);
  const expectations = (): Expectation[] => names.map((domain) => ({ kind: 'byodkim', domain, selector: 's1', key }));
  const bulk = (resolver: Parameters<typeof verifyMany>[1]) => async () => {
    let success = 0;
    for await (const item of verifyMany(expectations(), resolver, { concurrency: 128 })) {
      if ('result' in item && item.result.status === 'SUCCESS') success++;
    }
    if (success !== COUNT) throw new Error(`only ${success} of ${COUNT} verified`);
  };
  // The DNS work of a bulk run and nothing else: the same TXT lookups, 128 at a time, each
  // next one started as soon as one ends. Bulk verification over Knot is measured against it.
  const lookups = (resolver: Parameters<typeof verifyMany>[1]) => async () => {
    let next = 0;
    let found = 0;
    const worker = async () => {
      while (next < COUNT) {
        const answer = await resolver.resolve(`s1._domainkey.${names[next++]}`, 'TXT');
        if (answer.kind === 'records') found++;
      }
    };
    await Promise.all(Array.from({ length: 128 }, worker));
    if (found !== COUNT) throw new Error(`only ${found} of ${COUNT} found`);
  };
  const subjects: Subject[] = [{ name: 'engine only (zone-data resolver)', run: bulk(zone), unitsPerRun: COUNT }];
  let stop = async () => {};
  if (knotAvailable()) {
    const knot = await startKnot({
      'bench.test': zoneFile(
        'bench.test',
        names.map((name) => `s1._domainkey.${name.replace('.bench.test', '')} TXT ${txtData(strings)}`),
      ),
    });
    const wire = createUdpResolver({ servers: [knot.server], timeout: 2000, attempts: 3 });
    const alone = createUdpResolver({ servers: [knot.server], timeout: 2000, attempts: 3 });
    subjects.push({ name: 'end to end (wire resolver, Knot)', run: bulk(wire), unitsPerRun: COUNT });
    subjects.push({ name: 'the same lookups alone (no engine)', run: lookups(alone), unitsPerRun: COUNT });
    stop = async () => {
      await wire.close?.();
      await alone.close?.();
      await knot.stop();
    };
  } else {
    console.log('verify: knotd is not installed; end-to-end case skipped\n');
  }
  try {
    // One sample is one run of all 10,000 identities (a fraction of a second over Knot), so the
    // median of a handful swung the ratio by a quarter from run to run: twice the suite's rounds
    // (14 in a full run), the three subjects interleaved round by round, steady it.
    // Diagnostic: the process's CPU time per identity, subject by subject (two clock readings per
    // run of 10,000). On a loaded machine wall time swings; the CPU the engine adds over its own
    // lookups (end to end minus lookups alone) is what bounds the ratio, and it swings less.
    const cpu = subjects.map(() => ({ micros: 0, runs: 0 }));
    const timed = subjects.map((subject, i) => ({
      ...subject,
      run: async (index: number) => {
        const start = process.cpuUsage();
        await subject.run(index);
        const used = process.cpuUsage(start);
        const total = cpu[i] as { micros: number; runs: number };
        total.micros += used.user + used.system;
        total.runs++;
      },
    }));
    const results = await measure(timed, { roundMs: 1, rounds: Math.max(3, Math.min(options.rounds * 2, 15)) });
    console.log(
      `verify: CPU µs per identity (all rounds, warm-up included): ${subjects
        .map((subject, i) => `${subject.name} ${((cpu[i]?.micros ?? 0) / ((cpu[i]?.runs ?? 1) * COUNT)).toFixed(1)}`)
        .join('; ')}`,
    );
    // Round by round, end to end over the lookups alone: both ran back to back on the same
    // machine state, so this ratio is steadier than the ratio of the two medians.
    const [wire, alone] = [results[1]?.samples, results[2]?.samples];
    if (wire && alone) {
      const ratios = wire.map((rate, i) => rate / (alone[i] ?? Number.NaN)).sort((a, b) => a - b);
      console.log(
        `verify: end to end ÷ the same lookups alone, round by round: median ${roundByRoundRatio(wire, alone).toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(' ')})\n`,
      );
    }
    return [
      {
        suite: 'verify',
        case: `bulk BYODKIM verification of ${COUNT.toLocaleString('en-US')} identities`,
        unit: 'identities',
        results,
      },
    ];
  } finally {
    await stop();
  }
}
