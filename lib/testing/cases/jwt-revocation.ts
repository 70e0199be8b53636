import type { ContractArea } from '../contract-case';
import { randomHash } from '../fixtures';

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
  ],
};
