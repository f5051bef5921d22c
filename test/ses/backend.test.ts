// The SES v2 backend: provider-zone publishing, BYODKIM keys, snapshots, the HTTP listener and the scheduler.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createZoneResolver, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { createSesV2RequestListener, startSesScheduler } from '../../src/node.js';
import { createSesV2Backend, SesException } from '../../src/ses.js';
import { keyFile } from '../../vectors/load.js';

const byoKey = toSesPrivateKey(parsePrivateKey(keyFile('rsa1024.pkcs1.der')));
const T0 = Date.UTC(2026, 10, 26);

describe('SES v2 backend', () => {
  it('publishes Easy DKIM keys into its own hosted zone, verifies CNAME -> TXT -> key, and unpublishes on delete', async () => {
    const providerZone = createZoneResolver();
    const clock = { now: T0 };
    const backend = createSesV2Backend({
      resolver: providerZone,
      providerZone,
      now: () => clock.now,
      tokenSecret: 'emu',
    });
    const created = await backend.createEmailIdentity({
      EmailIdentity: 'easy.example.com',
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
    });
    const tokens = created.DkimAttributes?.Tokens ?? [];
    expect(Object.keys(providerZone.snapshot()).sort()).toEqual(tokens.map((t) => `${t}.dkim.amazonses.com`).sort());
    for (const t of tokens) providerZone.set(`${t}._domainkey.easy.example.com`, 'CNAME', `${t}.dkim.amazonses.com`);
    clock.now += 60_000;
    await backend.checkAll();
    expect((await backend.getEmailIdentity({ EmailIdentity: 'easy.example.com' })).VerificationStatus).toBe('SUCCESS');
    // Another key behind a token: the check follows the CNAME and sees the mismatch.
    providerZone.set(`${tokens[0]}.dkim.amazonses.com`, 'TXT', [
      [
        'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB',
      ],
    ]);
    clock.now += 7 * 3_600_000;
    await backend.checkAll();
    const after = await backend.getEmailIdentity({ EmailIdentity: 'easy.example.com' });
    expect(after).toMatchObject({
      VerificationStatus: 'TEMPORARY_FAILURE',
      VerificationInfo: { ErrorType: 'INVALID_VALUE' },
    });
    await backend.deleteEmailIdentity({ EmailIdentity: 'easy.example.com' });
    expect(Object.keys(providerZone.snapshot()).filter((name) => name.endsWith('.dkim.amazonses.com'))).toEqual([]);
  }, 30_000);

  it('deterministic tokens with tokenSecret', async () => {
    const make = async () =>
      (
        await createSesV2Backend({
          resolver: createZoneResolver(),
          now: () => T0,
          tokenSecret: 's',
        }).createEmailIdentity({ EmailIdentity: 'x.example.com' })
      ).DkimAttributes?.Tokens;
    expect(await make()).toEqual(await make());
  });

  it("keeps SES's accept-and-never-verify behaviour for unusable keys when asked", async () => {
    const unusable = toSesPrivateKey(parsePrivateKey(keyFile('rsa1024.pkcs1.der'))).slice(0, 400);
    const strict = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    await expect(
      strict.createEmailIdentity({
        EmailIdentity: 'u.example.com',
        DkimSigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: unusable },
      }),
    ).rejects.toMatchObject({ name: 'BadRequestException', message: expect.stringContaining('DER_INVALID') });
    const clock = { now: T0 };
    const lenient = createSesV2Backend({
      resolver: createZoneResolver(),
      now: () => clock.now,
      unusableKeys: 'accept',
    });
    await lenient.createEmailIdentity({
      EmailIdentity: 'u.example.com',
      DkimSigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: unusable },
    });
    for (const hours of [1, 24, 48, 73]) {
      clock.now = T0 + hours * 3_600_000;
      await lenient.checkAll();
    }
    expect(await lenient.getEmailIdentity({ EmailIdentity: 'u.example.com' })).toMatchObject({
      VerificationStatus: 'FAILED',
      VerificationInfo: { ErrorType: 'INVALID_VALUE' },
    });
  });

  it('snapshots and restores its state, with a format version', async () => {
    const zone = createZoneResolver();
    const a = createSesV2Backend({ resolver: zone, now: () => T0 });
    await a.createEmailIdentity({
      EmailIdentity: 'b.example.com',
      DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: byoKey },
    });
    await a.createEmailIdentity({ EmailIdentity: 'me@b.example.com' });
    const snapshot = JSON.parse(JSON.stringify(await a.snapshot()));
    expect(snapshot.formatVersion).toBe(2);
    const b = createSesV2Backend({ resolver: zone, now: () => T0 });
    await b.restore(snapshot);
    expect(await b.getEmailIdentity({ EmailIdentity: 'b.example.com' })).toEqual(
      await a.getEmailIdentity({ EmailIdentity: 'b.example.com' }),
    );
    expect((await b.listEmailIdentities()).EmailIdentities).toHaveLength(2);
    await expect(b.restore({ formatVersion: 3 } as never)).rejects.toThrow(SesException);
  });

  it('serves the older GET listing and names unknown operations', async () => {
    const backend = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0 });
    await backend.createEmailIdentity({ EmailIdentity: 'l.example.com' });
    const server = createServer(createSesV2RequestListener(backend));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const list = await fetch(`http://127.0.0.1:${port}/v2/email/identities?PageSize=5`);
    expect(await list.json()).toMatchObject({
      EmailIdentities: [{ IdentityName: 'l.example.com', IdentityType: 'DOMAIN' }],
    });
    const get = await fetch(`http://127.0.0.1:${port}/v2/email/identities/l.example.com`);
    const body = (await get.json()) as { DkimAttributes: { LastKeyGenerationTimestamp: number } };
    expect(body.DkimAttributes.LastKeyGenerationTimestamp).toBe(T0 / 1000);
    const unknown = await fetch(`http://127.0.0.1:${port}/v2/email/nothing`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const bad = await fetch(`http://127.0.0.1:${port}/v2/email/identities`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('the scheduler runs checkAll periodically until stopped', async () => {
    let runs = 0;
    const stop = startSesScheduler({ checkAll: async () => ({ checked: runs++ }) }, { intervalMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    const seen = runs;
    expect(seen).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs).toBe(seen);
  });
});
