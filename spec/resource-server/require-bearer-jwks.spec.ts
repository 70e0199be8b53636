/*
 * requireBearer with a remote JWKS (RFC 7517) and RFC 9068 §4 validation in a separate resource server:
 * keys are fetched from a real HTTP JWKS server started here, cached per kid, refetched when a token names
 * an unknown kid (the issuer rotated), and refetches are rate-limited.
 */
import express from 'express';
import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import request from 'supertest';
import { bearerErrorHandler, requireBearer, type RemoteBearerOptions as RequireBearerOptions } from '../../lib/resource-server';
import { ecKeyPair, pem, rsaKeyPair } from '../support/keys';
import { listen, type Listening } from '../support/listen';

const AUDIENCE = 'https://api.example.test';
const k1 = ecKeyPair();
const k2 = rsaKeyPair('rsa-c');

function jwk(key: KeyObject, kid: string, alg: string) {
  return { ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

let issuerServer: Listening;
let issuer: string;
let published: object[] = [];
let jwksFetches = 0;
let cacheControl = 'public, max-age=300';

beforeAll(async () => {
  issuerServer = await listen((req, res) => {
    if (req.url === '/jwks') {
      jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': cacheControl });
      return res.end(JSON.stringify({ keys: published }));
    }
    if (req.url === '/.well-known/oauth-authorization-server') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    }
    res.writeHead(404).end();
  });
  issuer = issuerServer.url;
});

afterAll(() => issuerServer.close());

beforeEach(() => {
  published = [jwk(k1.publicKey, 'k1', 'ES256')];
  jwksFetches = 0;
  cacheControl = 'public, max-age=300';
});

function token(options: { key?: jwt.Secret; alg?: jwt.Algorithm; kid?: string; claims?: Record<string, unknown> } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const alg = options.alg ?? 'ES256';
  return jwt.sign(
    { iss: issuer, sub: 'svc', aud: AUDIENCE, exp: now + 300, iat: now, jti: `j${Math.random()}`, client_id: 'svc', scope: 'read', ...options.claims },
    options.key ?? k1.privateKey,
    { algorithm: alg, header: { alg, typ: 'at+jwt', kid: options.kid ?? 'k1' } },
  );
}

function resourceServer(options: Partial<RequireBearerOptions> = {}) {
  const app = express();
  app.get('/data', requireBearer({ issuer, audience: AUDIENCE, jwksUri: `${issuer}/jwks`, scopes: ['read'], ...options }), (req, res) => {
    res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes });
  });
  app.use(bearerErrorHandler());
  return app;
}

const get = (app: express.Express, bearer: string) => request(app).get('/data').set('Authorization', `Bearer ${bearer}`);

describe('JWKS fetching and caching', () => {
  it('fetches the JWKS once and then serves keys from the cache', async () => {
    const app = resourceServer();
    expect((await get(app, token())).status).toBe(200);
    const res = await get(app, token());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'svc', scopes: ['read'] });
    expect(jwksFetches).toBe(1);
  });

  it('refetches on an unknown kid, which is how it learns of a rotation', async () => {
    const app = resourceServer();
    expect((await get(app, token())).status).toBe(200);
    published = [jwk(k2.publicKey, 'k2', 'RS256'), jwk(k1.publicKey, 'k1', 'ES256')];
    expect((await get(app, token({ key: k2.privateKey, alg: 'RS256', kid: 'k2' }))).status).toBe(200);
    expect(jwksFetches).toBe(2);
    expect((await get(app, token())).status).toBe(200);
    expect(jwksFetches).toBe(2);
  });

  it('rejects a kid the JWKS does not have, and rate-limits the refetches', async () => {
    const app = resourceServer({ jwks: { requestsPerMinute: 2 } });
    expect((await get(app, token())).status).toBe(200);
    const unknown = await get(app, token({ kid: 'nope-1' }));
    expect(unknown.status).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="the access token is signed by an unknown key"');
    expect(jwksFetches).toBe(2);
    const limited = await get(app, token({ kid: 'nope-2' }));
    expect(limited.status).toBe(401);
    expect(limited.body).toEqual({ error: 'invalid_token', error_description: 'the access token is signed by an unknown key' });
    expect(jwksFetches).toBe(2);
  });

  it('keeps keys no longer than the JWKS response Cache-Control max-age', async () => {
    cacheControl = 'public, max-age=60';
    const app = resourceServer();
    const start = Date.now();
    const first = token();
    expect((await get(app, first)).status).toBe(200);
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(start + 45_000);
      expect((await get(app, first)).status).toBe(200);
      expect(jwksFetches).toBe(1);
      clock.mockReturnValue(start + 61_000);
      expect((await get(app, first)).status).toBe(200);
      expect(jwksFetches).toBe(2);
    } finally {
      clock.mockRestore();
    }
  });

  it('discovers jwks_uri from the issuer metadata when only the issuer is given (RFC 8414)', async () => {
    const app = resourceServer({ jwksUri: undefined });
    expect((await get(app, token())).status).toBe(200);
    expect(jwksFetches).toBe(1);
  });

  it('answers 500 when the discovered metadata names no jwks_uri (a configuration fault, not the token\'s)', async () => {
    let bare: Listening | undefined;
    bare = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: bare!.url })));
    const app = express();
    app.get('/data', requireBearer({ issuer: bare.url, audience: AUDIENCE }), (_req, res) => res.sendStatus(204));
    app.use(bearerErrorHandler());
    const res = await get(app, token());
    await bare.close();
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'server_error' });
  });

  it('answers 503 temporarily_unavailable when the keys cannot be fetched', async () => {
    const down = await listen((_req, res) => res.writeHead(500).end());
    const app = resourceServer({ jwksUri: `${down.url}/jwks` });
    await down.close();
    const res = await get(app, token());
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: 'the signing keys could not be fetched' });
  });
});

describe('RFC 9068 §4 in the resource server', () => {
  let app: express.Express;
  beforeAll(() => {
    app = resourceServer();
  });
  const rejected = async (bearer: string, description: string) => {
    const res = await get(app, bearer);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", error="invalid_token", error_description="${description}"`);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: description });
  };

  it('rejects HS256 signed with a published public key as the secret (algorithm confusion)', async () => {
    published = [jwk(k2.publicKey, 'k2', 'RS256')];
    await rejected(token({ key: Buffer.from(pem(k2.publicKey)), alg: 'HS256', kid: 'k2' }), 'the access token is signed with an algorithm that is not accepted');
  });

  it('rejects alg none, expired, not-yet-valid, wrong issuer and wrong audience', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' })).toString('base64url');
    await rejected(`${header}.${token().split('.')[1]}.c2ln`, 'the access token is signed with an algorithm that is not accepted');
    const now = Math.floor(Date.now() / 1000);
    await rejected(token({ claims: { exp: now - 60 } }), 'the access token expired');
    await rejected(token({ claims: { nbf: now + 60 } }), 'the access token is not valid yet');
    await rejected(token({ claims: { iss: 'https://other.example' } }), 'the access token was issued by another issuer');
    await rejected(token({ claims: { aud: 'https://other-api.example' } }), 'the access token is meant for another audience');
  });

  it('rejects a key published for another algorithm', async () => {
    published = [jwk(k2.publicKey, 'k2', 'PS256')];
    await rejected(token({ key: k2.privateKey, alg: 'RS256', kid: 'k2' }), 'the access token is signed with an algorithm that is not accepted');
  });

  it('answers a missing scope with 403 insufficient_scope', async () => {
    const res = await get(app, token({ claims: { scope: 'write' } }));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="the access token lacks the scope this resource needs", scope="read"',
    );
  });

  it('honours clockTolerance', async () => {
    const strict = resourceServer({ clockTolerance: 0 });
    const now = Math.floor(Date.now() / 1000);
    expect((await get(strict, token({ claims: { exp: now - 3 } }))).status).toBe(401);
    expect((await get(app, token({ claims: { exp: now - 3 } }))).status).toBe(200);
  });
});

describe('verified-token cache: a reused JWT skips the signature check, never the checks that can change', () => {
  let verifications: jest.SpiedFunction<typeof jwt.verify>;
  beforeEach(() => {
    verifications = jest.spyOn(jwt, 'verify');
  });
  afterEach(() => jest.restoreAllMocks());

  /** Runs `during` with Date.now() fixed at `epochMs`, the clock of jsonwebtoken, the cache and the JWKS resolver. */
  async function at<T>(epochMs: number, during: () => Promise<T>): Promise<T> {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(epochMs);
    try {
      return await during();
    } finally {
      clock.mockRestore();
    }
  }
  const answer = (res: request.Response) => ({ status: res.status, authenticate: res.headers['www-authenticate'], body: res.body as unknown });
  const invalidToken = (description: string) => ({
    status: 401,
    authenticate: `Bearer realm="api", error="invalid_token", error_description="${description}"`,
    body: { error: 'invalid_token', error_description: description },
  });

  it('verifies a reused token once and answers it the same every time', async () => {
    const app = resourceServer();
    const bearer = token();
    const first = await get(app, bearer);
    const second = await get(app, bearer);
    expect(verifications).toHaveBeenCalledTimes(1);
    expect(answer(first)).toEqual({ status: 200, authenticate: undefined, body: { clientId: 'svc', scopes: ['read'] } });
    expect(answer(second)).toEqual(answer(first));
    expect(jwksFetches).toBe(1);
  });

  it('verifies every request with verifiedTokenCache: false', async () => {
    const app = resourceServer({ verifiedTokenCache: false });
    const bearer = token();
    expect((await get(app, bearer)).status).toBe(200);
    expect((await get(app, bearer)).status).toBe(200);
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('refuses a cached token once it expired (RFC 9068 §4), exactly as without the cache', async () => {
    const app = resourceServer();
    const uncached = resourceServer({ verifiedTokenCache: false });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const bearer = token({ claims: { exp } });
    expect((await get(app, bearer)).status).toBe(200);
    const [cachedAnswer, uncachedAnswer] = await at((exp + 5) * 1000, async () => [answer(await get(app, bearer)), answer(await get(uncached, bearer))]);
    expect(cachedAnswer).toEqual(invalidToken('the access token expired'));
    expect(uncachedAnswer).toEqual(cachedAnswer);
  });

  it('stops serving a cached token once its key is gone from the refetched JWKS', async () => {
    cacheControl = 'public, max-age=30';
    const app = resourceServer();
    const start = Date.now();
    const bearer = token();
    expect((await get(app, bearer)).status).toBe(200);
    published = [jwk(k2.publicKey, 'k2', 'RS256')];
    expect(answer(await at(start + 31_000, () => get(app, bearer)))).toEqual(invalidToken('the access token is signed by an unknown key'));
    expect(jwksFetches).toBe(2);
  });

  it('verifies a cached token again when the refetched JWKS has another key under its kid', async () => {
    cacheControl = 'public, max-age=30';
    const app = resourceServer();
    const start = Date.now();
    const bearer = token();
    expect((await get(app, bearer)).status).toBe(200);
    published = [jwk(ecKeyPair().publicKey, 'k1', 'ES256')];
    verifications.mockClear();
    expect(answer(await at(start + 31_000, () => get(app, bearer)))).toEqual(invalidToken('the access token signature is invalid'));
    expect(verifications).toHaveBeenCalledTimes(1);
  });

  it('keeps serving a cached token whose key is still published after the refetch', async () => {
    cacheControl = 'public, max-age=30';
    const app = resourceServer();
    const start = Date.now();
    const bearer = token();
    expect((await get(app, bearer)).status).toBe(200);
    published = [jwk(k2.publicKey, 'k2', 'RS256'), jwk(k1.publicKey, 'k1', 'ES256')];
    expect((await at(start + 31_000, () => get(app, bearer))).status).toBe(200);
    expect(jwksFetches).toBe(2);
  });
});

describe('shared HS256 secret', () => {
  const secret = 'a-very-long-shared-secret-of-32-bytes-or-more';

  it('accepts HS256 tokens made with the secret and refuses asymmetric ones', async () => {
    const app = resourceServer({ jwksUri: undefined, secret });
    expect((await get(app, token({ key: Buffer.from(secret), alg: 'HS256' }))).status).toBe(200);
    const res = await get(app, token());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is signed with an algorithm that is not accepted' });
  });
});

describe('options are checked when the middleware is built', () => {
  it.each([
    [{ issuer: 'not a url', audience: AUDIENCE }, 'requireBearer: options.issuer must be an absolute URL'],
    [{ issuer: 'https://a.example' }, 'requireBearer: options.audience is required to verify JWT access tokens (RFC 9068 §4), or give options.introspection'],
    [{ issuer: 'https://a.example', audience: AUDIENCE, jwksUri: 'https://a.example/jwks', secret: 'x'.repeat(32) }, 'requireBearer: give options.jwksUri or options.secret, not both'],
    [{ issuer: 'https://a.example', audience: AUDIENCE, secret: 'short' }, 'requireBearer: options.secret must be a secret of at least 32 bytes'],
    [{ issuer: 'https://a.example', introspection: { clientId: 'x', clientSecret: '' } }, 'requireBearer: options.introspection.clientSecret is required'],
    [{ issuer: 'https://a.example', audience: AUDIENCE, scopes: ['bad"scope'] }, 'bearer: scopes must be RFC 6749 §3.3 scope tokens'],
    [{ issuer: 'https://a.example', audience: AUDIENCE, verifiedTokenCache: { maxEntries: 0 } }, 'requireBearer: options.verifiedTokenCache must be false or { maxEntries: a positive integer }'],
    [{ issuer: 'https://a.example', audience: AUDIENCE, verifiedTokenCache: true }, 'requireBearer: options.verifiedTokenCache must be false or { maxEntries: a positive integer }'],
  ])('%#', (options, message) => {
    expect(() => requireBearer(options as RequireBearerOptions)).toThrow(new TypeError(message));
  });
});
