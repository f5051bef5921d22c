// The SES v2 backend facade: createSesV2Backend binds the operation families to one backend state.
import * as checks from './operations/checks.js';
import * as dkim from './operations/dkim.js';
import * as identities from './operations/identities.js';
import { bindOperations } from './operations/registry.js';
import * as snapshots from './snapshot.js';
import { createBackendState, type SesBackendState, type SesV2BackendOptions } from './state.js';

export type { IdentityRecord, Tag, VerificationErrorType } from './identity.js';
export type { CreateEmailIdentityInput, DkimAttributes, VerificationInfo } from './shapes.js';
export type { SesV2Snapshot } from './snapshot.js';
export type { SesV2BackendOptions } from './state.js';
export type { IdentityStore } from './store.js';

/**
 * The operation families of the backend. A new family (MAIL FROM, tags, policies, configuration
 * sets, v1, sending) is a file under operations/ exporting functions `(state, input)`, added here.
 */
const FAMILIES = {
  identities: {
    createEmailIdentity: identities.createEmailIdentity,
    getEmailIdentity: identities.getEmailIdentity,
    deleteEmailIdentity: identities.deleteEmailIdentity,
    listEmailIdentities: identities.listEmailIdentities,
    confirmEmailAddress: identities.confirmEmailAddress,
    canSend: identities.canSend,
  },
  dkim: {
    putEmailIdentityDkimSigningAttributes: dkim.putEmailIdentityDkimSigningAttributes,
    putEmailIdentityDkimAttributes: dkim.putEmailIdentityDkimAttributes,
  },
  checks: { checkAll: checks.checkAll },
  snapshots: { snapshot: snapshots.snapshot, restore: snapshots.restore },
};

/**
 * The SES v2 email-identity operations, for emulators: SES's request validation, exceptions
 * and response shapes, with DKIM status driven by real DNS checks and the state machine.
 * Every method is async (the store may be a database).
 */
export function createSesV2Backend(options: SesV2BackendOptions) {
  return sesV2BackendOver(createBackendState(options));
}

/**
 * The v2 facade over an existing state, for backends that bind more families to the same state
 * (the emulator's SES v1 and sending, `createSesBackend`), so both APIs share one store.
 */
export function sesV2BackendOver(state: SesBackendState) {
  return {
    ...bindOperations(state, FAMILIES.identities),
    ...bindOperations(state, FAMILIES.dkim),
    ...bindOperations(state, FAMILIES.checks),
    ...bindOperations(state, FAMILIES.snapshots),
  };
}

/** The backend created by {@link createSesV2Backend}. */
export type SesV2Backend = ReturnType<typeof createSesV2Backend>;
