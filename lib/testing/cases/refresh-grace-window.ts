import type { ContractArea } from '../contract-case';
import { accessRecord, randomHash, rotate, sleep, startFamily } from '../fixtures';
import type { Store } from '../../store/store';

// RFC 9700 §4.14.2 with the opt-in grace window of RotateRefreshTokenInput.reuseGraceSeconds: the token a
// rotation just spent, presented again soon enough, re-issues instead of revoking the family, and the family
// still never has more than one live refresh token. Times are passed as `now`, so no case waits.

const GRACE = 30;

/** A family rotated once with the window on: `parent` was spent at `t` and `child` is live. */
async function rotatedOnce(store: Store) {
  const family = await startFamily(store);
  const childAccess = randomHash();
  const first = await rotate(store, family.familyId, family.tokenHash, {
    reuseGraceSeconds: GRACE,
    accessToken: { tokenHash: childAccess, ttl: 120, allowedScope: ['read', 'write'] },
  });
  if (first.result.status !== 'rotated') throw new Error(`setup: rotation answered ${first.result.status}`);
  return { familyId: family.familyId, parent: family.tokenHash, child: first.newTokenHash, childAccess, t: first.t };
}

export const refreshGraceWindow: ContractArea = {
  title: 'refresh grace window (RFC 9700 §4.14.2, reuseGraceSeconds)',
  cases: [
    {
      name: 'without a window (0 or absent) the spent token presented again at once is reuse, as always',
      async run({ store, expect }) {
        for (const reuseGraceSeconds of [undefined, 0]) {
          const family = await startFamily(store);
          const { newTokenHash, t } = await rotate(store, family.familyId, family.tokenHash, { ...(reuseGraceSeconds === undefined ? {} : { reuseGraceSeconds }) });
          const again = await rotate(store, family.familyId, family.tokenHash, { now: t, ...(reuseGraceSeconds === undefined ? {} : { reuseGraceSeconds }) });
          expect(again.result).toEqual({ status: 'reused' });
          expect(await store.findRefreshToken(family.familyId, newTokenHash)).toBeUndefined();
        }
      },
    },
    {
      name: 'within the window the spent token re-issues in the same family; the child and its access token are retired, nothing else',
      async run({ store, expect }) {
        const { familyId, parent, child, childAccess, t } = await rotatedOnce(store);
        const otherAccess = randomHash();
        await store.saveAccessToken(otherAccess, accessRecord(familyId), 60);
        const newAccess = randomHash();
        const retry = await rotate(store, familyId, parent, {
          now: t + GRACE,
          ttl: 300,
          reuseGraceSeconds: GRACE,
          accessToken: { tokenHash: newAccess, ttl: 120, allowedScope: ['read', 'write'] },
        });
        const record = { clientId: 'client-a', sub: 'user-1', scope: ['read', 'write'], familyId, issuedAt: t + GRACE, expiresAt: t + GRACE + 300 };
        expect(retry.result).toEqual({ status: 'reissued', record });
        expect(await store.findRefreshToken(familyId, retry.newTokenHash)).toEqual(record);
        expect(await store.findRefreshToken(familyId, child)).toBeUndefined();
        expect(await store.findRefreshToken(familyId, parent)).toBeUndefined();
        expect(await store.findAccessToken(childAccess, familyId)).toBeUndefined();
        expect(await store.findAccessToken(newAccess, familyId)).toMatchObject({ clientId: 'client-a', familyId, issuedAt: t + GRACE });
        expect(await store.findAccessToken(otherAccess, familyId)).toBeDefined();
      },
    },
    {
      name: 'the re-issued token rotates as the live one; the spent token is then an ancestor, and reuse',
      async run({ store, expect }) {
        const { familyId, parent, t } = await rotatedOnce(store);
        const retry = await rotate(store, familyId, parent, { now: t, reuseGraceSeconds: GRACE });
        const next = await rotate(store, familyId, retry.newTokenHash, { now: t, reuseGraceSeconds: GRACE });
        expect(next.result.status).toBe('rotated');
        expect((await rotate(store, familyId, parent, { now: t, reuseGraceSeconds: GRACE })).result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(familyId, next.newTokenHash)).toBeUndefined();
      },
    },
    {
      name: 'a child retired by a re-issue, presented later, is reuse and revokes the family',
      async run({ store, expect }) {
        const { familyId, parent, child, t } = await rotatedOnce(store);
        const retry = await rotate(store, familyId, parent, { now: t + 1, reuseGraceSeconds: GRACE });
        expect(retry.result.status).toBe('reissued');
        expect((await rotate(store, familyId, child, { now: t + 2, reuseGraceSeconds: GRACE })).result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(familyId, retry.newTokenHash)).toBeUndefined();
        expect((await rotate(store, familyId, retry.newTokenHash, { reuseGraceSeconds: GRACE })).result).toEqual({ status: 'not_found' });
      },
    },
    {
      name: 'repeated re-issues within the window leave exactly one live child, the last',
      async run({ store, expect }) {
        const { familyId, parent, child, t } = await rotatedOnce(store);
        const issued = [child];
        for (let i = 1; i <= 3; i++) {
          const retry = await rotate(store, familyId, parent, { now: t + i, reuseGraceSeconds: GRACE });
          expect(retry.result.status).toBe('reissued');
          issued.push(retry.newTokenHash);
        }
        const live = [];
        for (const hash of issued) if ((await store.findRefreshToken(familyId, hash)) !== undefined) live.push(hash);
        expect(live).toEqual([issued[3]]);
      },
    },
    {
      name: 'past the window the spent token is reuse; a re-issue does not extend the window',
      async run({ store, expect }) {
        const late = await rotatedOnce(store);
        expect((await rotate(store, late.familyId, late.parent, { now: late.t + GRACE + 1, reuseGraceSeconds: GRACE })).result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(late.familyId, late.child)).toBeUndefined();

        const retried = await rotatedOnce(store);
        const retry = await rotate(store, retried.familyId, retried.parent, { now: retried.t + GRACE, reuseGraceSeconds: GRACE });
        expect(retry.result.status).toBe('reissued');
        const after = await rotate(store, retried.familyId, retried.parent, { now: retried.t + GRACE + 1, reuseGraceSeconds: GRACE });
        expect(after.result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(retried.familyId, retry.newTokenHash)).toBeUndefined();
      },
    },
    {
      name: 'an older ancestor within the window is reuse: only the token the live one came from is forgiven',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const first = await rotate(store, family.familyId, family.tokenHash, { reuseGraceSeconds: GRACE });
        const second = await rotate(store, family.familyId, first.newTokenHash, { now: first.t, reuseGraceSeconds: GRACE });
        expect(second.result.status).toBe('rotated');
        expect((await rotate(store, family.familyId, family.tokenHash, { now: first.t, reuseGraceSeconds: GRACE })).result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(family.familyId, second.newTokenHash)).toBeUndefined();
      },
    },
    {
      name: 'a strict call does not honour a window a previous rotation was given',
      async run({ store, expect }) {
        const { familyId, parent, child, t } = await rotatedOnce(store);
        expect((await rotate(store, familyId, parent, { now: t })).result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(familyId, child)).toBeUndefined();
      },
    },
    {
      name: 'within the window another client is wrong_client, and a wider scope invalid_scope; neither changes anything',
      async run({ store, expect }) {
        const { familyId, parent, child, childAccess, t } = await rotatedOnce(store);
        expect((await rotate(store, familyId, parent, { now: t, reuseGraceSeconds: GRACE, clientId: 'client-b' })).result).toEqual({ status: 'wrong_client' });
        expect((await rotate(store, familyId, parent, { now: t, reuseGraceSeconds: GRACE, scope: ['read', 'admin'] })).result).toEqual({ status: 'invalid_scope' });
        expect(await store.findRefreshToken(familyId, child)).toMatchObject({ familyId });
        expect(await store.findAccessToken(childAccess, familyId)).toBeDefined();
        const retry = await rotate(store, familyId, parent, { now: t, reuseGraceSeconds: GRACE, scope: ['read'] });
        expect(retry.result).toMatchObject({ status: 'reissued', record: { scope: ['read', 'write'] } });
      },
    },
    {
      name: 'the family\'s absolute lifetime still ends it: a re-issue past familyExpiresAt is not_found and changes nothing',
      async run({ store, expect }) {
        const family = await startFamily(store, { familyExpiresAt: Math.floor(Date.now() / 1000) + 10 });
        const first = await rotate(store, family.familyId, family.tokenHash, { reuseGraceSeconds: GRACE });
        const ended = await rotate(store, family.familyId, family.tokenHash, { now: first.t + 10, reuseGraceSeconds: GRACE });
        expect(ended.result).toEqual({ status: 'not_found' });
        expect(await store.findRefreshToken(family.familyId, first.newTokenHash)).toMatchObject({ familyId: family.familyId });
      },
    },
    {
      name: 'with JWT access tokens, a re-issue revokes the retired child\'s jti (with its family) in the same step, and no other',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const { familyId } = family;
        const jwt = (jti: string) => ({ jti, ttl: 960 });
        const parentJti = randomHash(); // issued with the family's first token: a rotation leaves it valid
        const childJti = randomHash();
        const first = await rotate(store, familyId, family.tokenHash, { reuseGraceSeconds: GRACE, jwtAccessToken: jwt(childJti) });
        expect(first.result.status).toBe('rotated');
        expect(await store.isJwtIdRevoked(childJti, familyId)).toBe(false);

        const retryJti = randomHash();
        const retry = await rotate(store, familyId, family.tokenHash, { now: first.t + 1, reuseGraceSeconds: GRACE, jwtAccessToken: jwt(retryJti) });
        expect(retry.result.status).toBe('reissued');
        expect(await store.isJwtIdRevoked(childJti, familyId)).toBe(true);
        expect(await store.isJwtIdRevoked(retryJti, familyId)).toBe(false);
        expect(await store.isJwtIdRevoked(parentJti, familyId)).toBe(false);

        // Each re-issue retires the JWT of the one before it: one live child, JWT included.
        const lastJti = randomHash();
        const last = await rotate(store, familyId, family.tokenHash, { now: first.t + 2, reuseGraceSeconds: GRACE, jwtAccessToken: jwt(lastJti) });
        expect(last.result.status).toBe('reissued');
        expect(await store.isJwtIdRevoked(retryJti, familyId)).toBe(true);
        expect(await store.isJwtIdRevoked(lastJti, familyId)).toBe(false);

        // Rotating the live token is no re-issue: its JWT stays valid until it expires, as without a window.
        const next = await rotate(store, familyId, last.newTokenHash, { now: first.t + 3, reuseGraceSeconds: GRACE, jwtAccessToken: jwt(randomHash()) });
        expect(next.result.status).toBe('rotated');
        expect(await store.isJwtIdRevoked(lastJti, familyId)).toBe(false);
        // The family is not revoked: a JWT of it that nothing retired stands.
        expect(await store.isJwtIdRevoked(randomHash(), familyId)).toBe(false);
      },
    },
    {
      name: 'a refused re-issue (another client, a wider scope) revokes no JWT',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const childJti = randomHash();
        const first = await rotate(store, family.familyId, family.tokenHash, { reuseGraceSeconds: GRACE, jwtAccessToken: { jti: childJti, ttl: 960 } });
        const retry = { now: first.t, reuseGraceSeconds: GRACE, jwtAccessToken: { jti: randomHash(), ttl: 960 } };
        expect((await rotate(store, family.familyId, family.tokenHash, { ...retry, clientId: 'client-b' })).result).toEqual({ status: 'wrong_client' });
        expect((await rotate(store, family.familyId, family.tokenHash, { ...retry, scope: ['admin'] })).result).toEqual({ status: 'invalid_scope' });
        expect(await store.isJwtIdRevoked(childJti, family.familyId)).toBe(false);
      },
    },
    {
      name: 'the retired child\'s jti is refused for what is left of its JWT\'s life, then forgotten',
      timeoutMs: 15_000,
      async run({ store, expect }) {
        const family = await startFamily(store);
        const childJti = randomHash();
        // Must stay refused 3 s from the rotation; the re-issue comes 1 s later (on the callers' clock), so 2 s are left.
        const first = await rotate(store, family.familyId, family.tokenHash, { reuseGraceSeconds: GRACE, jwtAccessToken: { jti: childJti, ttl: 3 } });
        const retry = await rotate(store, family.familyId, family.tokenHash, { now: first.t + 1, reuseGraceSeconds: GRACE });
        expect(retry.result.status).toBe('reissued');
        expect(await store.isJwtIdRevoked(childJti, family.familyId)).toBe(true);
        await sleep(1_200);
        expect(await store.isJwtIdRevoked(childJti, family.familyId)).toBe(true);
        await sleep(1_200);
        expect(await store.isJwtIdRevoked(childJti, family.familyId)).toBe(false);
      },
    },
    {
      name: 'of 20 concurrent refreshes with one live token, one rotates, the others re-issue, and exactly one child is live',
      async run({ store, expect }) {
        const family = await startFamily(store);
        const jtis = Array.from({ length: 20 }, randomHash);
        const rotations = await Promise.all(
          jtis.map((jti) => rotate(store, family.familyId, family.tokenHash, { reuseGraceSeconds: GRACE, jwtAccessToken: { jti, ttl: 960 } })),
        );
        const statuses = rotations.map((r) => r.result.status);
        expect(statuses.filter((s) => s === 'rotated')).toHaveLength(1);
        expect(statuses.filter((s) => s === 'reissued')).toHaveLength(19);
        const live: string[] = [];
        for (const r of rotations) if ((await store.findRefreshToken(family.familyId, r.newTokenHash)) !== undefined) live.push(r.newTokenHash);
        expect(live).toHaveLength(1);
        // The live child's JWT is the one JWT of theirs not revoked.
        const standing: string[] = [];
        for (const jti of jtis) if (!(await store.isJwtIdRevoked(jti, family.familyId))) standing.push(jti);
        expect(standing).toEqual([jtis[rotations.findIndex((r) => r.newTokenHash === live[0])]]);
      },
    },
  ],
};
