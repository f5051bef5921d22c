// The SES v1 operation family the backend facade binds as `backend.v1` (one state, one store for v1 and v2).
import { v1SendEmail, v1SendRawEmail } from '../sending/operations.js';
import * as identities from './identities.js';

/** SES v1 identity and send operations, by the lowerCamel name of their Action, as functions `(state, input)`. */
export const V1_FAMILY = {
  verifyDomainDkim: identities.verifyDomainDkim,
  verifyEmailIdentity: identities.verifyEmailIdentity,
  getIdentityVerificationAttributes: identities.getIdentityVerificationAttributes,
  getIdentityDkimAttributes: identities.getIdentityDkimAttributes,
  setIdentityDkimEnabled: identities.setIdentityDkimEnabled,
  listIdentities: identities.listIdentities,
  deleteIdentity: identities.deleteIdentity,
  sendEmail: v1SendEmail,
  sendRawEmail: v1SendRawEmail,
};
