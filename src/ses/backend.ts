// The SES v2 backend facade: createSesV2Backend binds the operation families to one backend state.
import * as account from './operations/account.js';
import * as attributes from './operations/attributes.js';
import * as checks from './operations/checks.js';
import * as configurationSets from './operations/configuration-sets.js';
import * as dkim from './operations/dkim.js';
import * as identities from './operations/identities.js';
import * as legacy from './operations/legacy.js';
import * as mailFrom from './operations/mail-from.js';
import * as policies from './operations/policies.js';
import { bindOperations } from './operations/registry.js';
import * as tags from './operations/tags.js';
import * as snapshots from './snapshot.js';
import { createBackendState, type SesBackendState, type SesV2BackendOptions } from './state.js';
import * as verified from './verified.js';

export type { IdentityRecord, Tag, VerificationErrorType, VerificationKind } from './identity.js';
export type { CreateEmailIdentityOutput } from './operations/identities.js';
export type { SendingMailFrom } from './operations/mail-from.js';
export type { CreateEmailIdentityInput, DkimAttributes, MailFromAttributes, VerificationInfo } from './shapes.js';
export type { SesV2Snapshot } from './snapshot.js';
export type { SesBackendState, SesV2BackendOptions } from './state.js';
export type { IdentityStore } from './store.js';

/**
 * The operation families of the backend: each a file under operations/ exporting functions
 * `(state, input)`, bound here under the SES operation names in lowerCamelCase.
 */
const FAMILIES = {
  identities: {
    createEmailIdentity: identities.createEmailIdentity,
    getEmailIdentity: identities.getEmailIdentity,
    deleteEmailIdentity: identities.deleteEmailIdentity,
    listEmailIdentities: identities.listEmailIdentities,
    confirmEmailAddress: identities.confirmEmailAddress,
    canSend: verified.canSend,
  },
  dkim: {
    putEmailIdentityDkimSigningAttributes: dkim.putEmailIdentityDkimSigningAttributes,
    putEmailIdentityDkimAttributes: dkim.putEmailIdentityDkimAttributes,
  },
  mailFrom: {
    putEmailIdentityMailFromAttributes: mailFrom.putEmailIdentityMailFromAttributes,
    mailFromForSending: mailFrom.mailFromForSending,
  },
  attributes: {
    putEmailIdentityConfigurationSetAttributes: attributes.putEmailIdentityConfigurationSetAttributes,
    putEmailIdentityFeedbackAttributes: attributes.putEmailIdentityFeedbackAttributes,
  },
  tags: {
    tagResource: tags.tagResource,
    untagResource: tags.untagResource,
    listTagsForResource: tags.listTagsForResource,
  },
  policies: {
    createEmailIdentityPolicy: policies.createEmailIdentityPolicy,
    getEmailIdentityPolicies: policies.getEmailIdentityPolicies,
    updateEmailIdentityPolicy: policies.updateEmailIdentityPolicy,
    deleteEmailIdentityPolicy: policies.deleteEmailIdentityPolicy,
  },
  configurationSets: {
    createConfigurationSet: configurationSets.createConfigurationSet,
    getConfigurationSet: configurationSets.getConfigurationSet,
    listConfigurationSets: configurationSets.listConfigurationSets,
    deleteConfigurationSet: configurationSets.deleteConfigurationSet,
  },
  account: { getAccount: account.getAccount, recordSend: account.recordSend },
  legacy: {
    verifyDomainIdentity: legacy.verifyDomainIdentity,
    verifyDomainDkim: legacy.verifyDomainDkim,
    verifyEmailIdentity: legacy.verifyEmailIdentity,
    getIdentityVerificationAttributes: legacy.getIdentityVerificationAttributes,
  },
  checks: { checkAll: checks.checkAll },
  snapshots: { snapshot: snapshots.snapshot, restore: snapshots.restore },
};

/** The facade over one backend state: every family's operations, bound. */
export function backendOver(state: SesBackendState) {
  return {
    ...bindOperations(state, FAMILIES.identities),
    ...bindOperations(state, FAMILIES.dkim),
    ...bindOperations(state, FAMILIES.mailFrom),
    ...bindOperations(state, FAMILIES.attributes),
    ...bindOperations(state, FAMILIES.tags),
    ...bindOperations(state, FAMILIES.policies),
    ...bindOperations(state, FAMILIES.configurationSets),
    ...bindOperations(state, FAMILIES.account),
    ...bindOperations(state, FAMILIES.legacy),
    ...bindOperations(state, FAMILIES.checks),
    ...bindOperations(state, FAMILIES.snapshots),
    /** The region this backend serves. */
    region: state.region,
  };
}

/**
 * The SES v2 email-identity operations, for emulators: SES's request validation, exceptions
 * and response shapes, with DKIM, MAIL FROM and v1 TXT status driven by real DNS checks and
 * the state machine. Every operation is async (the store may be a database).
 */
export function createSesV2Backend(options: SesV2BackendOptions) {
  return backendOver(createBackendState(options));
}

/**
 * The v2 facade over an existing state, for backends that bind more families to the same state
 * (the emulator's SES v1 and sending, `createSesBackend`), so both APIs share one store.
 */

/** The backend created by {@link createSesV2Backend}. */
export type SesV2Backend = ReturnType<typeof createSesV2Backend>;
