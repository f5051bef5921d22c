// `serve --state <file>` and `serve --store postgres://...`: opens the DocumentStore and reports what opening found.
import { openFileStore } from '../node/file-store.js';
import type { DocumentStore } from '../ses/persistence.js';
import { StoreError } from '../ses/persistence.js';
import { UsageError } from './command.js';

/** Opens the store `serve` was asked for; undefined: identities in memory. Damage goes to `warn`. */
export async function openServeStore(
  options: Readonly<Record<string, unknown>>,
  warn: (line: string) => void,
): Promise<DocumentStore | undefined> {
  const state = options.state;
  const url = options.store;
  if (typeof state === 'string' && typeof url === 'string') {
    throw new UsageError('--state and --store are two different stores: give one');
  }
  try {
    if (typeof state === 'string') {
      const store = await openFileStore(state);
      for (const damage of store.report.damage) {
        warn(
          `${state}: ${damage.kind} at byte ${damage.offset}: dropped ${damage.droppedBytes} bytes (the rest loaded)`,
        );
      }
      if (store.report.damagedCopy) warn(`${state}: the damaged file was kept as ${store.report.damagedCopy}`);
      return store;
    }
    if (typeof url === 'string') {
      if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--store takes a postgres://... URL');
      // Loaded only when asked for: `pg` is an optional peer dependency.
      const { openPostgresStore } = await import('../postgres.js');
      return await openPostgresStore({ connectionString: url });
    }
  } catch (error) {
    if (error instanceof StoreError) throw new UsageError(error.message, error.code);
    throw error;
  }
  return undefined;
}
