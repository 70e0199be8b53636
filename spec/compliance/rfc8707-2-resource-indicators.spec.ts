/*
 * RFC 8707 (Resource Indicators for OAuth 2.0)
 * §2: "resource: Indicates the target service or resource to which access is being requested. Its value MUST
 *   be an absolute URI, as specified by Section 4.3 of [RFC3986]. The URI MUST NOT include a fragment
 *   component." "Multiple resource parameters MAY be used to indicate that the requested token is intended to
 *   be used at multiple resources."
 * §2: "If the client omits the resource parameter when requesting authorization, the authorization server MAY
 *   process the request with no specific resource or by using a predefined default resource value."
 * §2: "invalid_target: The requested resource is invalid, missing, unknown, or malformed." "the authorization
 *   server SHOULD audience-restrict issued access tokens to the resource(s) indicated".
 * §2.1: the parameter is sent in the authorization request; §2.2: in the token request, where "the requested
 *   access token [can be] for a resource that is a subset of what was authorized": "the client ... can use
 *   the resource parameter to indicate the specific resource(s) for which the access token is requested", in
 *   a refresh too, and the refresh token stays good for every resource originally granted.
 * RFC 9068 §4 and RFC 6750 §3.1: a resource server refuses a token whose audience is not its own, with
 *   401 invalid_token.
 */
import express, { type Express } from 'express';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServer, type Client, type Store } from '../../lib';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { findAccessRecord } from '../support/access-tokens';
import { CHALLENGE, VERIFIER } from '../support/authorize';
import { ecKeyPair } from '../support/keys';
import { listen, type Listening } from '../support/listen';
import { storeBackends, type StoreBackend } from '../support/store-backends';

const LEDGER = 'https://ledger.internal/';
const PAYROLL = 'https://payroll.internal/api';
const AUDIT = 'urn:example:audit';
const CB = 'https://client.example/cb';

const JWT_JOB: Client = { clientId: 'ledger-job', clientSecret: 'job-secret', grants: ['client_credentials'], scopes: ['read'], accessTokenFormat: 'jwt', resources: [LEDGER, PAYROLL] };
const OPAQUE_JOB: Client = { ...JWT_JOB, clientId: 'ledger-opaque', clientSecret: 'opaque-secret', accessTokenFormat: 'opaque' };
const PLAIN_JOB: Client = { clientId: 'plain-job', clientSecret: 'plain-secret', grants: ['client_credentials'], scopes: ['read'], accessTokenFormat: 'jwt' };
const WEB: Client = {
  clientId: 'web-app', clientSecret: 'web-secret', grants: ['authorization_code', 'refresh_token'], scopes: ['read'],
  redirectUris: [CB], accessTokenFormat: 'opaque', resources: [LEDGER, PAYROLL, AUDIT],
};
const WEB_JWT: Client = { ...WEB, clientId: 'web-jwt', clientSecret: 'web-jwt-secret', accessTokenFormat: 'jwt' };
const API: Client = { clientId: 'ledger-api', clientSecret: 'api-secret', grants: ['client_credentials'], scopes: [], introspection: 'any' };

const key = ecKeyPair().privateKey;

function expectInvalidTarget(res: request.Response, description: string): void {
  expect(res.status).toBe(400);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toEqual({ error: 'invalid_target', error_description: description });
}

function expectWrongAudience(res: request.Response): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer realm="keyturn", error="invalid_token", error_description="the access token is meant for another audience"');
  expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is meant for another audience' });
}

describe.each(storeBackends('rfc8707').slice(0, 2))('RFC 8707 resource indicators (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let store: Store;
  let auth: AuthorizationServer;
  let app: Express;
  let server: Listening;
  let issuer: string;

  beforeAll(async () => {
    backend = await makeBackend();
    store = backend.store();
    let handler: Express | undefined;
    server = await listen((req, res) => handler!(req, res));
    issuer = `${server.url}/oauth2`;
    auth = createAuthorizationServer({
      clients: [JWT_JOB, OPAQUE_JOB, PLAIN_JOB, WEB, WEB_JWT, API],
      allowPlaintextSecrets: true,
      issuer,
      store,
      secret: 'rfc8707 spec secret, 32 bytes or more',
      signingKeys: [{ kid: 'ec-1', key }],
      grants: ['client_credentials', 'authorization_code', 'refresh_token'],
      refreshToken: { issueWithClientCredentials: false },
      authorization: {
        authenticateUser: (req) => {
          const user = req.headers['x-test-user'];
          return typeof user === 'string' ? { sub: user, authTime: 1_700_000_000 } : undefined;
        },
        renderConsent: (_req, res, { resource, action, fields }) => void res.json({ consent: { resource, action, fields } }),
      },
    });
    app = express();
    app.get('/.well-known/oauth-authorization-server/oauth2', auth.metadata());
    app.use('/oauth2', auth.router());
    // Two resource servers in the issuer's process, each checking its own audience.
    app.get('/ledger', auth.bearer({ audience: LEDGER }), (req, res) => void res.json({ aud: req.auth?.claims.aud }));
    app.get('/payroll', auth.bearer({ audience: PAYROLL }), (req, res) => void res.json({ aud: req.auth?.claims.aud }));
    app.use(auth.errorHandler());
    handler = app;
  });

  afterAll(async () => {
    await auth.close();
    await server.close();
    await backend.release();
  });

  const token = (client: Client, body: Record<string, string | string[]>) =>
    request(app).post('/oauth2/token').auth(client.clientId, client.clientSecret ?? '').type('form').send({ grant_type: 'client_credentials', ...body });

  /** GET /authorize with repeated parameters as given, through consent; the redirect's query. */
  async function authorize(resources: readonly string[], client: Client = WEB): Promise<URLSearchParams> {
    const query = new URLSearchParams({ response_type: 'code', client_id: client.clientId, redirect_uri: CB, scope: 'read', state: 's-1', code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    for (const r of resources) query.append('resource', r);
    const first = await request(app).get(`/oauth2/authorize?${query.toString()}`).set('x-test-user', 'alice');
    if (first.status !== 200) return new URL(first.headers.location as string).searchParams;
    expect(first.body.consent.resource).toEqual(resources.length === 0 ? undefined : [...new Set(resources)]);
    const cookie = (([] as string[]).concat(first.headers['set-cookie'] ?? [])[0] as string).split(';')[0] as string;
    const res = await request(app).post(first.body.consent.action).set('x-test-user', 'alice').set('Cookie', cookie).type('form').send({ ...first.body.consent.fields, decision: 'allow' });
    return new URL(res.headers.location as string).searchParams;
  }

  const exchange = (client: Client, code: string, resource?: string | string[]) =>
    request(app)
      .post('/oauth2/token')
      .auth(client.clientId, client.clientSecret ?? '')
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER, ...(resource === undefined ? {} : { resource }) });

  const refresh = (client: Client, refreshToken: string, resource?: string | string[]) =>
    request(app)
      .post('/oauth2/token')
      .auth(client.clientId, client.clientSecret ?? '')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refreshToken, ...(resource === undefined ? {} : { resource }) });

  const introspect = (accessToken: string) =>
    request(app).post('/oauth2/introspect').auth(API.clientId, API.clientSecret ?? '').type('form').send({ token: accessToken });

  describe('§2 client_credentials: "SHOULD audience-restrict issued access tokens to the resource(s) indicated"', () => {
    it('one resource: the JWT aud is that resource, as jose verifies against the published JWKS', async () => {
      const res = await token(JWT_JOB, { resource: LEDGER });
      expect(res.status).toBe(200);
      const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
      const { payload, protectedHeader } = await jwtVerify(res.body.access_token, jwks, { issuer, audience: LEDGER, typ: 'at+jwt' });
      expect(protectedHeader.typ).toBe('at+jwt');
      expect(payload.aud).toBe(LEDGER);
      await expect(jwtVerify(res.body.access_token, jwks, { issuer, audience: PAYROLL })).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
    });

    it('"Multiple resource parameters MAY be used": a repeated form field gives an aud of both', async () => {
      const res = await token(JWT_JOB, { resource: [LEDGER, PAYROLL] });
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token).aud).toEqual([LEDGER, PAYROLL]);
    });

    it('a JSON body carries several resources as an array; a resource named twice counts once', async () => {
      const res = await request(app)
        .post('/oauth2/token')
        .auth(JWT_JOB.clientId, 'job-secret')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ grant_type: 'client_credentials', resource: [PAYROLL, LEDGER, PAYROLL] }));
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token).aud).toEqual([PAYROLL, LEDGER]);
    });

    it('"If the client omits the resource parameter ... by using a predefined default": the server\'s default audience', async () => {
      const res = await token(JWT_JOB, {});
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token).aud).toBe(issuer);
    });

    it('an opaque token is stored with its audience, and introspection answers it as aud', async () => {
      const res = await token(OPAQUE_JOB, { resource: [LEDGER, PAYROLL] });
      expect(res.status).toBe(200);
      expect((await findAccessRecord(store, res.body.access_token))?.audience).toEqual([LEDGER, PAYROLL]);
      const answer = await introspect(res.body.access_token);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        active: true, scope: 'read', client_id: 'ledger-opaque', sub: 'ledger-opaque', exp: expect.any(Number), iat: expect.any(Number),
        aud: [LEDGER, PAYROLL], token_type: 'Bearer', iss: issuer,
      });
      const plain = await token(OPAQUE_JOB, {});
      expect((await findAccessRecord(store, plain.body.access_token))?.audience).toBeUndefined();
      expect((await introspect(plain.body.access_token)).body.aud).toBe(issuer);
    });

    it('"invalid_target: The requested resource is ... unknown": a resource outside the client\'s allowance', async () => {
      expectInvalidTarget(await token(JWT_JOB, { resource: AUDIT }), 'the requested resource is not allowed for this client');
      expectInvalidTarget(await token(JWT_JOB, { resource: [LEDGER, AUDIT] }), 'the requested resource is not allowed for this client');
    });

    it('a client registered without resources may name none', async () => {
      expectInvalidTarget(await token(PLAIN_JOB, { resource: LEDGER }), 'the requested resource is not allowed for this client');
      const res = await token(PLAIN_JOB, {});
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token).aud).toBe(issuer);
    });

    it('"MUST be an absolute URI" and "MUST NOT include a fragment component": invalid_target', async () => {
      for (const bad of ['/ledger', 'ledger.internal', `${LEDGER}#part`, 'https://ledger.internal/ spaced', `https://x.example/${'a'.repeat(3000)}`]) {
        expectInvalidTarget(await token(JWT_JOB, { resource: bad }), 'resource must be an absolute URI without a fragment');
      }
    });

    it('a resource that is no string in a JSON body is invalid_request, as any other parameter', async () => {
      for (const resource of [42, { uri: LEDGER }, [LEDGER, 7], null]) {
        const res = await request(app)
          .post('/oauth2/token')
          .auth(JWT_JOB.clientId, 'job-secret')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ grant_type: 'client_credentials', resource }));
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: 'invalid_request', error_description: 'parameter resource must be a string or a list of strings' });
      }
    });

    it('resource alone may repeat: other parameters sent twice are still invalid_request (RFC 6749 §3.2)', async () => {
      const res = await token(JWT_JOB, { scope: ['read', 'read'], resource: [LEDGER, PAYROLL] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'parameter scope is repeated' });
    });

    it('more than 16 resources is invalid_target, whatever they are', async () => {
      expectInvalidTarget(await token(JWT_JOB, { resource: Array.from({ length: 17 }, () => LEDGER) }), 'at most 16 resource parameters may be sent');
    });
  });

  describe('the audience is checked where the token is used: a token for one resource is refused at another', () => {
    it('auth.bearer({ audience }): a JWT and an opaque token for the ledger pass there and are 401 at payroll', async () => {
      for (const client of [JWT_JOB, OPAQUE_JOB]) {
        const { body } = await token(client, { resource: LEDGER });
        const ok = await request(app).get('/ledger').set('Authorization', `Bearer ${body.access_token}`);
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual({ aud: LEDGER });
        expectWrongAudience(await request(app).get('/payroll').set('Authorization', `Bearer ${body.access_token}`));
      }
    });

    it('auth.bearer({ audience }): a token for the default audience is refused at a resource that is not it', async () => {
      for (const client of [JWT_JOB, OPAQUE_JOB]) {
        const { body } = await token(client, {});
        expectWrongAudience(await request(app).get('/ledger').set('Authorization', `Bearer ${body.access_token}`));
      }
    });

    it('requireBearer by JWKS and by introspection in another service: refused unless the audience is its own', async () => {
      const introspection = { clientId: API.clientId, clientSecret: 'api-secret', cacheTtl: 0 };
      const rs = express();
      rs.get('/jwks-ledger', requireBearer({ issuer, audience: LEDGER }), (req, res) => void res.json({ aud: req.auth?.claims.aud }));
      rs.get('/jwks-payroll', requireBearer({ issuer, audience: PAYROLL }), (_req, res) => void res.sendStatus(204));
      rs.get('/intro-ledger', requireBearer({ issuer, audience: LEDGER, introspection }), (req, res) => void res.json({ aud: req.auth?.claims.aud }));
      rs.get('/intro-payroll', requireBearer({ issuer, audience: PAYROLL, introspection }), (_req, res) => void res.sendStatus(204));
      rs.use(bearerErrorHandler());
      const expectRemoteWrongAudience = (res: request.Response): void => {
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="the access token is meant for another audience"');
        expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is meant for another audience' });
      };
      const jwt = (await token(JWT_JOB, { resource: LEDGER })).body.access_token as string;
      const ok = await request(rs).get('/jwks-ledger').set('Authorization', `Bearer ${jwt}`);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ aud: LEDGER });
      expectRemoteWrongAudience(await request(rs).get('/jwks-payroll').set('Authorization', `Bearer ${jwt}`));
      const opaque = (await token(OPAQUE_JOB, { resource: LEDGER })).body.access_token as string;
      const okIntro = await request(rs).get('/intro-ledger').set('Authorization', `Bearer ${opaque}`);
      expect(okIntro.status).toBe(200);
      expect(okIntro.body).toEqual({ aud: LEDGER });
      expectRemoteWrongAudience(await request(rs).get('/intro-payroll').set('Authorization', `Bearer ${opaque}`));
    });
  });

  describe('§2.1 authorization request and §2.2 token request (authorization_code, refresh_token)', () => {
    it('the code keeps the resources approved; the token request may narrow them; the refresh token keeps them all', async () => {
      const redirect = await authorize([LEDGER, PAYROLL]);
      const code = redirect.get('code') as string;
      expect(code).toEqual(expect.any(String));
      const res = await exchange(WEB, code, LEDGER);
      expect(res.status).toBe(200);
      expect((await findAccessRecord(store, res.body.access_token))?.audience).toEqual([LEDGER]);
      // §2.2: a refresh may ask for any resource originally granted, one access token at a time or several.
      const second = await refresh(WEB, res.body.refresh_token, PAYROLL);
      expect(second.status).toBe(200);
      expect((await findAccessRecord(store, second.body.access_token))?.audience).toEqual([PAYROLL]);
      expect((await introspect(second.body.access_token)).body.aud).toBe(PAYROLL);
      const third = await refresh(WEB, second.body.refresh_token);
      expect(third.status).toBe(200);
      expect((await findAccessRecord(store, third.body.access_token))?.audience).toEqual([LEDGER, PAYROLL]);
      const fourth = await refresh(WEB, third.body.refresh_token, [PAYROLL, LEDGER]);
      expect(fourth.status).toBe(200);
      expect((await findAccessRecord(store, fourth.body.access_token))?.audience).toEqual([PAYROLL, LEDGER]);
    });

    it('JWT access tokens of the code and of its refreshes carry the narrowed aud', async () => {
      const code = (await authorize([LEDGER, PAYROLL], WEB_JWT)).get('code') as string;
      const first = await exchange(WEB_JWT, code);
      expect(first.status).toBe(200);
      expect(decodeJwt(first.body.access_token).aud).toEqual([LEDGER, PAYROLL]);
      const narrowed = await refresh(WEB_JWT, first.body.refresh_token, PAYROLL);
      expect(narrowed.status).toBe(200);
      const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
      expect((await jwtVerify(narrowed.body.access_token, jwks, { issuer, audience: PAYROLL })).payload.aud).toBe(PAYROLL);
    });

    it('§2.2: a refresh asking for a resource the grant did not include is invalid_target, and the refresh token still works', async () => {
      const code = (await authorize([LEDGER])).get('code') as string;
      const res = await exchange(WEB, code);
      expect(res.status).toBe(200);
      // AUDIT is within the client's allowance but was not part of this grant.
      expectInvalidTarget(await refresh(WEB, res.body.refresh_token, AUDIT), 'the requested resource was not part of the authorization grant');
      expectInvalidTarget(await refresh(WEB, res.body.refresh_token, `${LEDGER}#frag`), 'resource must be an absolute URI without a fragment');
      expectInvalidTarget(await refresh(WEB, res.body.refresh_token, 'https://elsewhere.example/'), 'the requested resource is not allowed for this client');
      const again = await refresh(WEB, res.body.refresh_token, LEDGER);
      expect(again.status).toBe(200);
      expect((await findAccessRecord(store, again.body.access_token))?.audience).toEqual([LEDGER]);
    });

    it('§2.2: a code exchange asking for a resource the authorization did not include is invalid_target', async () => {
      const code = (await authorize([LEDGER])).get('code') as string;
      expectInvalidTarget(await exchange(WEB, code, PAYROLL), 'the requested resource was not part of the authorization grant');
    });

    it('a malformed or unallowed resource at the code exchange is refused before the code is spent', async () => {
      const code = (await authorize([LEDGER])).get('code') as string;
      expectInvalidTarget(await exchange(WEB, code, 'ledger'), 'resource must be an absolute URI without a fragment');
      expectInvalidTarget(await exchange(WEB, code, 'https://elsewhere.example/'), 'the requested resource is not allowed for this client');
      const res = await exchange(WEB, code, LEDGER);
      expect(res.status).toBe(200);
    });

    it('an authorization without resource gives tokens for the default audience, and a later resource is not granted', async () => {
      const code = (await authorize([])).get('code') as string;
      const res = await exchange(WEB, code);
      expect(res.status).toBe(200);
      expect((await findAccessRecord(store, res.body.access_token))?.audience).toBeUndefined();
      expectInvalidTarget(await refresh(WEB, res.body.refresh_token, LEDGER), 'the requested resource was not part of the authorization grant');
    });

    it('§2: "invalid_target" at /authorize goes back to the redirect URI with state and iss', async () => {
      for (const [resources, description] of [
        [['https://elsewhere.example/'], 'the requested resource is not allowed for this client'],
        [[`${LEDGER}#x`], 'resource must be an absolute URI without a fragment'],
        [['relative/path'], 'resource must be an absolute URI without a fragment'],
      ] as const) {
        const redirect = await authorize(resources);
        expect(Object.fromEntries(redirect)).toEqual({ error: 'invalid_target', error_description: description, state: 's-1', iss: issuer });
      }
    });
  });
});
