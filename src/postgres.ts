/**
 * dkim-engine's PostgreSQL store (Node-only, needs the optional peer dependency `pg`): many
 * processes share identities and claim their checks with leases.
 * @packageDocumentation
 */

export { SCHEMA_VERSION } from './postgres/schema.js';
export { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres/store.js';
export type {
  Claim,
  CollectionName,
  CompleteItem,
  CompleteOutcome,
  DocumentStore,
  JsonValue,
  PutOptions,
  StoredDocument,
} from './ses/persistence.js';
export {
  DEFAULT_LEASE_MS,
  type StoreChange,
  StoreConflictError,
  StoreError,
  StoreUnavailableError,
} from './ses/persistence.js';
