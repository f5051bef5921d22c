// A consumer that takes some bulk results and then stops pulling, without returning the generator
// (run by bulk.test.ts in its own process): with no identity running, the process must exit.
import { createZoneResolver, type Expectation, verifyMany } from '../../src/index.js';

const zone = createZoneResolver();
const inputs: Expectation[] = Array.from({ length: 20 }, (_, i) => ({
  kind: 'byodkim',
  domain: `d${i}.example`,
  selector: 's1',
}));
const results = verifyMany(inputs, zone, { concurrency: 4, timeBudgetMs: 60_000 });
for (let i = 0; i < 3; i++) await results.next();
process.stdout.write('pulled\n');
