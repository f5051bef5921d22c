// A small benchmark harness: every subject of a case is measured in the same process and
// run, interleaved round by round, so ratios compare like with like.

export interface Subject {
  readonly name: string;
  /** Does one unit of work (one key parsed, one record matched...). */
  readonly run: (index: number) => unknown;
  /** Units of work one run does (a batch of concurrent lookups counts each); default 1. */
  readonly unitsPerRun?: number;
}

export interface CaseResult {
  readonly suite: string;
  readonly case: string;
  readonly unit: string;
  readonly results: { readonly name: string; readonly perSecond: number; readonly samples: number[] }[];
}

export interface MeasureOptions {
  /** Wall time per subject per round, in milliseconds. */
  readonly roundMs: number;
  readonly rounds: number;
}

/** Times one round of `subject`: how many runs per second it managed in `roundMs`. */
export async function timeRound(subject: Subject, roundMs: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  // Batches keep the clock out of the measurement for fast subjects.
  let batch = 1;
  while (elapsed < roundMs) {
    for (let i = 0; i < batch; i++) {
      const result = subject.run(count + i);
      if (result instanceof Promise) await result;
    }
    count += batch;
    elapsed = performance.now() - start;
    if (elapsed < roundMs / 20) batch *= 2;
  }
  return (count / elapsed) * 1000;
}

/** Measures every subject: one warm-up round each, then `rounds` interleaved rounds; the median counts. */
export async function measure(subjects: readonly Subject[], options: MeasureOptions): Promise<CaseResult['results']> {
  for (const subject of subjects) await timeRound(subject, Math.min(options.roundMs, 300));
  const samples = subjects.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, subject] of subjects.entries()) {
      (globalThis as { gc?: () => void }).gc?.();
      samples[i]?.push(await timeRound(subject, options.roundMs));
    }
  }
  return subjects.map((subject, i) => {
    const sorted = [...(samples[i] ?? [])].sort((a, b) => a - b);
    const units = subject.unitsPerRun ?? 1;
    return {
      name: subject.name,
      perSecond: (sorted[Math.floor(sorted.length / 2)] ?? 0) * units,
      samples: (samples[i] ?? []).map((sample) => sample * units),
    };
  });
}

/** A readable table: one row per subject, with its ratio to each other subject of the case. */
export function formatCase(result: CaseResult): string {
  const first = result.results[0];
  const lines = [`${result.suite} / ${result.case} (${result.unit}/s, median of rounds)`];
  for (const row of result.results) {
    // Subjects timed apart from the rounds (a subprocess peer's one sample) have no pairs.
    const paired =
      first && first.samples.length > 1 && row.samples.length === first.samples.length
        ? ` (round by round ${roundByRoundRatio(first.samples, row.samples).toFixed(1)})`
        : '';
    const ratio =
      first && row !== first ? `  ${first.name} ÷ this = ${(first.perSecond / row.perSecond).toFixed(1)}${paired}` : '';
    lines.push(`  ${row.name.padEnd(34)} ${Math.round(row.perSecond).toLocaleString('en-US').padStart(12)}${ratio}`);
  }
  return lines.join('\n');
}

/**
 * The median of a[i] / b[i]: two subjects' rates compared round by round. Rounds interleave the
 * subjects, so the two samples of one round ran back to back in the same machine state; on a
 * noisy machine (this VM's speed swings by half for seconds at a time) this pairs like with
 * like, where the ratio of the two medians may compare a fast phase with a slow one.
 */
export function roundByRoundRatio(a: readonly number[], b: readonly number[]): number {
  const ratios = a.map((rate, i) => rate / (b[i] ?? Number.NaN)).sort((x, y) => x - y);
  return ratios[Math.floor(ratios.length / 2)] ?? Number.NaN;
}

/** A case whose subjects can be built anew in any thread, from its module, by id. */
export interface CaseDefinition {
  readonly id: string;
  readonly suite: string;
  readonly case: string;
  readonly unit: string;
  subjects(): Subject[];
}

/**
 * Measures each subject of a case in its own worker thread (its own V8 isolate and heap), so
 * one peer's garbage and deoptimizations cannot slow another; rounds still interleave, one
 * worker running at a time, so the ratios come from the same run on the same core.
 */
export async function measureIsolated(
  moduleUrl: string,
  exportName: string,
  definition: CaseDefinition,
  options: MeasureOptions,
): Promise<CaseResult> {
  const { Worker } = await import('node:worker_threads');
  const names = definition.subjects().map((subject) => ({ name: subject.name, units: subject.unitsPerRun ?? 1 }));
  const workers = names.map(
    ({ name }) =>
      new Worker(new URL('./worker.mjs', import.meta.url), {
        workerData: {
          moduleUrl,
          exportName,
          caseId: definition.id,
          subject: name,
          warmupMs: Math.min(options.roundMs, 300),
        },
      }),
  );
  const ask = (worker: InstanceType<typeof Worker>, message: unknown) =>
    new Promise<number>((resolve, reject) => {
      worker.once('message', (rate: number) => resolve(rate));
      worker.once('error', reject);
      worker.postMessage(message);
    });
  try {
    for (const worker of workers) await ask(worker, { warmup: true });
    const samples = names.map(() => [] as number[]);
    for (let round = 0; round < options.rounds; round++) {
      for (const [i, worker] of workers.entries()) samples[i]?.push(await ask(worker, { roundMs: options.roundMs }));
    }
    return {
      suite: definition.suite,
      case: definition.case,
      unit: definition.unit,
      results: names.map(({ name, units }, i) => {
        const sorted = [...(samples[i] ?? [])].sort((a, b) => a - b);
        return {
          name,
          perSecond: (sorted[Math.floor(sorted.length / 2)] ?? 0) * units,
          samples: (samples[i] ?? []).map((sample) => sample * units),
        };
      }),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Samples the process's RSS every 50 ms from now on; `stop()` ends it and answers the peak growth in MiB. */
export function sampleRssGrowth(): { stop(): number } {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(sampler);
      return (peak - before) / 2 ** 20;
    },
  };
}
