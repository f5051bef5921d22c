// `npm run bench`: every suite in one run, a table on stdout and JSON in bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { dnsSuite } from './dns.bench.js';
import { type CaseResult, formatCase } from './harness.js';
import { keySuite } from './keys.bench.js';
import { recordSuite } from './records.bench.js';
import { signSuite } from './sign.bench.js';
import { storeSuite } from './stores.bench.js';
import { verifySuite } from './verify.bench.js';

const quick = process.argv.includes('--quick');
const options = quick ? { roundMs: 100, rounds: 3 } : { roundMs: 700, rounds: 7 };
const machine = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  date: new Date().toISOString(),
};
console.log(`dkim-engine benchmarks on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}\n`);

const results: CaseResult[] = [];
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7);
const suites = {
  keys: keySuite,
  records: recordSuite,
  dns: dnsSuite,
  verify: verifySuite,
  signatures: signSuite,
  stores: (o: typeof options) => storeSuite({ ...o, quick }),
};
for (const [name, suite] of Object.entries(suites)) {
  if (only && only !== name) continue;
  for (const result of await suite(options)) {
    console.log(`${formatCase(result)}\n`);
    results.push(result);
  }
}
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'latest.json');
writeFileSync(file, `${JSON.stringify({ machine, options, results }, null, 2)}\n`);
console.log(`JSON written to ${file}`);
