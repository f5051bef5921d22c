// The PostgreSQL schema and its migrations, run on start under an advisory lock so that any
// number of processes starting at once migrate exactly once.
import { StoreError } from '../ses/persistence.js';

/** The channel identity creations are announced on; the payload is the schema name. */
export const WAKE_CHANNEL = 'dkim_engine_wake';

/**
 * The channel document changes are announced on, so processes sharing the schema see each other's
 * writes: the payload is JSON `{"s": schema, "o": the writer's application_name, "c": collection, "k": key}`.
 */
export const CHANGE_CHANNEL = 'dkim_engine_change';

/** Quotes a schema name after checking it is a plain lower-case identifier. */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreError('STORE_FORMAT', `schema name ${JSON.stringify(schema)} is not a lower-case identifier`);
  }
  return `"${schema}"`;
}

/** Migration n (1-based) is MIGRATIONS[n - 1]; append only, never edit a released one. */
const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.identities (
      key text PRIMARY KEY,
      state json NOT NULL,
      version bigint NOT NULL,
      next_check_at bigint,
      lease_until bigint,
      lease_owner text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX identities_next_check_at ON ${s}.identities (next_check_at) WHERE next_check_at IS NOT NULL;
    -- BYODKIM private keys, apart so that grants and backups can treat them apart.
    CREATE TABLE ${s}.secrets (
      key text PRIMARY KEY,
      doc json NOT NULL,
      version bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE ${s}.documents (
      collection text NOT NULL,
      key text NOT NULL,
      doc json NOT NULL,
      version bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (collection, key)
    );
    CREATE FUNCTION ${s}.wake() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${WAKE_CHANNEL}', TG_TABLE_SCHEMA); RETURN NULL; END $$;
    -- Creation, or a check moved earlier: a completed check moving later wakes no one.
    CREATE TRIGGER identities_created AFTER INSERT ON ${s}.identities
      FOR EACH ROW WHEN (NEW.next_check_at IS NOT NULL) EXECUTE FUNCTION ${s}.wake();
    CREATE TRIGGER identities_rescheduled AFTER UPDATE OF next_check_at ON ${s}.identities
      FOR EACH ROW WHEN (NEW.next_check_at IS NOT NULL AND (OLD.next_check_at IS NULL OR NEW.next_check_at < OLD.next_check_at))
      EXECUTE FUNCTION ${s}.wake();
  `,
  // Changes other processes keep in memory: configuration sets, the outbox and provider keys (documents),
  // the amazonses.com keys (secrets), and identities created or deleted (not updated: checks update them
  // constantly) with Easy DKIM keys. A NOTIFY payload must stay under 8000 bytes: a key of 1024 UTF-16 units escapes to at
  // most 6144, and a longer payload is sent without its key (listeners then re-read the collection).
  (s) => `
    CREATE FUNCTION ${s}.changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        c text := TG_ARGV[0];
        k text;
        payload text;
      BEGIN
        IF TG_OP = 'DELETE' THEN k := OLD.key; ELSE k := NEW.key; END IF;
        IF c IS NULL THEN
          IF TG_OP = 'DELETE' THEN c := OLD.collection; ELSE c := NEW.collection; END IF;
        END IF;
        payload := json_build_object('s', TG_TABLE_SCHEMA, 'o', current_setting('application_name', true),
          'c', c, 'k', k)::text;
        IF octet_length(payload) >= 8000 THEN
          payload := json_build_object('s', TG_TABLE_SCHEMA, 'o', current_setting('application_name', true),
            'c', c)::text;
        END IF;
        PERFORM pg_notify('${CHANGE_CHANNEL}', payload);
        RETURN NULL;
      END $$;
    CREATE TRIGGER documents_changed AFTER INSERT OR UPDATE OR DELETE ON ${s}.documents
      FOR EACH ROW EXECUTE FUNCTION ${s}.changed();
    CREATE TRIGGER secrets_changed AFTER INSERT OR UPDATE OR DELETE ON ${s}.secrets
      FOR EACH ROW EXECUTE FUNCTION ${s}.changed('secrets');
    -- Only identities with Easy DKIM keys (in the provider zone of every process): a bulk load of BYODKIM
    -- identities notifies no one.
    CREATE TRIGGER identities_keys_created AFTER INSERT ON ${s}.identities
      FOR EACH ROW WHEN ((NEW.state->>'providerKeys') IS NOT NULL) EXECUTE FUNCTION ${s}.changed('identities');
    CREATE TRIGGER identities_keys_deleted AFTER DELETE ON ${s}.identities
      FOR EACH ROW WHEN ((OLD.state->>'providerKeys') IS NOT NULL) EXECUTE FUNCTION ${s}.changed('identities');
  `,
];

/** What migrating needs of a pool (pg.Pool fits): kept structural so the published types need no @types/pg. */
export interface MigrationPool {
  connect(): Promise<{
    query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
    release(destroy?: boolean): void;
  }>;
}

/** The newest migration this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Creates the schema and applies missing migrations in one transaction, under a transaction-scoped
 * advisory lock on the schema's name. Refuses a database migrated by a newer dkim-engine.
 */
export async function migrate(pool: MigrationPool, schema: string): Promise<number[]> {
  const s = quoteSchema(schema);
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dkim-engine:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.migrations (id integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query(`SELECT id FROM ${s}.migrations`);
    const applied = new Set((rows as { id: number }[]).map((row) => row.id));
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) {
      throw new StoreError(
        'STORE_VERSION',
        `schema ${schema} is at migration ${newest}; this dkim-engine knows ${SCHEMA_VERSION}`,
      );
    }
    const ran: number[] = [];
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (applied.has(index + 1)) continue;
      await client.query(sql(s));
      await client.query(`INSERT INTO ${s}.migrations (id) VALUES ($1)`, [index + 1]);
      ran.push(index + 1);
    }
    await client.query('COMMIT');
    return ran;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    broken = true;
    throw error;
  } finally {
    // A client that failed mid-transaction may have lost its connection: destroy rather than reuse it.
    client.release(broken);
  }
}
