// The PostgreSQL DocumentStore: a connection pool, migrations on open, typed retryable errors
// while the database is away, reconnection with backoff, and LISTEN/NOTIFY wakes.
import pg from 'pg';
import {
  type DocumentStore,
  MAX_DOCUMENT_BYTES,
  type StoreChange,
  StoreError,
  StoreUnavailableError,
} from '../ses/persistence.js';
import { WakeListeners } from '../ses/persistence-memory.js';
import { claimStatements } from './claims.js';
import { documentStatements, type Query } from './documents.js';
import { isUnreachable, toStoreError } from './errors.js';
import { migrate, quoteSchema } from './schema.js';
import { type Backoff, startWakeListener } from './wake.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; the PG* environment variables fill in what it leaves out. */
  readonly connectionString?: string;
  /** The schema holding the tables, created when missing; default `dkim_engine`. */
  readonly schema?: string;
  /** Pool size; default 10. */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing retryably; default 5,000 ms. */
  readonly connectTimeoutMs?: number;
  /** A query running longer fails retryably; default none. */
  readonly queryTimeoutMs?: number;
  /** After a connection failure, calls fail at once for this long, doubling up to the max; default 100 ms to 2 s. */
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Bound on one document, checked before any work; default 16 MiB. */
  readonly maxDocumentBytes?: number;
}

/** A {@link DocumentStore} in PostgreSQL, shared by any number of processes. */
export interface PostgresStore extends DocumentStore {
  /** The migrations this open applied (empty when the schema was current). */
  readonly migrated: readonly number[];
}

/** A pool whose failures map to store errors and that, once the database is away, waits before trying again. */
function guardedQuery(pool: pg.Pool, backoff: Backoff, isClosed: () => boolean): Query {
  let delay = 0;
  let retryAt = 0;
  return async <Row>(sql: string, params: unknown[]): Promise<Row[]> => {
    if (isClosed()) throw new StoreError('STORE_CLOSED', 'the store is closed');
    if (Date.now() < retryAt) throw new StoreUnavailableError('PostgreSQL is unavailable; reconnecting');
    try {
      const result = await pool.query(sql, params);
      delay = 0;
      return result.rows as Row[];
    } catch (error) {
      if (isUnreachable(error)) {
        delay = Math.min(Math.max(delay * 2, backoff.initialMs), backoff.maxMs);
        retryAt = Date.now() + delay;
      }
      throw toStoreError(error);
    }
  };
}

/**
 * Connects, migrates (idempotent, safe when several processes start at once) and returns the store.
 * Operations fail with StoreUnavailableError (`retryable: true`) while the database is away.
 * @example
 * const store = await openPostgresStore({ connectionString: 'postgres://dkim@db/dkim' });
 * const claims = await store.claimDue(Date.now(), 100, 30_000, 'worker-1');
 */
export async function openPostgresStore(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const schema = options.schema ?? 'dkim_engine';
  const s = quoteSchema(schema);
  // The change trigger names the writer by its application_name, so this store skips its own writes.
  const origin = `dkim-engine/${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
  const config: pg.PoolConfig = {
    application_name: origin,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
    ...(options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs }),
  };
  const backoff: Backoff = { initialMs: options.reconnect?.initialMs ?? 100, maxMs: options.reconnect?.maxMs ?? 2_000 };
  const pool = new pg.Pool(config);
  // An idle client whose server went away is dropped by the pool; unhandled, this would crash the process.
  pool.on('error', () => {});
  let migrated: number[];
  try {
    migrated = await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => {});
    throw toStoreError(error);
  }
  let closed = false;
  const query = guardedQuery(pool, backoff, () => closed);
  const maxDocumentBytes = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  const documents = documentStatements(s, query, maxDocumentBytes);
  const claims = claimStatements(s, query, maxDocumentBytes);
  const wake = new WakeListeners();
  const changes = new Set<(change: StoreChange) => void>();
  let listener: { stop(): Promise<void> } | undefined;
  // The LISTEN connection is opened by the first listener only: API-only processes without one need none.
  const listen = () => {
    if (listener || closed) return;
    listener = startWakeListener(config, schema, backoff, {
      origin,
      wake: () => wake.emit(),
      change: (change) => {
        for (const callback of changes) callback(change);
      },
    });
  };
  return {
    migrated,
    get: documents.get,
    getMany: documents.getMany,
    list: documents.list,
    put: documents.put,
    delete: (collection, key, deleteOptions) => documents.delete(collection, key, deleteOptions?.expectedVersion),
    ...claims,
    onWake: (callback) => {
      listen();
      return wake.add(callback);
    },
    onChange: (callback) => {
      listen();
      changes.add(callback);
      return () => changes.delete(callback);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await listener?.stop();
      await pool.end();
    },
  };
}
