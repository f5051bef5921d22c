// The CLI against hostile files and hostile DNS data: issue #13 D6, D7 and W11.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoneResolver } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { type HostileFiles, makeHostileFiles } from './fixtures/files.js';

const BIN = join(import.meta.dirname, '../../dist/cli/bin.js');

let files: HostileFiles;
beforeAll(() => {
  files = makeHostileFiles();
});
afterAll(() => {
  files.remove();
});

const zone = createZoneResolver({ 's1._domainkey.example.com': { TXT: [['v=DKIM1; k=rsa; p=MIIB']] } });
const byodkim = (keyPath: string) => ['check', 'example.com', '--selector', 's1', '--private-key', keyPath];

describe('hostile key files', () => {
  it('#13 D6 refuses a FIFO key file at once instead of blocking on open()', async () => {
    const run = await runCli([...byodkim(files.fifo), '--json'], { resolver: zone });
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ error: { message: expect.stringContaining('not a regular file') } });
  }, 5_000);

  it("#13 D6 a FIFO key inside a --file list is that line's error, and the run goes on", async () => {
    const list = join(files.dir, 'fifo-list.jsonl');
    writeFileSync(
      list,
      [
        JSON.stringify({ domain: 'example.com', selector: 's1', privateKeyFile: files.fifo }),
        JSON.stringify({ domain: 'example.com', selector: 's1' }),
      ].join('\n'),
    );
    const run = await runCli(['check', '--file', list], { resolver: zone });
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.line)).toEqual([1, 2]);
    expect(lines[0].error.message).toContain('not a regular file');
    expect(lines[1].status).toBeDefined();
    expect(run.code).toBe(2);
  }, 5_000);

  it.each([
    ['/dev/zero', () => files.devZero],
    ['a directory', () => files.directory],
    ['a symlink loop', () => files.symlinkLoop],
    ['an unreadable file', () => files.unreadable],
    ['a 1 GB sparse file', () => files.sparse],
  ])(
    'refuses %s as a key with exit 2',
    async (_what, path) => {
      const run = await runCli([...byodkim(path()), '--json'], { resolver: zone });
      expect(run.code).toBe(2);
      expect(run.json()).toHaveProperty('error.code');
    },
    5_000,
  );
});

describe('hostile --file lists', () => {
  it('#13 D7 keeps the line limit while reading: a 1 GB line is one INVALID_LINE, in bounded memory', async () => {
    const before = process.memoryUsage();
    const run = await runCli(['check', '--file', files.sparse], { resolver: zone });
    const grown = process.memoryUsage().arrayBuffers - before.arrayBuffers;
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ line: 1, error: { code: 'INVALID_LINE' } });
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);

  it('#13 D7 skips an over-long line and reads the lines after it', async () => {
    const list = join(files.dir, 'long-line.jsonl');
    writeFileSync(list, `${'x'.repeat(200_000)}\n${JSON.stringify({ domain: 'example.com', selector: 's1' })}\n`);
    const run = await runCli(['check', '--file', list], { resolver: zone });
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toMatchObject([
      { line: 1, error: { code: 'INVALID_LINE' } },
      { line: 2, status: 'FAILED' },
    ]);
  });

  it.each([
    ['/dev/zero', () => files.devZero],
    ['a directory', () => files.directory],
    ['a symlink loop', () => files.symlinkLoop],
  ])(
    '#13 D7 refuses %s as a list with exit 2, at once',
    async (_what, path) => {
      const run = await runCli(['check', '--file', path(), '--json'], { resolver: zone });
      expect(run.code).toBe(2);
      expect(run.json()).toMatchObject({ error: { code: 'FILE_UNREADABLE' } });
    },
    5_000,
  );

  it('#13 D7 an error that escapes main exits 70 (internal error), not 1 (FAILED)', async () => {
    // A preloaded module throws from a timer while the check waits for a silent DNS server.
    const crash = 'data:text/javascript,setTimeout(()=>{throw new RangeError("Invalid string length")},1000)';
    const child = spawn(process.execPath, [
      '--import',
      crash,
      BIN,
      ...['check', 'example.com', '--selector', 's1', '--resolver', '127.0.0.1:9', '--timeout', '3000'],
    ]);
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(70);
    expect(stderr).toContain('internal error');
  }, 10_000);
});
