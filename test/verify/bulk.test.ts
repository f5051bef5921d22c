// Bulk verification: input order, bounded concurrency, progress, abort, the time budget.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createZoneResolver, type Expectation, parsePrivateKey, verifyMany } from '../../src/index.js';
import { loadRecordVectors } from '../../vectors/load.js';

const match = loadRecordVectors().rrsets.find((v) => v.id === 'match');
const key = parsePrivateKey(match?.key ?? '');
const zone = createZoneResolver();
for (let i = 0; i < 50; i++) if (i % 5 !== 0) zone.set(`s1._domainkey.d${i}.example`, 'TXT', match?.records ?? []);
zone.setFault('s1._domainkey.d7.example', { delayMs: 60 });

const expectations = (n: number): Expectation[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'byodkim', domain: `d${i}.example`, selector: 's1', key }));

async function collect<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of generator) out.push(item);
  return out;
}

describe('bulk verification', () => {
  it('yields every identity in input order, with its status', async () => {
    const results = await collect(verifyMany(expectations(50), zone, { concurrency: 8 }));
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(results.map((r) => ('result' in r ? r.result.status : 'error'))).toEqual(
      Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 'PENDING' : 'SUCCESS')),
    );
  });

  it('keeps at most `concurrency` identities in flight and pulls input lazily (memory flat)', async () => {
    let pulled = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const counting = {
      resolve: async (name: string, type: 'TXT') => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return zone.resolve(name, type);
      },
    } as Parameters<typeof verifyMany>[1];
    function* endless(): Generator<Expectation> {
      for (let i = 0; ; i++) {
        pulled++;
        yield { kind: 'byodkim', domain: `d${i % 50}.example`, selector: 's1', key };
      }
    }
    let yielded = 0;
    for await (const _ of verifyMany(endless(), counting, { concurrency: 4 })) {
      yielded++;
      expect(pulled - yielded).toBeLessThanOrEqual(4);
      if (yielded === 200) break;
    }
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    await collect(verifyMany(expectations(10), zone, { onProgress: (done) => seen.push(done) }));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('stops on abort with the signal reason', async () => {
    const controller = new AbortController();
    const results: unknown[] = [];
    await expect(async () => {
      for await (const result of verifyMany(expectations(50), zone, { signal: controller.signal, concurrency: 2 })) {
        results.push(result);
        if (results.length === 3) controller.abort(new Error('stop here'));
      }
    }).rejects.toThrow('stop here');
    expect(results).toHaveLength(3);
  });

  it('turns an identity over its time budget into a DNS_ERROR (TIMEOUT)', async () => {
    const results = await collect(verifyMany(expectations(10), zone, { timeBudgetMs: 20 }));
    const slow = results[7];
    expect(slow && 'result' in slow && slow.result.checks[0]).toMatchObject({
      verdict: 'DNS_ERROR',
      reason: 'TIMEOUT',
    });
    expect(slow && 'result' in slow && slow.result.status).toBe('TEMPORARY_FAILURE');
  });

  it('times out an identity that starts after the ones before it finished', async () => {
    const late = createZoneResolver();
    for (let i = 0; i < 4; i++) late.set(`s1._domainkey.d${i}.example`, 'TXT', match?.records ?? []);
    late.setFault('s1._domainkey.d3.example', { delayMs: 200 });
    const inputs = async function* () {
      yield* expectations(3);
      await new Promise((resolve) => setTimeout(resolve, 30)); // the budget's timer was set for the first three
      yield* expectations(4).slice(3);
    };
    const started = Date.now();
    const results = await collect(verifyMany(inputs(), late, { timeBudgetMs: 50 }));
    expect(results.map((r) => ('result' in r ? r.result.checks[0]?.reason : 'error'))).toEqual([
      'MATCH',
      'MATCH',
      'MATCH',
      'TIMEOUT',
    ]);
    expect(Date.now() - started).toBeLessThan(190);
  });

  it('holds no process open once no identity runs, though the consumer stopped pulling', async () => {
    const script = fileURLToPath(new URL('./bulk-abandoned.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const started = Date.now();
    const exited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!exited) child.kill();
    expect(output).toBe('pulled\n');
    expect(exited).toBe(true); // the budget is 60 s: its timer did not keep the process alive
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("reports a bad input as that identity's error and carries on", async () => {
    const inputs: Expectation[] = [
      ...expectations(2),
      { kind: 'byodkim', domain: 'bad domain', selector: 's1' },
      ...expectations(1),
    ];
    const results = await collect(verifyMany(inputs, zone));
    expect(results.map((r) => ('error' in r ? r.error.code : r.result.status))).toEqual([
      'PENDING',
      'SUCCESS',
      'DOMAIN_INVALID',
      'PENDING',
    ]);
  });
});
