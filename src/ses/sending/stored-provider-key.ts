// The provider's d=amazonses.com keys kept in a DocumentStore, one per region, so a restarted server signs with the key DNS has.
import { parsePrivateKey, toSesPrivateKey } from '../../core/key.js';
import type { ZoneResolver } from '../../dns/zone.js';
import { type DocumentStore, StoreConflictError, StoreError } from '../persistence.js';
import { createProviderSigner, type ProviderSigner, providerSignerOf } from './provider-key.js';

/** The region's key in `secrets` (private material is kept apart): no identity key has a colon before its region. */
const secretKey = (region: string) => `amazonses.com:${region}`;

/** The region of a `secrets` key holding an amazonses.com key, else undefined. */
export const providerKeyRegion = (key: string): string | undefined =>
  key.startsWith('amazonses.com:') ? key.slice('amazonses.com:'.length) : undefined;

/** The signer of each region, and `refresh` to read a region's key again (another process wrote it). */
export interface StoredProviderSigners {
  (region: string): Promise<ProviderSigner>;
  /** Reads the regions' stored keys again (one call) and publishes them; a key not stored is made on next use. */
  refresh(regions: readonly string[]): Promise<void>;
}

interface ProviderKeyDocument {
  readonly selector: string;
  /** SES's one-line base64 of the PKCS #1 DER. */
  readonly privateKey: string;
}

function signerOfDocument(region: string, doc: unknown, zone: ZoneResolver | undefined): ProviderSigner {
  const { selector, privateKey } = (doc ?? {}) as Partial<ProviderKeyDocument>;
  try {
    if (typeof selector !== 'string' || typeof privateKey !== 'string') throw new Error('missing');
    return providerSignerOf(selector, parsePrivateKey(privateKey), zone);
  } catch {
    // Never the parser's message: it could quote the stored key.
    throw new StoreError('STORE_FORMAT', `the stored amazonses.com signing key of ${region} is not a key`);
  }
}

/**
 * The provider signer of each region, read from `store` (and published in `zone` when given), or made and
 * stored on first use. When two servers share a store, the first key written wins and both use it.
 */
export function storedProviderSigners(store: DocumentStore, zone?: ZoneResolver): StoredProviderSigners {
  const signers = new Map<string, Promise<ProviderSigner>>();
  const signerOf = async (region: string): Promise<ProviderSigner> => {
    const stored = await store.get('secrets', secretKey(region));
    if (stored) return signerOfDocument(region, stored.doc, zone);
    const made = await createProviderSigner();
    const doc = { selector: made.selector, privateKey: toSesPrivateKey(made.key) };
    try {
      await store.put('secrets', secretKey(region), doc, { expectedVersion: 0 });
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      return signerOfDocument(region, (await store.get('secrets', secretKey(region)))?.doc, zone);
    }
    return providerSignerOf(made.selector, made.key, zone);
  };
  const signerFor = (region: string) => {
    let signer = signers.get(region);
    if (!signer) {
      signer = signerOf(region);
      // A failed read is tried again on the next send, not remembered.
      signer.catch(() => signers.delete(region));
      signers.set(region, signer);
    }
    return signer;
  };
  signerFor.refresh = async (regions: readonly string[]) => {
    const stored = regions.length === 0 ? [] : await store.getMany('secrets', regions.map(secretKey));
    for (const [i, region] of regions.entries()) {
      const doc = stored[i]?.doc;
      if (doc === undefined) signers.delete(region);
      else signers.set(region, Promise.resolve(signerOfDocument(region, doc, zone)));
    }
  };
  return signerFor;
}
