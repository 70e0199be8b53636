// The Store contract (RFC 6749 §6 refresh semantics, RFC 9700 §4.14.2 rotation and reuse detection), run
// unchanged against every adapter: memory, standalone Redis, Redis Cluster. Each spec file calls
// storeContract() with a setup that returns a fresh store; ids are random per test, so adapters sharing a
// backend need no reset between tests.
import { randomBytes } from 'node:crypto';
import type { AccessTokenRecord, RefreshTokenRecord, Store } from '../../lib';
import { mintFamilyToken } from '../../lib/tokens/family-token';

/** What an adapter's spec gives the contract. */
export interface StoreUnderTest {
  readonly store: Store;
  /**
   * Every entry the adapter holds for this run, with its TTL and value as stored, for adapters whose state
   * can be inspected (Redis): the contract then checks that every entry expires and none holds a token.
   */
  readonly entries?: () => Promise<Array<{ key: string; value: string; pttl: number }>>;
  /** Releases what setup acquired. */
  readonly release?: () => Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);
const hash = () => randomBytes(32).toString('base64url');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Defines the contract suite for one adapter. `inspectable`: setup provides `entries`, so the suite also
 * checks what the backend holds.
 */
export function storeContract(name: string, setup: () => Promise<StoreUnderTest>, inspectable = false): void {
  describe(`Store contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.store.close();
      await subject?.release?.();
    });

    /** Starts a family with a real minted token, as the token endpoint does. */
    async function family(overrides: Partial<RefreshTokenRecord> = {}, ttl = 600) {
      const minted = mintFamilyToken();
      const t = now();
      const record: RefreshTokenRecord = {
        clientId: 'client-a',
        sub: 'user-1',
        scope: ['read', 'write'],
        familyId: minted.familyId,
        issuedAt: t,
        expiresAt: t + ttl,
        ...overrides,
      };
      await store.saveRefreshToken(minted.tokenHash, record, ttl);
      return { ...minted, record };
    }

    function rotate(f: { familyId: string }, tokenHash: string, extra: { clientId?: string; scope?: readonly string[]; ttl?: number } = {}) {
      const newTokenHash = hash();
      const t = now();
      return store
        .rotateRefreshToken({
          familyId: f.familyId,
          tokenHash,
          clientId: extra.clientId ?? 'client-a',
          ...(extra.scope === undefined ? {} : { scope: extra.scope }),
          newTokenHash,
          now: t,
          ttl: extra.ttl ?? 600,
        })
        .then((result) => ({ result, newTokenHash, t }));
    }

    function accessRecord(familyId?: string): AccessTokenRecord {
      const t = now();
      return { clientId: 'client-a', sub: 'user-1', scope: ['read'], issuedAt: t, expiresAt: t + 60, ...(familyId ? { familyId } : {}) };
    }

    describe('access tokens', () => {
      it('keeps a record under its hash and finds it; an unknown hash finds nothing', async () => {
        const h = hash();
        const record = accessRecord();
        await store.saveAccessToken(h, record, 60);
        expect(await store.findAccessToken(h)).toEqual(record);
        expect(await store.findAccessToken(hash())).toBeUndefined();
      });

      it('keeps a family token with its family: found by hash and family id', async () => {
        const f = await family();
        const h = hash();
        const record = accessRecord(f.familyId);
        await store.saveAccessToken(h, record, 60);
        expect(await store.findAccessToken(h, f.familyId)).toEqual(record);
        await store.revokeAccessToken(h, f.familyId);
        expect(await store.findAccessToken(h, f.familyId)).toBeUndefined();
      });

      it('revokeAccessToken forgets the token', async () => {
        const h = hash();
        await store.saveAccessToken(h, accessRecord(), 60);
        await store.revokeAccessToken(h);
        expect(await store.findAccessToken(h)).toBeUndefined();
      });
    });

    describe('refresh tokens (RFC 6749 §6)', () => {
      it('saveRefreshToken starts a family whose live token findRefreshToken returns', async () => {
        const f = await family({ familyExpiresAt: now() + 3600 });
        expect(await store.findRefreshToken(f.familyId, f.tokenHash)).toEqual(f.record);
        expect(await store.findRefreshToken(f.familyId, hash())).toBeUndefined();
        expect(await store.findRefreshToken(mintFamilyToken().familyId, f.tokenHash)).toBeUndefined();
      });

      it('rotation replaces the live token: the new record keeps client, sub and the original scope', async () => {
        const f = await family();
        const { result, newTokenHash, t } = await rotate(f, f.tokenHash, { ttl: 300 });
        const expected: RefreshTokenRecord = { clientId: 'client-a', sub: 'user-1', scope: ['read', 'write'], familyId: f.familyId, issuedAt: t, expiresAt: t + 300 };
        expect(result).toEqual({ status: 'rotated', record: expected });
        expect(await store.findRefreshToken(f.familyId, f.tokenHash)).toBeUndefined();
        expect(await store.findRefreshToken(f.familyId, newTokenHash)).toEqual(expected);
      });

      it('a chain of rotations: each new token rotates in turn', async () => {
        const f = await family();
        let current = f.tokenHash;
        for (let i = 0; i < 3; i++) {
          const { result, newTokenHash } = await rotate(f, current);
          expect(result.status).toBe('rotated');
          current = newTokenHash;
        }
        expect(await store.findRefreshToken(f.familyId, current)).toMatchObject({ clientId: 'client-a' });
      });

      it('narrowing the scope rotates, and the new refresh token keeps the original scope (§6)', async () => {
        const f = await family();
        const { result } = await rotate(f, f.tokenHash, { scope: ['read'] });
        expect(result.status).toBe('rotated');
        expect(result.status === 'rotated' && result.record.scope).toEqual(['read', 'write']);
      });

      it('widening the scope is invalid_scope and changes nothing', async () => {
        const f = await family();
        const { result } = await rotate(f, f.tokenHash, { scope: ['read', 'admin'] });
        expect(result).toEqual({ status: 'invalid_scope' });
        expect(await store.findRefreshToken(f.familyId, f.tokenHash)).toEqual(f.record);
      });

      it('another client is wrong_client and changes nothing, even with a rotated token', async () => {
        const f = await family();
        expect((await rotate(f, f.tokenHash, { clientId: 'client-b' })).result).toEqual({ status: 'wrong_client' });
        expect(await store.findRefreshToken(f.familyId, f.tokenHash)).toEqual(f.record);
        const { newTokenHash } = await rotate(f, f.tokenHash);
        expect((await rotate(f, f.tokenHash, { clientId: 'client-b' })).result).toEqual({ status: 'wrong_client' });
        expect(await store.findRefreshToken(f.familyId, newTokenHash)).toBeDefined();
      });

      it('unknown family or unknown token is not_found and changes nothing', async () => {
        const f = await family();
        expect((await rotate({ familyId: mintFamilyToken().familyId }, f.tokenHash)).result).toEqual({ status: 'not_found' });
        expect((await rotate(f, hash())).result).toEqual({ status: 'not_found' });
        expect(await store.findRefreshToken(f.familyId, f.tokenHash)).toEqual(f.record);
      });

      function rotateWithAccess(f: { familyId: string }, tokenHash: string, allowedScope: readonly string[], scope?: readonly string[]) {
        const accessHash = hash();
        const t = now();
        return store
          .rotateRefreshToken({
            familyId: f.familyId,
            tokenHash,
            clientId: 'client-a',
            ...(scope === undefined ? {} : { scope }),
            newTokenHash: hash(),
            now: t,
            ttl: 600,
            accessToken: { tokenHash: accessHash, ttl: 120, allowedScope },
          })
          .then((result) => ({ result, accessHash, t }));
      }

      it('a rotation given the new access token saves it in the same step, with the family\'s client, sub and scope', async () => {
        const f = await family();
        const { result, accessHash, t } = await rotateWithAccess(f, f.tokenHash, ['read', 'write', 'admin']);
        expect(result.status).toBe('rotated');
        expect(await store.findAccessToken(accessHash, f.familyId)).toEqual({
          clientId: 'client-a', sub: 'user-1', scope: ['read', 'write'], issuedAt: t, expiresAt: t + 120, familyId: f.familyId,
        });
      });

      it('the saved access token gets the requested scope, less what the client may no longer hold; an empty scope stays a list', async () => {
        const f = await family();
        const narrowed = await rotateWithAccess(f, f.tokenHash, ['read', 'write'], ['write']);
        expect(narrowed.result.status).toBe('rotated');
        expect(await store.findAccessToken(narrowed.accessHash, f.familyId)).toMatchObject({ scope: ['write'] });

        const g = await family();
        const lost = await rotateWithAccess(g, g.tokenHash, ['admin']);
        expect(lost.result.status).toBe('rotated');
        expect(await store.findAccessToken(lost.accessHash, g.familyId)).toMatchObject({ scope: [] });
      });

      it('a rotation that fails saves no access token, and a reuse revokes the one a rotation saved', async () => {
        const f = await family();
        const wrongScope = await rotateWithAccess(f, f.tokenHash, ['read'], ['delete']);
        expect(wrongScope.result).toEqual({ status: 'invalid_scope' });
        expect(await store.findAccessToken(wrongScope.accessHash, f.familyId)).toBeUndefined();
        const unknown = await rotateWithAccess(f, hash(), ['read']);
        expect(unknown.result).toEqual({ status: 'not_found' });
        expect(await store.findAccessToken(unknown.accessHash, f.familyId)).toBeUndefined();

        const rotated = await rotateWithAccess(f, f.tokenHash, ['read']);
        expect(rotated.result.status).toBe('rotated');
        expect(await store.findAccessToken(rotated.accessHash, f.familyId)).toBeDefined();
        const replay = await rotateWithAccess(f, f.tokenHash, ['read']);
        expect(replay.result).toEqual({ status: 'reused' });
        expect(await store.findAccessToken(replay.accessHash, f.familyId)).toBeUndefined();
        expect(await store.findAccessToken(rotated.accessHash, f.familyId)).toBeUndefined();
      });

      it('RFC 9700 §4.14.2: presenting a rotated token is reuse and revokes the family and its access tokens', async () => {
        const f = await family();
        const { newTokenHash } = await rotate(f, f.tokenHash);
        const familyAccess = hash();
        const otherAccess = hash();
        const other = await family();
        await store.saveAccessToken(familyAccess, accessRecord(f.familyId), 60);
        await store.saveAccessToken(otherAccess, accessRecord(other.familyId), 60);
        expect(await store.findAccessToken(familyAccess, f.familyId)).toBeDefined();

        expect((await rotate(f, f.tokenHash)).result).toEqual({ status: 'reused' });
        expect(await store.findRefreshToken(f.familyId, newTokenHash)).toBeUndefined();
        expect((await rotate(f, newTokenHash)).result).toEqual({ status: 'not_found' });
        expect(await store.findAccessToken(familyAccess, f.familyId)).toBeUndefined();
        expect(await store.findAccessToken(otherAccess, other.familyId)).toBeDefined();
      });

      it('revokeFamily revokes the live token and the family access tokens', async () => {
        const f = await family();
        const access = hash();
        await store.saveAccessToken(access, accessRecord(f.familyId), 60);
        expect(await store.findAccessToken(access, f.familyId)).toBeDefined();
        await store.revokeFamily(f.familyId);
        expect(await store.findRefreshToken(f.familyId, f.tokenHash)).toBeUndefined();
        expect((await rotate(f, f.tokenHash)).result).toEqual({ status: 'not_found' });
        expect(await store.findAccessToken(access, f.familyId)).toBeUndefined();
        // A token saved for the family after its revocation is refused (a racing exchange loses).
        const late = hash();
        await store.saveAccessToken(late, accessRecord(f.familyId), 60);
        expect(await store.findAccessToken(late, f.familyId)).toBeUndefined();
      });

      it('the family absolute lifetime caps a rotated token, and ends the family when reached', async () => {
        const t = now();
        const f = await family({ familyExpiresAt: t + 100 });
        const { result } = await rotate(f, f.tokenHash, { ttl: 600 });
        expect(result.status === 'rotated' && result.record).toMatchObject({ expiresAt: t + 100, familyExpiresAt: t + 100 });

        const ended = await family({ familyExpiresAt: t });
        expect((await rotate(ended, ended.tokenHash)).result).toEqual({ status: 'not_found' });
        expect(await store.findRefreshToken(ended.familyId, ended.tokenHash)).toEqual(ended.record);
      });

      it('of 50 concurrent rotations with one token exactly one rotates', async () => {
        const f = await family();
        const results = await Promise.all(Array.from({ length: 50 }, () => rotate(f, f.tokenHash)));
        const statuses = results.map((r) => r.result.status);
        expect(statuses.filter((s) => s === 'rotated')).toHaveLength(1);
        // The losers see a rotated token: reuse, which revokes the family; after that, nothing is found.
        expect(statuses.filter((s) => s !== 'rotated').every((s) => s === 'reused' || s === 'not_found')).toBe(true);
        expect(statuses).toContain('reused');
        for (const r of results) expect(await store.findRefreshToken(f.familyId, r.newTokenHash)).toBeUndefined();
      });
    });

    describe('revoked JWT ids (RFC 7009 for JWT access tokens)', () => {
      it('remembers a revoked jti, and only that one', async () => {
        const jti = hash();
        expect(await store.isJwtIdRevoked(jti)).toBe(false);
        await store.revokeJwtId(jti, 60);
        expect(await store.isJwtIdRevoked(jti)).toBe(true);
        expect(await store.isJwtIdRevoked(hash())).toBe(false);
      });

      it('forgets an opaque access token on revokeAccessToken', async () => {
        const access = hash();
        await store.saveAccessToken(access, accessRecord(), 60);
        await store.revokeAccessToken(access);
        expect(await store.findAccessToken(access)).toBeUndefined();
      });

      if (inspectable) it('keeps a revoked jti with a TTL', async () => {
        const jti = hash();
        await store.revokeJwtId(jti, 60);
        const entry = (await subject.entries!()).find((e) => e.key.includes(jti));
        expect(entry?.pttl).toBeGreaterThan(0);
        expect(entry?.pttl).toBeLessThanOrEqual(60_000);
      });
    });

    it('every entry expires with its TTL', async () => {
      const access = hash();
      await store.saveAccessToken(access, accessRecord(), 1);
      const f = await family({}, 1);
      const rotatedFamily = await family({}, 1);
      await rotate(rotatedFamily, rotatedFamily.tokenHash, { ttl: 1 });
      await sleep(1100);
      expect(await store.findAccessToken(access)).toBeUndefined();
      expect(await store.findRefreshToken(f.familyId, f.tokenHash)).toBeUndefined();
      expect((await rotate(f, f.tokenHash)).result).toEqual({ status: 'not_found' });
      expect((await rotate(rotatedFamily, rotatedFamily.tokenHash)).result).toEqual({ status: 'not_found' });
    });

    if (inspectable) it('keeps tokens only as hashes, and every entry has a TTL', async () => {
      const f = await family();
      const access = hash();
      await store.saveAccessToken(access, accessRecord(f.familyId), 60);
      const { newTokenHash } = await rotate(f, f.tokenHash);
      await store.findRefreshToken(f.familyId, newTokenHash);
      const entries = await subject.entries!();
      expect(entries.length).toBeGreaterThan(0);
      const [seed, secret] = f.token.split('.') as [string, string];
      for (const entry of entries) {
        expect(entry.pttl).toBeGreaterThan(0);
        for (const secretPart of [f.token, seed, secret]) {
          expect(entry.key).not.toContain(secretPart);
          expect(entry.value).not.toContain(secretPart);
        }
      }
    });
  });
}
