/*
 * The framework-free bearer core (no Express request needed) and requireBearer's remote introspection
 * (RFC 7662) against a real HTTP introspection endpoint started here: client_secret_basic credentials,
 * answers cached under the token's hash until the token's exp or the ttl, refresh tokens refused.
 */
import express from 'express';
import request from 'supertest';
import { BearerTokenMissingError, InsufficientScopeError, InvalidTokenError } from '../../lib/errors';
import { createBearerCheckCore as createBearerAuthenticator } from '../../lib/resource-server/bearer-check-core';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { TokenRejection } from '../../lib/resource-server/token-rejection';
import { listen, type Listening } from '../support/listen';

describe('createBearerAuthenticator: the core works on any request shape', () => {
  const core = createBearerAuthenticator({
    realm: 'svc',
    scopes: ['read'],
    verify: async (token) => {
      if (token !== 'good') throw new TokenRejection('the access token is unknown');
      return { clientId: 'c', sub: 'u', scopes: ['read'], claims: { sub: 'u' } };
    },
  });

  it('authenticates a plain object request', async () => {
    await expect(core.authenticate({ method: 'GET', headers: { authorization: 'Bearer good' } })).resolves.toEqual({
      token: 'good',
      clientId: 'c',
      sub: 'u',
      scopes: ['read'],
      claims: { sub: 'u' },
    });
  });

  it('fails with the RFC 6750 error classes carrying their challenges', async () => {
    const missing = await core.authenticate({ method: 'GET', headers: {} }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BearerTokenMissingError);
    expect((missing as BearerTokenMissingError).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="svc"' });
    const bad = await core.verifyToken('bad').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidTokenError);
    expect((bad as InvalidTokenError).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="svc", error="invalid_token", error_description="the access token is unknown"' });
    const scoped = createBearerAuthenticator({ realm: 'svc', scopes: ['write'], verify: async () => ({ clientId: 'c', sub: 'u', scopes: ['read'], claims: {} }) });
    const insufficient = await scoped.verifyToken('any').catch((e: unknown) => e);
    expect(insufficient).toBeInstanceOf(InsufficientScopeError);
    expect((insufficient as InsufficientScopeError).status).toBe(403);
  });
});

describe('requireBearer with remote introspection (RFC 7662)', () => {
  let server: Listening;
  let calls: Array<{ authorization: string | undefined; body: string }> = [];
  let answer: Record<string, unknown> = {};
  let status = 200;

  beforeAll(async () => {
    server = await listen((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        calls.push({ authorization: req.headers.authorization, body });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    calls = [];
    status = 200;
    answer = { active: true, client_id: 'job', sub: 'job', scope: 'read', token_type: 'Bearer', exp: Math.floor(Date.now() / 1000) + 600, iss: 'https://issuer.test' };
  });

  function app(cacheTtl?: number) {
    const a = express();
    a.get('/r', requireBearer({
      issuer: 'https://issuer.test',
      introspection: { url: `${server.url}/introspect`, clientId: 'api:1', clientSecret: 's3cr+t', ...(cacheTtl === undefined ? {} : { cacheTtl }) },
      scopes: ['read'],
    }), (req, res) => res.json({ clientId: req.auth?.clientId, claims: req.auth?.claims }));
    a.use(bearerErrorHandler());
    return a;
  }

  it('authenticates with client_secret_basic, form-encoding id and secret first (RFC 6749 §2.3.1)', async () => {
    const res = await request(app()).get('/r').set('Authorization', 'Bearer opaque-1');
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe('job');
    expect(calls).toEqual([
      { authorization: `Basic ${Buffer.from('api%3A1:s3cr%2Bt').toString('base64')}`, body: 'token=opaque-1&token_type_hint=access_token' },
    ]);
  });

  it('caches an active answer, and not beyond the token exp', async () => {
    const a = app();
    await request(a).get('/r').set('Authorization', 'Bearer opaque-2');
    await request(a).get('/r').set('Authorization', 'Bearer opaque-2');
    expect(calls).toHaveLength(1);

    answer = { ...answer, exp: Math.floor(Date.now() / 1000) + 2 };
    const start = Date.now();
    await request(a).get('/r').set('Authorization', 'Bearer opaque-3');
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start + 3_000);
    try {
      answer = { ...answer, exp: Math.floor((start + 600_000) / 1000) };
      expect((await request(a).get('/r').set('Authorization', 'Bearer opaque-3')).status).toBe(200);
    } finally {
      clock.mockRestore();
    }
    expect(calls).toHaveLength(3);
  });

  it('asks every time with cacheTtl 0', async () => {
    const a = app(0);
    await request(a).get('/r').set('Authorization', 'Bearer opaque-4');
    await request(a).get('/r').set('Authorization', 'Bearer opaque-4');
    expect(calls).toHaveLength(2);
  });

  it('refuses inactive tokens and tokens that are not access tokens', async () => {
    answer = { active: false };
    const inactive = await request(app()).get('/r').set('Authorization', 'Bearer opaque-5');
    expect(inactive.status).toBe(401);
    expect(inactive.body).toEqual({ error: 'invalid_token', error_description: 'the access token is not active' });
    answer = { active: true, client_id: 'job', token_type: 'refresh_token' };
    const refresh = await request(app()).get('/r').set('Authorization', 'Bearer opaque-6');
    expect(refresh.status).toBe(401);
    expect(refresh.body).toEqual({ error: 'invalid_token', error_description: 'the token is not an access token' });
    answer = { active: true, client_id: 'job', scope: 'read', iss: 'https://evil.test' };
    expect((await request(app()).get('/r').set('Authorization', 'Bearer opaque-7')).body.error_description).toBe('the access token was issued by another issuer');
    // RFC 9449 §6.2: a DPoP token introspected without its cnf must not pass as a bearer token.
    answer = { active: true, client_id: 'job', scope: 'read', token_type: 'DPoP', iss: 'https://issuer.test' };
    const keyless = await request(app()).get('/r').set('Authorization', 'Bearer opaque-9');
    expect([keyless.status, keyless.body]).toEqual([401, { error: 'invalid_token', error_description: 'the access token is DPoP-bound but its key is not given' }]);
  });

  it('answers 503 when the introspection endpoint fails', async () => {
    status = 502;
    const res = await request(app()).get('/r').set('Authorization', 'Bearer opaque-8');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: 'the access token could not be checked' });
  });
});
