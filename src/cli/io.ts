// What the CLI touches outside itself (streams, stdin, env, clock, resolver), injected for tests.
import type { Resolver } from '../dns/types.js';

/** A stream the CLI writes to. */
export interface CliOutput {
  write(text: string): void;
  /** Writes bytes as they are (a signed message); absent on outputs that take only text. */
  writeBytes?(bytes: Uint8Array): void;
  /** Whether it is a terminal: colours and progress bars only then. */
  readonly isTTY?: boolean;
}

/** Everything the CLI touches outside itself, injected so tests need no mocks. */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Reads standard input, at most `limit` bytes (more is an error). */
  readStdin(limit: number): Promise<Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock, epoch milliseconds. */
  now(): number;
  /** Makes the resolver for a check; tests swap in zone data. Default: the wire resolver. */
  createResolver?(options: { servers?: readonly string[]; timeout: number; attempts: number }): Resolver;
  /** Resolves with the signal's name on SIGTERM or SIGINT: long-running commands (serve) then stop. */
  waitForSignal?(): Promise<string>;
}
