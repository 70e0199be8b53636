/*
 * RFC 9068 (JWT Profile for OAuth 2.0 Access Tokens)
 * §2.1: "Access token JWTs MUST include this media type in the "typ" header parameter ... "at+jwt"."
 * §2.2: iss, exp, aud, sub, client_id, iat, jti are REQUIRED; scope per RFC 8693 §4.2.
 * §4: the resource server MUST verify typ, iss, aud, the signature with the algorithm the issuer uses
 *   (never "none"), and exp.
 */
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { JWT_JOB, OPAQUE_JOB, JOB } from '../support/clients';
import { ecKeyPair, pem, rsaKeyPair } from '../support/keys';
import { buildTestApp, decodeJwt, ISSUER, tokenFor } from '../support/server';

const rsa = rsaKeyPair('rsa-a');
const intruder = rsaKeyPair('rsa-b');
const ec = ecKeyPair();
const { app, auth } = buildTestApp({
  accessToken: { format: 'jwt' },
  signingKeys: [
    { kid: 'rsa-1', key: pem(rsa.privateKey) },
    { kid: 'ec-1', key: ec.privateKey },
  ],
});

afterAll(() => auth.close());

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    sub: 'jwt-job',
    aud: ISSUER,
    exp: now + 300,
    iat: now,
    jti: `jti-${Math.random()}`,
    client_id: 'jwt-job',
    scope: '/accounts.read',
    ...overrides,
  };
}

function sign(payload: Record<string, unknown>, options: { key?: jwt.Secret; alg?: jwt.Algorithm; header?: Record<string, unknown> } = {}): string {
  const alg = options.alg ?? 'RS256';
  return jwt.sign(payload, options.key ?? rsa.privateKey, { algorithm: alg, header: { alg, typ: 'at+jwt', kid: 'rsa-1', ...options.header } });
}

async function call(token: string) {
  return request(app).get('/accounts').set('Authorization', `Bearer ${token}`);
}

/** The protected route answered with the token's client, subject and scopes (the claims() defaults). */
function expectAccepted(res: request.Response): void {
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ clientId: 'jwt-job', sub: 'jwt-job', scopes: ['/accounts.read'] });
}

function expectInvalidToken(res: request.Response, description: string): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe(`Bearer realm="keyturn", error="invalid_token", error_description="${description}"`);
  expect(res.body).toEqual({ error: 'invalid_token', error_description: description });
}

describe('RFC 9068 §2.1 and §2.2: header and claims', () => {
  it('signs with the first key and puts typ at+jwt and kid in the header', async () => {
    const token = await tokenFor(app, JOB);
    const { header, payload } = decodeJwt(token);
    expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'rsa-1' });
    expect(Object.keys(payload)).toEqual(['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope']);
    expect(payload).toMatchObject({ iss: ISSUER, sub: 'reporting-job', aud: ISSUER, client_id: 'reporting-job', scope: '/accounts.read /accounts.write' });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(decodeJwt(await tokenFor(app, JOB)).payload.jti).not.toBe(payload.jti);
  });

  it('uses accessToken.audience for aud', async () => {
    const { app: other, auth: otherAuth } = buildTestApp({ accessToken: { format: 'jwt', audience: ['https://api.one', 'https://api.two'] } });
    expect(decodeJwt(await tokenFor(other, JOB)).payload.aud).toEqual(['https://api.one', 'https://api.two']);
    await otherAuth.close();
  });

  it('lets a client override the server format either way', async () => {
    expect(await tokenFor(app, OPAQUE_JOB)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { app: opaqueByDefault, auth: opaqueAuth } = buildTestApp();
    expect(decodeJwt(await tokenFor(opaqueByDefault, JWT_JOB)).header.typ).toBe('at+jwt');
    expect(await tokenFor(opaqueByDefault, JOB)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await opaqueAuth.close();
  });

  it('labels token_type by the format of each token when tokenTypeLabel is a function (Moov)', async () => {
    const { app: moov, auth: moovAuth } = buildTestApp({ tokenTypeLabel: (format) => format });
    const label = async (client: typeof JWT_JOB) =>
      (await request(moov).post('/token').auth(client.clientId, client.clientSecret!).type('form').send({ grant_type: 'client_credentials' })).body.token_type;
    expect(await label(JWT_JOB)).toBe('jwt');
    expect(await label(OPAQUE_JOB)).toBe('opaque');
    expect(await label(JOB)).toBe('opaque');
    await moovAuth.close();
  });

  it('accepts its own tokens on a protected route', async () => {
    const res = await call(await tokenFor(app, JOB));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'reporting-job', sub: 'reporting-job', scopes: ['/accounts.read', '/accounts.write'] });
  });
});

describe('RFC 9068 §4: validation rejects', () => {
  it('a tampered payload', async () => {
    const [header, , signature] = (await tokenFor(app, JOB)).split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims(), sub: 'admin' })).toString('base64url');
    expectInvalidToken(await call(`${header}.${payload}.${signature}`), 'the access token signature is invalid');
  });

  it('a token signed by another key under a known kid', async () => {
    expectInvalidToken(await call(sign(claims(), { key: intruder.privateKey })), 'the access token signature is invalid');
  });

  it('a token with an unknown kid', async () => {
    expectInvalidToken(await call(sign(claims(), { header: { kid: 'rsa-9' } })), 'the access token is signed by an unknown key');
  });

  it('alg none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'rsa-1' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
    // With the signature empty it is not even JWS-shaped, so it is looked up as an opaque token and not found.
    expectInvalidToken(await call(`${header}.${payload}.`), 'the access token is unknown, expired or revoked');
    expectInvalidToken(await call(`${header}.${payload}.c2ln`), 'the access token is signed with an algorithm that is not accepted');
  });

  it('HS256 "signed" with the RSA public key as the HMAC secret (algorithm confusion)', async () => {
    const forged = sign(claims(), { key: Buffer.from(pem(rsa.publicKey)), alg: 'HS256' });
    expectInvalidToken(await call(forged), 'the access token is signed with an algorithm that is not accepted');
  });

  it('an RS256 header over the EC key', async () => {
    expectInvalidToken(await call(sign(claims(), { header: { kid: 'ec-1' } })), 'the access token is signed with an algorithm that is not accepted');
  });

  it('an expired token, beyond the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectInvalidToken(await call(sign(claims({ iat: now - 100, exp: now - 10 }))), 'the access token expired');
  });

  it('but not a token expired within the 5 s clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectAccepted(await call(sign(claims({ iat: now - 100, exp: now - 2 }))));
  });

  it('a token not yet valid', async () => {
    expectInvalidToken(await call(sign(claims({ nbf: Math.floor(Date.now() / 1000) + 60 }))), 'the access token is not valid yet');
  });

  it('a token of another issuer', async () => {
    expectInvalidToken(await call(sign(claims({ iss: 'https://evil.example' }))), 'the access token was issued by another issuer');
  });

  it('a token for another audience', async () => {
    expectInvalidToken(await call(sign(claims({ aud: 'https://elsewhere.example' }))), 'the access token is meant for another audience');
  });

  it('a JWT that is not an access token (typ JWT, as an ID token would have)', async () => {
    expectInvalidToken(await call(sign(claims(), { header: { typ: 'JWT' } })), 'the token is not a JWT access token (typ must be at+jwt)');
  });

  it('a token lacking a required claim', async () => {
    const { jti: _jti, ...noJti } = claims();
    expectInvalidToken(await call(sign(noJti)), 'the access token lacks a valid jti claim');
    const { exp: _exp, ...noExp } = claims();
    expectInvalidToken(await call(sign(noExp)), 'the access token lacks a valid exp claim');
  });

  it('accepts application/at+jwt as typ and a token made by hand with the same key', async () => {
    expectAccepted(await call(sign(claims(), { header: { typ: 'application/at+jwt' } })));
  });
});

describe('options are checked at start-up', () => {
  it.each([
    [{ accessToken: { format: 'jwt' as const } }, 'options.accessToken.format "jwt" needs options.issuer (the iss claim)'],
    [{ issuer: ISSUER, accessToken: { format: 'paseto' as never } }, 'options.accessToken.format must be "opaque" or "jwt"'],
    [{ issuer: ISSUER, signingKeys: [] }, 'options.signingKeys must be a non-empty array'],
    [{ issuer: ISSUER, signingKeys: [{ kid: 'a', key: ec.privateKey }, { kid: 'a', key: ec.publicKey }] }, 'options.signingKeys[1].kid "a" is listed twice'],
    [{ issuer: ISSUER, signingKeys: [{ kid: 'a', key: ec.publicKey }] }, 'options.signingKeys[0] must be a private key or secret: it signs new tokens'],
    [{ issuer: ISSUER, signingKeys: [{ kid: 'a', alg: 'HS256' as const, key: 'short' }] }, 'options.signingKeys[0]: an HS256 secret needs at least 32 bytes'],
    [{ issuer: ISSUER, signingKeys: [{ kid: 'a', alg: 'ES256' as const, key: rsa.privateKey }] }, 'options.signingKeys[0]: ES256 needs a P-256 EC key'],
    [{ issuer: ISSUER, signingKeys: [{ kid: 'a', alg: 'none' as never, key: rsa.privateKey }] }, 'options.signingKeys[0].alg must be one of RS256, PS256, ES256, HS256'],
    [{ issuer: ISSUER, signingKeys: [{ kid: 'a', key: 'not a key' }] }, 'options.signingKeys[0].key is not a readable PEM or JWK key'],
    [{ issuer: ISSUER, mountPath: 'oauth2/' }, 'options.mountPath must be "" or a path starting with "/" and not ending with "/", e.g. "/oauth2"'],
  ])('%#: %p', (options, message) => {
    expect(() => createAuthorizationServer({ clients: [], ...options })).toThrow(new TypeError(message));
  });

  it('refuses weak RSA keys and Ed25519 (which jsonwebtoken cannot sign)', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => createAuthorizationServer({ clients: [], issuer: ISSUER, signingKeys: [{ kid: 'w', key: weak }] })).toThrow('RSA keys need at least 2048 bits');
    const ed = generateKeyPairSync('ed25519').privateKey;
    expect(() => createAuthorizationServer({ clients: [], issuer: ISSUER, signingKeys: [{ kid: 'e', key: ed }] })).toThrow('ed25519 keys are not supported');
  });

  it('verifies HS256 in process with a shared secret', async () => {
    const secret = 'a-very-long-shared-secret-of-32-bytes-or-more';
    const { app: hs, auth: hsAuth } = buildTestApp({ accessToken: { format: 'jwt' }, signingKeys: [{ kid: 'hs', alg: 'HS256', key: secret }] });
    const token = await tokenFor(hs, JOB);
    expect(decodeJwt(token).header).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'hs' });
    expect((await request(hs).get('/accounts').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    // HS256 keys are never published.
    expect((await request(hs).get('/jwks')).body).toEqual({ keys: [] });
    await hsAuth.close();
  });
});
