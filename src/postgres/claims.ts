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

interface OutcomeRow {
  applied: number | null;
  current: number | null;
}

const outcome = (row: OutcomeRow | undefined): CompleteOutcome => {
  if (row?.applied != null) return { status: 'applied', version: row.applied };
  if (row?.current != null) return { status: 'stale', currentVersion: row.current };
  return { status: 'missing' };
};

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

  /** One statement for the batch; the final SELECT sees versions from before it, which is what "stale" reports. */
  const completeBatch = async (items: readonly CompleteItem[]): Promise<CompleteOutcome[]> => {
    const texts = items.map((item) => {
      checkKey(item.key);
      return serializeDocument(item.doc, maxDocumentBytes);
    });
    const rows = await query<OutcomeRow & { ord: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[])
           WITH ORDINALITY AS i(key, claimed, state, next_check_at, ord)),
       applied AS (
         UPDATE ${s}.identities AS t SET state = input.state::json, version = t.version + 1,
           next_check_at = input.next_check_at, lease_until = NULL, lease_owner = NULL, updated_at = now()
         FROM input WHERE t.key = input.key AND t.version = input.claimed
         RETURNING t.key, t.version)
       SELECT input.ord, applied.version::float8 AS applied, current.version::float8 AS current
       FROM input LEFT JOIN applied ON applied.key = input.key
         LEFT JOIN ${s}.identities AS current ON current.key = input.key
       ORDER BY input.ord`,
      [
        items.map((item) => item.key),
        items.map((item) => item.claimedVersion),
        texts,
        items.map((item) => item.nextCheckAt),
      ],
    );
    return rows.map(outcome);
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
