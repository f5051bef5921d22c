// Real clients against the built `verify-dkim serve`: a Knot server with the customer's zones,
// the emulator as a subprocess, and helpers to run Debian's awscli and boto3 against it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUdpResolver } from '../../../src/node.js';
import { type KnotServer, startKnot } from '../../helpers/knot.js';

export const BIN = join(import.meta.dirname, '../../../dist/cli/bin.js');
/** Debian's awscli 2.9.19 and python3-boto3 (botocore 1.29): not the pyenv `aws` and `python3` on PATH. */
export const AWS = '/usr/bin/aws';
export const PYTHON = '/usr/bin/python3';
export const KNOTC = ['/usr/sbin/knotc', '/usr/bin/knotc'].find((path) => existsSync(path));

/** Under CI=true a missing client fails the run instead of skipping it. */
export function clientsAvailable(): boolean {
  const missing = [
    [AWS, 'awscli'],
    [PYTHON, 'python3-boto3'],
    ['/usr/lib/python3/dist-packages/boto3', 'python3-boto3'],
    [KNOTC ?? '/usr/sbin/knotc', 'knot'],
  ].filter(([path]) => !existsSync(path as string));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') {
    throw new Error(`missing ${missing.map(([, pkg]) => pkg).join(', ')}: .ci/run must apt-get install them`);
  }
  return false;
}

/** Knot serving customer zones whose records a test can change: each change bumps the serial and reloads. */
export interface CustomerDns {
  readonly knot: KnotServer;
  /** Appends records (zone-file lines relative to the origin) to `origin`, reloads, waits until `probe` answers. */
  publish(origin: string, records: readonly string[], probe: { name: string; type: 'TXT' | 'CNAME' }): Promise<void>;
  stop(): Promise<void>;
}

function zoneText(origin: string, serial: number, records: readonly string[]): string {
  return [
    `$ORIGIN ${origin}.`,
    '$TTL 60',
    `@ SOA ns1 hostmaster ${serial} 3600 600 86400 60`,
    '@ NS ns1',
    'ns1 A 127.0.0.1',
    ...records,
    '',
  ].join('\n');
}

/** Starts Knot with empty customer zones `origins`. */
export async function startCustomerDns(origins: readonly string[]): Promise<CustomerDns> {
  const state = new Map(origins.map((origin) => [origin, { serial: 1, records: [] as string[] }]));
  const knot = await startKnot(Object.fromEntries(origins.map((origin) => [origin, zoneText(origin, 1, [])])));
  const probe = createUdpResolver({ servers: [knot.server], timeout: 300, attempts: 1 });
  return {
    knot,
    async publish(origin, records, wanted) {
      const zone = state.get(origin);
      if (!zone) throw new Error(`${origin} is not a customer zone here`);
      zone.serial++;
      zone.records.push(...records);
      writeFileSync(join(knot.dir, `${origin}.zone`), zoneText(origin, zone.serial, zone.records));
      await run(KNOTC as string, ['-s', join(knot.dir, 'knot.sock'), 'zone-reload', origin]);
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const answer = await probe.resolve(wanted.name, wanted.type);
        if (answer.kind === 'records') return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`Knot did not serve ${wanted.name} ${wanted.type} within 10 s`);
    },
    async stop() {
      await probe.close?.();
      await knot.stop();
    },
  };
}

/** A running `verify-dkim serve` subprocess. */
export interface Emulator {
  readonly url: string;
  /** `127.0.0.1:<port>` of its provider DNS. */
  readonly dns: string;
  readonly stderr: () => string;
  /** POSTs to an admin route and returns its JSON. */
  admin<T = Record<string, unknown>>(route: 'clock' | 'check' | 'confirm', body?: unknown): Promise<T>;
  /** A signal (default SIGTERM), then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `node dist/cli/bin.js serve --port 0 --dns-port 0 --resolver <customer> ...extra`. */
export async function startEmulator(resolver: string, extra: readonly string[] = []): Promise<Emulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--dns-port', '0', '--resolver', resolver, ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 10 s: ${stderr}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const got = stdout.split('\n');
      if (got.length >= 3) {
        clearTimeout(timer);
        resolve(got);
      }
    });
    child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  const url = /^listening on (http:\/\/\S+)$/.exec(lines[0] ?? '')?.[1];
  const dns = /^dns on (\S+)$/.exec(lines[1] ?? '')?.[1];
  if (!url || !dns) throw new Error(`unexpected start-up output: ${stdout}`);
  return {
    url,
    dns,
    stderr: () => stderr,
    async admin(route, body = {}) {
      const response = await fetch(`${url}/_dkim-engine/${route}`, { method: 'POST', body: JSON.stringify(body) });
      const json = await response.json();
      if (!response.ok) throw new Error(`admin ${route}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs a program; resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(
  file: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env: env ?? process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** An environment for Debian's awscli and boto3: fake keys, no config files, no pager, one attempt. */
export function clientEnv(region: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** `aws sesv2 <args> --endpoint-url <url>`: parsed JSON output, or the error text with the exit code. */
export async function awsSesv2(
  url: string,
  region: string,
  args: readonly string[],
): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const result = await run(AWS, ['sesv2', ...args, '--endpoint-url', url, '--output', 'json'], clientEnv(region));
  let json: Record<string, unknown> = {};
  if (result.code === 0 && result.stdout.trim() !== '') json = JSON.parse(result.stdout);
  return { code: result.code, json, stderr: result.stderr };
}

/** An RSA key made by openssl as SES's BYODKIM guide says: the key for SES, and its DKIM TXT record data. */
export async function opensslKey(bits = 2048): Promise<{ sesKey: string; txt: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-openssl-'));
  try {
    const pem = join(dir, 'private.key');
    const der = join(dir, 'public.der');
    for (const args of [
      ['genrsa', '-out', pem, String(bits)],
      ['rsa', '-in', pem, '-pubout', '-outform', 'DER', '-out', der],
    ]) {
      const result = await run('openssl', args);
      if (result.code !== 0) throw new Error(`openssl ${args[0]}: ${result.stderr}`);
    }
    // SES takes the key as base64 without the PEM armour and line breaks.
    const sesKey = readFileSync(pem, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('-----'))
      .join('');
    const record = `v=DKIM1; k=rsa; p=${readFileSync(der).toString('base64')}`;
    const strings = record.match(/.{1,255}/g) ?? [];
    return { sesKey, txt: strings.map((s) => `"${s}"`).join(' ') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A boto3 client in a /usr/bin/python3 process (boto3_rpc.py), called one operation at a time. */
export interface Boto3Client {
  readonly versions: { ready: string; botocore: string };
  /** Calls `client.<op>(**params)`: the result, or the ClientError's code, message and status. */
  call(op: string, params?: Record<string, unknown>): Promise<Boto3Answer>;
  close(): Promise<void>;
}

export type Boto3Answer =
  | { result: Record<string, unknown>; error?: undefined }
  | { result?: undefined; error: { code: string; message: string; status: number } };

/** Starts boto3_rpc.py against `url` in `region`. */
export async function startBoto3(url: string, region: string): Promise<Boto3Client> {
  const child = spawn(PYTHON, [join(import.meta.dirname, 'boto3_rpc.py'), url, region], {
    env: clientEnv(region),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      waiting.shift()?.resolve(line);
    }
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      for (const waiter of waiting.splice(0)) waiter.reject(new Error(`boto3 exited: ${stderr}`));
      resolve();
    }),
  );
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`boto3 did not answer in 30 s: ${stderr}`)), 30_000);
      const done = (action: () => void) => {
        clearTimeout(timer);
        action();
      };
      waiting.push({ resolve: (line) => done(() => resolve(line)), reject: (error) => done(() => reject(error)) });
    });
  const versions = JSON.parse(await next());
  return {
    versions,
    async call(op, params = {}) {
      const answer = next();
      child.stdin.write(`${JSON.stringify({ op, params })}\n`);
      return JSON.parse(await answer) as Boto3Answer;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
