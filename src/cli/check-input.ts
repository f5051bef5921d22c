// What `check` verifies: an expectation from the command line or from one `--file` line.
import { resolve as resolvePath } from 'node:path';
import type { DkimPrivateKey } from '../core/key.js';
import type { Expectation } from '../verify/verify.js';
import { UsageError } from './command.js';
import type { CliIo } from './io.js';
import { hostedZoneOptions, loadKey } from './key-input.js';

/** The longest `--file` line, in characters (bytes while reading). */
export const MAX_LINE = 65_536;

/** Builds the expectation of one identity from CLI-style fields. */
export async function expectationOf(fields: {
  domain: string;
  selector?: string;
  privateKey?: DkimPrivateKey;
  tokens?: string;
  region?: string;
  hostedZone?: string;
}): Promise<Expectation> {
  const { domain, selector, tokens } = fields;
  if (selector !== undefined && tokens !== undefined) throw new UsageError('give --selector or --tokens, not both');
  if (selector !== undefined) {
    return { kind: 'byodkim', domain, selector, ...(fields.privateKey ? { key: fields.privateKey } : {}) };
  }
  if (tokens === undefined) throw new UsageError('give --selector (BYODKIM) or --tokens (Easy DKIM)');
  if (fields.privateKey) throw new UsageError('--private-key goes with --selector');
  const list = tokens.split(',').map((t) => t.trim());
  if (list.length !== 3 || list.some((t) => t === ''))
    throw new UsageError(`Easy DKIM takes exactly three tokens, not ${list.length}`);
  return {
    kind: 'easy-dkim',
    domain,
    tokens: list,
    ...(fields.region ? { region: fields.region } : {}),
    ...(fields.hostedZone ? { hostedZone: fields.hostedZone } : {}),
  };
}

/** Reads one `--file` line (a JSON object); key files are relative to the list's folder `base`. */
export async function lineExpectation(text: string, base: string, io: CliIo): Promise<Expectation> {
  if (text.length > MAX_LINE) throw new UsageError(`the line is over ${MAX_LINE} characters`, 'INVALID_LINE');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('the line is not JSON', 'INVALID_LINE');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('the line is not a JSON object', 'INVALID_LINE');
  }
  const fields = value as Record<string, unknown>;
  const allowed = new Set(['domain', 'selector', 'privateKeyFile', 'tokens', 'region', 'dkimDomain']);
  const unknown = Object.keys(fields).find((name) => !allowed.has(name));
  if (unknown !== undefined) throw new UsageError(`unknown field "${unknown.slice(0, 40)}"`, 'INVALID_LINE');
  const string = (name: string) => {
    const v = fields[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new UsageError(`"${name}" must be a string`, 'INVALID_LINE');
    return v;
  };
  const domain = string('domain');
  if (domain === undefined) throw new UsageError('"domain" is required', 'INVALID_LINE');
  let tokens: string | undefined;
  if (fields.tokens !== undefined) {
    if (!Array.isArray(fields.tokens) || !fields.tokens.every((t) => typeof t === 'string')) {
      throw new UsageError('"tokens" must be an array of strings', 'INVALID_LINE');
    }
    tokens = (fields.tokens as string[]).join(',');
  }
  const keyFile = string('privateKeyFile');
  const privateKey = keyFile === undefined ? undefined : await loadKey(resolvePath(base, keyFile), io);
  const zone = hostedZoneOptions({ region: string('region'), 'dkim-domain': string('dkimDomain') });
  const selector = string('selector');
  return expectationOf({
    domain,
    ...(selector !== undefined ? { selector } : {}),
    ...(tokens !== undefined ? { tokens } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(zone.region ? { region: zone.region } : {}),
    ...(zone.hostedZone ? { hostedZone: zone.hostedZone } : {}),
  });
}
