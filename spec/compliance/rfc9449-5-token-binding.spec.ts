// RFC 9449 §5: "The authorization server [...] binds the issued access token to the public key [...]. When an
// access token is bound to a DPoP key, the token_type of the response is DPoP" ("token_type": "DPoP").
// §5: "Refresh tokens issued to confidential clients are not bound to the DPoP proof public key because they
// are already sender-constrained with a different existing mechanism. [...] the authorization server MUST
// bind refresh tokens issued to public clients to the DPoP public key [...]. A refresh token that is bound
// to a public key MUST only be used with the same key". §5: "when a refresh token is used [...] the access
// token issued [...] is bound to the public key in the DPoP proof of that request".
// §5.2: "dpop_bound_access_tokens: A boolean value specifying whether the client always uses DPoP for token
// requests. If true, the authorization server MUST reject token requests from this client that do not
// contain the DPoP header."
import { storeBackends, type StoreBackend } from '../support/store-backends';
import { BOUND_JOB, dpopKey, dpopServer, JWT_JOB, OPAQUE_JOB, proof, SPA, spaCode, tokenRequest, type DpopKey, type DpopServer } from '../support/dpop';
import { expectNoStore } from '../support/app';
import { findAccessRecord } from '../support/access-tokens';
import { parseFamilyToken } from '../../lib/tokens/family-token';
import { VERIFIER } from '../support/authorize';

const CC = { grant_type: 'client_credentials' };
const INVALID_REFRESH = { error: 'invalid_grant', error_description: 'the refresh token is invalid, expired or revoked' };

describe.each(storeBackends('rfc9449-5').slice(0, 2))('RFC 9449 §5 DPoP-bound tokens (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let server: DpopServer;
  let key: DpopKey;
  let other: DpopKey;

  beforeAll(async () => {
    backend = await makeBackend();
    server = dpopServer(backend.store());
    [key, other] = await Promise.all([dpopKey(), dpopKey('EdDSA')]);
  });
  afterAll(async () => {
    await server?.auth.close();
    await backend?.release();
  });

  async function spaTokens(withKey: DpopKey) {
    const code = await spaCode(server.app);
    const res = await tokenRequest(server.app, SPA, { grant_type: 'authorization_code', code, redirect_uri: 'https://spa.example/callback', code_verifier: VERIFIER }, await proof(withKey));
    expect(res.status).toBe(200);
    return res.body as { access_token: string; refresh_token: string; token_type: string };
  }

  it('an opaque access token is stored bound to the key (jkt), and answered as token_type DPoP', async () => {
    const res = await tokenRequest(server.app, OPAQUE_JOB, CC, await proof(key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'DPoP', expires_in: 900, scope: '/ledger.write', refresh_token: expect.any(String) });
    expect(await findAccessRecord(server.auth.store, res.body.access_token)).toEqual(expect.objectContaining({ clientId: OPAQUE_JOB.clientId, jkt: key.jkt }));
  });

  it('§5.2 dpop_bound_access_tokens: a request of such a client without a proof is refused; with one it is served', async () => {
    const without = await tokenRequest(server.app, BOUND_JOB, CC);
    expect(without.status).toBe(400);
    expectNoStore(without.headers);
    expect(without.body).toEqual({ error: 'invalid_request', error_description: 'this client must send a DPoP proof with its token requests' });
    const withProof = await tokenRequest(server.app, BOUND_JOB, CC, await proof(key));
    expect(withProof.status).toBe(200);
    expect(withProof.body.token_type).toBe('DPoP');
  });

  it('dpop.requireForAllClients refuses every client\'s request without a proof', async () => {
    const strict = dpopServer(backend.store(), { dpop: { requireForAllClients: true } });
    try {
      const res = await tokenRequest(strict.app, JWT_JOB, CC);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'this client must send a DPoP proof with its token requests' });
      expect((await tokenRequest(strict.app, JWT_JOB, CC, await proof(key))).status).toBe(200);
    } finally {
      await strict.auth.close();
    }
  });

  it('a public client\'s refresh token is bound to the key: another key or no proof is invalid_grant and changes nothing', async () => {
    const first = await spaTokens(key);
    expect(first.token_type).toBe('DPoP');
    const family = parseFamilyToken(first.refresh_token)!;
    expect(await server.auth.store.findRefreshToken(family.familyId, family.tokenHash)).toMatchObject({ clientId: SPA.clientId, jkt: key.jkt });

    const refresh = { grant_type: 'refresh_token', refresh_token: first.refresh_token };
    const otherKey = await tokenRequest(server.app, SPA, refresh, await proof(other, {}, 'EdDSA'));
    expect(otherKey.status).toBe(400);
    expect(otherKey.body).toEqual(INVALID_REFRESH);
    const noProof = await tokenRequest(server.app, SPA, refresh);
    expect(noProof.status).toBe(400);
    expect(noProof.body).toEqual(INVALID_REFRESH);
    // Nothing moved: the token is still live, and its own key refreshes it, once.
    expect(await server.auth.store.findRefreshToken(family.familyId, family.tokenHash)).toMatchObject({ jkt: key.jkt });
    const own = await tokenRequest(server.app, SPA, refresh, await proof(key));
    expect(own.status).toBe(200);
    expect(own.body.token_type).toBe('DPoP');
    expect(await findAccessRecord(server.auth.store, own.body.access_token)).toMatchObject({ jkt: key.jkt });
    const next = parseFamilyToken(own.body.refresh_token)!;
    expect(await server.auth.store.findRefreshToken(next.familyId, next.tokenHash)).toMatchObject({ jkt: key.jkt });
    // A party without the key cannot revoke the family by replaying the spent token either.
    expect((await tokenRequest(server.app, SPA, refresh, await proof(other, {}, 'EdDSA'))).body).toEqual(INVALID_REFRESH);
    expect(await server.auth.store.findRefreshToken(next.familyId, next.tokenHash)).toBeDefined();
  });

  it('a confidential client\'s refresh token is not bound; the new access token is bound to the refresh request\'s key', async () => {
    const first = await tokenRequest(server.app, OPAQUE_JOB, CC, await proof(key));
    const family = parseFamilyToken(first.body.refresh_token)!;
    expect((await server.auth.store.findRefreshToken(family.familyId, family.tokenHash))?.jkt).toBeUndefined();
    const refreshed = await tokenRequest(server.app, OPAQUE_JOB, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, await proof(other, {}, 'EdDSA'));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token_type).toBe('DPoP');
    expect(await findAccessRecord(server.auth.store, refreshed.body.access_token)).toMatchObject({ jkt: other.jkt });
    // Without a proof, a bearer token.
    const bearer = await tokenRequest(server.app, OPAQUE_JOB, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
    expect(bearer.status).toBe(200);
    expect(bearer.body.token_type).toBe('Bearer');
    expect((await findAccessRecord(server.auth.store, bearer.body.access_token))?.jkt).toBeUndefined();
  });
});
