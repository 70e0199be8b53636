/*
 * RFC 6750 §3 (The WWW-Authenticate Response Header Field):
 *   "If the protected resource request does not include authentication credentials or does not contain an
 *    access token that enables access to the protected resource, the resource server MUST include the HTTP
 *    WWW-Authenticate response header field"
 * §3.1: invalid_request -> 400, invalid_token -> 401, insufficient_scope -> 403 (with the scope needed);
 *   "If the request lacks any authentication information ... the resource server SHOULD NOT include an error
 *    code or other error information."
 * §2: tokens in the Authorization header; in a form body (§2.2) or the query (§2.3) only when enabled;
 *   "Clients MUST NOT use more than one method to transmit the token in each request."
 */
import express from 'express';
import passport from 'passport';
import request from 'supertest';
import { JOB, OTHER, OPAQUE_JOB, JWT_JOB } from '../support/clients';
import { buildTestApp, tokenFor } from '../support/server';

const { app, auth } = buildTestApp();

afterAll(() => auth.close());

describe('RFC 6750 §3.1: no authentication information', () => {
  it('answers a request without a token with 401 and a bare Bearer challenge', async () => {
    const res = await request(app).get('/accounts');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="keyturn"');
    expect(res.body).toEqual({ error: 'unauthorized', error_description: 'an access token is required' });
  });

  it('treats an Authorization header of another scheme as no token', async () => {
    const res = await request(app).get('/accounts').auth('someone', 'secret');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="keyturn"');
  });

  it('ignores access_token in the query unless enabled (RFC 6750 §2.3)', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    const res = await request(app).get('/accounts').query({ access_token: token });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="keyturn"');
  });
});

describe('RFC 6750 §3.1 invalid_request', () => {
  it.each([
    ['a Bearer scheme without a token', 'Bearer'],
    ['a token with characters outside b64token', 'Bearer abc$def'],
    ['two tokens', 'Bearer abc def'],
  ])('answers %s with 400', async (_name, header) => {
    const res = await request(app).get('/accounts').set('Authorization', header);
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="keyturn", error="invalid_request", error_description="the Authorization header is not a valid Bearer credential"',
    );
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'the Authorization header is not a valid Bearer credential' });
  });

  it('answers a token sent both in the header and in the body with 400 (RFC 6750 §2)', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    const res = await request(app).post('/accounts').set('Authorization', `Bearer ${token}`).type('form').send({ access_token: token });
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="keyturn", error="invalid_request", error_description="the access token must be sent by exactly one method"',
    );
  });
});

describe('RFC 6750 §3.1 invalid_token', () => {
  const invalid = (description: string) => `Bearer realm="keyturn", error="invalid_token", error_description="${description}"`;

  it('answers an unknown opaque token with 401 invalid_token', async () => {
    const res = await request(app).get('/accounts').set('Authorization', 'Bearer bm90LWEtdG9rZW4');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(invalid('the access token is unknown, expired or revoked'));
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is unknown, expired or revoked' });
  });

  it('answers an expired opaque token with 401 invalid_token', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    const later = Date.now() + 901_000;
    const now = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      const res = await request(app).get('/accounts').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(invalid('the access token is unknown, expired or revoked'));
    } finally {
      now.mockRestore();
    }
  });

  it('answers a revoked opaque token and a revoked JWT with 401 invalid_token', async () => {
    for (const [client, description] of [
      [OPAQUE_JOB, 'the access token is unknown, expired or revoked'],
      [JWT_JOB, 'the access token was revoked'],
    ] as const) {
      const token = await tokenFor(app, client);
      const revoked = await request(app).post('/revoke').auth(client.clientId, client.clientSecret!).type('form').send({ token });
      expect(revoked.status).toBe(200);
      const res = await request(app).get('/accounts').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(invalid(description));
    }
  });

  it('never echoes the token in the challenge or the body', async () => {
    const res = await request(app).get('/accounts').set('Authorization', 'Bearer c2VjcmV0LXRva2VuLXZhbHVl');
    expect(res.headers['www-authenticate']).not.toContain('c2VjcmV0LXRva2VuLXZhbHVl');
    expect(JSON.stringify(res.body)).not.toContain('c2VjcmV0LXRva2VuLXZhbHVl');
  });
});

describe('RFC 6750 §3.1 insufficient_scope', () => {
  it('answers a valid token without the needed scope with 403 and the scope needed', async () => {
    const token = await tokenFor(app, OTHER); // may only read
    const res = await request(app).post('/accounts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="keyturn", error="insufficient_scope", error_description="the access token lacks the scope this resource needs", scope="/accounts.write"',
    );
    expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'the access token lacks the scope this resource needs' });
  });

  it('matches all required scopes by default and any of them with match: "any"', async () => {
    const local = express();
    local.get('/all', auth.bearer({ scopes: ['/accounts.read', '/accounts.write'] }), (_req, res) => res.sendStatus(204));
    local.get('/any', auth.bearer({ scopes: ['/accounts.read', '/accounts.write'], match: 'any' }), (_req, res) => res.sendStatus(204));
    local.use(auth.errorHandler());
    const readOnly = await tokenFor(app, JOB, '/accounts.read');
    expect((await request(local).get('/all').set('Authorization', `Bearer ${readOnly}`)).status).toBe(403);
    expect((await request(local).get('/any').set('Authorization', `Bearer ${readOnly}`)).status).toBe(204);
  });
});

describe('RFC 6750 §2: a valid token reaches the route with req.auth', () => {
  it('sets req.auth for an opaque token', async () => {
    const token = await tokenFor(app, OPAQUE_JOB, '/accounts.read');
    const res = await request(app).get('/accounts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'opaque-job', sub: 'opaque-job', scopes: ['/accounts.read'] });
  });

  it('sets req.auth for a JWT, and accepts the scheme name in any case', async () => {
    const token = await tokenFor(app, JWT_JOB);
    const res = await request(app).get('/accounts').set('Authorization', `bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'jwt-job', sub: 'jwt-job', scopes: ['/accounts.read', '/accounts.write'] });
  });

  it('accepts a form-body token where enabled (RFC 6750 §2.2)', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    const res = await request(app).post('/accounts').type('form').send({ access_token: token });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ clientId: 'opaque-job' });
  });

  it('accepts a query token only where enabled (RFC 6750 §2.3)', async () => {
    const local = express();
    local.get('/q', auth.bearer({ tokenLocations: { query: true } }), (req, res) => res.json({ clientId: req.auth?.clientId }));
    local.use(auth.errorHandler());
    const token = await tokenFor(app, OPAQUE_JOB);
    const res = await request(local).get('/q').query({ access_token: token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'opaque-job' });
  });
});

describe('the errors are rendered by the server renderer', () => {
  it('uses options.renderError and leaves other errors to the app', async () => {
    const { app: custom, auth: customAuth } = buildTestApp({
      renderError: (err) => ({ status: err.status, headers: err.headers, body: { errors: [{ code: err.code }] } }),
    });
    const res = await request(custom).get('/accounts').set('Authorization', 'Bearer nope');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ code: 'invalid_token' }] });
    await customAuth.close();

    const local = express();
    local.get('/boom', () => {
      throw new Error('not an OAuth error');
    });
    local.use(auth.errorHandler());
    local.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(418).json({ handledBy: 'app' });
    });
    expect((await request(local).get('/boom')).body).toEqual({ handledBy: 'app' });
  });
});

describe('passport-http-bearer strategy over the same core', () => {
  const local = express();
  const pass = new passport.Passport();
  pass.use(auth.bearerStrategy({ scopes: ['/accounts.write'] }));
  local.get('/p', pass.authenticate('bearer', { session: false }), (req, res) => {
    res.json({ clientId: req.auth?.clientId });
  });
  local.use(auth.errorHandler());

  it('authenticates a valid token and sets req.auth', async () => {
    const token = await tokenFor(app, JWT_JOB);
    const res = await request(local).get('/p').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'jwt-job' });
  });

  it('renders invalid_token and insufficient_scope through the renderer', async () => {
    const bad = await request(local).get('/p').set('Authorization', 'Bearer nope');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: 'invalid_token', error_description: 'the access token is unknown, expired or revoked' });
    const token = await tokenFor(app, OTHER);
    const scope = await request(local).get('/p').set('Authorization', `Bearer ${token}`);
    expect(scope.status).toBe(403);
    expect(scope.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it("answers a request without a token with passport-http-bearer's own 401 challenge", async () => {
    const res = await request(local).get('/p');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="keyturn"');
  });
});
