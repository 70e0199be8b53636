// The Store contract for the authorization code grant, as a function of a Store so that every adapter (memory
// now, Redis at merge) runs the same suite: RFC 6749 §4.1.2 "The client MUST NOT use the authorization code
// more than once. If an authorization code is used more than once, the authorization server MUST deny the
// request and SHOULD revoke (when possible) all tokens previously issued based on that authorization code."
import { randomBytes } from 'node:crypto';
import type { AuthorizationCodeRecord, Store } from '../../lib';

/** Runs the authorization-code part of the Store contract against the store `make` returns. */
export function authorizationCodeStoreContract(adapter: string, make: () => Promise<Store> | Store): void {
  describe(`${adapter}: authorization code grant store`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await make();
    });
    afterAll(() => store.close());

    // Keys unique per run, so a shared Redis needs no flushing.
    const key = (label: string) => `${label}-${randomBytes(8).toString('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const code = (familyId: string): AuthorizationCodeRecord => ({
      clientId: 'c1',
      redirectUri: 'https://client.example/cb',
      redirectUriSent: true,
      sub: 'alice',
      scope: ['openid', '/accounts.read'],
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
      nonce: 'n-0S6_WzA2Mj',
      authTime: now,
      issuedAt: now,
      expiresAt: now + 60,
      familyId,
    });

    it('hands out a code once: consumed, then reused with the same record', async () => {
      const hash = key('code');
      const record = code(key('fam'));
      await store.saveAuthorizationCode(hash, record, 60);
      expect(await store.consumeAuthorizationCode(hash, 3600)).toEqual({ status: 'consumed', record });
      expect(await store.consumeAuthorizationCode(hash, 3600)).toEqual({ status: 'reused', record });
    });

    it('answers unknown for a code never saved', async () => {
      expect(await store.consumeAuthorizationCode(key('nope'), 3600)).toEqual({ status: 'unknown' });
    });

    it('is atomic: of concurrent consumers exactly one gets the code', async () => {
      const hash = key('race');
      await store.saveAuthorizationCode(hash, code(key('fam')), 60);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.consumeAuthorizationCode(hash, 3600)));
      expect(results.filter((r) => r.status === 'consumed')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'reused')).toHaveLength(9);
    });

    it('forgets a code after its ttl', async () => {
      const hash = key('short');
      await store.saveAuthorizationCode(hash, code(key('fam')), 1);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await store.consumeAuthorizationCode(hash, 3600)).toEqual({ status: 'unknown' });
    });

    it('revokeFamily removes every access token of the family and only those', async () => {
      const family = key('fam');
      const [a, b, other] = [key('at'), key('at'), key('at')];
      const token = (familyId?: string) => ({ clientId: 'c1', sub: 'alice', scope: [], issuedAt: now, expiresAt: now + 900, ...(familyId ? { familyId } : {}) });
      await store.saveAccessToken(a, token(family), 900);
      await store.saveAccessToken(b, token(family), 900);
      const otherFamily = key('fam');
      await store.saveAccessToken(other, token(otherFamily), 900);
      expect(await store.findAccessToken(a, family)).toBeDefined();
      await store.revokeFamily(family);
      expect(await store.findAccessToken(a, family)).toBeUndefined();
      expect(await store.findAccessToken(b, family)).toBeUndefined();
      expect(await store.findAccessToken(other, otherFamily)).toBeDefined();
      await expect(store.revokeFamily(key('unknown'))).resolves.toBeUndefined();
    });

    it('a token saved for a family after its revocation is not kept (a reuse racing the first exchange)', async () => {
      const family = key('fam');
      await store.revokeFamily(family);
      const late = key('at');
      await store.saveAccessToken(late, { clientId: 'c1', sub: 'alice', scope: [], issuedAt: now, expiresAt: now + 900, familyId: family }, 900);
      expect(await store.findAccessToken(late, family)).toBeUndefined();
    });

    it('remembers consent per user and client, replacing the earlier one', async () => {
      const sub = key('user');
      expect(await store.findConsent(sub, 'c1')).toBeUndefined();
      await store.saveConsent(sub, 'c1', { scope: ['openid'], grantedAt: now }, 60);
      await store.saveConsent(sub, 'c1', { scope: ['openid', '/accounts.read'], grantedAt: now + 1 }, 60);
      expect(await store.findConsent(sub, 'c1')).toEqual({ scope: ['openid', '/accounts.read'], grantedAt: now + 1 });
      expect(await store.findConsent(sub, 'c2')).toBeUndefined();
      expect(await store.findConsent(key('other'), 'c1')).toBeUndefined();
    });

    it('forgets consent after its ttl', async () => {
      const sub = key('user');
      await store.saveConsent(sub, 'c1', { scope: ['openid'], grantedAt: now }, 1);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await store.findConsent(sub, 'c1')).toBeUndefined();
    });
  });
}
