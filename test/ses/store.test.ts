// The async IdentityStore seam: a store that hands out copies (as a database would), and checks racing mutations.
import { describe, expect, it } from 'vitest';
import { createZoneResolver, easyDkimRecords, type Resolver } from '../../src/index.js';
import { createSesV2Backend, type IdentityRecord, type IdentityStore, KeyRotationTooSoonError } from '../../src/ses.js';

const T0 = Date.UTC(2026, 10, 26);

/** A store that, like a database, never shares objects with its caller and answers on a later tick. */
function copyingStore(): IdentityStore & { writes: number } {
  const rows = new Map<string, string>();
  const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const store = {
    writes: 0,
    async get(key: string) {
      await tick();
      const row = rows.get(key);
      return row === undefined ? undefined : (JSON.parse(row) as IdentityRecord);
    },
    async set(key: string, record: IdentityRecord) {
      await tick();
      store.writes++;
      rows.set(key, JSON.stringify(record));
    },
    async delete(key: string) {
      await tick();
      rows.delete(key);
    },
    keys: async () => [...rows.keys()],
    size: async () => rows.size,
  };
  return store;
}

async function publishCnames(zone: ReturnType<typeof createZoneResolver>, domain: string, tokens: readonly string[]) {
  for (const record of easyDkimRecords({ domain, tokens })) zone.set(record.name, 'CNAME', record.value);
}

describe('SES v2 backend over an async store', () => {
  it('verifies, lists and snapshots identities kept as copies', async () => {
    const zone = createZoneResolver();
    const store = copyingStore();
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: zone, store, now: () => clock.now });
    const created = await backend.createEmailIdentity({ EmailIdentity: 'copy.example.com' });
    await backend.createEmailIdentity({ EmailIdentity: 'me@other.example' });
    await publishCnames(zone, 'copy.example.com', created.DkimAttributes?.Tokens ?? []);
    clock.now += 60_000;
    expect(await backend.checkAll()).toEqual({ checked: 1 });
    expect(await backend.getEmailIdentity({ EmailIdentity: 'copy.example.com' })).toMatchObject({
      VerificationStatus: 'SUCCESS',
      VerificationInfo: { LastCheckedTimestamp: new Date(clock.now) },
    });
    expect(await backend.canSend('anyone@copy.example.com')).toBe(true);
    expect(await backend.canSend('me@other.example')).toBe(false);
    await backend.confirmEmailAddress('me@other.example');
    expect(await backend.canSend('me@other.example')).toBe(true);
    expect((await backend.listEmailIdentities()).EmailIdentities.map((i) => i.VerificationStatus)).toEqual([
      'SUCCESS',
      'SUCCESS',
    ]);
    expect((await backend.snapshot()).identities.map((r) => r.identity)).toEqual([
      'copy.example.com',
      'me@other.example',
    ]);
    expect(store.writes).toBeGreaterThanOrEqual(4);
  });

  it('drops a check whose identity was deleted or replaced while DNS was asked', async () => {
    const zone = createZoneResolver();
    let during: (() => Promise<void>) | undefined;
    const resolver: Resolver = {
      async resolve(name, type) {
        const action = during;
        during = undefined;
        await action?.();
        return zone.resolve(name, type);
      },
    };
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver, store: copyingStore(), now: () => clock.now, tokenSecret: 'k' });
    const created = await backend.createEmailIdentity({ EmailIdentity: 'race.example.com' });
    await publishCnames(zone, 'race.example.com', created.DkimAttributes?.Tokens ?? []);
    clock.now += 60_000;

    during = async () => {
      await backend.deleteEmailIdentity({ EmailIdentity: 'race.example.com' });
      await backend.createEmailIdentity({ EmailIdentity: 'race.example.com' });
    };
    expect(await backend.checkAll()).toEqual({ checked: 0 });
    const replaced = await backend.getEmailIdentity({ EmailIdentity: 'race.example.com' });
    expect(replaced.VerificationStatus).toBe('PENDING');
    expect(replaced.VerificationInfo.LastCheckedTimestamp).toBeUndefined();

    during = () => backend.deleteEmailIdentity({ EmailIdentity: 'race.example.com' }).then(() => undefined);
    expect(await backend.checkAll()).toEqual({ checked: 0 });
    expect((await backend.listEmailIdentities()).EmailIdentities).toEqual([]);

    // Undisturbed, the same identity verifies.
    const again = await backend.createEmailIdentity({ EmailIdentity: 'race.example.com' });
    await publishCnames(zone, 'race.example.com', again.DkimAttributes?.Tokens ?? []);
    clock.now += 60_000;
    expect(await backend.checkAll()).toEqual({ checked: 1 });
    expect((await backend.getEmailIdentity({ EmailIdentity: 'race.example.com' })).VerificationStatus).toBe('SUCCESS');
  });

  it('refuses a second key-length change within a day with KEY_ROTATION_TOO_SOON', async () => {
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => clock.now });
    await backend.createEmailIdentity({ EmailIdentity: 'len.example.com' });
    const change = (length: 'RSA_1024_BIT' | 'RSA_2048_BIT') =>
      backend.putEmailIdentityDkimSigningAttributes({
        EmailIdentity: 'len.example.com',
        SigningAttributesOrigin: 'AWS_SES',
        SigningAttributes: { NextSigningKeyLength: length },
      });
    clock.now = T0 + 23 * 3_600_000;
    const refused = change('RSA_1024_BIT');
    await expect(refused).rejects.toBeInstanceOf(KeyRotationTooSoonError);
    await expect(refused).rejects.toMatchObject({ name: 'BadRequestException', code: 'KEY_ROTATION_TOO_SOON' });
    clock.now = T0 + 24 * 3_600_000;
    await change('RSA_1024_BIT');
    expect((await backend.getEmailIdentity({ EmailIdentity: 'len.example.com' })).DkimAttributes).toMatchObject({
      CurrentSigningKeyLength: 'RSA_1024_BIT',
      NextSigningKeyLength: 'RSA_1024_BIT',
      LastKeyGenerationTimestamp: new Date(clock.now),
    });
  });
});
