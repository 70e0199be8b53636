/*
 * RFC 9449 §7 (Protected Resource Access):
 *   "Requests to DPoP-protected resources MUST include both a DPoP proof as per Section 4 and the access token
 *    as described in Section 7.1. The DPoP proof MUST include the ath claim with a valid hash of the associated
 *    access token."
 * §7.1: "A DPoP-bound access token is sent using the Authorization request header field ... with an
 *    authentication scheme of DPoP." In challenges: "The scheme name is DPoP", "An error parameter ... SHOULD be
 *    included", "invalid_dpop_proof is used to indicate that the DPoP proof itself was deemed invalid", "An algs
 *    parameter SHOULD be included to signal to the client the JWS algorithms that are acceptable".
 * §7.2: "such a protected resource MUST reject a DPoP-bound access token received as a bearer token per
 *    [RFC6750]." ... "allows a protected resource to indicate support for multiple authentication schemes
 *    (i.e., Bearer and DPoP) with the WWW-Authenticate header field of a 401 (Unauthorized) response."
 * §4.3: the receiving server checks htm (8), htu (9), iat within a window (11), ath and the bound key (12);
 * §11.1: "Servers SHOULD store ... the jti value of each DPoP proof for the time window in which the respective
 *    DPoP proof JWT would be accepted and decline HTTP requests to the same URI for which the jti value has been
 *    seen before."
 *
 * Each check runs against both resource-server checks: `requireBearer({ server })` in the issuing process, and
 * `requireBearer({ issuer })` in another service, verifying JWTs with the JWKS of a real listening Keyturn
 * server, and opaque tokens by introspection at that server.
 */
import express, { type Express } from 'express';
import { createAuthorizationServer, type AuthorizationServer } from '../../lib';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { ath, dpopKey, proof, tokenFromEndpoint, type DpopKey } from '../support/dpop-client';
import { ecKeyPair } from '../support/keys';
import { listen, type Listening } from '../support/listen';
import { JWT_JOB, OPAQUE_JOB, RESOURCE_SERVER, ALL_CLIENTS } from '../support/clients';

const ALGS = 'ES256 EdDSA RS256 PS256';
const PAYLOAD = (clientId: string) => ({ clientId, scopes: ['/accounts.read', '/accounts.write'] });

interface Resource {
  readonly name: string;
  /** The client its tokens are issued to. */
  readonly clientId: string;
  /** The protected route's URL: what proofs name as htu. */
  readonly url: string;
  /** The route that requires DPoP. */
  readonly requiredUrl: string;
  /** A DPoP-bound access token for `key`, or a bearer token without one. */
  token(key?: DpopKey): Promise<string>;
}

let as: Listening;
let auth: AuthorizationServer;
let remote: Listening;
const signing = ecKeyPair();

function protect(app: Express, check: (required: boolean) => express.RequestHandler): void {
  app.get('/accounts', check(false), (req, res) => res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes }));
  app.post('/accounts', check(false), (req, res) => res.status(201).json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes }));
  app.get('/payments', check(true), (req, res) => res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes }));
}

beforeAll(async () => {
  let handler: express.Express | undefined;
  as = await listen((req, res) => handler!(req, res));
  auth = createAuthorizationServer({
    clients: ALL_CLIENTS,
    allowPlaintextSecrets: true,
    issuer: as.url,
    dpop: {},
    signingKeys: [{ kid: 'as-1', alg: 'ES256', key: signing.privateKey }],
  });
  const app = express();
  app.use(auth.router());
  app.get('/.well-known/oauth-authorization-server', auth.metadata());
  protect(app, (required) => requireBearer({ server: auth, realm: 'api', scopes: ['/accounts.read'], dpop: { required } }));
  app.use(bearerErrorHandler({ server: auth }));
  handler = app;

  const rs = express();
  remote = await listen(rs);
  protect(rs, (required) =>
    requireBearer({
      issuer: as.url,
      audience: as.url,
      introspection: { clientId: RESOURCE_SERVER.clientId, clientSecret: RESOURCE_SERVER.clientSecret!, cacheTtl: 0 },
      scopes: ['/accounts.read'],
      dpop: { required },
    }),
  );
  rs.use(bearerErrorHandler());
});

afterAll(async () => {
  await remote?.close();
  await as?.close();
  await auth?.close();
});

// Tokens the token endpoint issued: with a DPoP proof, bound to its key (cnf.jkt in a JWT, jkt in the stored
// record of an opaque token, cnf.jkt in the introspection answer).
const jwtToken = (key?: DpopKey) => tokenFromEndpoint(`${as.url}/token`, JWT_JOB, key);
const opaqueToken = (key?: DpopKey) => tokenFromEndpoint(`${as.url}/token`, OPAQUE_JOB, key);

const resources: Resource[] = [
  { name: 'requireBearer({ server }) with a JWT', clientId: JWT_JOB.clientId, get url() { return `${as.url}/accounts`; }, get requiredUrl() { return `${as.url}/payments`; }, token: jwtToken },
  { name: 'requireBearer({ server }) with an opaque token', clientId: OPAQUE_JOB.clientId, get url() { return `${as.url}/accounts`; }, get requiredUrl() { return `${as.url}/payments`; }, token: opaqueToken },
  { name: 'requireBearer({ issuer }) with a JWT, by JWKS', clientId: JWT_JOB.clientId, get url() { return `${remote.url}/accounts`; }, get requiredUrl() { return `${remote.url}/payments`; }, token: jwtToken },
  { name: 'requireBearer({ issuer }) with an opaque token, by introspection', clientId: OPAQUE_JOB.clientId, get url() { return `${remote.url}/accounts`; }, get requiredUrl() { return `${remote.url}/payments`; }, token: opaqueToken },
];

async function call(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; challenge: string | null; body: unknown; raw: string }> {
  const res = await fetch(url, { method, headers });
  const raw = await res.text();
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: raw === '' ? undefined : JSON.parse(raw), raw };
}

const invalidProof = (description: string) => ({
  status: 401,
  challenge: `Bearer realm="api", DPoP realm="api", error="invalid_dpop_proof", error_description="${description}", algs="${ALGS}"`,
  body: { error: 'invalid_dpop_proof', error_description: description },
});

describe.each(resources)('RFC 9449 §7 at $name', (resource) => {
  let key: DpopKey;
  let token: string;
  beforeAll(async () => {
    key = await dpopKey();
    token = await resource.token(key);
  });

  const expectAnswer = (res: Awaited<ReturnType<typeof call>>, expected: { status: number; challenge: string; body: unknown }) => {
    expect({ status: res.status, challenge: res.challenge, body: res.body }).toEqual(expected);
  };

  it('§7.1: accepts a DPoP-bound token with the DPoP scheme and a valid proof', async () => {
    const res = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, accessToken: token }) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(PAYLOAD(resource.clientId));
  });

  it('§7.1: checks a fresh proof on every request, even for a token already verified (the cache holds the token, never the proof)', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, accessToken: token }) });
      expect(res.status).toBe(200);
    }
    const stale = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, accessToken: token, iat: Math.floor(Date.now() / 1000) - 3600 }) });
    expectAnswer(stale, invalidProof('the DPoP proof has expired'));
  });

  it('§7: refuses the DPoP scheme without a proof', async () => {
    expectAnswer(await call(resource.url, { authorization: `DPoP ${token}` }), invalidProof('a DPoP proof is required'));
  });

  it('§4.3 check 8: refuses a proof for another method', async () => {
    const res = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'POST', htu: resource.url, accessToken: token }) });
    expectAnswer(res, invalidProof('the DPoP proof htm does not match the request method'));
  });

  it('§4.3 check 9: refuses a proof for another URL, and ignores the query of both', async () => {
    const other = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.requiredUrl, accessToken: token }) });
    expectAnswer(other, invalidProof('the DPoP proof htu does not match the request URL'));
    const withQuery = await call(`${resource.url}?page=2`, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: `${resource.url}?page=1`, accessToken: token }) });
    expect(withQuery.status).toBe(200);
  });

  it('§4.3 check 12: refuses a proof whose ath is the hash of another token', async () => {
    const res = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, ath: ath(`${token}x`) }) });
    expectAnswer(res, invalidProof('the DPoP proof ath does not match the access token'));
  });

  it('§4.3 check 12, §7.1: refuses a proof signed by a key other than the one the token is bound to', async () => {
    const thief = await dpopKey();
    const res = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(thief, { htm: 'GET', htu: resource.url, accessToken: token }) });
    expectAnswer(res, invalidProof('the DPoP proof key is not the key the token is bound to'));
  });

  it('§4.3 check 11: refuses a proof whose iat is outside the window, in the past or the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, accessToken: token, iat: now - 66 }) });
    expectAnswer(old, invalidProof('the DPoP proof has expired'));
    const future = await call(resource.url, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, accessToken: token, iat: now + 60 }) });
    expectAnswer(future, invalidProof('the DPoP proof iat is in the future'));
  });

  it('§11.1: refuses a proof used before', async () => {
    const once = await proof(key, { htm: 'GET', htu: resource.url, accessToken: token });
    expect((await call(resource.url, { authorization: `DPoP ${token}`, dpop: once })).status).toBe(200);
    expectAnswer(await call(resource.url, { authorization: `DPoP ${token}`, dpop: once }), invalidProof('the DPoP proof was already used'));
  });

  it('§7.2: refuses a DPoP-bound token sent as a bearer token, with or without a proof', async () => {
    const description = 'the access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof';
    const expected = {
      status: 401,
      challenge: `Bearer realm="api", DPoP realm="api", error="invalid_token", error_description="${description}", algs="${ALGS}"`,
      body: { error: 'invalid_token', error_description: description },
    };
    expectAnswer(await call(resource.url, { authorization: `Bearer ${token}` }), expected);
    expectAnswer(await call(resource.url, { authorization: `Bearer ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, accessToken: token }) }), expected);
  });

  it('refuses a token that is not DPoP-bound sent with the DPoP scheme', async () => {
    const bearer = await resource.token();
    const description = 'the access token is not DPoP-bound: send it with the Bearer scheme';
    const res = await call(resource.url, { authorization: `DPoP ${bearer}`, dpop: await proof(key, { htm: 'GET', htu: resource.url, accessToken: bearer }) });
    expectAnswer(res, {
      status: 401,
      challenge: `Bearer realm="api", DPoP realm="api", error="invalid_token", error_description="${description}", algs="${ALGS}"`,
      body: { error: 'invalid_token', error_description: description },
    });
    // The same token is still a good bearer token.
    expect((await call(resource.url, { authorization: `Bearer ${bearer}` })).status).toBe(200);
  });

  it('§7.1, §7.2: offers both schemes to a request without credentials, and puts a Bearer error on the Bearer challenge', async () => {
    expectAnswer(await call(resource.url, {}), {
      status: 401,
      challenge: `Bearer realm="api", DPoP realm="api", algs="${ALGS}"`,
      body: { error: 'unauthorized', error_description: 'an access token is required' },
    });
    const res = await call(resource.url, { authorization: 'Bearer bm90LWEtdG9rZW4' });
    expect(res.status).toBe(401);
    expect(res.challenge).toMatch(new RegExp(`^Bearer realm="api", error="invalid_token", error_description="[^"]+", DPoP realm="api", algs="${ALGS}"$`));
  });

  it('§7.1: a malformed DPoP credential is invalid_request, on the DPoP challenge', async () => {
    const description = 'the Authorization header is not a valid DPoP credential';
    expectAnswer(await call(resource.url, { authorization: 'DPoP abc def' }), {
      status: 400,
      challenge: `Bearer realm="api", DPoP realm="api", error="invalid_request", error_description="${description}", algs="${ALGS}"`,
      body: { error: 'invalid_request', error_description: description },
    });
  });

  it('a route that requires DPoP offers DPoP alone and refuses bearer tokens', async () => {
    expectAnswer(await call(resource.requiredUrl, {}), {
      status: 401,
      challenge: `DPoP realm="api", algs="${ALGS}"`,
      body: { error: 'unauthorized', error_description: 'an access token is required' },
    });
    const bearer = await resource.token();
    const description = 'this resource accepts only DPoP-bound access tokens, sent with the DPoP scheme';
    expectAnswer(await call(resource.requiredUrl, { authorization: `Bearer ${bearer}` }), {
      status: 401,
      challenge: `DPoP realm="api", error="invalid_token", error_description="${description}", algs="${ALGS}"`,
      body: { error: 'invalid_token', error_description: description },
    });
    const ok = await call(resource.requiredUrl, { authorization: `DPoP ${token}`, dpop: await proof(key, { htm: 'GET', htu: resource.requiredUrl, accessToken: token }) });
    expect(ok.status).toBe(200);
  });

  it('never echoes the token or the proof in an error', async () => {
    const sent = await proof(key, { htm: 'POST', htu: resource.url, accessToken: token });
    const res = await call(resource.url, { authorization: `DPoP ${token}`, dpop: sent });
    expect(res.status).toBe(401);
    for (const secret of [token, sent, sent.split('.')[2]!]) {
      expect(res.raw).not.toContain(secret);
      expect(res.challenge).not.toContain(secret);
    }
  });
});
