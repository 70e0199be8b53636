// RFC 9449 §5: "To request an access token that is bound to a public key using DPoP, the client MUST provide a
// valid DPoP proof JWT in a DPoP header when making an access token request to the authorization server's
// token endpoint." "If the DPoP proof is invalid, the authorization server issues an error response per
// Section 5.2 of [RFC6749] with invalid_dpop_proof as the value of the error parameter."
// §4.3: "To validate a DPoP proof, the receiving server MUST ensure the following: 1. There is not more than
// one DPoP HTTP request header field. [...] 8. The htm claim matches the HTTP method of the current request.
// 9. The htu claim matches the HTTP URI value for the HTTP request in which the JWT was received [...]"
// §11.1: "the server MUST check that the jti value has not been used before in conjunction with the key",
// here at every instance sharing the store, and only after client authentication, so a stranger cannot fill
// the replay cache for free. The stateless checks one by one are in rfc9449-4.3-dpop-proof-checks.
import { storeBackends, type StoreBackend } from '../support/store-backends';
import { dpopKey, dpopServer, JWT_JOB, OPAQUE_JOB, proof, tokenRequest, TOKEN_URL, type DpopKey, type DpopServer } from '../support/dpop';
import { expectNoStore } from '../support/app';
import { findAccessRecord } from '../support/access-tokens';

const CC = { grant_type: 'client_credentials' };

describe.each(storeBackends('rfc9449-4.3'))('RFC 9449 §4.3 DPoP proofs at the token endpoint (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let a: DpopServer;
  let b: DpopServer;
  let key: DpopKey;

  beforeAll(async () => {
    backend = await makeBackend();
    // Two instances of one server: one store, one secret.
    a = dpopServer(backend.store());
    b = dpopServer(backend.store());
    key = await dpopKey();
  });
  afterAll(async () => {
    await a?.auth.close();
    await b?.auth.close();
    await backend?.release();
  });

  it('a valid proof with htm POST and htu the token endpoint URL (issuer + mountPath + /token) is accepted: token_type DPoP', async () => {
    const res = await tokenRequest(a.app, JWT_JOB, CC, await proof(key));
    expect(res.status).toBe(200);
    expectNoStore(res.headers);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'DPoP', expires_in: 900, scope: '/ledger.write', refresh_token: expect.any(String) });
    expect(res.headers['dpop-nonce']).toBeUndefined();
  });

  it('check 8 and 9: a proof for another method or URL is 400 invalid_dpop_proof', async () => {
    for (const [claims, description] of [
      [{ htm: 'GET' }, 'the DPoP proof htm does not match the request method'],
      [{ htu: `${TOKEN_URL.replace('/token', '/introspect')}` }, 'the DPoP proof htu does not match the request URL'],
      [{ htu: 'https://other.example/oauth2/token' }, 'the DPoP proof htu does not match the request URL'],
    ] as const) {
      const res = await tokenRequest(a.app, JWT_JOB, CC, await proof(key, claims));
      expect(res.status).toBe(400);
      expectNoStore(res.headers);
      expect(res.body).toEqual({ error: 'invalid_dpop_proof', error_description: description });
    }
  });

  it('check 1: two DPoP headers are 400 invalid_dpop_proof', async () => {
    const res = await tokenRequest(a.app, JWT_JOB, CC, [await proof(key), await proof(key)]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'the request must carry exactly one DPoP header' });
  });

  it('check 2: a header that is not a JWT is 400, and the answer never repeats it', async () => {
    const res = await tokenRequest(a.app, JWT_JOB, CC, 'not-a-proof-at-all');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'the DPoP proof is not a well-formed JWT' });
    expect(JSON.stringify(res.headers) + res.text).not.toContain('not-a-proof-at-all');
  });

  it('§11.1: a proof is used once, at every instance sharing the store; the replay issues nothing', async () => {
    const header = await proof(key);
    const first = await tokenRequest(a.app, OPAQUE_JOB, CC, header);
    expect(first.status).toBe(200);
    const again = await tokenRequest(b.app, OPAQUE_JOB, CC, header);
    expect(again.status).toBe(400);
    expectNoStore(again.headers);
    expect(again.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'the DPoP proof was already used' });
    const atA = await tokenRequest(a.app, OPAQUE_JOB, CC, header);
    expect(atA.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'the DPoP proof was already used' });
    // The one token issued is the first one's.
    expect(await findAccessRecord(a.auth.store, first.body.access_token)).toMatchObject({ clientId: OPAQUE_JOB.clientId, jkt: key.jkt });
  });

  it('the proof is checked after client authentication: a request with a wrong secret does not use it up', async () => {
    const header = await proof(key);
    const stranger = await tokenRequest(a.app, { ...JWT_JOB, clientSecret: 'wrong' }, CC, header);
    expect(stranger.status).toBe(401);
    expect(stranger.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    const owner = await tokenRequest(b.app, JWT_JOB, CC, header);
    expect(owner.status).toBe(200);
    expect(owner.body.token_type).toBe('DPoP');
  });

  it('a request without a proof gets a bearer token, as before', async () => {
    const res = await tokenRequest(a.app, JWT_JOB, CC);
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
  });
});
