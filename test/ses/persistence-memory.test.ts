// The in-memory DocumentStore against the shared store contract, and its closed state.
import { expect, it } from 'vitest';
import { createMemoryStore } from '../../src/ses/persistence-memory.js';
import { describeStoreContract } from '../helpers/store-contract.js';

describeStoreContract('memory', async () => createMemoryStore());

it('rejects every call once closed', async () => {
  const store = createMemoryStore();
  await store.put('identities', 'a.com', {});
  await store.close();
  await expect(store.get('identities', 'a.com')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
});
