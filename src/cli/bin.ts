#!/usr/bin/env node
// The only file that touches process: it wires the real world into main(argv, io).
import { DkimError } from '../core/errors.js';
import { readLimited } from '../node/read-limited.js';
import { EXIT } from './command.js';
import { main } from './main.js';
import { escapeControls } from './output.js';

async function readStdin(limit: number): Promise<Uint8Array> {
  const bytes = await readLimited(process.stdin, limit);
  if (bytes === null) throw new DkimError('INPUT_TOO_LARGE', `standard input is over ${limit} bytes`);
  return bytes;
}

// Whatever escapes main (an error thrown in a stream callback, a rejection nobody awaited) is a
// bug in verify-dkim: exit 70 (EX_SOFTWARE), never 1, which means FAILED.
const crash = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`verify-dkim: internal error (a bug in verify-dkim): ${escapeControls(message)}\n`);
  process.exit(EXIT.INTERNAL);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

process.exitCode = await main(process.argv.slice(2), {
  stdout: {
    write: (text) => process.stdout.write(text),
    writeBytes: (bytes) => process.stdout.write(bytes),
    isTTY: process.stdout.isTTY === true,
  },
  stderr: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
  readStdin,
  env: process.env,
  now: () => Date.now(),
  waitForSignal: () =>
    new Promise((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
    }),
});
