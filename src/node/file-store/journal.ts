// Durable writes to the store file: appends batched and fsynced before they are acknowledged
// (group commit), and compaction by writing a new file, fsync, atomic rename and directory fsync.
import { Buffer } from 'node:buffer';
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StoreError } from '../../ses/persistence.js';
import type { Mutation } from '../../ses/persistence-memory.js';
import { encodeHeader, encodeRecord } from './format.js';

/** Makes a rename durable: fsync of the directory that holds the file. */
export function syncDirectory(path: string): void {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to `path` atomically and durably, mode 0600 (the file holds private keys). */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeFileSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  syncDirectory(path);
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    offset += bytesWritten;
  }
}

interface Pending {
  readonly record: Buffer;
  readonly done: (error?: Error) => void;
}

/**
 * The append side of one store file. `append` resolves once the record is on disk; records
 * queued while a write is in flight go out together in the next write and fsync.
 */
export class Journal {
  private queue: Pending[] = [];
  private compactWaiters: ((error?: Error) => void)[] = [];
  private draining: Promise<void> | undefined;
  private failure: StoreError | undefined;
  /** Bytes in the file, and in it right after the last compaction. */
  private bytes: number;
  private baseline: number;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    size: number,
    private readonly snapshot: () => Iterable<Mutation>,
    private readonly options: { maxRecordBytes: number; compactMinBytes: number; compactRatio: number },
  ) {
    this.bytes = size;
    this.baseline = size;
  }

  static async open(
    path: string,
    snapshot: () => Iterable<Mutation>,
    options: { maxRecordBytes: number; compactMinBytes: number; compactRatio: number },
  ): Promise<Journal> {
    const handle = await open(path, 'a', 0o600);
    await handle.chmod(0o600);
    const { size } = await handle.stat();
    return new Journal(path, handle, size, snapshot, options);
  }

  /** The write failure that stopped this journal, if one did. */
  get failed(): StoreError | undefined {
    return this.failure;
  }

  /** Resolves once `mutation` is durable; rejects for good after a failed write or fsync. */
  append(mutation: Mutation): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const record = encodeRecord(mutation, this.options.maxRecordBytes);
    return new Promise((resolve, reject) => {
      this.queue.push({ record, done: (error) => (error ? reject(error) : resolve()) });
      this.kick();
    });
  }

  /** Rewrites the file with only the live documents. */
  compact(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.compactWaiters.push((error) => (error ? reject(error) : resolve()));
      this.kick();
    });
  }

  /** Waits for every queued write, then closes the file. */
  async close(): Promise<void> {
    while (this.draining) await this.draining;
    await this.handle.close();
  }

  private kick(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0 || this.compactWaiters.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.failure) {
      const batch = this.queue;
      this.queue = [];
      const bytes = batch.length === 1 ? (batch[0] as Pending).record : Buffer.concat(batch.map((p) => p.record));
      try {
        await writeAll(this.handle, bytes);
        await this.handle.datasync();
        this.bytes += bytes.length;
      } catch (error) {
        // After a failed fsync the page cache may not match the disk: refuse everything until reopened.
        this.failure = new StoreError('STORE_UNAVAILABLE', `writing ${this.path} failed; reopen the store`);
        Object.defineProperty(this.failure, 'cause', { value: error });
      }
      for (const pending of batch) pending.done(this.failure);
    }
    const due = this.bytes > this.options.compactMinBytes && this.bytes > this.baseline * this.options.compactRatio;
    if ((due || this.compactWaiters.length > 0) && !this.failure) {
      const waiters = this.compactWaiters;
      this.compactWaiters = [];
      let error: Error | undefined;
      try {
        await this.rewrite();
      } catch (caught) {
        error = caught as Error;
      }
      for (const waiter of waiters) waiter(error);
    }
    if (this.failure) {
      for (const pending of this.queue.splice(0)) pending.done(this.failure);
      for (const waiter of this.compactWaiters.splice(0)) waiter(this.failure);
    }
  }

  /** Compaction: new file, fsync, atomic rename over the old one, directory fsync, reopen for appends. */
  private async rewrite(): Promise<void> {
    const temp = `${this.path}.tmp-${process.pid}`;
    const out = await open(temp, 'w', 0o600);
    let size = 0;
    try {
      let chunk: Buffer[] = [encodeHeader()];
      let chunkBytes = chunk[0]?.length ?? 0;
      for (const mutation of this.snapshot()) {
        const record = encodeRecord(mutation, this.options.maxRecordBytes);
        chunk.push(record);
        chunkBytes += record.length;
        if (chunkBytes >= 1 << 20) {
          await writeAll(out, Buffer.concat(chunk));
          size += chunkBytes;
          chunk = [];
          chunkBytes = 0;
        }
      }
      await writeAll(out, Buffer.concat(chunk));
      size += chunkBytes;
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(temp, this.path);
    syncDirectory(this.path);
    const previous = this.handle;
    this.handle = await open(this.path, 'a', 0o600);
    await previous.close();
    this.bytes = size;
    this.baseline = size;
  }
}
