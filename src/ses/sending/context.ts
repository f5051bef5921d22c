// What sending needs beyond the identity store: the outbox, the provider's signer, the sandbox flag and the account.
import type { ZoneResolver } from '../../dns/zone.js';
import type { SesBackendState } from '../state.js';
import { createOutbox, type Outbox } from './outbox.js';
import { createProviderSigner, type ProviderSigner } from './provider-key.js';

/** The `sending` option of the backend. Everything has a default. */
export interface SendingOptions {
  /** Where accepted messages go; default one per provider zone (so one server's regions share it), else per backend. */
  readonly outbox?: Outbox;
  /** The d=amazonses.com signer; default one made on first send and published in the provider zone. */
  readonly provider?: ProviderSigner | Promise<ProviderSigner>;
  /** The d=amazonses.com signer of a region, when `provider` is not given (a server's persisted keys). */
  readonly providerFor?: (region: string) => Promise<ProviderSigner>;
  /** Every recipient must be verified too (`serve --sandbox`); default the backend's `sandbox` option, else false. */
  readonly sandbox?: boolean;
  /** Twelve digits, for identity ARNs; default the backend's `accountId` option, else 000000000000. */
  readonly accountId?: string;
}

/** The sending context of one backend state. */
export interface SendingContext {
  readonly outbox: Outbox;
  readonly sandbox: boolean;
  readonly accountId: string;
  provider(): Promise<ProviderSigner>;
}

/** Options the phase-2 server passes to every backend (accountId, sandbox), read when the backend knows them. */
interface ServerOptions {
  readonly sending?: SendingOptions;
  readonly sandbox?: boolean;
  readonly accountId?: string;
  readonly providerZone?: ZoneResolver;
}

const contexts = new WeakMap<SesBackendState, SendingContext>();
const sharedOutboxes = new WeakMap<ZoneResolver, Outbox>();
const sharedProviders = new WeakMap<ZoneResolver, Map<string, Promise<ProviderSigner>>>();

function defaultOutbox(zone: ZoneResolver | undefined): Outbox {
  if (!zone) return createOutbox();
  let outbox = sharedOutboxes.get(zone);
  if (!outbox) {
    outbox = createOutbox();
    sharedOutboxes.set(zone, outbox);
  }
  return outbox;
}

/** One provider key per provider zone and region (real SES signs each region with its own amazonses.com selector). */
function defaultProvider(zone: ZoneResolver | undefined, region: string): () => Promise<ProviderSigner> {
  let own: Promise<ProviderSigner> | undefined;
  return () => {
    if (!zone) {
      own ??= createProviderSigner();
      return own;
    }
    let byRegion = sharedProviders.get(zone);
    if (!byRegion) {
      byRegion = new Map();
      sharedProviders.set(zone, byRegion);
    }
    let signer = byRegion.get(region);
    if (!signer) {
      signer = createProviderSigner({ zone });
      byRegion.set(region, signer);
    }
    return signer;
  };
}

/** The sending context of a backend, made from its options on first use. */
export function sendingContext(state: SesBackendState): SendingContext {
  let context = contexts.get(state);
  if (context) return context;
  const options = state.options as typeof state.options & ServerOptions;
  const sending = options.sending ?? {};
  const given = sending.provider;
  const providerFor = sending.providerFor;
  context = {
    outbox: sending.outbox ?? defaultOutbox(options.providerZone),
    sandbox: sending.sandbox ?? options.sandbox ?? false,
    accountId: sending.accountId ?? options.accountId ?? '000000000000',
    provider: given
      ? () => Promise.resolve(given)
      : providerFor
        ? () => providerFor(state.region)
        : defaultProvider(options.providerZone, state.region),
  };
  contexts.set(state, context);
  return context;
}

/** The outbox of a backend: `backend.outbox()`. */
export function outbox(state: SesBackendState): Outbox {
  return sendingContext(state).outbox;
}

/** The provider signer of a backend (made and published on first call): `backend.providerSigner()`. */
export function providerSigner(state: SesBackendState): Promise<ProviderSigner> {
  return sendingContext(state).provider();
}
