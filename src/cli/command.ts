// The command contract: exit codes, option and command specs, usage errors.
import type { CliIo } from './io.js';

/** Exit codes: the contract other tools script against. */
export const EXIT = {
  SUCCESS: 0,
  FAILED: 1,
  USAGE: 2,
  PENDING: 3,
  TEMPORARY_FAILURE: 4,
  INTERNAL: 70,
} as const;

/** An option a command takes. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** The value's name in help text. */
  readonly value?: string;
}

/** What a command's run receives. */
export interface CommandContext {
  readonly io: CliIo;
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly json: boolean;
}

/** A command declared as data: its usage, options and what it runs. */
export interface CommandSpec {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly positionals: number;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(context: CommandContext): Promise<number>;
}

/** A usage error: exit 2 with this message. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code = 'USAGE_ERROR',
  ) {
    super(message);
  }
}
