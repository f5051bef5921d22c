// Get, put, delete and list of one collection's documents in PostgreSQL, with optimistic
// concurrency: a conditional write that matches no row is a StoreConflictError.
import {
  type CollectionName,
  checkCollection,
  checkKey,
  type JsonValue,
  type PutOptions,
  StoreConflictError,
  type StoredDocument,
  serializeDocument,
} from '../ses/persistence.js';

/** Runs one statement; the store passes its pool with error mapping and backoff. */
export type Query = <Row>(sql: string, params: unknown[]) => Promise<Row[]>;

/** Where a collection lives: identities and secrets have tables of their own, the rest share one. */
interface Target {
  readonly table: string;
  readonly doc: string;
  /** The row's key condition, its parameters starting at $1. */
  readonly where: string;
  readonly keyParams: (key: string) => unknown[];
  /** The condition of many keys: the key list is its last parameter. */
  readonly whereMany: string;
  readonly keysParams: (keys: readonly string[]) => unknown[];
  /** Columns and values an insert sets besides the document and version. */
  readonly insertColumns: string;
}

function target(s: string, collection: CollectionName): Target {
  checkCollection(collection);
  if (collection === 'identities' || collection === 'secrets') {
    return {
      table: `${s}.${collection}`,
      doc: collection === 'identities' ? 'state' : 'doc',
      where: 'key = $1',
      keyParams: (key) => [key],
      whereMany: 'key = ANY($1::text[])',
      keysParams: (keys) => [keys],
      insertColumns: 'key',
    };
  }
  return {
    table: `${s}.documents`,
    doc: 'doc',
    where: 'collection = $1 AND key = $2',
    keyParams: (key) => [collection, key],
    whereMany: 'collection = $1 AND key = ANY($2::text[])',
    keysParams: (keys) => [collection, keys],
    insertColumns: 'collection, key',
  };
}

interface DocRow {
  key: string;
  version: number;
  doc: JsonValue;
  next_check_at: number | null;
}

const toStored = (collection: CollectionName, row: DocRow): StoredDocument => ({
  key: row.key,
  version: row.version,
  doc: row.doc,
  ...(collection === 'identities' ? { nextCheckAt: row.next_check_at } : {}),
});

/** The statements of one schema's documents. */
export function documentStatements(s: string, query: Query, maxDocumentBytes: number) {
  const select = (t: Target, collection: CollectionName) =>
    `SELECT key, version::float8 AS version, ${t.doc} AS doc, ${
      collection === 'identities' ? 'next_check_at::float8' : 'NULL::float8'
    } AS next_check_at FROM ${t.table}`;

  const currentVersion = async (t: Target, key: string): Promise<number> => {
    const rows = await query<{ version: number }>(
      `SELECT version::float8 AS version FROM ${t.table} WHERE ${t.where}`,
      t.keyParams(key),
    );
    return rows[0]?.version ?? 0;
  };

  const get = async (collection: CollectionName, key: string): Promise<StoredDocument | undefined> => {
    const t = target(s, collection);
    const rows = await query<DocRow>(`${select(t, collection)} WHERE ${t.where}`, t.keyParams(key));
    return rows[0] && toStored(collection, rows[0]);
  };

  const getMany = async (collection: CollectionName, keys: readonly string[]) => {
    const t = target(s, collection);
    if (keys.length === 0) return [];
    const rows = await query<DocRow>(`${select(t, collection)} WHERE ${t.whereMany}`, t.keysParams(keys));
    const found = new Map(rows.map((row) => [row.key, row]));
    const used = new Set<string>();
    return keys.map((key) => {
      const row = found.get(key);
      if (!row) return undefined;
      // A key asked twice gets a copy of its own, as two gets would.
      const doc = used.has(key) ? (structuredClone(row.doc) as JsonValue) : row.doc;
      used.add(key);
      return toStored(collection, { ...row, doc });
    });
  };

  const list = async (collection: CollectionName): Promise<StoredDocument[]> => {
    const t = target(s, collection);
    const filter = t.table.endsWith('.documents') ? ' WHERE collection = $1' : '';
    const rows = await query<DocRow>(
      `${select(t, collection)}${filter} ORDER BY key COLLATE "C"`,
      filter ? [collection] : [],
    );
    return rows.map((row) => toStored(collection, row));
  };

  const put = async (collection: CollectionName, key: string, doc: JsonValue, options: PutOptions = {}) => {
    const t = target(s, collection);
    checkKey(key);
    const text = serializeDocument(doc, maxDocumentBytes);
    const k = t.keyParams(key);
    const n = k.length;
    const identity = collection === 'identities';
    // After the key: $n+1 the document; identities add $n+2 the due time and $n+3 whether to set it.
    const params: unknown[] = identity
      ? [...k, text, options.nextCheckAt ?? null, options.nextCheckAt !== undefined]
      : [...k, text];
    const scheduleSet = identity
      ? `, next_check_at = CASE WHEN $${n + 3}::boolean THEN $${n + 2}::bigint ELSE t.next_check_at END, lease_until = NULL, lease_owner = NULL`
      : '';
    const insert = `INSERT INTO ${t.table} AS t (${t.insertColumns}, ${t.doc}, version${identity ? ', next_check_at' : ''})
      VALUES (${k.map((_, i) => `$${i + 1}`).join(', ')}, $${n + 1}::json, 1${identity ? `, $${n + 2}::bigint` : ''})`;
    let rows: { version: number }[];
    if (options.expectedVersion === undefined) {
      rows = await query(
        `${insert} ON CONFLICT (${t.insertColumns}) DO UPDATE SET ${t.doc} = EXCLUDED.${t.doc},
          version = t.version + 1, updated_at = now()${scheduleSet} RETURNING version::float8 AS version`,
        params,
      );
    } else if (options.expectedVersion === 0) {
      // The insert alone does not use $n+3 (whether to set the schedule): leave it out.
      rows = await query(
        `${insert} ON CONFLICT DO NOTHING RETURNING version::float8 AS version`,
        params.slice(0, identity ? n + 2 : n + 1),
      );
    } else {
      rows = await query(
        `UPDATE ${t.table} AS t SET ${t.doc} = $${n + 1}::json, version = t.version + 1, updated_at = now()${scheduleSet}
          WHERE ${t.where} AND version = $${params.length + 1} RETURNING version::float8 AS version`,
        [...params, options.expectedVersion],
      );
    }
    if (rows[0]) return rows[0].version;
    throw new StoreConflictError(collection, key, options.expectedVersion ?? 0, await currentVersion(t, key));
  };

  const remove = async (collection: CollectionName, key: string, expectedVersion?: number): Promise<boolean> => {
    const t = target(s, collection);
    const k = t.keyParams(key);
    if (expectedVersion === 0) {
      const actual = await currentVersion(t, key);
      if (actual !== 0) throw new StoreConflictError(collection, key, 0, actual);
      return false;
    }
    const guard = expectedVersion === undefined ? '' : ` AND version = $${k.length + 1}`;
    const rows = await query(`DELETE FROM ${t.table} WHERE ${t.where}${guard} RETURNING 1 AS deleted`, [
      ...k,
      ...(expectedVersion === undefined ? [] : [expectedVersion]),
    ]);
    if (rows.length > 0) return true;
    if (expectedVersion === undefined) return false;
    throw new StoreConflictError(collection, key, expectedVersion, await currentVersion(t, key));
  };

  return { get, getMany, list, put, delete: remove };
}
