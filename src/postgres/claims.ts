// Claiming due identity checks in PostgreSQL: FOR UPDATE SKIP LOCKED with a lease, and
// completions applied only at the claimed version (a late answer cannot rewind state).
import {
  type Claim,
  type CompleteItem,
  type CompleteOutcome,
  checkKey,
  type JsonValue,
  serializeDocument,
} from '../ses/persistence.js';
import type { Query } from './documents.js';

interface ClaimRow {
  key: string;
  version: number;
  state: JsonValue;
  lease_until: number;
  next_check_at: number;
}

/** The claim statements of one schema. */
export function claimStatements(s: string, query: Query, maxDocumentBytes: number) {
  const claimDue = async (now: number, limit: number, leaseMs: number, workerId: string): Promise<Claim[]> => {
    if (limit <= 0) return [];
    // Rows another worker is claiming right now are skipped, not waited for; a row it has claimed
    // is re-checked against the WHERE after its lock is released, so the lease excludes it.
    const rows = await query<ClaimRow>(
      `WITH due AS (
         SELECT key FROM ${s}.identities
         WHERE next_check_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY next_check_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE ${s}.identities AS t SET lease_until = $1::bigint + $3::bigint, lease_owner = $4
       FROM due WHERE t.key = due.key
       RETURNING t.key, t.version::float8 AS version, t.state, t.lease_until::float8 AS lease_until,
         t.next_check_at::float8 AS next_check_at`,
      [now, limit, leaseMs, workerId],
    );
    rows.sort((a, b) => a.next_check_at - b.next_check_at || (a.key < b.key ? -1 : 1));
    return rows.map((row) => ({ key: row.key, version: row.version, doc: row.state, leaseUntil: row.lease_until }));
  };

  /**
   * One statement applies the batch and returns the rows it applied; only when some were not is a
   * second one asked whether each is stale (at which version) or gone.
   */
  const completeBatch = async (items: readonly CompleteItem[]): Promise<CompleteOutcome[]> => {
    const texts = items.map((item) => {
      checkKey(item.key);
      return serializeDocument(item.doc, maxDocumentBytes);
    });
    const keys = items.map((item) => item.key);
    const rows = await query<{ ord: string; version: number }>(
      `UPDATE ${s}.identities AS t SET state = input.state, version = t.version + 1,
         next_check_at = input.next_check_at, lease_until = NULL, lease_owner = NULL, updated_at = now()
       FROM ROWS FROM (unnest($1::text[]), unnest($2::bigint[]), json_array_elements($3::json), unnest($4::bigint[]))
         WITH ORDINALITY AS input(key, claimed, state, next_check_at, ord)
       WHERE t.key = input.key AND t.version = input.claimed
       RETURNING input.ord, t.version::float8 AS version`,
      // The documents go as one JSON array: a text[] would escape every quote in them.
      [keys, items.map((item) => item.claimedVersion), `[${texts.join(',')}]`, items.map((item) => item.nextCheckAt)],
    );
    const outcomes: (CompleteOutcome | undefined)[] = Array.from(items, () => undefined);
    for (const row of rows) outcomes[Number(row.ord) - 1] = { status: 'applied', version: row.version };
    if (rows.length === items.length) return outcomes as CompleteOutcome[];
    const left = keys.filter((_, i) => outcomes[i] === undefined);
    const current = await query<{ key: string; version: number }>(
      `SELECT key, version::float8 AS version FROM ${s}.identities WHERE key = ANY($1::text[])`,
      [left],
    );
    const versions = new Map(current.map((row) => [row.key, row.version]));
    return outcomes.map((done, i) => {
      if (done) return done;
      const version = versions.get(keys[i] as string);
      return version === undefined ? { status: 'missing' } : { status: 'stale', currentVersion: version };
    });
  };

  const completeMany = async (items: readonly CompleteItem[]): Promise<CompleteOutcome[]> => {
    if (items.length === 0) return [];
    // One key twice in a batch would be matched by both rows of one UPDATE: apply those in order instead.
    if (new Set(items.map((item) => item.key)).size === items.length) return completeBatch(items);
    const outcomes: CompleteOutcome[] = [];
    for (const item of items) outcomes.push(...(await completeBatch([item])));
    return outcomes;
  };

  const complete = async (key: string, claimedVersion: number, doc: JsonValue, nextCheckAt: number | null) =>
    (await completeBatch([{ key, claimedVersion, doc, nextCheckAt }]))[0] ?? { status: 'missing' as const };

  const release = async (key: string, claimedVersion: number, workerId: string): Promise<boolean> => {
    const rows = await query(
      `UPDATE ${s}.identities SET lease_until = NULL, lease_owner = NULL
       WHERE key = $1 AND version = $2 AND lease_owner = $3 RETURNING 1 AS released`,
      [key, claimedVersion, workerId],
    );
    return rows.length > 0;
  };

  return { claimDue, complete, completeMany, release };
}
