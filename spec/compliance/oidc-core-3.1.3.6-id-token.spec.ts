// OpenID Connect Core §3.1.3.3: the token response carries an id_token when openid was granted. §2: iss, sub,
// aud (the client_id), exp, iat, auth_time, nonce ("If present in the Authentication Request, Authorization
// Servers MUST include a nonce Claim in the ID Token with the Claim Value being the nonce value sent in the
// Authentication Request"). §3.1.3.6 at_hash: "the base64url encoding of the left-most half of the hash of
// the octets of the ASCII representation of the access_token value, where the hash algorithm used is the
// hash algorithm used in the alg Header Parameter of the ID Token's JOSE Header."
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { accessTokenHash } from '../../lib/tokens/id-token';
import { basic } from '../support/app';
import { AUTH_TIME, authorizeCode, buildAuthorizeApp, ISSUER, VERIFIER, webRequest } from '../support/authorize';

const CB = 'https://client.example/cb';

describe('OpenID Connect Core id_token from the authorization code grant', () => {
  const { app, signer } = buildAuthorizeApp();
  const exchange = async (params: Record<string, string>) => {
    const code = await authorizeCode(app, params);
    return request(app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
  };

  it('is an ES256 JWT with iss, sub, aud, exp, iat, auth_time, nonce and at_hash', async () => {
    const res = await exchange(webRequest());
    const { header, payload } = jwt.decode(res.body.id_token, { complete: true }) as jwt.Jwt;
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: signer.kid });
    const claims = jwt.verify(res.body.id_token, signer.publicKey, { algorithms: ['ES256'], issuer: ISSUER, audience: 'web-app' }) as jwt.JwtPayload;
    expect(claims).toEqual(payload);
    const iat = claims.iat as number;
    expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(5);
    const leftHalf = createHash('sha256').update(res.body.access_token, 'ascii').digest().subarray(0, 16).toString('base64url');
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'alice',
      aud: 'web-app',
      exp: iat + 3600,
      iat,
      auth_time: AUTH_TIME,
      nonce: 'n-0S6_WzA2Mj',
      at_hash: leftHalf,
    });
  });

  it('has no nonce claim when the request had none', async () => {
    const res = await exchange(webRequest({ nonce: undefined }));
    const claims = jwt.decode(res.body.id_token) as jwt.JwtPayload;
    expect(claims).not.toHaveProperty('nonce');
    expect(claims.sub).toBe('alice');
  });

  it('is not issued without the openid scope', async () => {
    const res = await exchange(webRequest({ scope: '/accounts.read' }));
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('id_token');
  });

  it('uses the idToken.ttl option and a custom signer', async () => {
    const signed: unknown[] = [];
    const custom = buildAuthorizeApp({ idToken: { ttl: 300, signer: { alg: 'ES384', sign: async (claims) => { signed.push(claims); return 'signed.jwt.value'; } } } });
    const code = await authorizeCode(custom.app);
    const res = await request(custom.app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(res.body.id_token).toBe('signed.jwt.value');
    const claims = signed[0] as Record<string, number | string>;
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    // ES384 hashes with SHA-384: at_hash is 24 bytes, 32 base64url characters.
    expect(claims.at_hash).toBe(createHash('sha384').update(res.body.access_token).digest().subarray(0, 24).toString('base64url'));
  });

  it('at_hash matches the OpenID Connect example', () => {
    // OpenID Connect Core, Appendix A.3's access token and at_hash (RS256, so SHA-256).
    expect(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  });
});
