// Where identities live: the async IdentityStore interface and its in-memory default.
import type { IdentityRecord } from './identity.js';

/**
 * Where identities live. Every method is async so a database can stand behind it; the
 * in-memory {@link memoryStore} is the default.
 */
export interface IdentityStore {
  get(key: string): Promise<IdentityRecord | undefined>;
  /**
   * Stores `record`. A durable store writes it only if the stored version is `record.version - 1`
   * (ConcurrentModificationException otherwise); `replace` writes it whatever is stored (a restore).
   */
  set(key: string, record: IdentityRecord, options?: { readonly replace?: boolean }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys in creation order. */
  keys(): Promise<readonly string[]>;
  /** How many identities there are. */
  size(): Promise<number>;
}

/** An IdentityStore over a Map, in creation order. It keeps the records it is given, not copies. */
export function memoryStore(): IdentityStore {
  const map = new Map<string, IdentityRecord>();
  return {
    get: async (key) => map.get(key),
    set: async (key, record) => void map.set(key, record),
    delete: async (key) => void map.delete(key),
    keys: async () => [...map.keys()],
    size: async () => map.size,
  };
}
