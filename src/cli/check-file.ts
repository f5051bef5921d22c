// `check --file`: streams a list of identities, one JSON object a line, and checks them concurrently.
import { createReadStream } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { DkimError } from '../core/errors.js';
import type { CheckedStatus } from '../core/status.js';
import { orderedMap } from '../verify/ordered.js';
import { settingsOf, verifyWithSettings } from './check-dns.js';
import { lineExpectation } from './check-input.js';
import { exitCodeOf, progressBar, resultJson } from './check-render.js';
import { type CommandContext, EXIT, UsageError } from './command.js';
import { writeJson } from './output.js';

interface ListEntry {
  readonly line: number;
  readonly text: string;
}

async function* listLines(path: string): AsyncGenerator<ListEntry> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of reader) {
      line++;
      if (text.trim() === '') continue;
      yield { line, text };
    }
  } finally {
    reader.close();
    stream.destroy();
  }
}

async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const _ of listLines(path)) count++;
  return count;
}

/** Runs `check --file`: one JSON line out per line in, in order; exit 2 if any line was invalid, else the worst status. */
export async function checkFile({ io, options }: CommandContext): Promise<number> {
  const path = options.file as string;
  const settings = settingsOf(options);
  const concurrency = options.concurrency === undefined ? 16 : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
    throw new UsageError('--concurrency must be an integer from 1 to 1024');
  }
  let total: number;
  try {
    total = io.stderr.isTTY ? await countLines(path) : 0;
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as { code?: string }).code ?? 'unknown'})`, 'FILE_UNREADABLE');
  }
  const base = dirname(resolvePath(path));
  const statuses = new Set<CheckedStatus>();
  let invalid = false;
  let done = 0;
  const work = async (entry: ListEntry) => {
    try {
      const expectation = await lineExpectation(entry.text, base, io);
      const result = await verifyWithSettings(io, expectation, settings);
      return { line: entry.line, ...resultJson(result, expectation) };
    } catch (error) {
      if (error instanceof DkimError || error instanceof UsageError) {
        return { line: entry.line, error: { code: error.code, message: error.message } };
      }
      throw error;
    }
  };
  try {
    for await (const output of orderedMap(listLines(path), concurrency, work)) {
      writeJson(io.stdout, output);
      done++;
      if ('error' in output) invalid = true;
      else statuses.add(output.status);
      if (io.stderr.isTTY) io.stderr.write(progressBar(done, total));
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT' || (error as { code?: string }).code === 'EISDIR') {
      throw new UsageError(`cannot read ${path} (${(error as { code?: string }).code})`, 'FILE_UNREADABLE');
    }
    throw error;
  }
  if (io.stderr.isTTY) io.stderr.write('\n');
  return invalid ? EXIT.USAGE : exitCodeOf(statuses);
}
