// `verify-dkim serve` through main(argv, io): start-up lines, the signal hook, option errors.
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { createZoneResolver } from '../../../src/index.js';

function io(signal: Promise<string>) {
  const out = { stdout: '', stderr: '' };
  let printed: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    printed = resolve;
  });
  const value: CliIo = {
    stdout: {
      write: (text) => {
        out.stdout += text;
        if (out.stdout.includes('\n')) printed();
      },
    },
    stderr: {
      write: (text) => {
        out.stderr += text;
      },
    },
    readStdin: async () => new Uint8Array(),
    env: {},
    now: () => Date.UTC(2026, 11, 1),
    createResolver: () => createZoneResolver(),
    waitForSignal: () => signal,
  };
  return { io: value, out, started };
}

describe('verify-dkim serve', () => {
  it('prints where it listens first, serves, and exits 0 on SIGTERM', async () => {
    let send: (signal: string) => void = () => {};
    const signal = new Promise<string>((resolve) => {
      send = resolve;
    });
    const { io: cli, out, started } = io(signal);
    const exit = main(['serve', '--port', '0', '--dns-port', '0', '--region', 'eu-south-1'], cli);
    await started;
    const [first, second] = out.stdout.split('\n');
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first ?? '')?.[1];
    expect(url).toBeDefined();
    expect(url).not.toMatch(/:0$/);
    expect(second).toMatch(/^dns on 127\.0\.0\.1:\d+$/);
    const created = await fetch(`${url}/v2/email/identities`, {
      method: 'POST',
      body: JSON.stringify({ EmailIdentity: 'cli.example' }),
    });
    expect(((await created.json()) as { DkimAttributes: { SigningHostedZone: string } }).DkimAttributes).toMatchObject({
      SigningHostedZone: 'dkim.eu-south-1.amazonses.com',
    });
    send('SIGTERM');
    expect(await exit).toBe(0);
    expect(out.stderr).toMatch(/SIGTERM/);
    await expect(fetch(`${url}/v2/email/identities`)).rejects.toThrow();
  });

  it.each([
    [['--port', 'eighty'], /--port must be a whole number/],
    [['--check-every', '5'], /--check-every must be a whole number from 10/],
    [['--account-id', 'abc'], /twelve digits/],
    [['--region', 'moon-1'], /not an AWS region/],
  ])('refuses %j with exit 2', async (args, message) => {
    const { io: cli, out } = io(new Promise(() => {}));
    expect(await main(['serve', '--port', '0', ...args], cli)).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('a port in use exits 2 naming it', async () => {
    let send: (signal: string) => void = () => {};
    const first = io(
      new Promise<string>((resolve) => {
        send = resolve;
      }),
    );
    const running = main(['serve', '--port', '0'], first.io);
    await first.started;
    const port = /:(\d+)\n/.exec(first.out.stdout)?.[1] as string;
    const second = io(new Promise(() => {}));
    expect(await main(['serve', '--port', port], second.io)).toBe(2);
    expect(second.out.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
    send('SIGINT');
    expect(await running).toBe(0);
  });

  it('lists serve and its options in help', async () => {
    const { io: cli, out } = io(new Promise(() => {}));
    expect(await main(['serve', '--help'], cli)).toBe(0);
    for (const option of [
      '--port',
      '--host',
      '--region',
      '--account-id',
      '--resolver',
      '--dns-port',
      '--check-every',
      '--sandbox',
    ]) {
      expect(out.stdout).toContain(option);
    }
  });
});
