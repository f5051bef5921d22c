// Snapshots of the backend's identities and configuration sets, for emulators that persist; they hold private keys.
import { base64Encode } from '../core/base64.js';
import { badRequest, SesException } from './errors.js';
import type { IdentityRecord } from './identity.js';
import { checkRecord } from './record-schema.js';
import {
  bumpIncarnation,
  type ConfigurationSetRecord,
  forgetKeys,
  type SesBackendState,
  storeConfigurationSet,
} from './state.js';

/**
 * A snapshot of the backend's state, for emulators that persist. Holds private keys: store it
 * as one. `count` and `digest` (SHA-256 of the identities and configuration sets as JSON) let
 * restore() refuse a truncated or edited snapshot; formatVersion 1 snapshots have neither.
 */
export interface SesV2Snapshot {
  readonly formatVersion: 2;
  readonly count: number;
  readonly digest: string;
  readonly identities: readonly IdentityRecord[];
  readonly configurationSets: readonly ConfigurationSetRecord[];
}

async function digestOf(identities: unknown, configurationSets: unknown): Promise<string> {
  const text = new TextEncoder().encode(JSON.stringify({ identities, configurationSets }));
  return `sha256:${base64Encode(new Uint8Array(await crypto.subtle.digest('SHA-256', text)))}`;
}

/** The whole state, for emulators that persist (it contains private keys). */
export async function snapshot(state: SesBackendState): Promise<SesV2Snapshot> {
  const identities: IdentityRecord[] = [];
  for (const key of await state.store.keys()) {
    const record = await state.store.get(key);
    if (record) identities.push(structuredClone(record));
  }
  const configurationSets = [...state.configurationSets.values()].map((set) => structuredClone(set));
  const digest = await digestOf(identities, configurationSets);
  return { formatVersion: 2, count: identities.length, digest, identities, configurationSets };
}

/** Everything a snapshot restores, checked before anything is replaced. */
async function checkSnapshot(state: SesBackendState, input: unknown) {
  const raw = input as Partial<SesV2Snapshot> & { formatVersion?: unknown };
  const version: unknown = raw?.formatVersion;
  if ((version !== 1 && version !== 2) || !Array.isArray(raw.identities)) throw badRequest('Unknown snapshot format.');
  const sets = version === 2 ? raw.configurationSets : [];
  if (version === 2) {
    if (!Array.isArray(sets) || raw.count !== raw.identities.length) {
      throw badRequest(`The snapshot is incomplete: it lists ${raw.identities.length} of ${raw.count} identities.`);
    }
    if (raw.digest !== (await digestOf(raw.identities, sets))) throw badRequest('The snapshot digest does not match.');
  }
  if (raw.identities.length > state.maxIdentities) {
    throw new SesException(
      'LimitExceededException',
      `The snapshot holds ${raw.identities.length} identities; the maximum is ${state.maxIdentities}.`,
    );
  }
  const records = new Map<string, IdentityRecord>();
  raw.identities.forEach((record, i) => {
    const [key, checked] = checkRecord(state, record, i);
    if (records.has(key)) throw badRequest(`Snapshot identity #${i} (${key}) is a duplicate.`);
    records.set(key, checked);
  });
  for (const set of sets ?? []) {
    const name = (set as { name?: unknown })?.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name) || !Array.isArray(set.tags)) {
      throw badRequest(`Snapshot configuration set ${JSON.stringify(name)} is invalid.`);
    }
  }
  return { records, sets: (sets ?? []).map((set) => structuredClone(set) as ConfigurationSetRecord) };
}

/**
 * Replaces the state with a snapshot. Everything is checked first (format, count, digest,
 * maxIdentities, each record's schema, duplicates); a snapshot that fails leaves the state untouched.
 */
export async function restore(state: SesBackendState, input: SesV2Snapshot | { formatVersion: 1 }): Promise<void> {
  const { records, sets } = await checkSnapshot(state, input);
  for (const key of await state.store.keys()) {
    forgetKeys(state, await state.store.get(key));
    await state.store.delete(key);
    bumpIncarnation(state, key);
  }
  for (const [key, record] of records) {
    await state.store.set(key, record, { replace: true });
    bumpIncarnation(state, key);
  }
  for (const name of [...state.configurationSets.keys()]) await storeConfigurationSet(state, name, null);
  for (const set of sets) await storeConfigurationSet(state, set.name, set);
}
