/*
 * RFC 7523 §2.2 and §3 (with OpenID Connect Core §9): JWT client assertions, private_key_jwt and
 * client_secret_jwt, at the token, revocation and introspection endpoints, over real HTTP. Assertions are
 * signed by jose, a library nobody here wrote.
 *
 * §2.2: "The value of the "client_assertion_type" is "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".
 *  The value of the "client_assertion" parameter contains a single JWT. It MUST NOT contain more than one JWT."
 * §3.2: "If the client JWT is not valid, or its subject is not a valid client_id, the authorization server MUST
 *  construct an error response as defined in OAuth 2.0 [RFC6749]. The value of the "error" parameter MUST be
 *  the "invalid_client" error code. The authorization server MAY include additional information regarding the
 *  reasons the JWT was considered invalid using the "error_description" or "error_uri" parameters."
 */
import express from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { createAuthorizationServer, sealClientSecret, type AuthorizationServer, type Client } from '../../lib';
import { listen, type Listening } from '../support/listen';
import { CLIENT_ADDRESS, postFormFrom, STRANGER_ADDRESS, type Answer } from '../support/from-address';
import { assertionForm, assertionKey, JWT_BEARER, signAssertion, type AssertionKey } from '../support/client-assertions';

const ISSUER = 'https://as.example.com';
const SERVER_SECRET = randomBytes(32).toString('base64url');
const HMAC_SECRET = randomBytes(48).toString('base64url'); // 64 characters: long enough for HS512 too
const CHALLENGE = 'Basic realm="keyturn"';

let es: AssertionKey;
let rsa: AssertionKey;
let ed: AssertionKey;
let other: AssertionKey;
let uriKey: AssertionKey;
let rotated: AssertionKey;
let jwksServer: Listening;
let jwksFetches = 0;
let downFetches = 0;
let endlessBytes = 0;
let published: () => object;
let listening: Listening;
let auth: AuthorizationServer;

function clients(): Client[] {
  const base = { grants: ['client_credentials'], scopes: ['/accounts.read'] } as const;
  return [
    { ...base, clientId: 'pk-es', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [es.publicJwk] } },
    { ...base, clientId: 'pk-rsa', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ ...rsa.publicJwk, use: undefined }] } },
    { ...base, clientId: 'pk-ed', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [ed.publicJwk] } },
    { ...base, clientId: 'pk-pinned', tokenEndpointAuthMethod: 'private_key_jwt', tokenEndpointAuthSigningAlg: 'PS256', jwks: { keys: [rsa.publicJwk] } },
    { ...base, clientId: 'pk-uri', tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: `${jwksServer.url}/jwks.json` },
    { ...base, clientId: 'pk-down', tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: `${jwksServer.url}/down.json` },
    { ...base, clientId: 'pk-endless', tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: `${jwksServer.url}/endless.json` },
    { ...base, clientId: 'hs', tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed: sealClientSecret('hs', HMAC_SECRET, SERVER_SECRET), introspection: 'any' },
    { ...base, clientId: 'basic', clientSecret: 'basic-secret' },
  ];
}

beforeAll(async () => {
  [es, rsa, ed, other, uriKey, rotated] = await Promise.all([
    assertionKey('ES256'), assertionKey('RS256'), assertionKey('EdDSA'), assertionKey('ES256'), assertionKey('ES256'), assertionKey('ES256'),
  ]);
  published = () => ({ keys: [uriKey.publicJwk] });
  jwksServer = await listen((req, res) => {
    if (req.url === '/endless.json') {
      // Chunked, no Content-Length, never ending: only the reader's own bound stops it.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) endlessBytes += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('{"keys":[');
      pump();
      return;
    }
    if (req.url === '/down.json') {
      downFetches += 1;
      res.writeHead(500).end();
      return;
    }
    jwksFetches += 1;
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(published()));
  });
  auth = createAuthorizationServer({
    issuer: ISSUER,
    secret: SERVER_SECRET,
    allowPlaintextSecrets: true,
    clients: clients(),
    // The rules are checked one by one from one address: the lockout must not turn their 401s into 429s.
    lockout: { maxFailures: 10_000, addressMaxFailures: 10_000, clientMaxFailures: 10_000 },
    clientAuthentication: { assertions: { jwksRefetchIntervalSeconds: 1 } },
  });
  const app = express();
  app.use(auth.router());
  listening = await listen(app);
});

afterAll(async () => {
  await listening?.close();
  await jwksServer?.close();
  await auth?.close();
});

const token = (assertion: string, extra: Record<string, string> = {}): Promise<Answer> => postFormFrom(CLIENT_ADDRESS, `${listening.url}/token`, assertionForm(assertion, extra));
const sign = (key: AssertionKey | { alg: string; secret: string }, clientId: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  signAssertion(key, { clientId, audience: ISSUER, claims, header });
const now = () => Math.floor(Date.now() / 1000);

function expectGranted(res: Answer): void {
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: '/accounts.read' });
}

function expectInvalidClient(res: Answer, description: string): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  expect(res.body).toEqual({ error: 'invalid_client', error_description: description });
}

describe('RFC 7523 §2.2: the client_assertion_type and client_assertion parameters', () => {
  it('a valid private_key_jwt assertion (ES256) authenticates the client', async () => {
    expectGranted(await token(await sign(es, 'pk-es')));
  });

  it('"client_assertion_type ... urn:ietf:params:oauth:client-assertion-type:jwt-bearer": another type is 400 invalid_request', async () => {
    const res = await postFormFrom(CLIENT_ADDRESS, `${listening.url}/token`, { ...assertionForm(await sign(es, 'pk-es')), client_assertion_type: 'urn:example:saml' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: `client_assertion_type must be ${JWT_BEARER}` });
  });

  it('"client_assertion REQUIRED": the type without an assertion is 400 invalid_request', async () => {
    const res = await postFormFrom(CLIENT_ADDRESS, `${listening.url}/token`, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'client_assertion is required with client_assertion_type' });
  });

  it('"It MUST NOT contain more than one JWT": two JWTs, or a JWE-shaped value, fail as invalid_client', async () => {
    const one = await sign(es, 'pk-es');
    expectInvalidClient(await token(`${one}.${one}`), 'the client assertion is not a signed JWT');
    expectInvalidClient(await token('eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d'), 'the client assertion is not a signed JWT');
  });

  it('RFC 6749 §2.3 "MUST NOT use more than one authentication method in each request": an assertion with a secret is 400', async () => {
    const res = await postFormFrom(CLIENT_ADDRESS, `${listening.url}/token`, assertionForm(await sign(es, 'pk-es'), { client_secret: 'x' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('RFC 7521 §4.2 client_id "if present, MUST identify the client": a matching client_id passes, another fails', async () => {
    expectGranted(await token(await sign(es, 'pk-es'), { client_id: 'pk-es' }));
    expectInvalidClient(await token(await sign(es, 'pk-es'), { client_id: 'pk-rsa' }), 'client_id does not match the client assertion');
  });
});

describe('RFC 7523 §3: JWT format and processing requirements', () => {
  it('§3 point 1 "The JWT MUST contain an "iss" (issuer) claim": none, or one that is not the client, fails', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { iss: undefined })), 'the client assertion must have an iss claim');
    expectInvalidClient(await token(await sign(es, 'pk-es', { iss: 'someone-else' })), 'the client assertion must have iss and sub both equal to the client_id');
  });

  it('§3 point 2 "For client authentication, the subject MUST be the "client_id" of the OAuth client": no sub, or an unknown one, fails', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { sub: undefined })), 'the client assertion must have a sub claim');
    expectInvalidClient(await token(await sign(es, 'no-such-client')), 'client authentication failed');
  });

  it('§3 point 3 "The authorization server MUST reject any JWT that does not contain its own identity as the intended audience"', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { aud: 'https://other.example.com' })), 'the client assertion is not meant for this server (aud)');
    expectInvalidClient(await token(await sign(es, 'pk-es', { aud: `${ISSUER}/` })), 'the client assertion is not meant for this server (aud)');
    expectInvalidClient(await token(await sign(es, 'pk-es', { aud: 42 })), 'the client assertion is not meant for this server (aud)');
  });

  it('§3 point 3 "The token endpoint URL of the authorization server MAY be used as a value for an "aud" element"; an array containing it passes', async () => {
    expectGranted(await token(await sign(es, 'pk-es', { aud: `${ISSUER}/token` })));
    expectGranted(await token(await sign(es, 'pk-es', { aud: ['https://other.example.com', ISSUER] })));
    // The revocation endpoint's URL is not the token endpoint's audience.
    expectInvalidClient(await token(await sign(es, 'pk-es', { aud: `${ISSUER}/revoke` })), 'the client assertion is not meant for this server (aud)');
  });

  it('§3 point 3 at the revocation and introspection endpoints: the issuer, the token endpoint URL or the endpoint\'s own URL', async () => {
    for (const [path, aud] of [['/revoke', ISSUER], ['/revoke', `${ISSUER}/revoke`], ['/introspect', `${ISSUER}/token`], ['/introspect', `${ISSUER}/introspect`]] as const) {
      const form = { token: 'not-a-token', client_assertion_type: JWT_BEARER, client_assertion: await sign(es, 'pk-es', { aud }) };
      const res = await postFormFrom(CLIENT_ADDRESS, `${listening.url}${path}`, form);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(path === '/revoke' ? {} : { active: false });
    }
    const res = await postFormFrom(CLIENT_ADDRESS, `${listening.url}/introspect`, { token: 'x', client_assertion_type: JWT_BEARER, client_assertion: await sign(es, 'pk-es', { aud: `${ISSUER}/revoke` }) });
    expectInvalidClient(res, 'the client assertion is not meant for this server (aud)');
  });

  it('§3 point 4 "The JWT MUST contain an "exp" (expiration time) claim": none fails', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { exp: undefined })), 'the client assertion must have an exp claim');
  });

  it('§3 point 4 "MUST reject any JWT with an expiration time that has passed, subject to allowable clock skew"', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { iat: now() - 120, exp: now() - 31 })), 'the client assertion has expired');
    // Within the 30-second skew it is still accepted.
    expectGranted(await token(await sign(es, 'pk-es', { iat: now() - 60, exp: now() - 10 })));
  });

  it('§3 point 4 "the authorization server may reject JWTs with an "exp" claim value that is unreasonably far in the future": more than 300 s', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { exp: now() + 3600 })), 'the client assertion lives longer than 300 seconds');
    expectInvalidClient(await token(await sign(es, 'pk-es', { iat: undefined, exp: now() + 400 })), 'the client assertion lives longer than 300 seconds');
    expectGranted(await token(await sign(es, 'pk-es', { exp: now() + 300 })));
  });

  it('§3 point 5 "nbf ... identifies the time before which the token MUST NOT be accepted for processing"', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { nbf: now() + 120, exp: now() + 180 })), 'the client assertion is not valid yet (nbf)');
    expectGranted(await token(await sign(es, 'pk-es', { nbf: now() - 5 })));
  });

  it('§3 point 6 "iat ... the authorization server may reject JWTs with an "iat" claim value that is unreasonably far in the past"; one in the future fails too', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', { iat: now() - 600, exp: now() + 30 })), 'the client assertion lives longer than 300 seconds');
    expectInvalidClient(await token(await sign(es, 'pk-es', { iat: now() + 120, exp: now() + 180 })), 'the client assertion was issued in the future (iat)');
    expectInvalidClient(await token(await sign(es, 'pk-es', { iat: 'yesterday' })), 'the client assertion has an invalid iat claim');
  });

  it('§3 point 7 "The authorization server MAY ensure that JWTs are not replayed by maintaining the set of used "jti" values": a replay fails', async () => {
    const assertion = await sign(es, 'pk-es');
    expectGranted(await token(assertion));
    expectInvalidClient(await token(assertion), 'the client assertion was already used');
    // OpenID Connect Core §9 makes jti REQUIRED, and Keyturn keeps every one: none fails.
    expectInvalidClient(await token(await sign(es, 'pk-es', { jti: undefined })), 'the client assertion must have a jti claim');
  });

  it('§3 point 7: a jti is remembered only once the signature verified, so a forged assertion cannot use up a client\'s jti', async () => {
    const jti = randomUUID();
    expectInvalidClient(await token(await sign(other, 'pk-es', { jti }, { kid: es.kid })), 'client authentication failed');
    expectGranted(await token(await sign(es, 'pk-es', { jti })));
  });

  it('§3 point 7: the same jti of two clients are two values', async () => {
    const jti = randomUUID();
    expectGranted(await token(await sign(es, 'pk-es', { jti })));
    expectGranted(await token(await sign(ed, 'pk-ed', { jti })));
  });

  it('§3 point 8 "The JWT MAY contain other claims"', async () => {
    expectGranted(await token(await sign(es, 'pk-es', { purpose: 'nightly-report', nested: { a: 1 } })));
  });

  it('§3 point 9 "The JWT MUST be digitally signed ... The authorization server MUST reject JWTs with an invalid signature or MAC"', async () => {
    // Signed by another key under the client's kid.
    expectInvalidClient(await token(await sign(other, 'pk-es', {}, { kid: es.kid })), 'client authentication failed');
    // A signature cut short, and one of another assertion.
    const good = await sign(es, 'pk-es');
    expectInvalidClient(await token(good.slice(0, -10)), 'client authentication failed');
    const [h, p] = (await sign(es, 'pk-es')).split('.');
    expectInvalidClient(await token(`${h}.${p}.${good.split('.')[2]}`), 'client authentication failed');
  });

  it('§3 point 9: an unsigned JWT (alg "none") is never accepted', async () => {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const payload = { iss: 'pk-es', sub: 'pk-es', aud: ISSUER, iat: now(), exp: now() + 60, jti: randomUUID() };
    expectInvalidClient(await token(`${b64({ alg: 'none' })}.${b64(payload)}.`), 'the client assertion is not a signed JWT');
    expectInvalidClient(await token(`${b64({ alg: 'none' })}.${b64(payload)}.AAAA`), 'the client assertion is signed with an algorithm that is not accepted');
  });

  it('§3 point 9: an HMAC keyed with the client\'s public key (algorithm confusion) fails; HS* is only for client_secret_jwt', async () => {
    const confused = await sign({ alg: 'HS256', secret: JSON.stringify(es.publicJwk) }, 'pk-es');
    expectInvalidClient(await token(confused), 'client authentication failed');
  });

  it('§3 point 9: RS256, PS256 and EdDSA signatures verify; a client pinned to PS256 refuses RS256', async () => {
    expectGranted(await token(await sign(rsa, 'pk-rsa')));
    expectGranted(await token(await sign({ ...rsa, alg: 'PS256' }, 'pk-rsa')));
    expectGranted(await token(await sign(ed, 'pk-ed')));
    expectGranted(await token(await sign({ ...rsa, alg: 'PS256' }, 'pk-pinned')));
    expectInvalidClient(await token(await sign(rsa, 'pk-pinned')), 'client authentication failed');
  });

  it('§3 point 10 "MUST reject a JWT that is not valid in all other respects per [JWT]": a critical header it does not understand', async () => {
    expectInvalidClient(await token(await sign(es, 'pk-es', {}, { crit: ['exp-x'], 'exp-x': 1 })), 'the client assertion has critical header parameters this server does not understand');
  });

  it('§3.2: an assertion for a client registered with another method fails as invalid_client', async () => {
    expectInvalidClient(await token(await sign(es, 'basic')), 'client authentication failed');
    expectInvalidClient(await token(await sign(es, 'hs')), 'client authentication failed');
  });
});

describe('client_secret_jwt (OpenID Connect Core §9): an HMAC under the client\'s sealed secret', () => {
  it('HS256, HS384 and HS512 under the secret authenticate the client, at the token and introspection endpoints', async () => {
    for (const alg of ['HS256', 'HS384', 'HS512']) expectGranted(await token(await sign({ alg, secret: HMAC_SECRET }, 'hs')));
    const res = await postFormFrom(CLIENT_ADDRESS, `${listening.url}/introspect`, { token: 'x', client_assertion_type: JWT_BEARER, client_assertion: await sign({ alg: 'HS256', secret: HMAC_SECRET }, 'hs') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ active: false });
  });

  it('an HMAC under another secret fails, and a private_key_jwt client cannot be reached by an HMAC', async () => {
    expectInvalidClient(await token(await sign({ alg: 'HS256', secret: HMAC_SECRET + 'x' }, 'hs')), 'client authentication failed');
    expectInvalidClient(await token(await sign({ alg: 'HS256', secret: HMAC_SECRET }, 'pk-es')), 'client authentication failed');
  });
});

describe('a jwksUri served over HTTP: cached, refetched on an unknown kid, and the refetch bounded', () => {
  it('the set is fetched once, then cached', async () => {
    const before = jwksFetches;
    expectGranted(await token(await sign(uriKey, 'pk-uri')));
    expectGranted(await token(await sign(uriKey, 'pk-uri')));
    expect(jwksFetches - before).toBeLessThanOrEqual(1);
  });

  it('key rotation: an assertion under a new kid makes the set be fetched again, and then passes', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // past the 1-second refetch interval
    published = () => ({ keys: [uriKey.publicJwk, rotated.publicJwk] });
    const before = jwksFetches;
    expectGranted(await token(await sign(rotated, 'pk-uri')));
    expect(jwksFetches - before).toBe(1);
  });

  it('unknown kids from a stranger make at most one fetch per interval, and the client\'s own key keeps working', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const before = jwksFetches;
    const strangers = await Promise.all(
      Array.from({ length: 10 }, async () => postFormFrom(STRANGER_ADDRESS, `${listening.url}/token`, assertionForm(await sign({ ...other, kid: randomUUID() }, 'pk-uri')))),
    );
    for (const res of strangers) expectInvalidClient(res, 'client authentication failed');
    expect(jwksFetches - before).toBe(1);
    for (let i = 0; i < 5; i += 1) await postFormFrom(STRANGER_ADDRESS, `${listening.url}/token`, assertionForm(await sign({ ...other, kid: randomUUID() }, 'pk-uri')));
    expect(jwksFetches - before).toBe(1);
    expectGranted(await token(await sign(uriKey, 'pk-uri')));
  });
});

describe('a jwksUri whose host fails', () => {
  it('with no keys known, the request is 503 temporarily_unavailable (not a verdict), and the host is asked once per interval', async () => {
    const before = downFetches;
    for (let i = 0; i < 4; i += 1) {
      const res = await token(await sign(uriKey, 'pk-down'));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: "the client's keys could not be fetched; retry later" });
    }
    expect(downFetches - before).toBe(1);
  });
});

describe('a jwksUri the server would not read in full, or not fetch at all', () => {
  it('a JWK Set sent chunked without end is read only up to its bound: 503, and the host stops being read', async () => {
    const res = await token(await sign(uriKey, 'pk-endless'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: "the client's keys could not be fetched; retry later" });
    // The bound is 64 KiB; socket buffers let a little more through, never the megabytes of a read to the end.
    expect(endlessBytes).toBeLessThan(4 * 1024 * 1024);
  });

  it('a ClientStore client whose jwksUri is plain http off the loopback interface gets no keys and no fetch: 401', async () => {
    const served: Client = { clientId: 'pk-served', grants: ['client_credentials'], scopes: ['/accounts.read'], tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'http://192.0.2.1/jwks.json' };
    const storeAuth = createAuthorizationServer({ issuer: ISSUER, secret: SERVER_SECRET, clients: { findClient: (id) => (id === served.clientId ? served : undefined) } });
    const app = express();
    app.use(storeAuth.router());
    const server = await listen(app);
    try {
      const res = await postFormFrom(CLIENT_ADDRESS, `${server.url}/token`, assertionForm(await sign(uriKey, 'pk-served')));
      expectInvalidClient(res, 'client authentication failed');
    } finally {
      await server.close();
      await storeAuth.close();
    }
  });
});

describe('a stranger\'s bad assertions do not shut the client out (DESIGN habit 10)', () => {
  let guarded: AuthorizationServer;
  let server: Listening;
  beforeAll(async () => {
    guarded = createAuthorizationServer({ issuer: ISSUER, secret: SERVER_SECRET, allowPlaintextSecrets: true, clients: clients() });
    const app = express();
    app.use(guarded.router());
    server = await listen(app);
  });
  afterAll(async () => {
    await server?.close();
    await guarded?.close();
  });

  it('forged assertions for pk-es from 127.0.0.2 are refused (401, then 429 once its budget is spent); pk-es at 127.0.0.1 still gets tokens', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await postFormFrom(STRANGER_ADDRESS, `${server.url}/token`, assertionForm(await sign(other, 'pk-es', {}, { kid: es.kid })));
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    for (let i = 0; i < 3; i += 1) {
      expectGranted(await postFormFrom(CLIENT_ADDRESS, `${server.url}/token`, assertionForm(await sign(es, 'pk-es'))));
    }
  });
});
