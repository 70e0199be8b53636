// OpenID Connect Core §5.3: "The UserInfo Endpoint is an OAuth 2.0 Protected Resource that returns Claims
// about the authenticated End-User." §5.3.1: "The Client sends the UserInfo Request using either HTTP GET or
// HTTP POST. The Access Token obtained from an OpenID Connect Authentication Request MUST be sent as a Bearer
// Token, per Section 2 of OAuth 2.0 Bearer Token Usage [RFC6750]." §5.3.2: "The sub (subject) Claim MUST
// always be returned in the UserInfo Response." ... "The UserInfo Endpoint MUST return a content-type header
// to indicate which format is being returned": application/json. §5.3.3: "When an error condition occurs,
// the UserInfo Endpoint returns an Error Response as defined in Section 3 of OAuth 2.0 Bearer Token Usage".
// §5.4: profile, email, address and phone request their lists of Standard Claims.
import request from 'supertest';
import type { Client } from '../../lib';
import { basic } from '../support/app';
import { authorizeCode, buildAuthorizeApp, VERIFIER, webRequest } from '../support/authorize';

const CB = 'https://client.example/cb';
const RP: Client = {
  clientId: 'rp',
  clientSecret: 'rp-secret',
  grants: ['authorization_code', 'client_credentials'],
  scopes: ['openid', 'profile', 'email', 'address', 'phone', '/accounts.read'],
  redirectUris: [CB],
};
const ALICE = {
  sub: 'not-alice', // never overrides the token's sub
  name: 'Alice Example',
  given_name: 'Alice',
  email: 'alice@example.com',
  email_verified: true,
  address: { country: 'NL' },
  phone_number: '+31 20 000 0000',
  internal_role: 'admin', // no scope releases it
  nickname: undefined,
};

function setup(userInfo: ((sub: string, ctx: { scope: readonly string[]; clientId: string }) => unknown) | undefined, format?: 'jwt') {
  const calls: Array<{ sub: string; ctx: unknown }> = [];
  const server = buildAuthorizeApp(
    userInfo === undefined ? {} : { userInfo: (sub, ctx) => { calls.push({ sub, ctx }); return userInfo(sub, ctx) as Record<string, unknown> | undefined; } },
    { clients: [RP], ...(format === undefined ? {} : { accessToken: { format } }) },
  );
  const token = async (scope: string): Promise<string> => {
    const code = await authorizeCode(server.app, webRequest({ client_id: 'rp', scope }));
    const res = await request(server.app).post('/oauth2/token').set('Authorization', basic('rp', 'rp-secret')).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  };
  return { ...server, calls, token };
}

const challenge = (res: request.Response): string => res.headers['www-authenticate'] as string;

describe('OpenID Connect Core §5.3 UserInfo', () => {
  describe.each([['opaque', undefined], ['jwt', 'jwt']] as const)('with %s access tokens', (_name, format) => {
    const s = setup(() => ALICE, format);

    it('GET with a Bearer header answers sub and the claims the granted scopes release, as no-store JSON', async () => {
      const token = await s.token('openid profile email');
      const res = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ sub: 'alice', name: 'Alice Example', given_name: 'Alice', email: 'alice@example.com', email_verified: true });
      expect(s.calls.at(-1)).toEqual({ sub: 'alice', ctx: { scope: ['openid', 'profile', 'email'], clientId: 'rp' } });
    });

    it('POST with the token in the header, or as access_token in a form body (RFC 6750 §2.2)', async () => {
      const token = await s.token('openid address phone');
      const header = await request(s.app).post('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
      expect([header.status, header.body]).toEqual([200, { sub: 'alice', address: { country: 'NL' }, phone_number: '+31 20 000 0000' }]);
      const body = await request(s.app).post('/oauth2/userinfo').type('form').send({ access_token: token });
      expect([body.status, body.body]).toEqual([200, header.body]);
    });

    it('answers sub alone for openid without claim scopes', async () => {
      const token = await s.token('openid /accounts.read');
      const res = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
      expect([res.status, res.body]).toEqual([200, { sub: 'alice' }]);
    });

    it('refuses a token without openid: 403 insufficient_scope with scope="openid"', async () => {
      const token = await s.token('/accounts.read');
      const res = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('insufficient_scope');
      expect(challenge(res)).toBe('Bearer realm="keyturn", error="insufficient_scope", error_description="the access token lacks the scope this resource needs", scope="openid"');
    });

    it('refuses a revoked token: 401 invalid_token', async () => {
      const token = await s.token('openid email');
      expect((await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      const revoked = await request(s.app).post('/oauth2/revoke').set('Authorization', basic('rp', 'rp-secret')).type('form').send({ token });
      expect(revoked.status).toBe(200);
      const res = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(challenge(res)).toMatch(/^Bearer realm="keyturn", error="invalid_token", error_description="/);
    });
  });

  describe('errors are RFC 6750 errors, never a 500', () => {
    const s = setup(() => ALICE);

    it('no token: 401 with a bare challenge', async () => {
      const res = await request(s.app).get('/oauth2/userinfo');
      expect([res.status, challenge(res), res.body.error]).toEqual([401, 'Bearer realm="keyturn"', 'unauthorized']);
      const post = await request(s.app).post('/oauth2/userinfo').type('json').send({ access_token: 'not-read-from-json' });
      expect([post.status, challenge(post)]).toEqual([401, 'Bearer realm="keyturn"']);
    });

    it('an unknown, malformed or doubly sent token: 401 invalid_token or 400 invalid_request', async () => {
      const unknown = await request(s.app).get('/oauth2/userinfo').set('Authorization', 'Bearer abc.def');
      expect([unknown.status, unknown.body.error]).toEqual([401, 'invalid_token']);
      const malformed = await request(s.app).get('/oauth2/userinfo').set('Authorization', 'Bearer a b');
      expect([malformed.status, malformed.body.error]).toEqual([400, 'invalid_request']);
      expect(challenge(malformed)).toMatch(/error="invalid_request"/);
      const token = await s.token('openid');
      const twice = await request(s.app).post('/oauth2/userinfo').set('Authorization', `Bearer ${token}`).type('form').send({ access_token: token });
      expect([twice.status, twice.body.error]).toEqual([400, 'invalid_request']);
      const repeated = await request(s.app).post('/oauth2/userinfo').type('form').send(`access_token=${token}&access_token=${token}`);
      expect([repeated.status, repeated.body.error]).toEqual([400, 'invalid_request']);
    });

    it('a query token is not accepted (RFC 6750 §2.3 is not offered), and other methods get 405', async () => {
      const token = await s.token('openid');
      const query = await request(s.app).get(`/oauth2/userinfo?access_token=${token}`);
      expect(query.status).toBe(401);
      const put = await request(s.app).put('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
      expect([put.status, put.headers.allow]).toEqual([405, 'GET, POST']);
    });

    it('a client_credentials token without openid is no UserInfo token', async () => {
      const cc = await request(s.app).post('/oauth2/token').set('Authorization', basic('rp', 'rp-secret')).type('form').send({ grant_type: 'client_credentials', scope: '/accounts.read' });
      const res = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${cc.body.access_token}`);
      expect([res.status, res.body.error]).toEqual([403, 'insufficient_scope']);
    });
  });

  it('answers sub alone without a userInfo hook', async () => {
    const s = setup(undefined);
    const token = await s.token('openid profile email');
    const res = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
    expect([res.status, res.body]).toEqual([200, { sub: 'alice' }]);
  });

  it('a user the hook no longer knows is 401 invalid_token; a hook that fails is a rendered server_error', async () => {
    let mode: 'gone' | 'throws' | 'async' = 'gone';
    const s = setup(async () => {
      if (mode === 'gone') return undefined;
      if (mode === 'throws') throw new Error('directory down: secret detail');
      return { email: 'a@example.com' };
    });
    const token = await s.token('openid email');
    const gone = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
    expect([gone.status, gone.body.error]).toEqual([401, 'invalid_token']);
    expect(challenge(gone)).toBe('Bearer realm="keyturn", error="invalid_token", error_description="the user of the access token is not known"');
    mode = 'throws';
    const failed = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
    expect([failed.status, failed.body.error]).toEqual([500, 'server_error']);
    expect(failed.text).not.toContain('secret detail');
    mode = 'async';
    const ok = await request(s.app).get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
    expect([ok.status, ok.body]).toEqual([200, { sub: 'alice', email: 'a@example.com' }]);
  });

  it('checks the hook at start-up', () => {
    expect(() => buildAuthorizeApp({ userInfo: 'nope' as never })).toThrow('options.authorization.userInfo must be a function');
  });
});
