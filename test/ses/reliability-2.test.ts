// Issue #13's backend weaknesses W4-W6: a bounded key cache, bounded concurrent checks with deadlines, snapshot integrity.
import { describe, expect, it } from 'vitest';
import {
  createZoneResolver,
  type DnsAnswer,
  type DnsRecordType,
  parsePrivateKey,
  type Resolver,
  toSesPrivateKey,
} from '../../src/index.js';
import { createEmailIdentity, deleteEmailIdentity } from '../../src/ses/operations/identities.js';
import { createBackendState } from '../../src/ses/state.js';
import { createSesV2Backend } from '../../src/ses.js';
import { keyPool, toBase64 } from '../helpers/key-pool.js';

const T0 = Date.UTC(2026, 10, 26);

describe('#13 weaknesses in the SES backend, continued', () => {
  it("#13 W4: the parsed-key cache is bounded and drops a deleted identity's key", async () => {
    const state = createBackendState({ resolver: createZoneResolver(), now: () => T0, keyCacheSize: 3 });
    const keys = keyPool()
      .slice(0, 5)
      .map((key) => toSesPrivateKey(parsePrivateKey(toBase64(key.pkcs1Der))));
    for (const [i, key] of keys.entries()) {
      await createEmailIdentity(state, {
        EmailIdentity: `k${i}.example.com`,
        DkimSigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: key },
      });
      expect(state.keyCache.size).toBeLessThanOrEqual(3);
    }
    expect(state.keyCache.size).toBe(3);
    await deleteEmailIdentity(state, { EmailIdentity: 'k4.example.com' });
    expect(state.keyCache.size).toBe(2);
  }, 30_000);

  it('#13 W5: checkAll checks identities concurrently, within a bound', async () => {
    const zone = createZoneResolver();
    let inFlight = 0;
    let peak = 0;
    const slow: Resolver = {
      async resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<T>> {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return zone.resolve(name, type);
      },
    };
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: slow, now: () => clock.now, checkConcurrency: 4 });
    for (let i = 0; i < 40; i++) await backend.createEmailIdentity({ EmailIdentity: `c${i}.example.com` });
    clock.now += 60_000;
    expect(await backend.checkAll()).toEqual({ checked: 40 });
    // One identity asks for its 3 CNAMEs at once: more than 3 questions in flight means identities
    // overlapped (a sequential pass never exceeds 3), and 4 identities ask at most 12.
    expect(peak).toBeGreaterThan(3);
    expect(peak).toBeLessThanOrEqual(12);
  });

  it('#13 W5: silent DNS cannot stall a pass: each check has a deadline', async () => {
    const zone = createZoneResolver();
    const silent: Resolver = {
      resolve: (name, type) =>
        name.endsWith('silent.example.com') ? new Promise(() => undefined) : zone.resolve(name, type),
    };
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: silent, now: () => clock.now, checkTimeoutMs: 50 });
    await backend.createEmailIdentity({ EmailIdentity: 'silent.example.com' });
    const loud = await backend.createEmailIdentity({ EmailIdentity: 'loud.example.com' });
    for (const token of loud.DkimAttributes?.Tokens ?? []) {
      zone.set(`${token}._domainkey.loud.example.com`, 'CNAME', `${token}.dkim.amazonses.com`);
    }
    clock.now += 60_000;
    expect(await backend.checkAll()).toEqual({ checked: 2 });
    expect(await backend.getEmailIdentity({ EmailIdentity: 'silent.example.com' })).toMatchObject({
      VerificationStatus: 'TEMPORARY_FAILURE',
      VerificationInfo: { ErrorType: 'DNS_SERVER_ERROR' },
    });
    expect((await backend.getEmailIdentity({ EmailIdentity: 'loud.example.com' })).VerificationStatus).toBe('SUCCESS');
  });

  it('#13 W6: a truncated, duplicated, edited or oversized snapshot is refused and changes nothing', async () => {
    const source = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    for (let i = 0; i < 4; i++) await source.createEmailIdentity({ EmailIdentity: `s${i}.example.com` });
    const good = JSON.parse(JSON.stringify(await source.snapshot()));
    const target = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0, maxIdentities: 3 });
    await target.createEmailIdentity({ EmailIdentity: 'keep.example.com' });
    const half = { ...good, identities: good.identities.slice(0, 2) };
    const edited = structuredClone(good);
    edited.identities[0].verifications.dkim.status = 'SUCCESS';
    const cases: [string, unknown, string][] = [
      ['half an array', half, 'incomplete'],
      ['an edited record', edited, 'digest'],
      ['too many for maxIdentities', good, 'maximum'],
      [
        'a duplicate (v1, no digest)',
        { formatVersion: 1, identities: [good.identities[0], good.identities[0]] },
        'duplicate',
      ],
      [
        'Status BOGUS (v1, no digest)',
        {
          formatVersion: 1,
          identities: [
            {
              ...good.identities[1],
              verifications: { dkim: { ...good.identities[1].verifications.dkim, status: 'BOGUS' } },
            },
          ],
        },
        'BOGUS',
      ],
    ];
    for (const [what, snapshot, message] of cases) {
      await expect(target.restore(snapshot as never), what).rejects.toMatchObject({
        message: expect.stringContaining(message),
      });
      expect(
        (await target.listEmailIdentities()).EmailIdentities.map((e) => e.IdentityName),
        what,
      ).toEqual(['keep.example.com']);
    }
    const roomy = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    await roomy.restore(good);
    expect((await roomy.listEmailIdentities()).EmailIdentities).toHaveLength(4);
  });
});
