// Reading a private key file with its size checked before anything is read.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { DkimError } from '../core/errors.js';
import { type DkimPrivateKey, MAX_INPUT_LENGTH, type ParsePrivateKeyOptions, parsePrivateKey } from '../core/key.js';

// Opening a FIFO for reading blocks until a writer comes; non-blocking, it opens at once and the
// type check below refuses it (no effect on regular files; Windows has no such flag).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads and validates a private key file (SES base64, PEM or DER). The file is opened without
 * blocking and its type and size are checked on the open file before anything is read, so a
 * FIFO, a device, or a huge or endless file costs nothing.
 */
export async function readPrivateKeyFile(path: string, options?: ParsePrivateKeyOptions): Promise<DkimPrivateKey> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new DkimError('EMPTY_INPUT', 'the key path is not a regular file');
    if (stats.size > MAX_INPUT_LENGTH) {
      throw new DkimError('INPUT_TOO_LARGE', `the key file is ${stats.size} bytes; the limit is ${MAX_INPUT_LENGTH}`);
    }
    const buffer = new Uint8Array(MAX_INPUT_LENGTH + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_INPUT_LENGTH) {
      throw new DkimError('INPUT_TOO_LARGE', `the key file grew past the limit of ${MAX_INPUT_LENGTH} bytes`);
    }
    return parsePrivateKey(buffer.subarray(0, bytesRead), options);
  } finally {
    await handle.close();
  }
}
