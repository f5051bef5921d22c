// Bulk verification and the ordered window under completion in random order: input order, the
// time budget, abort and errors mid-run, each result pinned against verifyIdentity alone.
import { describe, expect, it } from 'vitest';
import {
  createZoneResolver,
  type DnsAnswer,
  type DnsRecordType,
  type Expectation,
  parsePrivateKey,
  type Resolver,
  verifyIdentity,
  verifyMany,
} from '../../src/index.js';
import { orderedMap } from '../../src/verify/ordered.js';
import { loadRecordVectors } from '../../vectors/load.js';
import { seededGenerator } from '../helpers/seeded.js';

const vectors = loadRecordVectors().rrsets;
const match = vectors.find((v) => v.id === 'match');
const key = parsePrivateKey(match?.key ?? '');
const COUNT = 300;
const zone = createZoneResolver();
// Identity i publishes the record of vector i mod n (or nothing every seventh): every verdict there is.
for (let i = 0; i < COUNT; i++) {
  const vector = vectors[i % vectors.length];
  if (i % 7 !== 3 && vector) zone.set(`s1._domainkey.d${i}.example`, 'TXT', vector.records);
}

const expectations = (n: number): Expectation[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'byodkim', domain: `d${i}.example`, selector: 's1', key }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The zone's answers, each after a random delay (or never, for names `hang` picks). */
function shuffling(seed: number, hang: (name: string) => boolean = () => false): Resolver {
  const random = seededGenerator(seed);
  return {
    async resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>> {
      if (hang(name)) return new Promise(() => {});
      const delay = random(4);
      // Some answer in the same turn, some a few microtasks later, some after a timer.
      if (delay === 1) await Promise.resolve();
      if (delay >= 2) await sleep(random(5));
      return zone.resolve(name, type);
    },
  };
}

async function collect<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of generator) out.push(item);
  return out;
}

describe('bulk verification under completion in random order', () => {
  it('yields every result in input order, each equal to verifyIdentity alone', async () => {
    const at = 1_700_000_000_000;
    for (const [seed, concurrency] of [
      [1, 1],
      [2, 7],
      [3, 64],
      [4, 4096],
    ] as const) {
      const inputs = expectations(COUNT);
      const results = await collect(verifyMany(inputs, shuffling(seed), { concurrency, now: () => at }));
      expect(results.map((r) => r.index)).toEqual(inputs.map((_, i) => i));
      for (const [i, result] of results.entries()) {
        expect(result.input).toBe(inputs[i]);
        expect(result).toEqual({
          index: i,
          input: inputs[i],
          result: await verifyIdentity(inputs[i] as Expectation, zone, { now: at }),
        });
      }
    }
  });

  it('the verdicts cover every status (so the comparison above means something)', async () => {
    const results = await collect(verifyMany(expectations(COUNT), zone, { concurrency: 16 }));
    const statuses = new Set(results.map((r) => ('result' in r ? r.result.status : 'error')));
    expect([...statuses].sort()).toEqual(['FAILED', 'PENDING', 'SUCCESS']);
  });

  it('times out the identities that never get an answer, in place, while the others go on', async () => {
    const hung = (name: string) => /\.d(\d*5)\.example$/.test(name); // d5, d15, d25, ...
    const inputs = expectations(60);
    const started = Date.now();
    const results = await collect(verifyMany(inputs, shuffling(5, hung), { concurrency: 8, timeBudgetMs: 40 }));
    expect(results.map((r) => r.index)).toEqual(inputs.map((_, i) => i));
    for (const [i, result] of results.entries()) {
      const timedOut = i % 10 === 5;
      expect('result' in result && result.result.checks[0]?.reason === 'TIMEOUT').toBe(timedOut);
      if (timedOut && 'result' in result) expect(result.result.status).toBe('TEMPORARY_FAILURE');
    }
    // Six hung identities, eight at a time: about one budget each in turn, not 40 ms per identity.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps the TIMEOUT once given: a late answer or a late error changes nothing, even before it is taken', async () => {
    // d1 and d2 answer (or fail) at 35 ms, past their 20 ms budget; the consumer takes nothing
    // between 0 and 50 ms, so their TIMEOUT results are still in the window when the late news comes.
    const late: Resolver = {
      async resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>> {
        if (name.includes('.d1.') || name.includes('.d2.')) await sleep(35);
        if (name.includes('.d2.')) throw new TypeError('late failure');
        return zone.resolve(name, type);
      },
    };
    const reasons: (string | undefined)[] = [];
    for await (const result of verifyMany(expectations(4), late, { timeBudgetMs: 20 })) {
      reasons.push('result' in result ? result.result.checks[0]?.reason : 'error');
      if (reasons.length === 1) await sleep(50);
    }
    const alone = async (i: number) =>
      (await verifyIdentity(expectations(4)[i] as Expectation, zone)).checks[0]?.reason;
    expect(reasons).toEqual([await alone(0), 'TIMEOUT', 'TIMEOUT', await alone(3)]);
    expect(await alone(3)).toBe('NXDOMAIN');
  });

  it('stops on abort mid-run with the signal reason, after the results already due', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    await expect(async () => {
      for await (const result of verifyMany(expectations(COUNT), shuffling(6), {
        signal: controller.signal,
        concurrency: 32,
      })) {
        seen.push(result.index);
        if (seen.length === 40) controller.abort(new Error('enough'));
      }
    }).rejects.toThrow('enough');
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('throws an error that is not a DkimError where its identity is due, after those before it', async () => {
    const random = seededGenerator(7);
    const failing: Resolver = {
      resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>> {
        if (name.includes('.d30.')) throw new TypeError('resolver bug'); // thrown, not rejected
        if (name.includes('.d20.')) return Promise.reject(new RangeError('rejected'));
        return sleep(random(3)).then(() => zone.resolve(name, type));
      },
    };
    const seen: number[] = [];
    await expect(async () => {
      for await (const result of verifyMany(expectations(50), failing, { concurrency: 16 })) seen.push(result.index);
    }).rejects.toThrow(RangeError);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const upTo30: number[] = [];
    const skip20: Resolver = {
      resolve: (name, type) => (name.includes('.d20.') ? zone.resolve(name, type) : failing.resolve(name, type)),
    };
    await expect(async () => {
      for await (const result of verifyMany(expectations(50), skip20, { concurrency: 16 })) upTo30.push(result.index);
    }).rejects.toThrow('resolver bug');
    expect(upTo30).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('reports progress once per result, in order, under random completion', async () => {
    const progress: number[] = [];
    await collect(verifyMany(expectations(100), shuffling(8), { concurrency: 9, onProgress: (n) => progress.push(n) }));
    expect(progress).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});

describe('ordered map', () => {
  it('keeps input order under random completion and at most `concurrency` in flight', async () => {
    const random = seededGenerator(9);
    let inFlight = 0;
    let most = 0;
    const work = async (n: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(random(4));
      inFlight--;
      return n * 2;
    };
    const out = await collect(
      orderedMap(
        Array.from({ length: 200 }, (_, i) => i),
        10,
        work,
      ),
    );
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(most).toBe(10);
  });

  it('throws a rejection where it is due, and one left in flight by an early stop is not unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const work = async (n: number) => {
        await sleep(n === 5 ? 1 : 0);
        if (n === 5 || n === 8) throw new Error(`failed ${n}`);
        return n;
      };
      const seen: number[] = [];
      await expect(async () => {
        for await (const n of orderedMap(
          Array.from({ length: 20 }, (_, i) => i),
          6,
          work,
        ))
          seen.push(n);
      }).rejects.toThrow('failed 5');
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      await sleep(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
