#!/usr/bin/env node
// The only file that touches process: it wires the real world into main(argv, io).
import { DkimError } from '../core/errors.js';
import { readLimited } from '../node/read-limited.js';
import { main } from './main.js';

async function readStdin(limit: number): Promise<Uint8Array> {
  const bytes = await readLimited(process.stdin, limit);
  if (bytes === null) throw new DkimError('INPUT_TOO_LARGE', `standard input is over ${limit} bytes`);
  return bytes;
}

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
