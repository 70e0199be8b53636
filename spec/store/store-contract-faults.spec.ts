// The Store contract must fail an adapter that gets Keyturn's guarantees wrong, or passing it would prove
// nothing. Each test below breaks one behaviour of a memory store and runs the contract case that covers it:
// the case must reject. (The unbroken memory store passes every case in memory-store.spec.ts.)
import type { RateLimiter, Store } from '../../lib';
import { MemoryStore } from '../../lib/store/memory-store';
import type { ContractCase, StoredEntry } from '../../lib/testing/contract-case';
import { CONTRACT_AREAS } from '../../lib/testing/store-contract';

function contractCase(name: string): ContractCase {
  const found = CONTRACT_AREAS.flatMap((area) => area.cases).filter((c) => c.name.startsWith(name));
  if (found.length !== 1) throw new Error(`expected one contract case named "${name}…", found ${found.length}`);
  return found[0]!;
}

/** A memory store with some members replaced; the rest behave as usual. */
function broken(replace: (base: MemoryStore) => Partial<Record<keyof Store, unknown>>): Store {
  const base = new MemoryStore();
  return Object.assign(Object.create(base) as Store, replace(base));
}

async function expectCaseFails(name: string, store: Store, inspect?: () => Promise<readonly StoredEntry[]>): Promise<void> {
  const c = contractCase(name);
  const run = c.run({ store, expect, inspect: inspect ?? (async () => []) });
  // An assertion of the case failed (jest's assertion errors carry `matcherResult`), not some crash.
  await expect(run).rejects.toHaveProperty('matcherResult');
}

/** A limiter's methods as plain properties (spreading a class instance would copy none of them). */
function methodsOf(limiter: RateLimiter): RateLimiter {
  return {
    consume: (key) => limiter.consume(key),
    get: (key) => limiter.get(key),
    block: (key, seconds) => limiter.block(key, seconds),
    reset: (key) => limiter.reset(key),
    release: (key) => limiter.release(key),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the Store contract fails a store that', () => {
  it('lacks a member', async () => {
    await expectCaseFails('implements every Store member', broken(() => ({ createRateLimiter: undefined })));
  });

  it('does not remember a revoked jti', async () => {
    await expectCaseFails('remembers a revoked jti', broken(() => ({ isJwtIdRevoked: () => false })));
  });

  it("answers a JWT's revocation by its jti alone, ignoring its revoked family", async () => {
    const store = broken((base) => ({ isJwtIdRevoked: (jti: string) => base.isJwtIdRevoked(jti) }));
    await expectCaseFails("revokeFamily refuses the family's JWTs", store);
    await expectCaseFails('a family with no refresh token (a code exchanged without one, then replayed) refuses its JWTs', store);
    await expectCaseFails("refresh token reuse revokes the family's JWTs with it", store);
  });

  it('detects refresh token reuse but leaves the family\'s JWTs standing', async () => {
    // What the Redis store did before: the rotation script ended the refresh and opaque tokens but set no marker.
    const store = broken((base) => ({
      rotateRefreshToken: async (input: Parameters<Store['rotateRefreshToken']>[0]) => {
        const result = await base.rotateRefreshToken(input);
        if (result.status === 'reused') (base as unknown as { revokedFamilies: { clear(): void } }).revokedFamilies.clear();
        return result;
      },
    }));
    await expectCaseFails("refresh token reuse revokes the family's JWTs with it", store);
  });

  it('re-issues within the grace window but leaves the retired child\'s JWT standing', async () => {
    // What every store did before the rotation learnt the child's jti: the refresh and opaque tokens retired, the JWT not.
    const store = broken((base) => ({
      rotateRefreshToken: (input: Parameters<Store['rotateRefreshToken']>[0]) => base.rotateRefreshToken({ ...input, jwtAccessToken: undefined }),
    }));
    await expectCaseFails('with JWT access tokens, a re-issue revokes the retired child\'s jti', store);
    await expectCaseFails('the retired child\'s jti is refused for what is left of its JWT\'s life', store);
    await expectCaseFails('of 20 concurrent refreshes with one live token', store);
  });

  it('keeps the retired child\'s revoked jti for the JWT\'s whole lifetime, not for what is left of it', async () => {
    const store = broken((base) => ({
      rotateRefreshToken: (input: Parameters<Store['rotateRefreshToken']>[0]) =>
        base.rotateRefreshToken(input.jwtAccessToken === undefined ? input : { ...input, jwtAccessToken: { ...input.jwtAccessToken, ttl: input.jwtAccessToken.ttl + 2 } }),
    }));
    await expectCaseFails('the retired child\'s jti is refused for what is left of its JWT\'s life', store);
  });

  it('forgets old revoked ids to make room', async () => {
    const kept: string[] = [];
    const store = broken(() => ({
      revokeJwtId: async (jti: string) => {
        kept.push(jti);
        if (kept.length > 100) kept.shift();
      },
      isJwtIdRevoked: (jti: string) => kept.includes(jti),
    }));
    await expectCaseFails('keeps many revoked ids at once', store);
  });

  it('never lets a revoked jti expire', async () => {
    const store = broken((base) => ({ revokeJwtId: (jti: string) => base.revokeJwtId(jti, 3600) }));
    await expectCaseFails('every kind of record is held until its TTL', store);
  });

  it('rotates by reading, then writing (not atomic)', async () => {
    const store = broken((base) => ({
      rotateRefreshToken: async (input: Parameters<Store['rotateRefreshToken']>[0]) => {
        const live = await base.findRefreshToken(input.familyId, input.tokenHash);
        await tick();
        if (live === undefined || live.clientId !== input.clientId) return base.rotateRefreshToken(input);
        const record = { ...live, issuedAt: input.now, expiresAt: input.now + input.ttl };
        await base.saveRefreshToken(input.newTokenHash, record, input.ttl);
        return { status: 'rotated', record };
      },
    }));
    await expectCaseFails('of 50 concurrent rotations', store);
  });

  it('does not revoke families', async () => {
    const store = broken(() => ({ revokeFamily: async () => undefined }));
    await expectCaseFails('revokeFamily ends the live refresh token', store);
    await expectCaseFails('tokens saved for a family after its revocation', store);
  });

  it('revokes a family\'s tokens but accepts tokens saved for it afterwards', async () => {
    const revoked = new Set<string>();
    const store = broken((base) => ({
      revokeFamily: async (familyId: string) => {
        revoked.add(familyId);
        await base.revokeFamily(familyId);
      },
      // Forgets the revocation as soon as a later token arrives.
      saveAccessToken: async (hash: string, record: Parameters<Store['saveAccessToken']>[1], ttl: number) => {
        if (record.familyId !== undefined && revoked.has(record.familyId)) {
          await base.saveAccessToken(hash, { ...record, familyId: undefined }, ttl);
          return;
        }
        await base.saveAccessToken(hash, record, ttl);
      },
      findAccessToken: (hash: string) => base.findAccessToken(hash),
    }));
    await expectCaseFails('tokens saved for a family after its revocation', store);
  });

  it('consumes codes by reading, then writing (not atomic)', async () => {
    const codes = new Map<string, { record: unknown; used: boolean }>();
    const store = broken(() => ({
      saveAuthorizationCode: async (hash: string, record: unknown) => {
        codes.set(hash, { record, used: false });
      },
      consumeAuthorizationCode: async (hash: string) => {
        const entry = codes.get(hash);
        const used = entry?.used;
        await tick();
        if (entry === undefined) return { status: 'unknown' };
        if (used === true) return { status: 'reused', record: entry.record };
        entry.used = true;
        return { status: 'consumed', record: entry.record };
      },
    }));
    await expectCaseFails('is atomic: of 10 concurrent consumers', store);
  });

  it('keys consent by subject and client id run together', async () => {
    const consents = new Map<string, unknown>();
    const store = broken(() => ({
      saveConsent: async (sub: string, clientId: string, record: unknown) => {
        consents.set(sub + clientId, record);
      },
      findConsent: async (sub: string, clientId: string) => consents.get(sub + clientId),
    }));
    await expectCaseFails('keeps apart pairs whose concatenations are equal', store);
  });

  it('records one-time values by reading, then writing (not atomic)', async () => {
    const used = new Set<string>();
    const store = broken(() => ({
      useOnce: async (namespace: string, id: string) => {
        const seen = used.has(namespace + id);
        await tick();
        used.add(namespace + id);
        return !seen;
      },
    }));
    await expectCaseFails('of concurrent uses of one id exactly one is first', store);
  });

  it('keeps one set of one-time values for every namespace', async () => {
    const used = new Set<string>();
    const store = broken(() => ({
      useOnce: async (_namespace: string, id: string) => {
        if (used.has(id)) return false;
        used.add(id);
        return true;
      },
    }));
    await expectCaseFails('namespaces are apart', store);
  });

  it('counts rate-limit points by reading, then writing (not atomic)', async () => {
    const store = broken((base) => ({
      createRateLimiter: (settings: Parameters<Store['createRateLimiter']>[0]): RateLimiter => {
        const inner = base.createRateLimiter(settings);
        const counts = new Map<string, number>();
        return {
          ...methodsOf(inner),
          consume: async (key) => {
            const consumed = (counts.get(key) ?? 0) + 1;
            await tick();
            counts.set(key, consumed);
            return { allowed: consumed <= settings.points, consumed, msBeforeNext: 1000 };
          },
        };
      },
    }));
    await expectCaseFails('is atomic: 20 concurrent points', store);
  });

  it('keeps a block beyond the seconds asked', async () => {
    const store = broken((base) => ({
      createRateLimiter: (settings: Parameters<Store['createRateLimiter']>[0]): RateLimiter => {
        const inner = base.createRateLimiter(settings);
        return { ...methodsOf(inner), block: (key, seconds) => inner.block(key, seconds * 60) };
      },
    }));
    await expectCaseFails('block refuses a key for the given seconds', store);
  });

  it('never gives a released point back', async () => {
    const store = broken((base) => ({
      createRateLimiter: (settings: Parameters<Store['createRateLimiter']>[0]): RateLimiter => ({ ...methodsOf(base.createRateLimiter(settings)), release: async () => undefined }),
    }));
    await expectCaseFails('release gives back one point', store);
  });

  it('holds an entry that never expires (seen through inspect)', async () => {
    const entries: StoredEntry[] = [
      { key: 'p:at:x', value: '{}', ttlMs: 60_000 },
      { key: 'p:{f}:at', value: '[]', ttlMs: undefined },
    ];
    await expectCaseFails('after every kind of write, every entry expires', new MemoryStore(), async () => entries);
  });
});
