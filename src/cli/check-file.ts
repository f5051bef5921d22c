// `check --file`: streams a list of identities, one JSON object a line, and checks them concurrently.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { DkimError } from '../core/errors.js';
import type { CheckedStatus } from '../core/status.js';
import { orderedMap } from '../verify/ordered.js';
import { settingsOf, verifyWithSettings } from './check-dns.js';
import { lineExpectation, MAX_LINE } from './check-input.js';
import { exitCodeOf, progressBar, resultJson } from './check-render.js';
import { type CommandContext, EXIT, UsageError } from './command.js';
import { writeJson } from './output.js';

interface ListEntry {
  readonly line: number;
  /** The line, or null when it ran over MAX_LINE bytes (the rest of it was skipped unread). */
  readonly text: string | null;
}

/**
 * The non-blank lines of the list. The limit holds while reading: a line over MAX_LINE bytes is
 * not kept (its bytes are skipped up to the next newline), so an endless or huge line costs
 * one chunk of memory, not the line.
 */
async function* listLines(path: string): AsyncGenerator<ListEntry> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  const decoder = new TextDecoder('utf-8');
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let line = 0;
  const take = (): ListEntry | null => {
    line++;
    const text = tooLong ? null : decoder.decode(Buffer.concat(parts, length)).replace(/\r$/, '');
    parts = [];
    length = 0;
    tooLong = false;
    return text !== null && text.trim() === '' ? null : { line, text };
  };
  const keep = (piece: Buffer) => {
    if (tooLong) return;
    length += piece.length;
    if (length > MAX_LINE) {
      tooLong = true;
      parts = [];
    } else parts.push(piece);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(0x0a); end >= 0; end = chunk.indexOf(0x0a, start)) {
        keep(chunk.subarray(start, end));
        start = end + 1;
        const entry = take();
        if (entry) yield entry;
      }
      keep(chunk.subarray(start));
    }
    if (length > 0 || tooLong) {
      const entry = take();
      if (entry) yield entry;
    }
  } finally {
    stream.destroy();
  }
}

// A list is a file or a pipe (`--file <(...)`); a device such as /dev/zero never ends.
async function checkListPath(path: string): Promise<{ readonly pipe: boolean }> {
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as { code?: string }).code ?? 'unknown'})`, 'FILE_UNREADABLE');
  }
  if (!stats.isFile() && !stats.isFIFO()) {
    throw new UsageError(`cannot read ${path} (not a regular file or a pipe)`, 'FILE_UNREADABLE');
  }
  return { pipe: stats.isFIFO() };
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
  const { pipe } = await checkListPath(path);
  let total: number;
  try {
    // A pipe can be read once: its progress bar goes without a total.
    total = io.stderr.isTTY && !pipe ? await countLines(path) : 0;
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as { code?: string }).code ?? 'unknown'})`, 'FILE_UNREADABLE');
  }
  const base = dirname(resolvePath(path));
  const statuses = new Set<CheckedStatus>();
  let invalid = false;
  let done = 0;
  const work = async (entry: ListEntry) => {
    try {
      if (entry.text === null) throw new UsageError(`the line is over ${MAX_LINE} bytes`, 'INVALID_LINE');
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
