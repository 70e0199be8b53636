// RFC 9449 §6.1: "When access tokens are represented as JSON Web Tokens (JWTs) [RFC7519], the public key
// information [...] SHOULD be represented using the jkt confirmation method member [...] the value of the
// jkt member MUST be the base64url encoding [...] of the JWK SHA-256 Thumbprint [RFC7638]". §6.2: "When
// token introspection is used, the public key [...] SHOULD be represented using the cnf.jkt member [...]
// the token_type member [...] SHOULD be DPoP". The JWT is verified with jose against the server's JWKS, as a
// resource server would.
import request from 'supertest';
import * as jose from 'jose';
import { storeBackends, type StoreBackend } from '../support/store-backends';
import { API, DPOP_ISSUER, dpopKey, dpopServer, JWT_JOB, OPAQUE_JOB, proof, tokenRequest, type DpopKey, type DpopServer } from '../support/dpop';

const CC = { grant_type: 'client_credentials' };

describe.each(storeBackends('rfc9449-6').slice(0, 2))('RFC 9449 §6 confirmation of the key (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let server: DpopServer;
  let key: DpopKey;

  beforeAll(async () => {
    backend = await makeBackend();
    server = dpopServer(backend.store());
    key = await dpopKey();
  });
  afterAll(async () => {
    await server?.auth.close();
    await backend?.release();
  });

  const introspect = (token: string) => request(server.app).post('/oauth2/introspect').auth(API.clientId, API.clientSecret as string).type('form').send({ token });

  it('§6.1: a bound JWT access token carries cnf.jkt, the RFC 7638 thumbprint of the proof key, and verifies with the JWKS', async () => {
    const res = await tokenRequest(server.app, JWT_JOB, CC, await proof(key));
    expect(res.status).toBe(200);
    const jwks = (await request(server.app).get('/oauth2/jwks')).body as jose.JSONWebKeySet;
    const { payload, protectedHeader } = await jose.jwtVerify(res.body.access_token, jose.createLocalJWKSet(jwks), { issuer: DPOP_ISSUER, typ: 'at+jwt' });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload.cnf).toEqual({ jkt: key.jkt });
    // A bearer token has none.
    const bearer = await tokenRequest(server.app, JWT_JOB, CC);
    expect((await jose.jwtVerify(bearer.body.access_token, jose.createLocalJWKSet(jwks))).payload.cnf).toBeUndefined();
  });

  it('§6.2: introspection of a bound JWT answers cnf.jkt and token_type DPoP', async () => {
    const res = await tokenRequest(server.app, JWT_JOB, CC, await proof(key));
    const answer = await introspect(res.body.access_token);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toEqual({
      active: true,
      scope: '/ledger.write',
      client_id: JWT_JOB.clientId,
      sub: JWT_JOB.clientId,
      exp: expect.any(Number),
      iat: expect.any(Number),
      aud: expect.anything(),
      token_type: 'DPoP',
      cnf: { jkt: key.jkt },
      iss: DPOP_ISSUER,
      jti: expect.any(String),
    });
  });

  it('§6.2: introspection of a bound opaque token answers cnf.jkt and token_type DPoP; a bearer one Bearer without cnf', async () => {
    const bound = await tokenRequest(server.app, OPAQUE_JOB, CC, await proof(key));
    expect((await introspect(bound.body.access_token)).body).toEqual({
      active: true,
      scope: '/ledger.write',
      client_id: OPAQUE_JOB.clientId,
      sub: OPAQUE_JOB.clientId,
      exp: expect.any(Number),
      iat: expect.any(Number),
      token_type: 'DPoP',
      cnf: { jkt: key.jkt },
      iss: DPOP_ISSUER,
      // RFC 8707: an opaque token's audience is answered too; restricted to no resource, it is the server's default.
      aud: DPOP_ISSUER,
    });
    const bearer = await tokenRequest(server.app, OPAQUE_JOB, CC);
    const answer = (await introspect(bearer.body.access_token)).body;
    expect(answer.token_type).toBe('Bearer');
    expect(answer.cnf).toBeUndefined();
  });

  it('RFC 8414 metadata: dpop_signing_alg_values_supported lists the allowed algorithms', async () => {
    expect(server.auth.metadataDocument.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA', 'RS256', 'PS256']);
    const narrow = dpopServer(backend.store(), { dpop: { algorithms: ['ES256'] } });
    try {
      expect(narrow.auth.metadataDocument.dpop_signing_alg_values_supported).toEqual(['ES256']);
      // A proof in an algorithm outside the list is refused.
      const rsa = await dpopKey('PS256');
      const res = await tokenRequest(narrow.app, JWT_JOB, CC, await proof(rsa, {}, 'PS256'));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'the DPoP proof is signed with an algorithm that is not allowed' });
    } finally {
      await narrow.auth.close();
    }
  });
});
