// Inputs shared by several commands: a private key from a file or stdin, and the hosted-zone options.
import { DkimError } from '../core/errors.js';
import { type DkimPrivateKey, MAX_INPUT_LENGTH, parsePrivateKey } from '../core/key.js';
import { readPrivateKeyFile } from '../node/key-file.js';
import { UsageError } from './command.js';
import type { CliIo } from './io.js';

/** Reads a key from a file, or from stdin for `-`; any problem is invalid input (exit 2). */
export async function loadKey(path: string, io: CliIo): Promise<DkimPrivateKey> {
  if (path === '-') return parsePrivateKey(await io.readStdin(MAX_INPUT_LENGTH));
  try {
    return await readPrivateKeyFile(path);
  } catch (error) {
    if (error instanceof DkimError) throw new DkimError(error.code, `key file ${path}: ${error.message}`);
    const code = (error as { code?: string }).code ?? 'unknown';
    throw new UsageError(`cannot read key file ${path} (${code})`, 'FILE_UNREADABLE');
  }
}

/** `--region` and `--dkim-domain` are alternatives. */
export function hostedZoneOptions(options: Readonly<Record<string, unknown>>): {
  region?: string;
  hostedZone?: string;
} {
  const region = options.region;
  const zone = options['dkim-domain'];
  if (typeof region === 'string' && typeof zone === 'string') {
    throw new UsageError('give --region or --dkim-domain, not both');
  }
  return typeof zone === 'string' ? { hostedZone: zone } : typeof region === 'string' ? { region } : {};
}
