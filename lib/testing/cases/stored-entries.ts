import type { ContractArea } from '../contract-case';
import { accessRecord, codeRecord, nowSeconds, randomHash, randomId, rotate, startFamily } from '../fixtures';

const DAY_MS = 24 * 3600 * 1000;

// Checks of what the backend holds, for adapters whose setup offers `inspect`.
export const storedEntries: ContractArea = {
  title: 'what the backend holds',
  cases: [
    {
      name: 'after every kind of write, every entry expires by itself, within a day',
      needsInspect: true,
      async run({ store, expect, inspect }) {
        await store.saveAccessToken(randomHash(), accessRecord(), 60);
        const family = await startFamily(store);
        await store.saveAccessToken(randomHash(), accessRecord(family.familyId), 60);
        await rotate(store, family.familyId, family.tokenHash, { accessToken: { tokenHash: randomHash(), ttl: 60, allowedScope: ['read'] } });
        await rotate(store, family.familyId, family.tokenHash); // reuse: revokes the family
        const graceful = await startFamily(store);
        const first = await rotate(store, graceful.familyId, graceful.tokenHash, { reuseGraceSeconds: 30, jwtAccessToken: { jti: randomHash(), ttl: 120 } });
        await rotate(store, graceful.familyId, graceful.tokenHash, { now: first.t, reuseGraceSeconds: 30 }); // re-issue: revokes the child's jti
        await store.revokeFamily(randomHash());
        const code = randomHash();
        await store.saveAuthorizationCode(code, codeRecord(), 60);
        await store.consumeAuthorizationCode(code, 600);
        await store.saveConsent(randomId('user'), 'client-a', { scope: ['openid'], grantedAt: nowSeconds() }, 60);
        await store.revokeJwtId(randomHash(), 60);
        await store.revokeJwtId(randomHash(), 60, family.familyId);
        const limiter = store.createRateLimiter({ name: randomId('entries'), points: 1, durationSeconds: 60 });
        await limiter.consume(randomId('ip'));
        await limiter.block(randomId('client'), 60);

        const entries = await inspect();
        expect(entries.length).toBeGreaterThan(0);
        const lasting = entries.filter((entry) => entry.ttlMs === undefined || entry.ttlMs <= 0 || entry.ttlMs > DAY_MS);
        expect(lasting).toEqual([]);
      },
    },
  ],
};
