// The memory store never forgets a revocation before the token it revokes expires. Revoked JWT ids are kept
// until the TTL given (the token's exp), revoked families for a day; neither is evicted to make room. At
// maxEntries live revocations of a kind the next one is refused with StoreUnavailableError, which the
// endpoints answer with 503 temporarily_unavailable, so the caller knows the revocation did not happen. Tokens,
// codes and families, whose loss only refuses a token, are the records that make room by eviction.
import request from 'supertest';
import { memoryStore } from '../../lib';
import { StoreUnavailableError } from '../../lib/errors';
import { MemoryStore } from '../../lib/store/memory-store';
import { JWT_JOB } from '../support/clients';
import { buildTestApp, decodeJwt, tokenFor } from '../support/server';

const record = { clientId: 'c', sub: 'c', scope: [], issuedAt: 1, expiresAt: 2 };
const DAY_MS = 24 * 3600 * 1000;

/** A store on a clock the test moves. */
function clocked(maxEntries?: number) {
  const clock = { now: 1_800_000_000_000 };
  const store = new MemoryStore({ now: () => clock.now, ...(maxEntries === undefined ? {} : { maxEntries }) });
  return { store, clock };
}

function codeRecord(familyId: string) {
  return { clientId: 'c', redirectUri: 'https://c.example/cb', redirectUriSent: true, sub: 'u', scope: [], authTime: 1, issuedAt: 1, expiresAt: 2, familyId };
}

function refreshRecord(familyId: string) {
  return { clientId: 'c', sub: 'u', scope: ['read'], familyId, issuedAt: 1, expiresAt: 2 };
}

async function refusal(promise: Promise<unknown>): Promise<StoreUnavailableError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(StoreUnavailableError);
  return outcome as StoreUnavailableError;
}

describe('memory store: revoked JWT ids', () => {
  it('remembers a revoked jti until its ttl passes, and no longer', async () => {
    const { store, clock } = clocked();
    expect(store.isJwtIdRevoked('j1')).toBe(false);
    await store.revokeJwtId('j1', 10);
    expect(store.isJwtIdRevoked('j1')).toBe(true);
    clock.now += 9_999;
    expect(store.isJwtIdRevoked('j1')).toBe(true);
    clock.now += 1;
    expect(store.isJwtIdRevoked('j1')).toBe(false);
  });

  it('at maxEntries live ids refuses the next revocation with StoreUnavailableError, and forgets none of the earlier', async () => {
    const { store } = clocked(10);
    for (let i = 0; i < 10; i++) await store.revokeJwtId(`j${i}`, 60);
    const refused = await refusal(store.revokeJwtId('j10', 60));
    expect(refused.message).not.toContain('j10');
    for (let i = 0; i < 10; i++) expect(store.isJwtIdRevoked(`j${i}`)).toBe(true);
    expect(store.isJwtIdRevoked('j10')).toBe(false);
  });

  it('says when to retry: Retry-After runs until the soonest revocation ends', async () => {
    const { store, clock } = clocked(3);
    await store.revokeJwtId('long', 600);
    await store.revokeJwtId('soon', 30);
    await store.revokeJwtId('later', 90);
    expect((await refusal(store.revokeJwtId('next', 60))).retryAfterSeconds).toBe(30);
    clock.now += 10_500;
    expect((await refusal(store.revokeJwtId('next', 60))).retryAfterSeconds).toBe(20);
  });

  it('makes room as revocations expire: once the soonest has ended, the next one is kept', async () => {
    const { store, clock } = clocked(3);
    await store.revokeJwtId('a', 30);
    await store.revokeJwtId('b', 60);
    await store.revokeJwtId('c', 90);
    clock.now += 30_000;
    await store.revokeJwtId('d', 60);
    expect(['a', 'b', 'c', 'd'].map((jti) => store.isJwtIdRevoked(jti))).toEqual([false, true, true, true]);
    await refusal(store.revokeJwtId('e', 60));
  });

  it('revoking a jti again with a shorter ttl does not shorten it, and takes no room', async () => {
    const { store, clock } = clocked(1);
    await store.revokeJwtId('j', 60);
    await store.revokeJwtId('j', 10);
    clock.now += 59_000;
    expect(store.isJwtIdRevoked('j')).toBe(true);
    await store.revokeJwtId('j', 120);
    clock.now += 100_000;
    expect(store.isJwtIdRevoked('j')).toBe(true);
  });

  it('keeps its revocations however many other records come and go', async () => {
    const { store } = clocked(10);
    await store.revokeJwtId('revoked', 3600);
    await store.revokeFamily('revoked-family');
    for (let i = 0; i < 200; i++) {
      await store.saveAccessToken(`at${i}`, record, 3600);
      await store.saveRefreshToken(`rt${i}`, refreshRecord(`f${i}`), 3600);
      await store.saveAuthorizationCode(`code${i}`, codeRecord(`cf${i}`), 60);
      await store.saveConsent(`u${i}`, 'c', { scope: [], grantedAt: 1 }, 60);
    }
    expect(store.accessTokenCount).toBe(10);
    expect(store.isJwtIdRevoked('revoked')).toBe(true);
    await store.saveAccessToken('late', { ...record, familyId: 'revoked-family' }, 60);
    expect(await store.findAccessToken('late')).toBeUndefined();
  });

  it('clears revocations on close', async () => {
    const store = new MemoryStore();
    await store.revokeJwtId('j', 60);
    await store.close();
    expect(store.isJwtIdRevoked('j')).toBe(false);
  });
});

describe('memory store: revoked families', () => {
  it("refuses the family's JWTs (isJwtIdRevoked with the family) for a day, synchronously", async () => {
    const { store, clock } = clocked();
    await store.revokeFamily('f');
    expect(store.isJwtIdRevoked('any-jti', 'f')).toBe(true);
    expect(store.isJwtIdRevoked('any-jti', 'g')).toBe(false);
    clock.now += DAY_MS - 1;
    expect(store.isJwtIdRevoked('any-jti', 'f')).toBe(true);
    clock.now += 1;
    expect(store.isJwtIdRevoked('any-jti', 'f')).toBe(false);
  });

  it('keeps a revocation asked for longer than a day that long, for JWTs that outlive a day, and never shortens it', async () => {
    const { store, clock } = clocked();
    await store.revokeFamily('f', 3 * 86_400);
    await store.revokeFamily('f', 60);
    clock.now += 3 * DAY_MS - 1;
    expect(store.isJwtIdRevoked('any-jti', 'f')).toBe(true);
    clock.now += 1;
    expect(store.isJwtIdRevoked('any-jti', 'f')).toBe(false);
  });

  it('refuses tokens saved for a revoked family for a day', async () => {
    const { store, clock } = clocked();
    await store.revokeFamily('f');
    clock.now += DAY_MS - 1;
    await store.saveAccessToken('at', { ...record, familyId: 'f' }, 60);
    await store.saveRefreshToken('rt', refreshRecord('f'), 60);
    expect(await store.findAccessToken('at')).toBeUndefined();
    expect(await store.findRefreshToken('f', 'rt')).toBeUndefined();
    clock.now += 1;
    await store.saveRefreshToken('rt', refreshRecord('f'), 60);
    expect(await store.findRefreshToken('f', 'rt')).toBeDefined();
  });

  it('at maxEntries live revoked families refuses the next with StoreUnavailableError, and still ends the family\'s tokens', async () => {
    const { store } = clocked(4);
    for (let i = 0; i < 4; i++) await store.revokeFamily(`old${i}`);
    await store.saveRefreshToken('rt', refreshRecord('f'), 3600);
    await store.saveAccessToken('at', { ...record, familyId: 'f' }, 3600);
    await store.saveAccessToken('plain', record, 3600);
    const refused = await refusal(store.revokeFamily('f'));
    expect(refused.retryAfterSeconds).toBe(DAY_MS / 1000);
    expect(await store.findRefreshToken('f', 'rt')).toBeUndefined();
    expect(await store.findAccessToken('at')).toBeUndefined();
    expect(await store.findAccessToken('plain')).toEqual(record);
    for (let i = 0; i < 4; i++) {
      await store.saveAccessToken(`late${i}`, { ...record, familyId: `old${i}` }, 60);
      expect(await store.findAccessToken(`late${i}`)).toBeUndefined();
    }
  });

  it('a refresh that detects reuse when the revoked families are full fails with StoreUnavailableError, and the family is ended', async () => {
    const { store } = clocked(4);
    for (let i = 0; i < 4; i++) await store.revokeFamily(`old${i}`);
    await store.saveRefreshToken('rt1', refreshRecord('f'), 3600);
    const now = 1_800_000_000;
    const rotated = await store.rotateRefreshToken({ familyId: 'f', tokenHash: 'rt1', clientId: 'c', newTokenHash: 'rt2', now, ttl: 3600,
      accessToken: { tokenHash: 'at2', ttl: 600, allowedScope: ['read'] } });
    expect(rotated.status).toBe('rotated');
    await refusal(store.rotateRefreshToken({ familyId: 'f', tokenHash: 'rt1', clientId: 'c', newTokenHash: 'rt3', now, ttl: 3600 }));
    expect(await store.findRefreshToken('f', 'rt2')).toBeUndefined();
    expect(await store.findAccessToken('at2')).toBeUndefined();
    expect((await store.rotateRefreshToken({ familyId: 'f', tokenHash: 'rt2', clientId: 'c', newTokenHash: 'rt4', now, ttl: 3600 })).status).toBe('not_found');
  });

  it('a refresh that detects reuse keeps the family revoked for revokedFamilyRetainSeconds when longer than a day, in the same step', async () => {
    const { store, clock } = clocked();
    const now = 1_800_000_000;
    for (const [familyId, retain] of [['long', 3 * 86_400], ['day', undefined]] as const) {
      await store.saveRefreshToken(`${familyId}-1`, refreshRecord(familyId), 3600);
      expect((await store.rotateRefreshToken({ familyId, tokenHash: `${familyId}-1`, clientId: 'c', newTokenHash: `${familyId}-2`, now, ttl: 3600 })).status).toBe('rotated');
      const reused = await store.rotateRefreshToken({ familyId, tokenHash: `${familyId}-1`, clientId: 'c', newTokenHash: `${familyId}-3`, now, ttl: 3600,
        ...(retain === undefined ? {} : { revokedFamilyRetainSeconds: retain }) });
      expect(reused).toEqual({ status: 'reused' });
      expect(store.isJwtIdRevoked('any-jti', familyId)).toBe(true);
    }
    clock.now += 2 * DAY_MS;
    expect(store.isJwtIdRevoked('any-jti', 'long')).toBe(true);
    expect(store.isJwtIdRevoked('any-jti', 'day')).toBe(false);
    clock.now += DAY_MS;
    expect(store.isJwtIdRevoked('any-jti', 'long')).toBe(false);
  });

  it('a grace re-issue when the revoked JWT ids are full fails with StoreUnavailableError and changes nothing', async () => {
    const { store } = clocked(2);
    for (let i = 0; i < 2; i++) await store.revokeJwtId(`old${i}`, 3600);
    await store.saveRefreshToken('rt1', refreshRecord('f'), 3600);
    const now = 1_800_000_000;
    const rotation = { familyId: 'f', tokenHash: 'rt1', clientId: 'c', now, ttl: 3600, reuseGraceSeconds: 30 };
    const rotated = await store.rotateRefreshToken({ ...rotation, newTokenHash: 'rt2', jwtAccessToken: { jti: 'child', ttl: 960 },
      accessToken: { tokenHash: 'at2', ttl: 600, allowedScope: ['read'] } });
    expect(rotated.status).toBe('rotated');
    await refusal(store.rotateRefreshToken({ ...rotation, newTokenHash: 'rt3', jwtAccessToken: { jti: 'retry', ttl: 960 } }));
    expect(await store.findRefreshToken('f', 'rt2')).toMatchObject({ familyId: 'f' });
    expect(await store.findRefreshToken('f', 'rt3')).toBeUndefined();
    expect(await store.findAccessToken('at2')).toBeDefined();
    expect(store.isJwtIdRevoked('child', 'f')).toBe(false);
  });
});

describe('memory store: what eviction may drop', () => {
  it('an evicted family takes its access tokens with it: eviction refuses tokens, it never keeps a revoked one', async () => {
    const { store } = clocked(2);
    await store.saveAccessToken('a-token', { ...record, familyId: 'a' }, 3600);
    await store.saveRefreshToken('b-token', refreshRecord('b'), 3600);
    expect(await store.findAccessToken('a-token')).toBeDefined();
    await store.saveRefreshToken('c-token', refreshRecord('c'), 3600);
    expect(await store.findAccessToken('a-token')).toBeUndefined();
    expect(await store.findRefreshToken('b', 'b-token')).toBeDefined();
  });
});

describe('RFC 7009 revocation endpoint on a full memory store', () => {
  // Three revoked ids fit; client_credentials JWTs are not stored, so nothing else takes room.
  const { app, auth } = buildTestApp({ store: memoryStore({ maxEntries: 3 }) });
  afterAll(() => auth.close());
  const revoke = (token: string) => request(app).post('/revoke').auth(JWT_JOB.clientId, JWT_JOB.clientSecret ?? '').type('form').send({ token });
  const bearer = (token: string) => request(app).get('/accounts').set('Authorization', `Bearer ${token}`);

  it('answers 503 temporarily_unavailable with Retry-After once full, and keeps refusing every token it did revoke', async () => {
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push(await tokenFor(app, JWT_JOB));
    for (const token of tokens.slice(0, 3)) expect((await revoke(token)).status).toBe(200);

    const refused = await revoke(tokens[3]!);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'temporarily_unavailable' });
    const { exp } = decodeJwt(tokens[0]!).payload as { exp: number };
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(exp - Math.floor(Date.now() / 1000) + 61);

    for (const token of tokens.slice(0, 3)) expect((await bearer(token)).status).toBe(401);
    // Not revoked, and the client was told so by the 503: the token still works until a retry succeeds.
    expect((await bearer(tokens[3]!)).status).toBe(200);
  });
});
