// The check worker's pipeline: secrets read once per batch, a batch claimed while one is checked and the one
// before completes (never more than three batches leased at once), every identity checked once.
import { describe, expect, it } from 'vitest';
import { keyRecordAt } from '../../src/core/key-record/format.js';
import { createZoneResolver, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { createCheckWorker } from '../../src/ses/check-worker.js';
import { createMemoryStore, createSesRegions, type DocumentStore, documentIdentityStore } from '../../src/ses.js';
import { keyFile } from '../../vectors/load.js';

const parsed = parsePrivateKey(keyFile('rsa1024.pkcs1.der'));
const T0 = Date.UTC(2026, 10, 26);

/** A store that counts its reads and tracks how many claims are leased and not yet completed. */
function counting(inner: DocumentStore) {
  const calls = { get: 0, getMany: 0, claimDue: 0, completeMany: 0 };
  let leased = 0;
  let maxLeased = 0;
  const store: DocumentStore = {
    ...inner,
    async get(collection, key) {
      calls.get++;
      return inner.get(collection, key);
    },
    async getMany(collection, keys) {
      calls.getMany++;
      return inner.getMany(collection, keys);
    },
    async claimDue(now, limit, leaseMs, workerId) {
      calls.claimDue++;
      const claims = await inner.claimDue(now, limit, leaseMs, workerId);
      leased += claims.length;
      maxLeased = Math.max(maxLeased, leased);
      return claims;
    },
    async completeMany(items) {
      calls.completeMany++;
      const outcomes = await inner.completeMany(items);
      leased -= items.length;
      return outcomes;
    },
  };
  return { store, calls, maxLeased: () => maxLeased };
}

/** `n` BYODKIM identities in a fresh store, the even-numbered ones with their key published. */
async function setUp(n: number) {
  const documents = createMemoryStore();
  const zone = createZoneResolver();
  const clock = { now: T0 };
  const regions = createSesRegions({
    resolver: zone,
    now: () => clock.now,
    storeFor: (region) => documentIdentityStore(documents, { prefix: region }),
  });
  const api = regions.backend('us-east-1');
  for (let i = 0; i < n; i++) {
    const domain = `d${i}.example.com`;
    await api.createEmailIdentity({
      EmailIdentity: domain,
      DkimSigningAttributes: { DomainSigningSelector: 's1', DomainSigningPrivateKey: toSesPrivateKey(parsed) },
    });
    const record = keyRecordAt(`s1._domainkey.${domain}`, parsed);
    if (i % 2 === 0) zone.set(record.name, 'TXT', [record.strings]);
  }
  clock.now += 60_000;
  return { documents, regions, api, clock };
}

describe('check worker batches', () => {
  it('reads the secrets of a batch in one call, keeps at most three batches leased, and checks every identity once', async () => {
    const { documents, regions, api, clock } = await setUp(11);
    const { store, calls, maxLeased } = counting(documents);
    const worker = createCheckWorker({
      store,
      stateFor: (region) => regions.state(region),
      now: () => clock.now,
      batchSize: 3,
      concurrency: 2,
      workerId: 'w',
    });
    expect(await worker.drain()).toBe(11);
    expect(calls.get).toBe(0);
    // Batches of 3, 3, 3, 2: one secrets read and one completion each. The claims end with an empty
    // one made while the last batch was checked, and one more made after it completed.
    expect(calls.getMany).toBe(4);
    expect(calls.completeMany).toBe(4);
    expect(calls.claimDue).toBe(6);
    // One batch claimed while one is checked and the one before completes.
    expect(maxLeased()).toBeLessThanOrEqual(9);
    expect(maxLeased()).toBeGreaterThan(3);
    for (let i = 0; i < 11; i++) {
      const got = await api.getEmailIdentity({ EmailIdentity: `d${i}.example.com` });
      // Pending for 60 s: a published key verifies, a missing one stays pending.
      expect(got.DkimAttributes?.Status).toBe(i % 2 === 0 ? 'SUCCESS' : 'PENDING');
      // One applied check each: created at version 1, checked at 2.
      expect((await documents.get('identities', `us-east-1/d${i}.example.com`))?.version).toBe(2);
    }
    expect(await worker.drain()).toBe(0);
  });

  it('holds the claims of a region not served here until the drain ends, then gives them back', async () => {
    const { documents, regions, clock } = await setUp(2);
    // Due first, so every claim of the drain would take it again were it given back at once.
    await documents.put('identities', 'eu-west-9/x.example.com', { record: {} }, { nextCheckAt: T0 - 1 });
    const worker = createCheckWorker({
      store: documents,
      stateFor: (region) => (region === 'us-east-1' ? regions.state(region) : undefined),
      now: () => clock.now,
      batchSize: 1,
      workerId: 'w',
    });
    expect(await worker.drain()).toBe(2);
    const unserved = await documents.get('identities', 'eu-west-9/x.example.com');
    expect(unserved?.version).toBe(1);
    // Released, not leased: another worker serving the region can claim it at once.
    expect((await documents.claimDue(clock.now, 10, 30_000, 'other')).map((c) => c.key)).toEqual([
      'eu-west-9/x.example.com',
    ]);
  });
});
