import type { ContractArea } from '../contract-case';
import { accessRecord, randomHash, rotate, startFamily } from '../fixtures';

// RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server MUST deny the
// request and SHOULD revoke (when possible) all tokens previously issued based on that authorization code."
// RFC 9700 §4.14.2 asks the same of a refresh token presented after its rotation. Both end in revokeFamily.
export const familyRevocation: ContractArea = {
  title: 'grant family revocation (RFC 6749 §4.1.2, RFC 9700 §4.14.2)',
  cases: [
    {
      name: 'revokeFamily ends the live refresh token, the rotated ones and every access token of the family, and only those',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const { newTokenHash } = await rotate(store, family.familyId, family.tokenHash);
        const [a, b] = [randomHash(), randomHash()];
        await store.saveAccessToken(a, accessRecord(family.familyId), 900);
        await store.saveAccessToken(b, accessRecord(family.familyId), 900);
        const other = await startFamily(store);
        const otherAccess = randomHash();
        await store.saveAccessToken(otherAccess, accessRecord(other.familyId), 900);
        const plain = randomHash();
        await store.saveAccessToken(plain, accessRecord(), 900);

        await store.revokeFamily(family.familyId);
        expect(await store.findRefreshToken(family.familyId, newTokenHash)).toBeUndefined();
        expect((await rotate(store, family.familyId, newTokenHash)).result).toEqual({ status: 'not_found' });
        expect((await rotate(store, family.familyId, family.tokenHash)).result).toEqual({ status: 'not_found' });
        expect(await store.findAccessToken(a, family.familyId)).toBeUndefined();
        expect(await store.findAccessToken(b, family.familyId)).toBeUndefined();
        expect(await store.findRefreshToken(other.familyId, other.tokenHash)).toEqual(other.record);
        expect(await store.findAccessToken(otherAccess, other.familyId)).toBeDefined();
        expect(await store.findAccessToken(plain)).toBeDefined();
      },
    },
    {
      name: 'revokes the access tokens of a family that has no refresh token (a code exchanged without one)',
      async run({ store, expect }) {
        const familyId = randomHash();
        const access = randomHash();
        await store.saveAccessToken(access, accessRecord(familyId), 900);
        expect(await store.findAccessToken(access, familyId)).toBeDefined();
        await store.revokeFamily(familyId);
        expect(await store.findAccessToken(access, familyId)).toBeUndefined();
      },
    },
    {
      name: 'tokens saved for a family after its revocation are not kept (a reuse racing the first exchange wins)',
      async run({ store, expect }) {
        const familyId = randomHash();
        await store.revokeFamily(familyId);
        const lateAccess = randomHash();
        await store.saveAccessToken(lateAccess, accessRecord(familyId), 900);
        expect(await store.findAccessToken(lateAccess, familyId)).toBeUndefined();
        const lateRefresh = await startFamily(store, { familyId });
        expect(await store.findRefreshToken(familyId, lateRefresh.tokenHash)).toBeUndefined();
        expect((await rotate(store, familyId, lateRefresh.tokenHash)).result).toEqual({ status: 'not_found' });
      },
    },
    {
      name: 'revoking an unknown family, or a family twice, is no error',
      async run({ store, expect }) {
        const family = await startFamily(store);
        await store.revokeFamily(family.familyId);
        await store.revokeFamily(family.familyId);
        await store.revokeFamily(randomHash());
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toBeUndefined();
      },
    },
  ],
};
