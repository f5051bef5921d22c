// The CLI entry: parses argv, dispatches to a command, prints help and errors.
import { parseArgs } from 'node:util';
import { DkimError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { checkCommand } from './check.js';
import { type CommandSpec, EXIT, type OptionSpec, UsageError } from './command.js';
import { demoCommand } from './demo.js';
import type { CliIo } from './io.js';
import { keygenCommand, recordCommand, tokensCommand } from './keys.js';
import { escapeControls, writeJson } from './output.js';
import { serveCommand } from './serve.js';
import { signCommand } from './sign.js';
import { verifyMessageCommand } from './verify-message.js';

const COMMON: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', description: 'one JSON object on stdout' },
  help: { type: 'boolean', description: 'show help' },
};

const COMMANDS: readonly CommandSpec[] = [
  checkCommand,
  recordCommand,
  tokensCommand,
  keygenCommand,
  demoCommand,
  signCommand,
  verifyMessageCommand,
  serveCommand,
];

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout.write(generalHelp());
      return argv.length === 0 ? EXIT.USAGE : EXIT.SUCCESS;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.SUCCESS;
    }
    const command = COMMANDS.find((c) => c.name === argv[0]);
    if (!command) throw new UsageError(`unknown command "${String(argv[0]).slice(0, 40)}"; see verify-dkim --help`);
    const specs = { ...COMMON, ...command.options };
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...argv.slice(1)],
        options: Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }])),
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(
        error instanceof Error ? (error.message.split('\n')[0] ?? 'bad arguments') : 'bad arguments',
      );
    }
    if (parsed.values.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.SUCCESS;
    }
    if (parsed.positionals.length > command.positionals) {
      throw new UsageError(`unexpected argument "${String(parsed.positionals[command.positionals]).slice(0, 60)}"`);
    }
    return await command.run({
      io,
      positionals: parsed.positionals,
      options: parsed.values as Record<string, string | boolean | undefined>,
      json,
    });
  } catch (error) {
    return reportError(io, json, error);
  }
}

/** Prints an error as JSON or text and returns its exit code: 2 for bad input, 70 for a bug. */
export function reportError(io: CliIo, json: boolean, error: unknown): number {
  const known = error instanceof UsageError || error instanceof DkimError;
  const code = known ? (error as UsageError | DkimError).code : 'INTERNAL_ERROR';
  const message = known
    ? (error as Error).message
    : `internal error (a bug in verify-dkim): ${error instanceof Error ? error.message : String(error)}`;
  if (json) writeJson(io.stdout, { error: { code, message } });
  else io.stderr.write(`verify-dkim: ${escapeControls(message)}\n`);
  return known ? EXIT.USAGE : EXIT.INTERNAL;
}

function generalHelp(): string {
  return [
    `verify-dkim ${VERSION}: DKIM keys and DNS checks with Amazon SES semantics`,
    '',
    'Usage:',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`),
    '',
    'Exit codes: 0 SUCCESS, 1 FAILED, 2 usage or invalid input, 3 PENDING, 4 TEMPORARY_FAILURE, 70 internal error.',
    'Run verify-dkim <command> --help for its options.',
    '',
  ].join('\n');
}

function commandHelp(command: CommandSpec): string {
  const options = { ...command.options, ...COMMON };
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    ...Object.entries(options).map(([name, spec]) => {
      const flag = `--${name}${spec.value ? ` <${spec.value}>` : ''}`;
      return `  ${flag.padEnd(28)} ${spec.description}`;
    }),
    '',
  ].join('\n');
}
