import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPrivateKeyFile } from '../../src/node.js';
import { keyFile } from '../../vectors/load.js';

const dir = mkdtempSync(join(tmpdir(), 'dkim-engine-keyfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vectorPath = (name: string) => join(import.meta.dirname, '../../vectors/keys', name);

describe('readPrivateKeyFile', () => {
  it.each([
    ['rsa2048.pkcs1.pem', 'pem', 'pkcs1'],
    ['rsa2048.pkcs8.der', 'der', 'pkcs8'],
    ['rsa1024.pkcs1.b64', 'der', 'pkcs1'],
  ])('reads %s', async (name, form, encoding) => {
    const key = await readPrivateKeyFile(vectorPath(name));
    expect(key.form).toBe(form);
    expect(key.encoding).toBe(encoding);
  });

  it('gives the same key as the parser on the file bytes', async () => {
    const copy = join(dir, 'copy.pem');
    copyFileSync(vectorPath('rsa1024.pkcs8.pem'), copy);
    const key = await readPrivateKeyFile(copy);
    expect(key.spki).toEqual(keyFile('rsa1024.spki.der'));
  });

  it('refuses a huge file on its size, without reading it', async () => {
    const huge = join(dir, 'huge.key');
    writeFileSync(huge, '');
    truncateSync(huge, 64 * 1024 * 1024); // sparse: 64 MiB that were never written
    await expect(readPrivateKeyFile(huge)).rejects.toMatchObject({ name: 'DkimError', code: 'INPUT_TOO_LARGE' });
  });

  it('refuses a directory and reports a missing file as the system error it is', async () => {
    await expect(readPrivateKeyFile(dir)).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
    await expect(readPrivateKeyFile(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
