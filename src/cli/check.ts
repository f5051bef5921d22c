import { createReadStream } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { DkimError } from '../core/errors.js';
import type { DkimPrivateKey } from '../core/key.js';
import { dkimTxtRecord } from '../core/key-record/format.js';
import type { DkimStatus } from '../core/status.js';
import { createUdpResolver } from '../dns/node/udp.js';
import type { Resolver } from '../dns/types.js';
import { orderedMap } from '../verify/ordered.js';
import {
  type Expectation,
  type RecordCheck,
  unanswered,
  VERDICT_STATUS,
  type VerificationResult,
  verifyIdentity,
} from '../verify/verify.js';
import { type CommandContext, type CommandSpec, EXIT, UsageError } from './command.js';
import type { CliIo } from './io.js';
import { hostedZoneOptions, loadKey } from './keys.js';
import { painter, statusColour, table, writeJson } from './output.js';

const STATUS_EXIT: Readonly<Record<Exclude<DkimStatus, 'NOT_STARTED'>, number>> = {
  SUCCESS: EXIT.SUCCESS,
  FAILED: EXIT.FAILED,
  PENDING: EXIT.PENDING,
  TEMPORARY_FAILURE: EXIT.TEMPORARY_FAILURE,
};
const WORST: readonly number[] = [EXIT.FAILED, EXIT.TEMPORARY_FAILURE, EXIT.PENDING, EXIT.SUCCESS];
const MAX_LINE = 65_536;

export const checkCommand: CommandSpec = {
  name: 'check',
  usage:
    'verify-dkim check <domain> (--selector <sel> [--private-key <file>] | --tokens <t1,t2,t3>) [options] | check --file <list>',
  summary: 'Checks the DKIM records of a domain (BYODKIM or Easy DKIM) in DNS.',
  positionals: 1,
  options: {
    selector: { type: 'string', value: 'sel', description: 'BYODKIM: the selector' },
    'private-key': { type: 'string', value: 'file|-', description: 'BYODKIM: the key the record must publish' },
    tokens: { type: 'string', value: 't1,t2,t3', description: 'Easy DKIM: the three tokens' },
    region: { type: 'string', value: 'r', description: 'Easy DKIM: AWS region, for its hosted zone' },
    'dkim-domain': { type: 'string', value: 'zone', description: 'Easy DKIM: a custom hosted zone' },
    file: { type: 'string', value: 'list', description: 'many identities, one JSON object per line' },
    resolver: {
      type: 'string',
      value: 'ip[:port]',
      description: 'DNS server to ask ([ipv6]:port); default /etc/resolv.conf',
    },
    authoritative: { type: 'boolean', description: "ask the zone's own name servers directly, bypassing caches" },
    port: { type: 'string', value: 'n', description: 'with --authoritative: their port (default 53)' },
    timeout: { type: 'string', value: 'ms', description: 'per attempt (default 2000)' },
    attempts: { type: 'string', value: 'n', description: 'attempts per question (default 3)' },
    concurrency: { type: 'string', value: 'n', description: 'with --file: identities at once (default 16)' },
  },
  run: (context) => (typeof context.options.file === 'string' ? checkFile(context) : checkOne(context)),
};

interface ResolverSettings {
  readonly servers?: readonly string[];
  readonly timeout: number;
  readonly attempts: number;
  readonly authoritative: boolean;
  readonly port: number;
}

function settingsOf(options: CommandContext['options']): ResolverSettings {
  const number = (name: string, fallback: number, max: number) => {
    const value = options[name];
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  return {
    ...(typeof options.resolver === 'string' ? { servers: [options.resolver] } : {}),
    timeout: number('timeout', 2000, 600_000),
    attempts: number('attempts', 3, 20),
    authoritative: options.authoritative === true,
    port: number('port', 53, 65_535),
  };
}

function baseResolver(io: CliIo, settings: ResolverSettings): Resolver {
  const options = {
    timeout: settings.timeout,
    attempts: settings.attempts,
    ...(settings.servers ? { servers: settings.servers } : {}),
  };
  return io.createResolver ? io.createResolver(options) : createUdpResolver(options);
}

/**
 * The zone's own name servers for `name`: the nearest enclosing zone with NS records, their
 * addresses looked up through `base`. Null when none is found.
 */
async function authoritativeResolver(
  io: CliIo,
  base: Resolver,
  name: string,
  settings: ResolverSettings,
): Promise<Resolver | null> {
  const labels = name.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const zone = labels.slice(i).join('.');
    const ns = await base.resolve(zone, 'NS');
    if (ns.kind !== 'records') continue;
    const addresses: string[] = [];
    for (const host of ns.records) {
      for (const type of ['A', 'AAAA'] as const) {
        const answer = await base.resolve(host, type);
        if (answer.kind === 'records') addresses.push(...answer.records.map((a) => (type === 'AAAA' ? `[${a}]` : a)));
      }
    }
    if (addresses.length === 0) return null;
    const servers = addresses.map((address) => `${address}:${settings.port}`);
    const options = { servers, timeout: settings.timeout, attempts: settings.attempts };
    return io.createResolver ? io.createResolver(options) : createUdpResolver(options);
  }
  return null;
}

/** Builds the expectation of one identity from CLI-style fields. */
async function expectationOf(fields: {
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

async function verify(io: CliIo, expectation: Expectation, settings: ResolverSettings): Promise<VerificationResult> {
  const base = baseResolver(io, settings);
  try {
    if (!settings.authoritative) return await verifyIdentity(expectation, base, { now: io.now() });
    const probe =
      expectation.kind === 'byodkim' ? `${expectation.selector}._domainkey.${expectation.domain}` : expectation.domain;
    const direct = await authoritativeResolver(io, base, probe.toLowerCase(), settings);
    if (direct === null) {
      return unanswered(
        expectation.domain,
        'NO_NAMESERVERS',
        `no name servers found for ${expectation.domain}`,
        io.now(),
      );
    }
    try {
      return await verifyIdentity(expectation, direct, { now: io.now() });
    } finally {
      await direct.close?.();
    }
  } finally {
    await base.close?.();
  }
}

async function checkOne({ io, positionals, options, json }: CommandContext): Promise<number> {
  const domain = positionals[0];
  if (domain === undefined) throw new UsageError('a domain is required (or --file)');
  const settings = settingsOf(options);
  const zone = hostedZoneOptions(options);
  if (typeof options.selector === 'string' && typeof options.tokens === 'string') {
    throw new UsageError('give --selector or --tokens, not both');
  }
  // The key is read and validated before any lookup: a bad key is exit 2, not a DNS verdict.
  const privateKey = typeof options['private-key'] === 'string' ? await loadKey(options['private-key'], io) : undefined;
  const expectation = await expectationOf({
    domain,
    ...(typeof options.selector === 'string' ? { selector: options.selector } : {}),
    ...(typeof options.tokens === 'string' ? { tokens: options.tokens } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(zone.region ? { region: zone.region } : {}),
    ...(zone.hostedZone ? { hostedZone: zone.hostedZone } : {}),
  });
  const result = await verify(io, expectation, settings);
  if (json) writeJson(io.stdout, resultJson(result, expectation));
  else io.stdout.write(renderHuman(io, result, expectation, privateKey));
  return STATUS_EXIT[result.status];
}

/** The JSON shape of one check result. */
export function resultJson(result: VerificationResult, expectation: Expectation) {
  return {
    status: result.status,
    domain: result.domain,
    mode: expectation.kind === 'byodkim' ? 'BYODKIM' : 'EASY_DKIM',
    checks: result.checks.map((check) => ({
      name: check.name,
      type: check.type,
      status: VERDICT_STATUS[check.verdict],
      found: check.found,
      expected: check.expected,
      ttl: check.ttl,
      authenticated: check.authenticated,
      ...(VERDICT_STATUS[check.verdict] === 'SUCCESS'
        ? {}
        : {
            // The code is the shared verdict; INVALID and DNS_ERROR also name the diagnosis or DNS answer.
            reason: {
              code: check.verdict,
              message: check.detail,
              ...(check.reason !== check.verdict ? { subcode: check.reason } : {}),
            },
          }),
    })),
  };
}

function renderHuman(io: CliIo, result: VerificationResult, expectation: Expectation, key?: DkimPrivateKey): string {
  const paint = painter(io, io.stdout);
  const mode = expectation.kind === 'byodkim' ? 'BYODKIM' : 'Easy DKIM';
  const lines = [`${paint('bold', result.domain)}  ${mode}  ${paint(statusColour(result.status), result.status)}`];
  const rows = result.checks.map((check) => [
    check.type,
    check.name,
    paint(statusColour(check.verdict), check.verdict === 'DNS_ERROR' ? `DNS_ERROR (${check.reason})` : check.verdict),
    check.detail,
  ]);
  const rendered = table(rows, '  ');
  result.checks.forEach((check, i) => {
    lines.push(rendered[i] ?? '');
    for (const extra of advice(check, expectation, key)) lines.push(`      ${paint('dim', extra)}`);
  });
  lines.push(
    result.authenticated
      ? paint('green', '  DNSSEC-authenticated (AD bit from the resolver)')
      : paint('dim', '  not DNSSEC-authenticated (no AD bit: the resolver did not vouch for these answers)'),
  );
  return `${lines.join('\n')}\n`;
}

/** What to tell the user under a check: what to publish, what the diagnosis says, caching times. */
function advice(check: RecordCheck, expectation: Expectation, key?: DkimPrivateKey): string[] {
  const out: string[] = [];
  if (check.verdict === 'NOT_FOUND' || check.verdict === 'CNAME_DANGLING' || check.verdict === 'MISMATCH') {
    if (check.type === 'CNAME' && check.expected) out.push(`publish: ${check.name}. IN CNAME ${check.expected}.`);
    if (check.type === 'TXT' && key && expectation.kind === 'byodkim') {
      out.push(`publish: ${dkimTxtRecord(key, { domain: expectation.domain, selector: expectation.selector }).zone}`);
    }
  }
  if (check.hint) out.push(check.hint);
  for (const found of check.found) out.push(`found: ${found.length > 120 ? `${found.slice(0, 117)}...` : found}`);
  if (check.ttl !== null) {
    out.push(
      check.verdict === 'NOT_FOUND'
        ? `resolvers may cache this negative answer for ${check.ttl} s (SOA negative-cache time)`
        : `ttl ${check.ttl} s`,
    );
  }
  return out;
}

interface ListEntry {
  readonly line: number;
  readonly text: string;
}

async function* listLines(path: string): AsyncGenerator<ListEntry> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of reader) {
      line++;
      if (text.trim() === '') continue;
      yield { line, text };
    }
  } finally {
    reader.close();
    stream.destroy();
  }
}

async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const _ of listLines(path)) count++;
  return count;
}

async function checkFile({ io, options }: CommandContext): Promise<number> {
  const path = options.file as string;
  const settings = settingsOf(options);
  const concurrency = options.concurrency === undefined ? 16 : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
    throw new UsageError('--concurrency must be an integer from 1 to 1024');
  }
  let total: number;
  try {
    total = io.stderr.isTTY ? await countLines(path) : 0;
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as { code?: string }).code ?? 'unknown'})`, 'FILE_UNREADABLE');
  }
  const base = dirname(resolvePath(path));
  let worst: number = EXIT.SUCCESS;
  let invalid = false;
  let done = 0;
  const work = async (entry: ListEntry) => {
    try {
      const expectation = await lineExpectation(entry.text, base, io);
      const result = await verify(io, expectation, settings);
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
      else worst = WORST.find((code) => code === worst || code === STATUS_EXIT[output.status]) ?? worst;
      if (io.stderr.isTTY) io.stderr.write(progressBar(done, total));
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT' || (error as { code?: string }).code === 'EISDIR') {
      throw new UsageError(`cannot read ${path} (${(error as { code?: string }).code})`, 'FILE_UNREADABLE');
    }
    throw error;
  }
  if (io.stderr.isTTY) io.stderr.write('\n');
  return invalid ? EXIT.USAGE : worst;
}

async function lineExpectation(text: string, base: string, io: CliIo): Promise<Expectation> {
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

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}${total > 0 ? `/${total}` : ''}`;
}
