/*
 * Signing key rotation: "a new key signs, old keys keep verifying until their tokens expire", and
 * RFC 7517 §5: the JWK Set the server publishes at GET /jwks, cacheable for jwksMaxAge seconds.
 */
import request from 'supertest';
import { JOB } from '../support/clients';
import { ecKeyPair, pem, rsaKeyPair } from '../support/keys';
import { buildTestApp, decodeJwt, tokenFor } from '../support/server';

const old = ecKeyPair();
const next = rsaKeyPair('rsa-a');

describe('key rotation', () => {
  const before = buildTestApp({ accessToken: { format: 'jwt' }, signingKeys: [{ kid: 'old', key: old.privateKey }] });
  // After the rotation the new key signs; the old one stays as a public key, for verification only.
  const after = buildTestApp({
    accessToken: { format: 'jwt' },
    signingKeys: [
      { kid: 'new', key: pem(next.privateKey) },
      { kid: 'old', key: pem(old.publicKey) },
    ],
    jwksMaxAge: 600,
  });
  const retired = buildTestApp({ accessToken: { format: 'jwt' }, signingKeys: [{ kid: 'new', key: next.privateKey }] });

  afterAll(async () => {
    await Promise.all([before.auth.close(), after.auth.close(), retired.auth.close()]);
  });

  it('keeps verifying a token signed by the old key', async () => {
    const token = await tokenFor(before.app, JOB);
    expect(decodeJwt(token).header.kid).toBe('old');
    const res = await request(after.app).get('/accounts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
  });

  it('signs new tokens with the new key', async () => {
    const token = await tokenFor(after.app, JOB);
    expect(decodeJwt(token).header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'new' });
    expect((await request(after.app).get('/accounts').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('stops verifying old tokens once the old key is removed', async () => {
    const token = await tokenFor(before.app, JOB);
    const res = await request(retired.app).get('/accounts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'the access token is signed by an unknown key' });
  });

  it('publishes both public keys, and no private member, with Cache-Control (RFC 7517 §5)', async () => {
    const res = await request(after.app).get('/jwks');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=600');
    expect(res.headers['content-type']).toBe('application/jwk-set+json; charset=utf-8');
    const oldJwk = old.publicKey.export({ format: 'jwk' });
    const newJwk = next.publicKey.export({ format: 'jwk' });
    expect(res.body).toEqual({
      keys: [
        { kty: 'RSA', n: newJwk.n, e: newJwk.e, kid: 'new', alg: 'RS256', use: 'sig' },
        { kty: 'EC', crv: 'P-256', x: oldJwk.x, y: oldJwk.y, kid: 'old', alg: 'ES256', use: 'sig' },
      ],
    });
  });

  it('answers other methods on /jwks with 405', async () => {
    const res = await request(after.app).post('/jwks');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('generated development key', () => {
  it('generates one ES256 key named by its RFC 7638 thumbprint, with a 300 s JWKS max-age by default', async () => {
    const { app, auth } = buildTestApp({ accessToken: { format: 'jwt' } });
    const token = await tokenFor(app, JOB);
    const jwks = await request(app).get('/jwks');
    expect(jwks.headers['cache-control']).toBe('public, max-age=300');
    expect(jwks.body.keys).toHaveLength(1);
    const [key] = jwks.body.keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeJwt(token).header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: key.kid });
    await auth.close();
  });

  it('serves no /jwks without an issuer', async () => {
    const { app, auth } = buildTestApp({ issuer: undefined });
    expect((await request(app).get('/jwks')).status).toBe(404);
    await auth.close();
  });
});
