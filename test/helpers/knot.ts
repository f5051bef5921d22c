// Knot DNS (Debian package knot) as a real authoritative server for integration tests: each
// test file starts its own knotd on 127.0.0.1 and a free port, in a temp dir, with zone files
// it writes, and stops it by PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUdpResolver } from '../../src/node.js';

export const KNOTD = ['/usr/sbin/knotd', '/usr/bin/knotd'].find((path) => existsSync(path));

/** Under CI=true a missing knotd fails the run instead of skipping. */
export function knotAvailable(): boolean {
  if (KNOTD) return true;
  if (process.env.CI === 'true') throw new Error('knotd is not installed: .ci/run must apt-get install knot');
  return false;
}

export interface KnotServer {
  readonly port: number;
  /** `127.0.0.1:<port>` */
  readonly server: string;
  readonly dir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;
  const tcpFree = await new Promise<boolean>((resolve) => {
    const tcp = createServer();
    tcp.once('error', () => resolve(false));
    tcp.listen(port, '127.0.0.1', () => tcp.close(() => resolve(true)));
  });
  await new Promise<void>((resolve) => udp.close(() => resolve()));
  return tcpFree ? port : freePort();
}

/**
 * Starts knotd with `zones` (origin -> zone file text; null text writes nothing, so the zone
 * is configured but cannot load). Resolves once every loadable zone answers its NS query.
 */
export async function startKnot(zones: Record<string, string | null>): Promise<KnotServer> {
  if (!KNOTD) throw new Error('knotd is not installed');
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-knot-'));
    const port = await freePort();
    for (const [origin, text] of Object.entries(zones)) {
      if (text !== null) writeFileSync(join(dir, `${origin}.zone`), text);
    }
    writeFileSync(
      join(dir, 'knot.conf'),
      [
        'server:',
        `    rundir: "${dir}"`,
        `    listen: 127.0.0.1@${port}`,
        'control:',
        `    listen: "${dir}/knot.sock"`,
        'database:',
        `    storage: "${dir}/db"`,
        'log:',
        '  - target: stderr',
        '    any: warning',
        'template:',
        '  - id: default',
        `    storage: "${dir}"`,
        '    file: "%s.zone"',
        '    journal-content: none',
        '    zonefile-sync: -1',
        'zone:',
        ...Object.keys(zones).map((origin) => `  - domain: ${origin}`),
        '',
      ].join('\n'),
    );
    const child: ChildProcess = spawn(KNOTD, ['-c', join(dir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    };
    // Knot loads zones asynchronously: poll until each loadable zone answers, rather than sleep.
    const probe = createUdpResolver({ servers: [`127.0.0.1:${port}`], timeout: 200, attempts: 1 });
    const loadable = Object.entries(zones)
      .filter(([, text]) => text !== null)
      .map(([origin]) => origin);
    const deadline = Date.now() + 10_000;
    let ready = false;
    while (Date.now() < deadline && child.exitCode === null) {
      const answers = await Promise.all(loadable.map((origin) => probe.resolve(origin, 'NS')));
      if (answers.every((a) => a.kind === 'records')) {
        ready = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (ready) return { port, server: `127.0.0.1:${port}`, dir, stop };
    await stop();
    if (!/address already in use|cannot bind/i.test(stderr)) {
      throw new Error(`knotd did not serve its zones within 10 s:\n${stderr.slice(-2000)}`);
    }
  }
  throw new Error('knotd could not bind a free port in 5 tries');
}

/** TXT record data for a zone file: each string quoted. */
export function txtData(strings: readonly string[]): string {
  return strings.map((s) => `"${s}"`).join(' ');
}

/**
 * A zone file for `origin`: $ORIGIN, $TTL 300, SOA and NS (ns1.<origin> at 127.0.0.1 unless
 * `nameServer` names one elsewhere), then `records`. `negativeTtl` is the SOA minimum.
 */
export function zoneFile(
  origin: string,
  records: readonly string[],
  options: { readonly nameServer?: string; readonly negativeTtl?: number } = {},
): string {
  const ns = options.nameServer ?? 'ns1';
  return [
    `$ORIGIN ${origin}.`,
    '$TTL 300',
    `@ SOA ${ns} hostmaster${options.nameServer ? `.${origin}.` : ''} 1 3600 600 86400 ${options.negativeTtl ?? 300}`,
    `@ NS ${ns}`,
    ...(options.nameServer ? [] : ['ns1 A 127.0.0.1']),
    ...records,
    '',
  ].join('\n');
}
