// The crash-safe file store: the store contract, durability across kill -9, torn and corrupt
// records, format versions, the lock, file modes, compaction and hostile files.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/node/file-store/crc32.js';
import { encodeHeader, HEADER_BYTES } from '../../src/node/file-store/format.js';
import { openFileStore, StoreVersionError } from '../../src/node/file-store.js';
import { describeStoreContract } from '../helpers/store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'dkim-engine-file-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(root, `store-${counter++}.dkim`);
const writer = join(import.meta.dirname, 'fixtures/file-store-writer.ts');

describeStoreContract('file', () => openFileStore(freshPath()));

/** Writes `n` identities and closes; returns the path. */
async function storeWith(n: number): Promise<string> {
  const path = freshPath();
  const store = await openFileStore(path);
  for (let i = 0; i < n; i++) await store.put('identities', `d${i}.com`, { i }, { nextCheckAt: i });
  await store.close();
  return path;
}

/** Byte offsets of each record in a store file. */
function recordOffsets(path: string): number[] {
  const bytes = readFileSync(path);
  const offsets: number[] = [];
  for (let at = HEADER_BYTES; at < bytes.length; at += 8 + bytes.readUInt32BE(at)) offsets.push(at);
  return offsets;
}

function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] = (bytes[offset] as number) ^ 0x5a;
  writeFileSync(path, bytes);
}

describe('file store', () => {
  it('keeps everything across a reopen, with mode 0600 on the file and its lock', async () => {
    const path = freshPath();
    const store = await openFileStore(path);
    expect(store.report).toMatchObject({ created: true, records: 0, damage: [] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}.lock`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await store.put('secrets', 'sel._domainkey.a.com', { privateKey: 'MIIE...' });
    await store.put('identities', 'a.com', { s: 1 }, { nextCheckAt: 77 });
    await store.put('identities', 'a.com', { s: 2 }, { expectedVersion: 1 });
    await store.put('outbox', 'm1', { to: 'x' });
    await store.delete('outbox', 'm1');
    await store.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    const again = await openFileStore(path);
    expect(again.report).toMatchObject({ created: false, records: 5, documents: 2, damage: [] });
    expect(await again.get('identities', 'a.com')).toEqual({
      key: 'a.com',
      version: 2,
      doc: { s: 2 },
      nextCheckAt: 77,
    });
    expect(await again.get('secrets', 'sel._domainkey.a.com')).toMatchObject({ doc: { privateKey: 'MIIE...' } });
    expect(await again.get('outbox', 'm1')).toBeUndefined();
    await again.close();
  });

  it('keeps every acknowledged write when the writing process is killed with SIGKILL', async () => {
    const path = freshPath();
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', writer, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await expect
      .poll(() => (output.match(/^ack /gm) ?? []).length, { timeout: 60_000, interval: 20 })
      .toBeGreaterThan(3000);
    child.kill('SIGKILL');
    await exited;
    // Only whole lines count: a line cut by the kill was not fully reported.
    const acked = output
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('ack '))
      .map((line) => Number(line.slice(4)));
    // A compaction the kill interrupted may have left its temp file; the next open removes it.
    writeFileSync(`${path}.tmp-999999`, 'partial compaction');
    const store = await openFileStore(path);
    expect(existsSync(`${path}.tmp-999999`)).toBe(false);
    for (const n of acked) {
      expect((await store.get('identities', `id-${n}.example`))?.doc, `id-${n}`).toEqual({
        n,
        pad: 'x'.repeat(n % 300),
      });
    }
    // Whatever else is there is whole: unacknowledged writes that made it are complete documents.
    for (const doc of await store.list('identities')) expect(doc.doc).toMatchObject({ n: expect.any(Number) });
    expect(store.report.damage.every((d) => d.kind === 'torn-tail')).toBe(true);
    await store.close();
  });

  it('drops a torn last record, reports it, keeps a copy of the damaged file and appends after it', async () => {
    const path = await storeWith(10);
    const last = recordOffsets(path)[9] as number;
    const torn = statSync(path).size - 3;
    truncateSync(path, torn);
    const store = await openFileStore(path);
    expect(store.report.documents).toBe(9);
    expect(store.report.damage).toEqual([{ kind: 'torn-tail', offset: expect.any(Number), droppedBytes: torn - last }]);
    expect(store.report.damagedCopy && statSync(store.report.damagedCopy).mode & 0o777).toBe(0o600);
    expect(await store.get('identities', 'd9.com')).toBeUndefined();
    await store.put('identities', 'd9.com', { i: 'again' });
    await store.close();
    const again = await openFileStore(path);
    expect(again.report.damage).toEqual([]);
    expect((await again.get('identities', 'd9.com'))?.doc).toEqual({ i: 'again' });
    await again.close();
  });

  it('skips only a record whose checksum fails in the middle; drops a corrupt tail record', async () => {
    const path = await storeWith(10);
    const offsets = recordOffsets(path);
    flipByte(path, (offsets[4] as number) + 12);
    flipByte(path, (offsets[9] as number) + 12);
    const store = await openFileStore(path);
    expect(store.report.damage.map((d) => [d.kind, d.offset])).toEqual([
      ['checksum', offsets[4]],
      ['checksum', offsets[9]],
    ]);
    expect((await store.list('identities')).map((d) => d.key)).toEqual(
      [0, 1, 2, 3, 5, 6, 7, 8].map((i) => `d${i}.com`).sort(),
    );
    await store.close();
  });

  it('drops everything from a length field over the bound, without allocating it', async () => {
    const path = await storeWith(6);
    const bytes = readFileSync(path);
    const at = recordOffsets(path)[2] as number;
    bytes.writeUInt32BE(0xfffffff0, at);
    writeFileSync(path, bytes);
    const before = process.memoryUsage().arrayBuffers;
    const store = await openFileStore(path);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(store.report.damage).toEqual([{ kind: 'bad-length', offset: at, droppedBytes: bytes.length - at }]);
    expect(store.report.documents).toBe(2);
    await store.close();
  });

  it('opens a valid header followed by garbage quickly, loading nothing from it', async () => {
    const path = freshPath();
    const garbage = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < garbage.length; i += 4) garbage.writeUInt32BE(crc32(Buffer.from([i & 0xff, i >> 8])), i);
    writeFileSync(path, Buffer.concat([encodeHeader(), garbage]), { mode: 0o600 });
    const started = performance.now();
    const store = await openFileStore(path, { keepDamaged: false });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(store.report.documents).toBe(0);
    expect(store.report.damage.length).toBeGreaterThan(0);
    await store.close();
  });

  it('refuses a file that is not a store and a newer format, and leaves both untouched', async () => {
    const garbage = freshPath();
    writeFileSync(garbage, 'this is a mail spool, not a store\n');
    await expect(openFileStore(garbage)).rejects.toMatchObject({ code: 'STORE_FORMAT' });
    expect(readFileSync(garbage, 'utf8')).toBe('this is a mail spool, not a store\n');
    expect(existsSync(`${garbage}.lock`)).toBe(false);
    const newer = freshPath();
    writeFileSync(newer, encodeHeader(2));
    const error = await openFileStore(newer).catch((e) => e);
    expect(error).toBeInstanceOf(StoreVersionError);
    expect(error).toMatchObject({ code: 'STORE_VERSION', found: 2, supported: 1 });
    expect(readFileSync(newer)).toEqual(encodeHeader(2));
    // An empty file holds nothing to lose: it is started as a new store.
    const empty = freshPath();
    writeFileSync(empty, '');
    const store = await openFileStore(empty);
    expect(store.report.created).toBe(true);
    expect(readFileSync(empty)).toEqual(encodeHeader());
    await store.close();
  });

  it('refuses a second opener in this process and in another, and takes over a dead owner’s lock', async () => {
    const path = freshPath();
    const store = await openFileStore(path);
    await expect(openFileStore(path)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path, 'open-only'], { stdio: 'pipe' });
    const line = await new Promise<string>((resolve) =>
      child.stdout.once('data', (c: Buffer) => resolve(c.toString())),
    );
    expect(line.trim()).toBe('error STORE_LOCKED');
    await store.close();
    // A process that dies holding the lock leaves a stale lock file behind.
    const holder = spawn(process.execPath, ['--import', 'tsx', writer, path, 'open-only'], { stdio: 'pipe' });
    const ready = await new Promise<string>((resolve) =>
      holder.stdout.once('data', (c: Buffer) => resolve(c.toString())),
    );
    expect(ready.trim()).toBe('ready');
    await expect(openFileStore(path)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(holder.pid));
    const taken = await openFileStore(path);
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await taken.close();
  });

  it('compacts to the live documents only, on demand and automatically, losing nothing', async () => {
    const path = freshPath();
    const store = await openFileStore(path, { compactMinBytes: 32 * 1024, compactRatio: 2 });
    const expected = new Map<string, number>();
    for (let round = 0; round < 30; round++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          expected.set(`k${i}`, round);
          return store.put('tags', `k${i}`, { round, pad: 'p'.repeat(100) });
        }),
      );
    }
    await store.delete('tags', 'k0');
    expected.delete('k0');
    // 1,501 writes of ~150 bytes: without compaction the file would be over 200 KiB.
    expect(statSync(path).size).toBeLessThan(100 * 1024);
    await store.compact();
    expect(recordOffsets(path)).toHaveLength(49);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await store.put('tags', 'after', { ok: true });
    await store.close();
    const again = await openFileStore(path);
    expect(again.report.damage).toEqual([]);
    const docs = await again.list('tags');
    expect(docs).toHaveLength(50);
    for (const [key, round] of expected) expect((await again.get('tags', key))?.doc).toMatchObject({ round });
    expect(readdirSync(root).filter((name) => name.includes('.tmp-'))).toEqual([]);
    await again.close();
  });
});
