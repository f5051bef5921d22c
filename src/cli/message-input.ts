// Reading what the sign and verify commands take: a message file or stdin, and a signing key file, with size limits first.
import { open } from 'node:fs/promises';
import { DkimError } from '../core/errors.js';
import { MAX_INPUT_LENGTH } from '../core/key.js';
import { MAX_MESSAGE_BYTES } from '../core/signature/message.js';
import { parseSigningKey, type SigningKey } from '../core/signature/signing-key.js';
import { UsageError } from './command.js';
import type { CliIo } from './io.js';

/** Reads a whole file of at most `limit` bytes; the size is checked on the open file before reading. */
async function readLimited(path: string, limit: number, what: string): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UsageError(
      `cannot read ${what} ${path} (${(error as { code?: string }).code ?? 'unknown'})`,
      'FILE_UNREADABLE',
    );
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UsageError(`${what} ${path} is not a regular file`, 'FILE_UNREADABLE');
    if (stats.size > limit) {
      throw new DkimError('INPUT_TOO_LARGE', `${what} ${path} is ${stats.size} bytes; the limit is ${limit}`);
    }
    const buffer = new Uint8Array(stats.size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > stats.size) throw new DkimError('INPUT_TOO_LARGE', `${what} ${path} grew while being read`);
    }
    return buffer.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** The message from a file, or from stdin for `-` or no path. Over SES's 40 MB is INPUT_TOO_LARGE (exit 2). */
export async function readMessage(path: string | undefined, io: CliIo): Promise<Uint8Array> {
  if (path === undefined || path === '-') return io.readStdin(MAX_MESSAGE_BYTES);
  return readLimited(path, MAX_MESSAGE_BYTES, 'message file');
}

/** A signing key file: RSA (as the key core reads it) or Ed25519 (PKCS #8, or base64 of the seed). */
export async function readSigningKey(path: string, io: CliIo): Promise<SigningKey> {
  const bytes =
    path === '-' ? await io.readStdin(MAX_INPUT_LENGTH) : await readLimited(path, MAX_INPUT_LENGTH, 'key file');
  // Text files are read as text, so a base64 Ed25519 seed with a final newline is recognised.
  const isText =
    bytes.length > 0 && bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  try {
    return parseSigningKey(isText ? new TextDecoder().decode(bytes) : bytes);
  } catch (error) {
    if (error instanceof DkimError) throw new DkimError(error.code, `key file ${path}: ${error.message}`);
    throw error;
  }
}
