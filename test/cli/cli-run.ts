// Runs the CLI in-process with byte-exact stdout (for `sign`) and an optional zone resolver.
import { main } from '../../src/cli/main.js';
import type { Resolver } from '../../src/index.js';

export interface ByteRun {
  readonly code: number;
  readonly stdout: Uint8Array;
  readonly text: string;
  readonly stderr: string;
}

export async function runBytes(
  argv: readonly string[],
  options: { stdin?: Uint8Array | string; resolver?: Resolver; now?: number } = {},
): Promise<ByteRun> {
  const chunks: Uint8Array[] = [];
  let stderr = '';
  const code = await main(argv, {
    stdout: {
      write: (text) => {
        chunks.push(new TextEncoder().encode(text));
      },
      writeBytes: (bytes) => {
        chunks.push(bytes.slice());
      },
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
    },
    readStdin: async (limit) => {
      const input =
        typeof options.stdin === 'string'
          ? new TextEncoder().encode(options.stdin)
          : (options.stdin ?? new Uint8Array(0));
      if (input.length > limit) {
        const { DkimError } = await import('../../src/index.js');
        throw new DkimError('INPUT_TOO_LARGE', `standard input is over ${limit} bytes`);
      }
      return input;
    },
    env: {},
    now: () => options.now ?? Date.UTC(2026, 11, 1, 12),
    ...(options.resolver ? { createResolver: () => options.resolver as Resolver } : {}),
  });
  const stdout = Buffer.concat(chunks);
  return { code, stdout: new Uint8Array(stdout), text: stdout.toString('latin1'), stderr };
}
