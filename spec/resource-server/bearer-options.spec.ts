// Bearer options are checked when the route is built: a misspelt option, or a scope string where a list
// belongs, would otherwise weaken the route silently (a string spread into letters grants on one letter).
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';

const auth = createAuthorizationServer({
  clients: [{ clientId: 'job', clientSecret: 'job-secret', grants: ['client_credentials'], scopes: ['c', 'accounts'] }],
  allowPlaintextSecrets: true,
  issuer: 'https://auth.example.test',
});
afterAll(() => auth.close());

describe('bearer options', () => {
  it('refuses a scopes string (same process and remote alike)', () => {
    expect(() => requireBearer({ server: auth, scopes: 'accounts' as never, match: 'any' })).toThrow(
      new TypeError('requireBearer: options.scopes must be an array of scope strings'),
    );
    expect(() => requireBearer({ issuer: 'https://auth.example.test', audience: 'api', scopes: 'accounts' as never })).toThrow(
      new TypeError('requireBearer: options.scopes must be an array of scope strings'),
    );
  });

  it.each([
    [{ server: auth, scope: ['accounts'] }, 'requireBearer: options: unknown option "scope"'],
    [{ server: auth, tokenLocations: { bdy: true } }, 'requireBearer: options.tokenLocations: unknown option "bdy"'],
    [{ server: auth, verifiedTokenCache: { maxEntry: 5 } }, 'requireBearer: options.verifiedTokenCache: unknown option "maxEntry"'],
    [{ server: auth, jwksUri: 'https://auth.example.test/jwks' }, 'requireBearer: options: unknown option "jwksUri"'],
    [{ issuer: 'https://auth.example.test', audience: 'api', jwks: { cacheMaxAg: 5 } }, 'requireBearer: options.jwks: unknown option "cacheMaxAg"'],
    [{ issuer: 'https://auth.example.test', introspection: { clientId: 'a', clientSecret: 'b', cacheTtll: 1 } }, 'requireBearer: options.introspection: unknown option "cacheTtll"'],
  ])('refuses options it would not read: %#', (options, message) => {
    expect(() => requireBearer(options as never)).toThrow(new TypeError(message));
  });

  it('answers bearer errors with their challenge and JSON, without the token endpoint no-store headers', async () => {
    const app = express();
    app.get('/accounts', requireBearer({ server: auth, scopes: ['accounts'] }), (_req, res) => res.json({ ok: true }));
    app.use(bearerErrorHandler({ server: auth }));
    const res = await request(app).get('/accounts').set('Authorization', 'Bearer not-a-token');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="keyturn", error="invalid_token", error_description="the access token is unknown, expired or revoked"');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBeUndefined();
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is unknown, expired or revoked' });
  });
});

describe('the JWKS document', () => {
  it('carries an ETag and answers a conditional GET with 304 (RFC 9110 §13.1.2)', async () => {
    const app = express();
    app.use('/oauth2', auth.router());
    const first = await request(app).get('/oauth2/jwks');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    expect(first.headers.etag).toMatch(/^W\/".+"$/);
    const again = await request(app).get('/oauth2/jwks').set('If-None-Match', first.headers.etag as string);
    expect(again.status).toBe(304);
    const wrongMethod = await request(app).post('/oauth2/jwks');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    expect(wrongMethod.headers['cache-control']).toBeUndefined();
  });
});

describe('nested server options', () => {
  it.each([
    [{ accessToken: { fromat: 'jwt' } }, 'options.accessToken: unknown option "fromat"'],
    [{ accessToken: 'jwt' }, 'options.accessToken must be an object'],
    [{ refreshToken: { tll: 5 } }, 'options.refreshToken: unknown option "tll"'],
    [{ clientAuthentication: { realms: 'x' } }, 'options.clientAuthentication: unknown option "realms"'],
    [{ lockout: { maxFailure: 3 } }, 'options.lockout: unknown option "maxFailure"'],
    [{ rateLimit: { points: 5, durationSeconds: 1, burst: 2 } }, 'options.rateLimit: unknown option "burst"'],
  ])('refuses a misspelt key at any depth: %#', (extra, message) => {
    expect(() => createAuthorizationServer({ clients: [], ...(extra as object) })).toThrow(new TypeError(message));
  });
});
