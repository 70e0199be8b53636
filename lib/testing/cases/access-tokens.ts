import type { ContractArea } from '../contract-case';
import { accessRecord, randomHash, startFamily } from '../fixtures';

export const accessTokens: ContractArea = {
  title: 'opaque access tokens',
  cases: [
    {
      name: 'keeps a record under its hash and returns it as saved; an unknown hash finds nothing',
      async run({ store, expect }) {
        const hash = randomHash();
        const record = accessRecord();
        await store.saveAccessToken(hash, record, 60);
        expect(await store.findAccessToken(hash)).toEqual(record);
        expect(await store.findAccessToken(randomHash())).toBeUndefined();
      },
    },
    {
      name: 'keeps a token of a family with its family: found by hash and family id',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const hash = randomHash();
        const record = accessRecord(family.familyId);
        await store.saveAccessToken(hash, record, 60);
        expect(await store.findAccessToken(hash, family.familyId)).toEqual(record);
      },
    },
    {
      name: 'revokeAccessToken forgets the token, and only that one; revoking an unknown hash is no error',
      async run({ store, expect }) {
        const [revoked, kept] = [randomHash(), randomHash()];
        const record = accessRecord();
        await store.saveAccessToken(revoked, record, 60);
        await store.saveAccessToken(kept, record, 60);
        await store.revokeAccessToken(revoked);
        expect(await store.findAccessToken(revoked)).toBeUndefined();
        expect(await store.findAccessToken(kept)).toEqual(record);
        await store.revokeAccessToken(randomHash());
      },
    },
    {
      name: 'revokeAccessToken forgets a token of a family, and leaves the family\'s other tokens',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const [revoked, kept] = [randomHash(), randomHash()];
        await store.saveAccessToken(revoked, accessRecord(family.familyId), 60);
        await store.saveAccessToken(kept, accessRecord(family.familyId), 60);
        await store.revokeAccessToken(revoked, family.familyId);
        expect(await store.findAccessToken(revoked, family.familyId)).toBeUndefined();
        expect(await store.findAccessToken(kept, family.familyId)).toBeDefined();
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
      },
    },
  ],
};
