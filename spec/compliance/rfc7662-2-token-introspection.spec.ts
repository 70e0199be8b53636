/*
 * RFC 7662 (OAuth 2.0 Token Introspection)
 * §2.1: "the endpoint MUST also require some form of authorization to access this endpoint"
 *   "token_type_hint OPTIONAL ... If the server is unable to locate the token using the given hint, it MUST
 *    extend its search across all of its supported token types."
 * §2.2: "active REQUIRED"; "If the introspection call is properly authorized but the token is not active,
 *    does not exist on this server, or the protected resource is not allowed to introspect this particular
 *    token, then the authorization server MUST return an introspection response with the "active" field set
 *    to "false"." ... "SHOULD NOT include any additional information about an inactive token".
 * §4: the server decides which callers may learn about which tokens.
 */
import request from 'supertest';
import { JWT_JOB, OPAQUE_JOB, OTHER, PUBLIC_APP, RESOURCE_SERVER } from '../support/clients';
import { buildTestApp, decodeJwt, ISSUER, tokenFor } from '../support/server';
import { findAccessRecord } from '../support/access-tokens';

const { app, auth } = buildTestApp();
afterAll(() => auth.close());

function introspect(client: { clientId: string; clientSecret?: string }, body: Record<string, string>) {
  return request(app).post('/introspect').auth(client.clientId, client.clientSecret ?? '').type('form').send(body);
}

function expectInactive(res: request.Response): void {
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toEqual({ active: false });
}

describe('RFC 7662 §2.2: live tokens', () => {
  it('describes an opaque access token', async () => {
    const token = await tokenFor(app, OPAQUE_JOB, '/accounts.read');
    const record = await findAccessRecord(auth.store, token);
    const res = await introspect(OPAQUE_JOB, { token });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      active: true,
      scope: '/accounts.read',
      client_id: 'opaque-job',
      sub: 'opaque-job',
      exp: record!.expiresAt,
      iat: record!.issuedAt,
      // The server's default audience, as a JWT would carry it (RFC 8707 restricts it when a resource is named).
      aud: ISSUER,
      token_type: 'Bearer',
      iss: ISSUER,
    });
  });

  it('describes a JWT access token from its claims', async () => {
    const token = await tokenFor(app, JWT_JOB);
    const claims = decodeJwt(token).payload;
    const res = await introspect(JWT_JOB, { token, token_type_hint: 'access_token' });
    expect(res.body).toEqual({
      active: true,
      scope: '/accounts.read /accounts.write',
      client_id: 'jwt-job',
      sub: 'jwt-job',
      exp: claims.exp,
      iat: claims.iat,
      aud: ISSUER,
      token_type: 'Bearer',
      iss: ISSUER,
      jti: claims.jti,
    });
  });

  it('finds the token whatever the hint says', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    expect((await introspect(OPAQUE_JOB, { token, token_type_hint: 'refresh_token' })).body.active).toBe(true);
  });

  it('lets a resource server registered with introspection "any" see any client\'s tokens', async () => {
    const opaque = await tokenFor(app, OPAQUE_JOB);
    const jwt = await tokenFor(app, JWT_JOB);
    expect((await introspect(RESOURCE_SERVER, { token: opaque })).body).toMatchObject({ active: true, client_id: 'opaque-job' });
    expect((await introspect(RESOURCE_SERVER, { token: jwt })).body).toMatchObject({ active: true, client_id: 'jwt-job' });
  });
});

describe('RFC 7662 §2.2: {active:false} for anything not live or not the caller\'s business', () => {
  it('unknown tokens, opaque or JWT-shaped', async () => {
    expectInactive(await introspect(OPAQUE_JOB, { token: 'bm90LWEtdG9rZW4' }));
    expectInactive(await introspect(OPAQUE_JOB, { token: 'eyJhbGciOiJub25lIn0.e30.c2ln' }));
  });

  it('revoked tokens of both formats', async () => {
    for (const client of [OPAQUE_JOB, JWT_JOB]) {
      const token = await tokenFor(app, client);
      await request(app).post('/revoke').auth(client.clientId, client.clientSecret!).type('form').send({ token });
      expectInactive(await introspect(client, { token }));
    }
  });

  it('expired tokens of both formats', async () => {
    const opaque = await tokenFor(app, OPAQUE_JOB);
    const jwt = await tokenFor(app, JWT_JOB);
    const later = Date.now() + 901_000;
    const now = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expectInactive(await introspect(OPAQUE_JOB, { token: opaque }));
      expectInactive(await introspect(JWT_JOB, { token: jwt }));
    } finally {
      now.mockRestore();
    }
  });

  it("another client's tokens", async () => {
    expectInactive(await introspect(OTHER, { token: await tokenFor(app, OPAQUE_JOB) }));
    expectInactive(await introspect(OTHER, { token: await tokenFor(app, JWT_JOB) }));
  });
});

describe('RFC 7662 §2.1: authorization of the caller', () => {
  it('refuses a request without client authentication with 401 invalid_client', async () => {
    const res = await request(app).post('/introspect').type('form').send({ token: await tokenFor(app, OPAQUE_JOB) });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="keyturn"');
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication is required' });
  });

  it('refuses a public client, which proves nothing by its client_id', async () => {
    const res = await request(app).post('/introspect').type('form').send({ token: 'abc', client_id: PUBLIC_APP.clientId });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="keyturn"');
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'introspection requires client authentication' });
  });

  it('refuses wrong credentials with 401 invalid_client', async () => {
    const res = await introspect({ clientId: OPAQUE_JOB.clientId, clientSecret: 'wrong' }, { token: 'abc' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('answers a request without token with 400 invalid_request', async () => {
    const res = await introspect(OPAQUE_JOB, {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'token is required' });
  });
});
