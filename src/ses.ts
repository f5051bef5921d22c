// The `./ses` entry: the SES v2/v1 emulator backend (browser-safe, kept out of the main entry's bundle).
/**
 * SES semantics for emulators: the identity backend (SES v2 operations, v1 legacy verification,
 * DEED across regions), its errors and the Easy DKIM lifecycle. Browser-safe like the main entry,
 * but a subpath of its own so dashboards that only verify DNS or messages do not carry it.
 * @packageDocumentation
 */
export {
  type CreateEmailIdentityInput,
  type CreateEmailIdentityOutput,
  createSesV2Backend,
  type DkimAttributes,
  type IdentityRecord,
  type IdentityStore,
  type MailFromAttributes,
  type SesV2Backend,
  type SesV2BackendOptions,
  type SesV2Snapshot,
  type Tag,
  type VerificationErrorType,
  type VerificationInfo,
  type VerificationKind,
} from './ses/backend.js';
export {
  type CheckWorker,
  type CheckWorkerOptions,
  createCheckWorker,
  startCheckWorker,
} from './ses/check-worker.js';
export { createSesClock, type SesClock } from './ses/clock.js';
export { type DocumentIdentityStoreOptions, documentIdentityStore } from './ses/document-identities.js';
export {
  KeyRotationTooSoonError,
  SES_EXCEPTIONS,
  type SesErrorCode,
  SesException,
  type SesExceptionName,
} from './ses/errors.js';
export {
  type DocumentStore,
  StoreConflictError,
  StoreError,
  StoreUnavailableError,
} from './ses/persistence.js';
export { createMemoryStore } from './ses/persistence-memory.js';
export { createSesRegions, type SesRegions, type SesRegionsOptions } from './ses/regions.js';
export {
  type CreateEasyDkimOptions,
  createEasyDkimIdentity,
  type DkimSigningState,
  type EasyDkimIdentity,
  KEY_GENERATION_INTERVAL_MS,
  rotateEasyDkimKeys,
  setNextSigningKeyLength,
} from './ses/signing-state.js';
