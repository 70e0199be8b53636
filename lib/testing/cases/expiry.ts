import type { Store } from '../../store/store';
import type { ContractArea } from '../contract-case';
import { accessRecord, codeRecord, nowSeconds, randomHash, randomId, rotate, sleep, startFamily } from '../fixtures';

/** Writes one record of every kind for `ttl` seconds, and says which of them the store still holds. */
async function writeEverything(store: Store, ttl: number): Promise<() => Promise<Record<string, boolean>>> {
  const access = randomHash();
  await store.saveAccessToken(access, accessRecord(undefined, ttl), ttl);
  const family = await startFamily(store, {}, ttl);
  const familyAccess = randomHash();
  await store.saveAccessToken(familyAccess, accessRecord(family.familyId, ttl), ttl);
  const rotated = await startFamily(store, {}, ttl);
  const { newTokenHash } = await rotate(store, rotated.familyId, rotated.tokenHash, { ttl });
  const code = randomHash();
  await store.saveAuthorizationCode(code, codeRecord(), ttl);
  const usedCode = randomHash();
  await store.saveAuthorizationCode(usedCode, codeRecord(), 600);
  await store.consumeAuthorizationCode(usedCode, ttl);
  const sub = randomId('user');
  await store.saveConsent(sub, 'client-a', { scope: ['openid'], grantedAt: nowSeconds() }, ttl);
  const jti = randomHash();
  await store.revokeJwtId(jti, ttl);
  const once = randomHash();
  await store.useOnce('expiry', once, ttl);
  const limiter = store.createRateLimiter({ name: randomId('expiry'), points: 5, durationSeconds: ttl });
  const key = randomId('ip');
  await limiter.consume(key);

  return async () => ({
    'access token': (await store.findAccessToken(access)) !== undefined,
    'access token of a family': (await store.findAccessToken(familyAccess, family.familyId)) !== undefined,
    'refresh token': (await store.findRefreshToken(family.familyId, family.tokenHash)) !== undefined,
    'rotated refresh token': (await store.findRefreshToken(rotated.familyId, newTokenHash)) !== undefined,
    // Consuming is the only way to read a code; it is the last look at these records, so marking them used is harmless.
    'authorization code': (await store.consumeAuthorizationCode(code, 600)).status !== 'unknown',
    'used authorization code': (await store.consumeAuthorizationCode(usedCode, 600)).status !== 'unknown',
    consent: (await store.findConsent(sub, 'client-a')) !== undefined,
    'revoked JWT id': await store.isJwtIdRevoked(jti),
    // A used value that is forgotten is new again: only then may useOnce say true for it.
    'one-time value': !(await store.useOnce('expiry', once, ttl)),
    'rate limit window': (await limiter.get(key)) !== undefined,
  });
}

const all = (held: boolean): Record<string, boolean> =>
  Object.fromEntries(
    ['access token', 'access token of a family', 'refresh token', 'rotated refresh token', 'authorization code', 'used authorization code', 'consent', 'revoked JWT id', 'one-time value', 'rate limit window'].map(
      (kind) => [kind, held],
    ),
  );

export const expiry: ContractArea = {
  title: 'expiry',
  cases: [
    {
      name: 'every kind of record is held until its TTL and dropped after it',
      timeoutMs: 15_000,
      async run({ store, expect }) {
        const short = await writeEverything(store, 1);
        const long = await writeEverything(store, 4);
        await sleep(1_200);
        expect(await short()).toEqual(all(false));
        expect(await long()).toEqual(all(true));
      },
    },
    {
      name: 'a rotated token\'s tombstone ends with the family: presenting it after expiry is not_found, not reuse',
      timeoutMs: 15_000,
      async run({ store, expect }) {
        const family = await startFamily(store, {}, 1);
        await rotate(store, family.familyId, family.tokenHash, { ttl: 1 });
        await sleep(1_200);
        expect((await rotate(store, family.familyId, family.tokenHash)).result).toEqual({ status: 'not_found' });
      },
    },
  ],
};
