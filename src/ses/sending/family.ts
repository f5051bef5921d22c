// The sending operation family the backend facade binds: backend.sendEmail (v2), backend.outbox(), backend.providerSigner().
import { outbox, providerSigner } from './context.js';
import { sendEmail } from './operations.js';

/** SES v2 SendEmail and the sending context's library API, as functions `(state, ...)`. */
export const SENDING_FAMILY = { sendEmail, outbox, providerSigner };
