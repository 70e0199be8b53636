import type { RefreshTokenRecord } from '../../store/store';
import type { ContractArea } from '../contract-case';
import { accessRecord, nowSeconds, randomHash, rotate, startFamily } from '../fixtures';

// RFC 6749 §6 (refresh semantics) and RFC 9700 §4.14.2 (rotation, reuse detection), as the store must keep them.
export const refreshRotation: ContractArea = {
  title: 'refresh token rotation (RFC 6749 §6, RFC 9700 §4.14.2)',
  cases: [
    {
      name: 'saveRefreshToken starts a family whose live token findRefreshToken returns, as saved',
      async run({ store, expect }) {
        const family = await startFamily(store, { familyExpiresAt: nowSeconds() + 3600 });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
        expect(await store.findRefreshToken(family.familyId, randomHash())).toBeUndefined();
        expect(await store.findRefreshToken(randomHash(), family.tokenHash)).toBeUndefined();
      },
    },
    {
      name: 'rotation replaces the live token: the new record keeps client, sub and the original scope',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const { result, newTokenHash, t } = await rotate(store, family.familyId, family.tokenHash, { ttl: 300 });
        const expected: RefreshTokenRecord = {
          clientId: 'client-a', sub: 'user-1', scope: ['read', 'write'], familyId: family.familyId, issuedAt: t, expiresAt: t + 300,
        };
        expect(result).toEqual({ status: 'rotated', record: expected });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toBeUndefined();
        expect(await store.findRefreshToken(family.familyId, newTokenHash)).toEqual(expected);
      },
    },
    {
      name: 'the user\'s authTime is kept as saved, through every rotation (OpenID Connect Core §12.2)',
      async run({ store, expect }) {
        const family = await startFamily(store, { authTime: 1_700_000_000 });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
        const first = await rotate(store, family.familyId, family.tokenHash);
        expect(first.result).toMatchObject({ status: 'rotated', record: { authTime: 1_700_000_000 } });
        const second = await rotate(store, family.familyId, first.newTokenHash);
        expect(second.result).toMatchObject({ status: 'rotated', record: { authTime: 1_700_000_000 } });
        expect(await store.findRefreshToken(family.familyId, second.newTokenHash)).toMatchObject({ authTime: 1_700_000_000 });
      },
    },
    {
      name: 'a chain of rotations: each new token rotates in turn',
      async run({ store, expect }) {
        const family = await startFamily(store);
        let current = family.tokenHash;
        for (let i = 0; i < 3; i++) {
          const { result, newTokenHash } = await rotate(store, family.familyId, current);
          expect(result.status).toBe('rotated');
          current = newTokenHash;
        }
        expect(await store.findRefreshToken(family.familyId, current)).toMatchObject({ clientId: 'client-a' });
      },
    },
    {
      name: 'narrowing the scope rotates, and the new refresh token keeps the original scope (§6)',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const { result } = await rotate(store, family.familyId, family.tokenHash, { scope: ['read'] });
        expect(result).toMatchObject({ status: 'rotated', record: { scope: ['read', 'write'] } });
      },
    },
    {
      name: 'widening the scope is invalid_scope and changes nothing',
      async run({ store, expect }) {
        const family = await startFamily(store);
        expect((await rotate(store, family.familyId, family.tokenHash, { scope: ['read', 'admin'] })).result).toEqual({ status: 'invalid_scope' });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
      },
    },
    {
      name: 'another client is wrong_client and changes nothing, even with a rotated token',
      async run({ store, expect }) {
        const family = await startFamily(store);
        expect((await rotate(store, family.familyId, family.tokenHash, { clientId: 'client-b' })).result).toEqual({ status: 'wrong_client' });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
        const { newTokenHash } = await rotate(store, family.familyId, family.tokenHash);
        expect((await rotate(store, family.familyId, family.tokenHash, { clientId: 'client-b' })).result).toEqual({ status: 'wrong_client' });
        expect(await store.findRefreshToken(family.familyId, newTokenHash)).toBeDefined();
      },
    },
    {
      name: 'bindKey binds a family begun without a DPoP key (RFC 9449 §5, a public client\'s refresh with a proof): from then on only that key rotates it',
      async run({ store, expect }) {
        const jkt = randomHash();
        const family = await startFamily(store);
        const first = await rotate(store, family.familyId, family.tokenHash, { jkt, bindKey: true });
        expect(first.result).toMatchObject({ status: 'rotated', record: { jkt } });
        expect(await store.findRefreshToken(family.familyId, first.newTokenHash)).toMatchObject({ jkt });
        expect((await rotate(store, family.familyId, first.newTokenHash)).result).toEqual({ status: 'wrong_key' });
        expect((await rotate(store, family.familyId, first.newTokenHash, { jkt: randomHash(), bindKey: true })).result).toEqual({ status: 'wrong_key' });
        expect((await rotate(store, family.familyId, first.newTokenHash, { jkt })).result).toMatchObject({ status: 'rotated', record: { jkt } });
      },
    },
    {
      name: 'a family bound to a DPoP key (RFC 9449 §5) rotates only for that key, keeps it, and binds the new access token as asked',
      async run({ store, expect }) {
        const jkt = randomHash();
        const family = await startFamily(store, { jkt });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
        // Another key, or none: wrong_key, and nothing changed, not even for a spent token (no revocation by a party without the key).
        expect((await rotate(store, family.familyId, family.tokenHash, { jkt: randomHash() })).result).toEqual({ status: 'wrong_key' });
        expect((await rotate(store, family.familyId, family.tokenHash)).result).toEqual({ status: 'wrong_key' });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
        const accessHash = randomHash();
        const { result, newTokenHash } = await rotate(store, family.familyId, family.tokenHash, { jkt, accessToken: { tokenHash: accessHash, ttl: 60, allowedScope: ['read'], jkt } });
        expect(result).toMatchObject({ status: 'rotated', record: { jkt } });
        expect(await store.findAccessToken(accessHash, family.familyId)).toMatchObject({ jkt, familyId: family.familyId });
        expect((await rotate(store, family.familyId, family.tokenHash)).result).toEqual({ status: 'wrong_key' });
        expect(await store.findRefreshToken(family.familyId, newTokenHash)).toMatchObject({ jkt });
        // An unbound family ignores the key a request proves; its new access token is bound all the same.
        const free = await startFamily(store);
        const freeAccess = randomHash();
        const rotated = await rotate(store, free.familyId, free.tokenHash, { jkt, accessToken: { tokenHash: freeAccess, ttl: 60, allowedScope: ['read'], jkt } });
        expect(rotated.result.status).toBe('rotated');
        expect(rotated.result.status === 'rotated' ? rotated.result.record.jkt : 'none').toBeUndefined();
        expect(await store.findAccessToken(freeAccess, free.familyId)).toMatchObject({ jkt });
      },
    },
    {
      name: 'an unknown family or an unknown token is not_found and changes nothing',
      async run({ store, expect }) {
        const family = await startFamily(store);
        expect((await rotate(store, randomHash(), family.tokenHash)).result).toEqual({ status: 'not_found' });
        expect((await rotate(store, family.familyId, randomHash())).result).toEqual({ status: 'not_found' });
        expect(await store.findRefreshToken(family.familyId, family.tokenHash)).toEqual(family.record);
      },
    },
    {
      name: 'the family\'s absolute lifetime caps a rotated token, and ends the family when reached',
      async run({ store, expect }) {
        const t = nowSeconds();
        const family = await startFamily(store, { familyExpiresAt: t + 100 });
        const { result } = await rotate(store, family.familyId, family.tokenHash, { ttl: 600 });
        expect(result).toMatchObject({ status: 'rotated', record: { expiresAt: t + 100, familyExpiresAt: t + 100 } });

        const ended = await startFamily(store, { familyExpiresAt: t });
        expect((await rotate(store, ended.familyId, ended.tokenHash)).result).toEqual({ status: 'not_found' });
        expect(await store.findRefreshToken(ended.familyId, ended.tokenHash)).toEqual(ended.record);
      },
    },
    {
      name: 'a rotation given the new access token saves it in the same step, with the family\'s client and sub and the allowed scope',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const accessHash = randomHash();
        const { result, t } = await rotate(store, family.familyId, family.tokenHash, {
          accessToken: { tokenHash: accessHash, ttl: 120, allowedScope: ['read', 'write', 'admin'] },
        });
        expect(result.status).toBe('rotated');
        expect(await store.findAccessToken(accessHash, family.familyId)).toEqual({
          clientId: 'client-a', sub: 'user-1', scope: ['read', 'write'], issuedAt: t, expiresAt: t + 120, familyId: family.familyId,
        });
      },
    },
    {
      name: 'the saved access token gets the requested scope less what the client may no longer hold; an empty scope stays a list',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const narrowed = randomHash();
        await rotate(store, family.familyId, family.tokenHash, { scope: ['write'], accessToken: { tokenHash: narrowed, ttl: 120, allowedScope: ['read', 'write'] } });
        expect(await store.findAccessToken(narrowed, family.familyId)).toMatchObject({ scope: ['write'] });

        const other = await startFamily(store);
        const lost = randomHash();
        await rotate(store, other.familyId, other.tokenHash, { accessToken: { tokenHash: lost, ttl: 120, allowedScope: ['admin'] } });
        expect(await store.findAccessToken(lost, other.familyId)).toMatchObject({ scope: [] });
      },
    },
    {
      name: 'a rotation that fails saves no access token',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const widened = randomHash();
        const refused = await rotate(store, family.familyId, family.tokenHash, { scope: ['delete'], accessToken: { tokenHash: widened, ttl: 120, allowedScope: ['read'] } });
        expect(refused.result).toEqual({ status: 'invalid_scope' });
        expect(await store.findAccessToken(widened, family.familyId)).toBeUndefined();
        const unknown = randomHash();
        expect((await rotate(store, family.familyId, randomHash(), { accessToken: { tokenHash: unknown, ttl: 120, allowedScope: ['read'] } })).result).toEqual({
          status: 'not_found',
        });
        expect(await store.findAccessToken(unknown, family.familyId)).toBeUndefined();
      },
    },
    {
      name: 'presenting a rotated token is reuse: it revokes the family, its live token and its access tokens, and nothing else',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const rotatedAccess = randomHash();
        const { newTokenHash } = await rotate(store, family.familyId, family.tokenHash, { accessToken: { tokenHash: rotatedAccess, ttl: 120, allowedScope: ['read'] } });
        const familyAccess = randomHash();
        await store.saveAccessToken(familyAccess, accessRecord(family.familyId), 60);
        const other = await startFamily(store);
        const otherAccess = randomHash();
        await store.saveAccessToken(otherAccess, accessRecord(other.familyId), 60);

        const replayAccess = randomHash();
        const replay = await rotate(store, family.familyId, family.tokenHash, { accessToken: { tokenHash: replayAccess, ttl: 120, allowedScope: ['read'] } });
        expect(replay.result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(family.familyId, newTokenHash)).toBeUndefined();
        expect((await rotate(store, family.familyId, newTokenHash)).result).toEqual({ status: 'not_found' });
        expect(await store.findAccessToken(rotatedAccess, family.familyId)).toBeUndefined();
        expect(await store.findAccessToken(familyAccess, family.familyId)).toBeUndefined();
        expect(await store.findAccessToken(replayAccess, family.familyId)).toBeUndefined();
        expect(await store.findRefreshToken(other.familyId, other.tokenHash)).toEqual(other.record);
        expect(await store.findAccessToken(otherAccess, other.familyId)).toBeDefined();
      },
    },
    {
      name: 'of 50 concurrent rotations with one token exactly one rotates; the others see reuse, and the family ends',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const rotations = await Promise.all(Array.from({ length: 50 }, () => rotate(store, family.familyId, family.tokenHash)));
        const statuses = rotations.map((r) => r.result.status);
        expect(statuses.filter((s) => s === 'rotated')).toHaveLength(1);
        expect(statuses.filter((s) => s !== 'rotated' && s !== 'reused' && s !== 'not_found')).toEqual([]);
        expect(statuses).toContain('reused');
        for (const r of rotations) expect(await store.findRefreshToken(family.familyId, r.newTokenHash)).toBeUndefined();
      },
    },
  ],
};
