// An exclusive lock on a store file: `<file>.lock` holding the owner's PID, created atomically
// (link of a written temp file), taken over only when that PID no longer runs.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { StoreError } from '../../ses/persistence.js';

/** True when `pid` names a running process (EPERM: it runs, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock for `path`; returns its release function. Throws STORE_LOCKED when a running
 * process (this one included) holds it.
 */
export function acquireLock(path: string): () => void {
  const lockPath = `${path}.lock`;
  const temp = `${lockPath}.${process.pid}.${Date.now()}`;
  writeFileSync(temp, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(temp, lockPath);
        return () => {
          if (readOwner(lockPath) === process.pid) unlinkSync(lockPath);
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(lockPath);
      if (owner !== undefined && isRunning(owner)) {
        throw new StoreError('STORE_LOCKED', `${path} is in use by process ${owner} (lock file ${lockPath})`);
      }
      // Stale: move it aside under a unique name first, so two processes taking over at once
      // cannot remove each other's fresh lock.
      try {
        const aside = `${lockPath}.stale.${process.pid}`;
        renameSync(lockPath, aside);
        const moved = readOwner(aside);
        if (moved !== owner && moved !== undefined && isRunning(moved)) {
          // Another process took the stale lock over between our read and our rename: give it back.
          linkSync(aside, lockPath);
          unlinkSync(aside);
          throw new StoreError('STORE_LOCKED', `${path} is in use by process ${moved} (lock file ${lockPath})`);
        }
        unlinkSync(aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw new StoreError('STORE_LOCKED', `${path}: could not take the lock ${lockPath}`);
  } finally {
    unlinkSync(temp);
  }
}
