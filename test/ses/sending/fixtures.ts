// A sending world for tests: one zone resolver holding the customer's records and the provider zone.
import { easyDkimRecords } from '../../../src/core/easy-dkim.js';
import { generateDkimKey } from '../../../src/core/generate.js';
import { keyRecordAt } from '../../../src/core/key-record/format.js';
import { createZoneResolver, type ZoneResolver } from '../../../src/dns/zone.js';
import { createSesBackend } from '../../../src/ses/emulator-backend.js';
import type { SendingOptions } from '../../../src/ses/sending/context.js';

export const REGION = 'us-east-1';

/** A backend whose DNS is one zone (customer records and provider zone alike), with a settable clock. */
export function sendingWorld(options: { sandbox?: boolean; sending?: SendingOptions } = {}) {
  const zone = createZoneResolver();
  let clock = Date.UTC(2026, 11, 1, 12, 0, 0);
  const backend = createSesBackend({
    resolver: zone,
    providerZone: zone,
    now: () => clock,
    region: REGION,
    sending: { ...(options.sandbox !== undefined ? { sandbox: options.sandbox } : {}), ...options.sending },
  });
  return {
    zone,
    backend,
    advance(ms: number) {
      clock += ms;
    },
    now: () => clock,
  };
}

/** Publishes an Easy DKIM domain's CNAMEs into `zone` and runs the checks: DKIM SUCCESS. */
export async function easyDkimDomain(world: ReturnType<typeof sendingWorld>, domain: string, publish = true) {
  const created = await world.backend.createEmailIdentity({ EmailIdentity: domain });
  const tokens = created.DkimAttributes?.Tokens ?? [];
  if (publish) {
    for (const r of easyDkimRecords({ domain, tokens, hostedZone: 'dkim.amazonses.com' })) {
      world.zone.set(r.name, 'CNAME', r.value);
    }
  }
  await world.backend.checkAll();
  return tokens;
}

/** A BYODKIM domain with a fresh 2048-bit key published at `<selector>._domainkey.<domain>`, checked. */
export async function byodkimDomain(world: ReturnType<typeof sendingWorld>, domain: string, selector = 'byo') {
  const key = await generateDkimKey({ bits: 2048 });
  await world.backend.createEmailIdentity({
    EmailIdentity: domain,
    DkimSigningAttributes: { DomainSigningSelector: selector, DomainSigningPrivateKey: key.privateKey },
  });
  const record = keyRecordAt(`${selector}._domainkey.${domain}`, key.key);
  world.zone.set(record.name, 'TXT', [record.strings]);
  await world.backend.checkAll();
  return { key, record };
}

export type { ZoneResolver };
