import type { ContractArea } from '../contract-case';
import { randomHash, rotate, startFamily } from '../fixtures';

// A JWT access token issued from a grant family names it (its `fid` claim), and the bearer check asks
// isJwtIdRevoked(jti, familyId): revoking the family must refuse every such token at once (RFC 9700 §4.14.2,
// RFC 6749 §4.1.2, RFC 7009 §2.1), though nothing ever listed its jti.

export const jwtRevocation: ContractArea = {
  title: 'revoked JWT ids (RFC 7009 for JWT access tokens)',
  cases: [
    {
      name: 'remembers a revoked jti, and only that one',
      async run({ store, expect }) {
        const jti = randomHash();
        expect(await store.isJwtIdRevoked(jti)).toBe(false);
        await store.revokeJwtId(jti, 60);
        expect(await store.isJwtIdRevoked(jti)).toBe(true);
        expect(await store.isJwtIdRevoked(randomHash())).toBe(false);
      },
    },
    {
      name: 'revoking a jti again keeps it revoked',
      async run({ store, expect }) {
        const jti = randomHash();
        await store.revokeJwtId(jti, 60);
        await store.revokeJwtId(jti, 60);
        expect(await store.isJwtIdRevoked(jti)).toBe(true);
      },
    },
    {
      name: 'keeps many revoked ids at once: each is still revoked after the others were added',
      async run({ store, expect }) {
        const ids = Array.from({ length: 200 }, randomHash);
        for (const jti of ids) await store.revokeJwtId(jti, 60);
        const answers = await Promise.all(ids.map(async (jti) => store.isJwtIdRevoked(jti)));
        expect(answers.filter((revoked) => !revoked)).toHaveLength(0);
      },
    },
    {
      name: 'a revoked jti of a family token is remembered with its family, and revokes only that token',
      async run({ store, expect }) {
        const familyId = randomHash();
        const [jti, sibling] = [randomHash(), randomHash()];
        expect(await store.isJwtIdRevoked(jti, familyId)).toBe(false);
        await store.revokeJwtId(jti, 60, familyId);
        expect(await store.isJwtIdRevoked(jti, familyId)).toBe(true);
        expect(await store.isJwtIdRevoked(sibling, familyId)).toBe(false);
      },
    },
    {
      name: 'revokeFamily refuses the family\'s JWTs: isJwtIdRevoked(jti, familyId) is true for any jti of it, and only of it',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const other = await startFamily(store);
        const jti = randomHash();
        expect(await store.isJwtIdRevoked(jti, family.familyId)).toBe(false);
        await store.revokeFamily(family.familyId);
        expect(await store.isJwtIdRevoked(jti, family.familyId)).toBe(true);
        expect(await store.isJwtIdRevoked(randomHash(), family.familyId)).toBe(true);
        expect(await store.isJwtIdRevoked(jti, other.familyId)).toBe(false);
        // A token that names no family is only ever refused by its own jti.
        expect(await store.isJwtIdRevoked(jti)).toBe(false);
      },
    },
    {
      name: 'a family with no refresh token (a code exchanged without one, then replayed) refuses its JWTs once revoked',
      async run({ store, expect }) {
        const familyId = randomHash();
        await store.revokeFamily(familyId);
        expect(await store.isJwtIdRevoked(randomHash(), familyId)).toBe(true);
      },
    },
    {
      name: 'refresh token reuse revokes the family\'s JWTs with it, by the time rotateRefreshToken answers reused',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const jti = randomHash();
        const first = await rotate(store, family.familyId, family.tokenHash);
        expect(first.result.status).toBe('rotated');
        expect(await store.isJwtIdRevoked(jti, family.familyId)).toBe(false);
        expect((await rotate(store, family.familyId, family.tokenHash)).result).toEqual({ status: 'reused' });
        expect(await store.isJwtIdRevoked(jti, family.familyId)).toBe(true);
        expect(await store.isJwtIdRevoked(randomHash(), family.familyId)).toBe(true);
      },
    },
  ],
};
