// Issue #13's backend items: limits under concurrency, stale checks, atomic and schema-checked restore, resilience.
import { describe, expect, it } from 'vitest';
import { createZoneResolver, easyDkimRecords, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { memoryStore } from '../../src/ses/store.js';
import { createSesV2Backend, type IdentityRecord } from '../../src/ses.js';
import { keyFile } from '../../vectors/load.js';

const T0 = Date.UTC(2026, 10, 26);
const byoKey = toSesPrivateKey(parsePrivateKey(keyFile('rsa1024.pkcs1.der')));

function publishCnames(zone: ReturnType<typeof createZoneResolver>, domain: string, tokens: readonly string[]) {
  for (const record of easyDkimRecords({ domain, tokens })) zone.set(record.name, 'CNAME', record.value);
}

describe('#13 defects in the SES backend', () => {
  it('#13 D2: 64 concurrent creates against maxIdentities 10 admit exactly 10', async () => {
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0, maxIdentities: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, (_, i) => backend.createEmailIdentity({ EmailIdentity: `d${i}.example.com` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(10);
    expect(new Set(refused.map((r) => (r.reason as Error).name))).toEqual(new Set(['LimitExceededException']));
    expect((await backend.listEmailIdentities({ PageSize: 1000 })).EmailIdentities).toHaveLength(10);
    // A failed create gives its place back.
    await backend.deleteEmailIdentity({ EmailIdentity: 'd0.example.com' });
    await expect(backend.createEmailIdentity({ EmailIdentity: 'late.example.com' })).resolves.toBeDefined();
  });

  it('#13 D3: a check in flight when the signing attributes change does not apply its result', async () => {
    const zone = createZoneResolver();
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: zone, now: () => clock.now });
    const created = await backend.createEmailIdentity({ EmailIdentity: 'stale.example.com' });
    const tokens = created.DkimAttributes?.Tokens ?? [];
    publishCnames(zone, 'stale.example.com', tokens);
    for (const token of tokens) zone.setFault(`${token}._domainkey.stale.example.com`, { delayMs: 80 });
    clock.now += 60_000;
    const pass = backend.checkAll();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Switched to BYODKIM while the Easy DKIM check is waiting for DNS: nobody published this key.
    await backend.putEmailIdentityDkimSigningAttributes({
      EmailIdentity: 'stale.example.com',
      SigningAttributesOrigin: 'EXTERNAL',
      SigningAttributes: { DomainSigningSelector: 'sel', DomainSigningPrivateKey: byoKey },
    });
    await pass;
    const got = await backend.getEmailIdentity({ EmailIdentity: 'stale.example.com' });
    expect(got.DkimAttributes).toMatchObject({ Status: 'PENDING', Tokens: ['sel'] });
    expect(got.VerifiedForSendingStatus).toBe(false);
  });

  it('#13 D4: a restore that fails leaves the identities untouched', async () => {
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    for (const name of ['a.example.com', 'b.example.com', 'me@a.example.com']) {
      await backend.createEmailIdentity({ EmailIdentity: name });
    }
    const before = await backend.snapshot();
    const source = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    for (let i = 0; i < 6; i++) await source.createEmailIdentity({ EmailIdentity: `n${i}.example.com` });
    const snapshot = await source.snapshot();
    const broken = {
      formatVersion: 1 as const,
      identities: [...snapshot.identities, { ...snapshot.identities[0], identity: 'x.example.com', type: 'BOGUS' }],
    };
    await expect(backend.restore(broken as never)).rejects.toMatchObject({ name: 'BadRequestException' });
    expect(await backend.snapshot()).toEqual(before);
  });

  it('#13 D5: restore refuses poisoned records (no state, corrupted BYODKIM key, Easy DKIM with 2 tokens)', async () => {
    const source = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    await source.createEmailIdentity({ EmailIdentity: 'easy.example.com' });
    await source.createEmailIdentity({
      EmailIdentity: 'byo.example.com',
      DkimSigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: byoKey },
    });
    const [easy, byo] = (await source.snapshot()).identities as IdentityRecord[];
    const { verifications: _dropped, ...stateless } = easy as IdentityRecord;
    const poisoned: Record<string, unknown>[] = [
      stateless,
      { ...byo, privateKey: `${byo?.privateKey?.slice(0, 200)}AAAA` },
      { ...easy, tokens: easy?.tokens.slice(0, 2) },
    ];
    const target = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    for (const record of poisoned) {
      await expect(target.restore({ formatVersion: 1, identities: [record] } as never)).rejects.toMatchObject({
        name: 'BadRequestException',
        message: expect.stringContaining('is invalid'),
      });
    }
    expect((await target.listEmailIdentities()).EmailIdentities).toEqual([]);
  });

  it('#13 D5: at run time one poisoned record stops neither listing nor the other checks', async () => {
    const zone = createZoneResolver();
    const store = memoryStore();
    const clock = { now: T0 };
    const backend = createSesV2Backend({ resolver: zone, store, now: () => clock.now });
    const good = await backend.createEmailIdentity({ EmailIdentity: 'good.example.com' });
    await backend.createEmailIdentity({ EmailIdentity: 'poison.example.com' });
    const poison = (await store.get('poison.example.com')) as unknown as Record<string, unknown>;
    poison.verifications = undefined; // as a database row written by something else might be
    poison.tokens = 'not a list';
    publishCnames(zone, 'good.example.com', good.DkimAttributes?.Tokens ?? []);
    clock.now += 60_000;
    const listed = await backend.listEmailIdentities();
    expect(listed.EmailIdentities.map((entry) => entry.IdentityName).sort()).toEqual([
      'good.example.com',
      'poison.example.com',
    ]);
    await backend.checkAll();
    expect((await backend.getEmailIdentity({ EmailIdentity: 'good.example.com' })).VerificationStatus).toBe('SUCCESS');
  });
});

describe('#13 weaknesses in the SES backend', () => {
  const backend = () => createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });

  it("#13 W2: SES's address rules, with SES's messages", async () => {
    const b = backend();
    const refused: [string, string][] = [
      ['a\u0000b@example.com', 'Local address contains control or whitespace'],
      ['a\u0007b@example.com', 'Local address contains control or whitespace'],
      ['a\u007fb@example.com', 'Local address contains control or whitespace'],
      ['a\u001bb@example.com', 'Local address contains control or whitespace'],
      ['a\bb@example.com', 'Local address contains control or whitespace'],
      ['a\u200bb@example.com', 'Local address contains illegal character'],
      ['a..b@example.com', 'Local address contains dot-dot'],
      ['.a@example.com', 'Local address starts with dot'],
      ['a.@example.com', 'Local address ends with dot'],
      ['a(b@example.com', 'Local address contains illegal character'],
      ['@example.com', 'Missing local name'],
      ['a@', 'Missing domain'],
    ];
    for (const [address, message] of refused) {
      await expect(b.createEmailIdentity({ EmailIdentity: address }), JSON.stringify(address)).rejects.toMatchObject({
        name: 'BadRequestException',
        message,
      });
    }
    expect((await b.listEmailIdentities()).EmailIdentities).toEqual([]);
    for (const address of ['a.b+c@example.com', '"a b"@example.com', "o'hara@example.com"]) {
      await expect(b.createEmailIdentity({ EmailIdentity: address })).resolves.toMatchObject({
        IdentityType: 'EMAIL_ADDRESS',
      });
    }
  });

  it('#13 W3: values of the wrong JSON type are a BadRequest, not coerced', async () => {
    const b = backend();
    await b.createEmailIdentity({ EmailIdentity: 't.example.com' });
    await expect(
      b.putEmailIdentityDkimAttributes({ EmailIdentity: 't.example.com', SigningEnabled: 'true' as never }),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: expect.stringContaining('SigningEnabled') });
    expect((await b.getEmailIdentity({ EmailIdentity: 't.example.com' })).DkimAttributes.SigningEnabled).toBe(true);
    for (const [i, value] of ['RSA_1024_BIT', 5, ['x']].entries()) {
      await expect(
        b.createEmailIdentity({ EmailIdentity: `w${i}.example.com`, DkimSigningAttributes: value as never }),
      ).rejects.toMatchObject({ name: 'BadRequestException' });
    }
    await expect(b.listEmailIdentities({ PageSize: true as never })).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await expect(
      b.putEmailIdentityFeedbackAttributes({
        EmailIdentity: 't.example.com',
        EmailForwardingEnabled: 'false' as never,
      }),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    expect((await b.listEmailIdentities()).EmailIdentities).toHaveLength(1);
  });
});
