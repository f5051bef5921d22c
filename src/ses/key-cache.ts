// The backend's parsed-key cache: least recently used first out, bounded, and emptied of deleted identities' keys.
import type { DkimPrivateKey } from '../core/key.js';
import { parsePrivateKey } from '../core/key.js';

/** How many parsed keys a backend keeps by default (about 0.7 KB each). */
export const DEFAULT_KEY_CACHE_SIZE = 1000;

/** A bounded LRU map from a key's text to the parsed key. */
export class KeyCache {
  readonly #entries = new Map<string, DkimPrivateKey>();

  constructor(readonly limit: number = DEFAULT_KEY_CACHE_SIZE) {}

  /** The parsed key for `pem`, parsed on a miss. Throws DkimError for a key it cannot use. */
  get(pem: string): DkimPrivateKey {
    let key = this.#entries.get(pem);
    if (key) {
      this.#entries.delete(pem); // re-inserted below: the Map's order is the recency order
    } else {
      key = parsePrivateKey(pem);
    }
    this.#entries.set(pem, key);
    while (this.#entries.size > this.limit) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return key;
  }

  /** Drops the keys given (the keys of a deleted or re-keyed identity). */
  drop(pems: Iterable<string | null | undefined>): void {
    for (const pem of pems) if (pem) this.#entries.delete(pem);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
