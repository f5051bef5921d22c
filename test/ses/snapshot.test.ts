// Snapshots carry every kind of state the backend keeps, and formatVersion 1 snapshots still restore.
import { describe, expect, it } from 'vitest';
import { createZoneResolver, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { createSesV2Backend } from '../../src/ses.js';
import { keyFile } from '../../vectors/load.js';

const T0 = Date.UTC(2026, 10, 26);
const byoKey = toSesPrivateKey(parsePrivateKey(keyFile('rsa1024.pkcs1.der')));

async function populated() {
  const b = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0, region: 'eu-west-1' });
  await b.createConfigurationSet({ ConfigurationSetName: 'tx', Tags: [{ Key: 'k', Value: 'v' }] });
  await b.createEmailIdentity({ EmailIdentity: 'easy.example.com', ConfigurationSetName: 'tx' });
  await b.createEmailIdentity({
    EmailIdentity: 'byo.example.com',
    DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: byoKey },
  });
  await b.createEmailIdentity({ EmailIdentity: 'me@easy.example.com' });
  await b.verifyDomainIdentity({ Domain: 'txt.example.com' });
  await b.putEmailIdentityMailFromAttributes({
    EmailIdentity: 'easy.example.com',
    MailFromDomain: 'm.easy.example.com',
    BehaviorOnMxFailure: 'REJECT_MESSAGE',
  });
  await b.putEmailIdentityFeedbackAttributes({ EmailIdentity: 'easy.example.com', EmailForwardingEnabled: false });
  await b.createEmailIdentityPolicy({
    EmailIdentity: 'byo.example.com',
    PolicyName: 'p',
    Policy: '{"Statement":[]}',
  });
  return b;
}

const NAMES = ['easy.example.com', 'byo.example.com', 'me@easy.example.com', 'txt.example.com'];

describe('snapshots', () => {
  it('round-trip MAIL FROM, v1 TXT, policies, feedback and configuration sets through JSON', async () => {
    const a = await populated();
    const b = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0, region: 'eu-west-1' });
    await b.restore(JSON.parse(JSON.stringify(await a.snapshot())));
    for (const name of NAMES) {
      expect(await b.getEmailIdentity({ EmailIdentity: name }), name).toEqual(
        await a.getEmailIdentity({ EmailIdentity: name }),
      );
    }
    expect(await b.getIdentityVerificationAttributes({ Identities: ['txt.example.com'] })).toEqual(
      await a.getIdentityVerificationAttributes({ Identities: ['txt.example.com'] }),
    );
    expect(await b.getConfigurationSet({ ConfigurationSetName: 'tx' })).toEqual(
      await a.getConfigurationSet({ ConfigurationSetName: 'tx' }),
    );
  });

  it('restores a formatVersion 1 snapshot (records with `state`)', async () => {
    const a = await populated();
    const current = await a.snapshot();
    const v1 = {
      formatVersion: 1,
      identities: current.identities.map(({ verifications, version: _v, ...rest }) => ({
        ...rest,
        state: verifications.dkim,
        ...(verifications.mailFrom ? { verifications: { ...verifications } } : {}),
      })),
    };
    // A v1 record has only `state`; the migrated fields of the later format are accepted beside it.
    const plain = { formatVersion: 1, identities: v1.identities.filter((r) => !('verifications' in r)) };
    const b = createSesV2Backend({ resolver: createZoneResolver(), now: () => T0, region: 'eu-west-1' });
    await b.restore(plain as never);
    const restored = (await b.listEmailIdentities()).EmailIdentities.map((e) => e.IdentityName);
    expect(restored.length).toBeGreaterThan(0);
    expect(restored).toContain('byo.example.com');
    for (const name of restored.filter((n) => !n.includes('@'))) {
      expect((await b.getEmailIdentity({ EmailIdentity: name })).DkimAttributes, name).toEqual(
        (await a.getEmailIdentity({ EmailIdentity: name })).DkimAttributes,
      );
    }
  });
});
