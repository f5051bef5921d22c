// Snapshots of the backend's identities, for emulators that persist; they hold private keys.
import { badRequest } from './errors.js';
import type { IdentityRecord } from './identity.js';
import { bumpIncarnation, type SesBackendState } from './state.js';
import { identityKey } from './validate.js';

/** A snapshot of the backend's state, for emulators that persist. Holds private keys: store it as one. */
export interface SesV2Snapshot {
  readonly formatVersion: 1;
  readonly identities: readonly IdentityRecord[];
}

/** The whole state, for emulators that persist (it contains private keys). */
export async function snapshot(state: SesBackendState): Promise<SesV2Snapshot> {
  const identities: IdentityRecord[] = [];
  for (const key of await state.store.keys()) {
    const record = await state.store.get(key);
    if (record) identities.push(structuredClone(record));
  }
  return { formatVersion: 1, identities };
}

/** Replaces the state with a snapshot. */
export async function restore(state: SesBackendState, snapshot: SesV2Snapshot): Promise<void> {
  if (snapshot?.formatVersion !== 1 || !Array.isArray(snapshot.identities)) {
    throw badRequest('Unknown snapshot format.');
  }
  for (const key of await state.store.keys()) {
    await state.store.delete(key);
    bumpIncarnation(state, key);
  }
  for (const record of snapshot.identities) {
    const key = identityKey(record.identity);
    await state.store.set(key, structuredClone(record));
    bumpIncarnation(state, key);
  }
}
