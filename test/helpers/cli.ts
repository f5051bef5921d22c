// Running the CLI in-process with captured output and zone-data resolvers.
import { main } from '../../src/cli/main.js';
import type { Resolver } from '../../src/index.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

/** Runs main(argv, io) in-process with captured output and, optionally, a resolver of zone data. */
export async function runCli(
  argv: readonly string[],
  options: { resolver?: Resolver; stdin?: string; tty?: boolean; env?: Record<string, string>; now?: number } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: {
      write: (text) => {
        stdout += text;
      },
      isTTY: options.tty ?? false,
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
      isTTY: options.tty ?? false,
    },
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ''),
    env: options.env ?? {},
    now: () => options.now ?? Date.UTC(2026, 10, 26),
    ...(options.resolver ? { createResolver: () => options.resolver as Resolver } : {}),
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
