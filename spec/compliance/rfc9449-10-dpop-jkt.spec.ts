// RFC 9449 §10: "the dpop_jkt authorization request parameter [...] The value of the dpop_jkt authorization
// request parameter is the JWK Thumbprint [RFC7638] of the proof-of-possession public key using the SHA-256
// hash function". §10: "When a token request is received, the authorization server computes the JWK
// Thumbprint of the proof-of-possession public key in the DPoP proof and verifies that it matches the
// dpop_jkt parameter value in the authorization request. If they do not match, it MUST reject the request."
import request from 'supertest';
import { storeBackends, type StoreBackend } from '../support/store-backends';
import { dpopKey, dpopServer, proof, SPA, spaCode, tokenRequest, type DpopKey, type DpopServer } from '../support/dpop';
import { CHALLENGE, VERIFIER } from '../support/authorize';

const BOUND_CODE_REFUSED = { error: 'invalid_grant', error_description: 'the authorization code is bound to a DPoP key this request did not prove' };

describe.each(storeBackends('rfc9449-10').slice(0, 2))('RFC 9449 §10 dpop_jkt at /authorize (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let server: DpopServer;
  let key: DpopKey;
  let other: DpopKey;

  beforeAll(async () => {
    backend = await makeBackend();
    server = dpopServer(backend.store());
    [key, other] = await Promise.all([dpopKey(), dpopKey()]);
  });
  afterAll(async () => {
    await server?.auth.close();
    await backend?.release();
  });

  const redeem = (code: string, dpop?: string) =>
    tokenRequest(server.app, SPA, { grant_type: 'authorization_code', code, redirect_uri: 'https://spa.example/callback', code_verifier: VERIFIER }, dpop);

  it('a code bound by dpop_jkt is redeemed with a proof of that key, bound to it', async () => {
    const code = await spaCode(server.app, { dpop_jkt: key.jkt });
    const res = await redeem(code, await proof(key));
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
  });

  it('with a proof of another key, or none, the request is rejected with invalid_grant', async () => {
    const first = await spaCode(server.app, { dpop_jkt: key.jkt });
    const withOther = await redeem(first, await proof(other));
    expect(withOther.status).toBe(400);
    expect(withOther.body).toEqual(BOUND_CODE_REFUSED);
    const second = await spaCode(server.app, { dpop_jkt: key.jkt });
    const without = await redeem(second);
    expect(without.status).toBe(400);
    expect(without.body).toEqual(BOUND_CODE_REFUSED);
  });

  it('a malformed dpop_jkt is invalid_request, sent back to the client', async () => {
    const query = new URLSearchParams({
      response_type: 'code', client_id: SPA.clientId, redirect_uri: 'https://spa.example/callback', scope: '/accounts.read',
      code_challenge: CHALLENGE, code_challenge_method: 'S256', state: 's1', dpop_jkt: 'not a thumbprint',
    });
    const res = await request(server.app).get(`/oauth2/authorize?${query.toString()}`).set('x-test-user', 'alice');
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'dpop_jkt must be a base64url SHA-256 JWK thumbprint',
      state: 's1',
      iss: 'https://auth.internal.example',
    });
  });
});
