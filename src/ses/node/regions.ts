// One backend per region, created on first use, for the regions one emulator serves.
import { DEFAULT_SIGNING_HOSTED_ZONE, REGIONAL_SIGNING_HOSTED_ZONES, signingHostedZone } from '../../core/easy-dkim.js';
import { SES_PROVIDER_DOMAIN } from '../../core/signature/ses.js';
import { RestProtocolError } from './rest-router.js';

/** The backends of one server: one per region, created lazily. */
export interface RegionBackends<B extends object> {
  /** The region requests without a credential scope go to. */
  readonly defaultRegion: string;
  /** The backend of `region` (null: the default region), created on first use. */
  get(region: string | null): B;
  /** The regions created so far, with their backends. */
  entries(): [string, B][];
}

/** Most regions one server creates backends for: AWS has about 35. Past it, BadRequestException. */
export const MAX_REGIONS = 64;

/**
 * A lazy per-region map over `create`. Every backend must share one clock and one provider zone
 * (the caller's `create` closes over them), so DEED across regions and the clock route see one world.
 */
export function createRegionBackends<B extends object>(
  defaultRegion: string,
  create: (region: string) => B,
  maxRegions = MAX_REGIONS,
): RegionBackends<B> {
  const backends = new Map<string, B>();
  const get = (region: string | null): B => {
    const name = region ?? defaultRegion;
    let backend = backends.get(name);
    if (!backend) {
      if (backends.size >= maxRegions) {
        throw new RestProtocolError(400, 'BadRequestException', `This emulator serves at most ${maxRegions} regions.`);
      }
      backend = create(name);
      backends.set(name, backend);
    }
    return backend;
  };
  get(defaultRegion);
  return { defaultRegion, get, entries: () => [...backends.entries()] };
}

/**
 * Every zone an emulator's provider zone may hold keys in: `dkim.amazonses.com`, each
 * regional `dkim.<region>.amazonses.com`, and `_domainkey.amazonses.com` (the provider's own
 * signing key). The routing resolver sends these names to the provider zone, whichever regions
 * have backends yet.
 */
export function providerHostedZones(): string[] {
  return [
    DEFAULT_SIGNING_HOSTED_ZONE,
    ...Object.keys(REGIONAL_SIGNING_HOSTED_ZONES).map((region) => signingHostedZone({ region })),
    // The key of the provider's own d=amazonses.com signature on sent mail.
    `_domainkey.${SES_PROVIDER_DOMAIN}`,
  ];
}
