// Several SES regions in one emulator: one backend per region, one clock, and DEED between them.
import { isRegionName } from '../core/easy-dkim.js';
import { emulatorBackendOver, type SesBackend } from './emulator-backend.js';
import { badRequest } from './errors.js';
import { createBackendState, type SesBackendState, type SesV2BackendOptions } from './state.js';
import type { IdentityStore } from './store.js';

/** Options of {@link createSesRegions}: a backend's options, less the region and store. */
export interface SesRegionsOptions extends Omit<SesV2BackendOptions, 'region' | 'store'> {
  /** The regions served; without it, any region a request names is created on first use. */
  readonly regions?: readonly string[];
  /** Each region's store; default an in-memory store per region. */
  readonly storeFor?: (region: string) => IdentityStore;
  /** Each region's configuration-set persistence (a DocumentStore behind serve --state/--store). */
  readonly persistConfigurationSetFor?: (region: string) => SesV2BackendOptions['persistConfigurationSet'];
}

/**
 * One emulator backend (SES v2, v1 and sending) per region, sharing the clock (`now`) and the account, as one SES endpoint per
 * region would. A DEED replica (CreateEmailIdentity with DomainSigningAttributesOrigin
 * AWS_SES_<REGION>) takes its DKIM signing from the parent identity in another region here.
 */
export function createSesRegions(options: SesRegionsOptions) {
  const states = new Map<string, { state: SesBackendState; backend: SesBackend }>();
  const allowed = options.regions ? new Set(options.regions) : null;
  const entry = (region: string) => {
    let found = states.get(region);
    if (found) return found;
    if (!isRegionName(region) || (allowed && !allowed.has(region))) return undefined;
    const { regions: _regions, storeFor, persistConfigurationSetFor, ...backendOptions } = options;
    const persistConfigurationSet = persistConfigurationSetFor?.(region);
    const state = createBackendState({
      ...backendOptions,
      region,
      ...(storeFor ? { store: storeFor(region) } : {}),
      ...(persistConfigurationSet ? { persistConfigurationSet } : {}),
    });
    state.peers = (peer) => entry(peer)?.state;
    found = { state, backend: emulatorBackendOver(state) };
    states.set(region, found);
    return found;
  };
  for (const region of options.regions ?? []) entry(region);
  return {
    /** The backend of `region`; BadRequestException for a region not served. */
    backend(region: string): SesBackend {
      const found = entry(region);
      if (!found) throw badRequest(`Region ${String(region).slice(0, 40)} is not served here.`);
      return found.backend;
    },
    /** The backend state of `region` (made on first use), for check workers; undefined: not served. */
    state(region: string): SesBackendState | undefined {
      return entry(region)?.state;
    },
    /** The regions with a backend so far (all of `regions` when given). */
    regions(): string[] {
      return [...states.keys()];
    },
    /** Runs every region's due checks. */
    async checkAll(): Promise<{ checked: number }> {
      let checked = 0;
      for (const { backend } of states.values()) checked += (await backend.checkAll()).checked;
      return { checked };
    },
  };
}

/** The regions object created by {@link createSesRegions}. */
export type SesRegions = ReturnType<typeof createSesRegions>;
