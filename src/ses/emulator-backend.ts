// The emulator's backend: the SES v2 facade plus SES v1 and sending, bound to one state (one store for both APIs).
import { backendOver } from './backend.js';
import { bindOperations } from './operations/registry.js';
import { SENDING_FAMILY } from './sending/family.js';
import { createBackendState, type SesBackendState, type SesV2BackendOptions } from './state.js';
import { V1_FAMILY } from './v1/family.js';

/** Every SES operation the emulator serves, bound to one existing state. */
export function emulatorBackendOver(state: SesBackendState) {
  return {
    ...backendOver(state),
    ...bindOperations(state, SENDING_FAMILY),
    /** SES v1 (awsQuery) over the same state. */
    v1: bindOperations(state, V1_FAMILY),
  };
}

/**
 * Every SES operation the emulator serves, over one state: the v2 operations of
 * {@link createSesV2Backend}, `sendEmail` (v2 SendEmail), `outbox()` and `providerSigner()`, and
 * `v1.*` (the v1 identity and send operations). An identity made through one API is seen by the
 * other. Browser-safe, in the `dkim-engine/ses` entry. For several regions with DEED between them, use {@link createSesRegions}.
 */
export function createSesBackend(options: SesV2BackendOptions) {
  return emulatorBackendOver(createBackendState(options));
}

/** The backend created by {@link createSesBackend}. */
export type SesBackend = ReturnType<typeof createSesBackend>;
