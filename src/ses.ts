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
// SES v1 and sending (issue 16): the emulator backend (v2 + v1 + sending), the outbox, the provider signer.
export { createSesBackend, type SesBackend } from './ses/emulator-backend.js';
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
export type { SendingOptions } from './ses/sending/context.js';
export {
  createOutbox,
  DEFAULT_OUTBOX_BYTES,
  DEFAULT_OUTBOX_SIZE,
  type Outbox,
  type OutboxFilter,
  type SentEmail,
} from './ses/sending/outbox.js';
export {
  createProviderSigner,
  type DkimSigner,
  PROVIDER_SIGNING_DOMAIN,
  type ProviderSigner,
  type ProviderSignerOptions,
} from './ses/sending/provider-key.js';
export type {
  Content,
  Destination,
  MessageTag,
  SendEmailInput,
  V1SendEmailInput,
  V1SendRawEmailInput,
} from './ses/sending/types.js';
export {
  type CreateEasyDkimOptions,
  createEasyDkimIdentity,
  type DkimSigningState,
  type EasyDkimIdentity,
  KEY_GENERATION_INTERVAL_MS,
  rotateEasyDkimKeys,
  setNextSigningKeyLength,
} from './ses/signing-state.js';
export { SesQueryError } from './ses/v1/errors.js';
export type { SesV1Backend } from './ses/v1/operations.js';
