// The SES backend over a DocumentStore: versions, secrets apart, conflicts between processes, and claimed checks.
import { describe, expect, it } from 'vitest';
import { keyRecordAt } from '../../src/core/key-record/format.js';
import { createZoneResolver, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import {
  createMemoryStore,
  createSesRegions,
  createSesV2Backend,
  type DocumentStore,
  documentIdentityStore,
  SesException,
} from '../../src/ses.js';
import { keyFile } from '../../vectors/load.js';

const parsed = parsePrivateKey(keyFile('rsa1024.pkcs1.der'));
const byoKey = toSesPrivateKey(parsed);
const T0 = Date.UTC(2026, 10, 26);

function backendOver(documents: DocumentStore, zone: ReturnType<typeof createZoneResolver>, clock: { now: number }) {
  const store = documentIdentityStore(documents, { prefix: 'us-east-1' });
  return createSesV2Backend({ resolver: zone, store, now: () => clock.now });
}

async function createByodkim(backend: ReturnType<typeof backendOver>, domain: string) {
  await backend.createEmailIdentity({
    EmailIdentity: domain,
    DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: byoKey },
    Tags: [{ Key: 'team', Value: 'mail' }],
  });
}

function publishKey(zone: ReturnType<typeof createZoneResolver>, domain: string) {
  const record = keyRecordAt(`s1._domainkey.${domain}`, parsed);
  zone.set(record.name, 'TXT', [record.strings]);
}

describe('SES backend over a DocumentStore', () => {
  it('keeps BYODKIM keys in secrets, record versions as document versions, and survives a restart', async () => {
    const documents = createMemoryStore();
    const zone = createZoneResolver();
    const clock = { now: T0 };
    const a = backendOver(documents, zone, clock);
    await createByodkim(a, 'keep.example.com');
    await a.putEmailIdentityDkimSigningAttributes?.({
      EmailIdentity: 'keep.example.com',
      SigningAttributesOrigin: 'EXTERNAL',
      SigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: byoKey },
    });
    const stored = await documents.get('identities', 'us-east-1/keep.example.com');
    expect(JSON.stringify(stored?.doc)).not.toContain(byoKey.slice(20, 60));
    expect((await documents.get('secrets', 'us-east-1/keep.example.com'))?.doc).toEqual({ privateKey: byoKey });
    // The document's nextCheckAt is the identity's first check (its pending window opens now).
    expect(stored?.nextCheckAt).toBe(T0);

    const b = backendOver(documents, zone, clock); // a restarted process
    expect(await b.getEmailIdentity({ EmailIdentity: 'keep.example.com' })).toEqual(
      await a.getEmailIdentity({ EmailIdentity: 'keep.example.com' }),
    );
    const record = (await b.snapshot()).identities[0];
    expect(record?.privateKey).toBe(byoKey);
    expect(record?.version).toBe(stored?.version);
    await b.deleteEmailIdentity({ EmailIdentity: 'keep.example.com' });
    expect(await documents.get('secrets', 'us-east-1/keep.example.com')).toBeUndefined();
  });

  it('a switch between Easy DKIM and BYODKIM deletes the keys the identity no longer signs with', async () => {
    const documents = createMemoryStore();
    const store = documentIdentityStore(documents, { prefix: 'us-east-1' });
    const backend = createSesV2Backend({ resolver: createZoneResolver(), providerZone: createZoneResolver(), store });
    const key = 'us-east-1/switch.example.com';
    await backend.createEmailIdentity({ EmailIdentity: 'switch.example.com' });
    expect((await documents.get('providerKeys', key))?.doc).toMatchObject({ keys: expect.any(Array) });
    await backend.putEmailIdentityDkimSigningAttributes?.({
      EmailIdentity: 'switch.example.com',
      SigningAttributesOrigin: 'EXTERNAL',
      SigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: byoKey },
    });
    expect(await documents.get('providerKeys', key)).toBeUndefined();
    expect((await documents.get('secrets', key))?.doc).toEqual({ privateKey: byoKey });
    await backend.putEmailIdentityDkimSigningAttributes?.({
      EmailIdentity: 'switch.example.com',
      SigningAttributesOrigin: 'AWS_SES',
    });
    expect(await documents.get('secrets', key)).toBeUndefined();
    expect((await documents.get('providerKeys', key))?.doc).toMatchObject({ keys: expect.any(Array) });
  });

  it('two processes writing one identity at once: one wins, the other gets ConcurrentModificationException', async () => {
    const documents = createMemoryStore();
    const zone = createZoneResolver();
    const clock = { now: T0 };
    await createByodkim(backendOver(documents, zone, clock), 'race.example.com');
    // Both read before either writes: each process is its own backend over the shared store.
    let waiting: (() => void)[] = [];
    const gate: DocumentStore = {
      ...documents,
      async put(collection, key, doc, options) {
        if (collection === 'identities') {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === 2) for (const go of waiting) go();
          });
        }
        return documents.put(collection, key, doc, options);
      },
    };
    const p1 = backendOver(gate, zone, clock);
    const p2 = backendOver(gate, zone, clock);
    const results = await Promise.allSettled([
      p1.tagResource({ ResourceArn: arn('race.example.com'), Tags: [{ Key: 'by', Value: 'one' }] }),
      p2.tagResource({ ResourceArn: arn('race.example.com'), Tags: [{ Key: 'by', Value: 'two' }] }),
    ]);
    waiting = [];
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    const reason = (failed[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(SesException);
    expect(reason.name).toBe('ConcurrentModificationException');
    const tags = (
      await backendOver(documents, zone, clock).listTagsForResource({ ResourceArn: arn('race.example.com') })
    ).Tags;
    expect(tags.filter((t: { Key: string }) => t.Key === 'by')).toHaveLength(1);
  });

  it('a worker claims a due identity, checks it in DNS, and a late answer never rewinds a newer write', async () => {
    const documents = createMemoryStore();
    const zone = createZoneResolver();
    const clock = { now: T0 };
    const api = backendOver(documents, zone, clock);
    await createByodkim(api, 'ok.example.com');
    await createByodkim(api, 'late.example.com');
    publishKey(zone, 'ok.example.com');
    publishKey(zone, 'late.example.com');
    clock.now += 60_000;
    const { persistentBackends } = await import('../../src/ses/node/persistent.js');
    // The persistent backends' own worker: between claim and complete, an API write lands on one identity.
    const claimAndRace = await documents.claimDue(clock.now, 10, 30_000, 'w');
    expect(claimAndRace.map((c) => c.key).sort()).toEqual(['us-east-1/late.example.com', 'us-east-1/ok.example.com']);
    for (const claim of claimAndRace) await documents.release(claim.key, claim.version, 'w');
    const outcomes: string[] = [];
    const raced = documents.completeMany.bind(documents);
    let raceOnce = true;
    const racing: DocumentStore = {
      ...documents,
      async completeMany(items) {
        if (items.some((item) => item.key.endsWith('late.example.com')) && raceOnce) {
          raceOnce = false;
          await api.tagResource({ ResourceArn: arn('late.example.com'), Tags: [{ Key: 'during', Value: 'check' }] });
        }
        const results = await raced(items);
        for (const [i, outcome] of results.entries()) outcomes.push(`${items[i]?.key}:${outcome.status}`);
        return results;
      },
    };
    const racingWorker = persistentBackends({ store: racing, now: () => clock.now });
    await racingWorker.load(createSesRegions({ resolver: zone, now: () => clock.now, ...racingWorker.regionOptions }));
    // The late answer is refused (stale); the API write cleared the lease, so the same drain checks
    // the identity again at its new version, keeping the write.
    expect(await racingWorker.worker.drain()).toBe(2);
    expect(outcomes.sort()).toEqual([
      'us-east-1/late.example.com:applied',
      'us-east-1/late.example.com:stale',
      'us-east-1/ok.example.com:applied',
    ]);
    expect((await api.getEmailIdentity({ EmailIdentity: 'ok.example.com' })).DkimAttributes?.Status).toBe('SUCCESS');
    const late = await api.getEmailIdentity({ EmailIdentity: 'late.example.com' });
    expect(late.DkimAttributes?.Status).toBe('SUCCESS');
    expect(late.Tags).toContainEqual({ Key: 'during', Value: 'check' });
    expect(await racingWorker.worker.drain()).toBe(0);
  });
});

function arn(identity: string): string {
  return `arn:aws:ses:us-east-1:000000000000:identity/${identity}`;
}
