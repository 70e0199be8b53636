/*
 * RFC 7009 (OAuth 2.0 Token Revocation)
 * §2.1: "The client also includes its authentication credentials as described in Section 2.3. of [RFC6749]."
 *   "token_type_hint OPTIONAL ... If the server is unable to locate the token using the given hint, it MUST
 *    extend its search across all of its supported token types."
 *   "The authorization server first validates the client credentials ... and then verifies whether the token
 *    was issued to the client making the revocation request. If this validation fails, the request is
 *    refused and the client is informed of the error"
 * §2.2: "The authorization server responds with HTTP status code 200 if the token has been revoked
 *    successfully or if the client submitted an invalid token."
 */
import request from 'supertest';
import { JWT_JOB, OPAQUE_JOB, OTHER } from '../support/clients';
import { buildTestApp, decodeJwt, tokenFor } from '../support/server';
import { findAccessRecord } from '../support/access-tokens';

const { app, auth } = buildTestApp();
afterAll(() => auth.close());

function revoke(client: { clientId: string; clientSecret?: string }, body: Record<string, string>) {
  return request(app).post('/revoke').auth(client.clientId, client.clientSecret ?? '').type('form').send(body);
}

function expectEmpty200(res: request.Response): void {
  expect(res.status).toBe(200);
  // §2.2 lets the server choose the body; clients such as simple-oauth2 need it to be JSON.
  expect(res.text).toBe('{}');
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers.pragma).toBe('no-cache');
}

describe('RFC 7009 §2.1: revoking access tokens', () => {
  it('deletes an opaque access token from the store', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    expect(await findAccessRecord(auth.store, token)).toMatchObject({ clientId: OPAQUE_JOB.clientId, sub: OPAQUE_JOB.clientId });
    expectEmpty200(await revoke(OPAQUE_JOB, { token }));
    expect(await findAccessRecord(auth.store, token)).toBeUndefined();
  });

  it('records the jti of a JWT as revoked, so the bearer check refuses it', async () => {
    const token = await tokenFor(app, JWT_JOB);
    const { jti } = decodeJwt(token).payload as { jti: string };
    expectEmpty200(await revoke(JWT_JOB, { token }));
    expect(await auth.store.isJwtIdRevoked(jti)).toBe(true);
    expect((await request(app).get('/accounts').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('treats token_type_hint only as a hint (a wrong or unknown hint still finds the token)', async () => {
    for (const hint of ['refresh_token', 'id_token']) {
      const token = await tokenFor(app, OPAQUE_JOB);
      expectEmpty200(await revoke(OPAQUE_JOB, { token, token_type_hint: hint }));
      expect(await findAccessRecord(auth.store, token)).toBeUndefined();
    }
    const jwt = await tokenFor(app, JWT_JOB);
    expectEmpty200(await revoke(JWT_JOB, { token: jwt, token_type_hint: 'refresh_token' }));
    expect(await auth.store.isJwtIdRevoked(decodeJwt(jwt).payload.jti as string)).toBe(true);
  });

  it('accepts client_secret_post credentials and a JSON body', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    const res = await request(app).post('/revoke').send({ token, client_id: OPAQUE_JOB.clientId, client_secret: OPAQUE_JOB.clientSecret });
    expectEmpty200(res);
    expect(await findAccessRecord(auth.store, token)).toBeUndefined();
  });
});

describe('RFC 7009 §2.2: 200 without revoking', () => {
  it('answers an unknown token with 200', async () => {
    expectEmpty200(await revoke(OPAQUE_JOB, { token: 'bm90LWEtdG9rZW4' }));
    expectEmpty200(await revoke(OPAQUE_JOB, { token: 'eyJhbGciOiJub25lIn0.e30.c2ln' }));
  });

  it("leaves another client's tokens alone and still answers 200", async () => {
    const opaque = await tokenFor(app, OPAQUE_JOB);
    const jwt = await tokenFor(app, JWT_JOB);
    expectEmpty200(await revoke(OTHER, { token: opaque }));
    expectEmpty200(await revoke(OTHER, { token: jwt }));
    expect(await findAccessRecord(auth.store, opaque)).toMatchObject({ clientId: OPAQUE_JOB.clientId, sub: OPAQUE_JOB.clientId });
    expect(await auth.store.isJwtIdRevoked(decodeJwt(jwt).payload.jti as string)).toBe(false);
    expect((await request(app).get('/accounts').set('Authorization', `Bearer ${jwt}`)).status).toBe(200);
  });

  it('answers an already revoked token with 200', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    expectEmpty200(await revoke(OPAQUE_JOB, { token }));
    expectEmpty200(await revoke(OPAQUE_JOB, { token }));
  });
});

describe('RFC 7009 §2.1: client authentication and request errors', () => {
  it('refuses a request without client authentication with 401 invalid_client', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    const res = await request(app).post('/revoke').type('form').send({ token });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="keyturn"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication is required' });
    expect(await findAccessRecord(auth.store, token)).toMatchObject({ clientId: OPAQUE_JOB.clientId, sub: OPAQUE_JOB.clientId });
  });

  it('refuses wrong credentials with 401 invalid_client', async () => {
    const token = await tokenFor(app, OPAQUE_JOB);
    const res = await revoke({ clientId: OPAQUE_JOB.clientId, clientSecret: 'wrong' }, { token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect(await findAccessRecord(auth.store, token)).toMatchObject({ clientId: OPAQUE_JOB.clientId, sub: OPAQUE_JOB.clientId });
  });

  it('answers a request without token with 400 invalid_request', async () => {
    const res = await revoke(OPAQUE_JOB, {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'token is required' });
  });

  it('answers GET with 405', async () => {
    const res = await request(app).get('/revoke');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });
});
