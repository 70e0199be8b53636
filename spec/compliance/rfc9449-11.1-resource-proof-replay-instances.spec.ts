/*
 * RFC 9449 §11.1 (DPoP Proof Replay):
 *   "Servers SHOULD store, in the context of the request URI, the jti value of each DPoP proof for the time
 *    window in which the respective DPoP proof JWT would be accepted and decline HTTP requests to the same URI
 *    for which the jti value has been seen before."
 *
 * Several instances of one resource server behind one URL are one server to the client: a proof used at one
 * must be refused at the others. Both checks record proof jtis with `store.useOnce('dpop', …)`: the issuing
 * process in the server's store, another service in its `dpop.store`. Two instances on one Redis (each with
 * its own ioredis client, as two processes have, under this run's own key prefix; nothing is flushed) refuse
 * each other's replays; two instances on their own memory stores do not, which is why the docs ask for a
 * shared store.
 */
import express from 'express';
import type Redis from 'ioredis';
import { createAuthorizationServer, type AuthorizationServer } from '../../lib';
import { redisStore } from '../../lib/redis';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { ALL_CLIENTS, JWT_JOB } from '../support/clients';
import { dpopKey, proof, tokenFromEndpoint, type DpopKey } from '../support/dpop-client';
import { ecKeyPair } from '../support/keys';
import { listen, type Listening } from '../support/listen';
import { deleteKeysUnder, dumpKeysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';

const EXTERNAL = 'https://api.example.test';
const HTU = `${EXTERNAL}/accounts`;
const SECRET = 'a server secret of at least thirty-two bytes';
const ALGS = 'ES256 EdDSA RS256 PS256';
const REPLAYED = {
  status: 401,
  challenge: `Bearer realm="api", DPoP realm="api", error="invalid_dpop_proof", error_description="the DPoP proof was already used", algs="${ALGS}"`,
  body: { error: 'invalid_dpop_proof', error_description: 'the DPoP proof was already used' },
};

async function get(url: string, headers: Record<string, string>): Promise<{ status: number; challenge: string | null; body: unknown }> {
  const res = await fetch(url, { headers });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
}

describe('RFC 9449 §11.1: proof replay across resource-server instances', () => {
  const prefix = uniquePrefix('dpop-rs');
  const signing = ecKeyPair();
  let redis: StandaloneRedis;
  const clients: Redis[] = [];
  const servers: AuthorizationServer[] = [];
  const listening: Listening[] = [];
  let issuerUrl: string;
  let key: DpopKey;
  let token: string;

  // An instance of the issuing app: its own client to the shared Redis, the same key and secret.
  async function issuingInstance(): Promise<Listening> {
    const client = await redis.connect();
    clients.push(client);
    let handler: express.Express | undefined;
    const at = await listen((req, res) => handler!(req, res));
    const auth = createAuthorizationServer({
      clients: ALL_CLIENTS,
      allowPlaintextSecrets: true,
      issuer: issuerUrl ?? at.url,
      dpop: {},
      secret: SECRET,
      store: redisStore(client, { keyPrefix: prefix }),
      signingKeys: [{ kid: 'as-1', alg: 'ES256', key: signing.privateKey }],
    });
    servers.push(auth);
    const app = express();
    app.use(auth.router());
    app.get('/.well-known/oauth-authorization-server', auth.metadata());
    // Behind one load balancer: both instances know the URL clients use.
    app.get('/accounts', requireBearer({ server: auth, realm: 'api', dpop: { externalUrl: EXTERNAL } }), (req, res) => res.json({ clientId: req.auth?.clientId }));
    app.use(bearerErrorHandler({ server: auth }));
    handler = app;
    listening.push(at);
    return at;
  }

  // An instance of another service: JWTs by the issuer's JWKS, proof jtis in `store` (memory by default).
  async function remoteInstance(store: 'redis' | 'memory'): Promise<Listening> {
    let dpopStore;
    if (store === 'redis') {
      const client = await redis.connect();
      clients.push(client);
      dpopStore = redisStore(client, { keyPrefix: `${prefix}rs:` });
    }
    const app = express();
    app.get(
      '/accounts',
      requireBearer({ issuer: issuerUrl, audience: issuerUrl, dpop: { externalUrl: EXTERNAL, ...(dpopStore === undefined ? {} : { store: dpopStore }) } }),
      (req, res) => res.json({ clientId: req.auth?.clientId }),
    );
    app.use(bearerErrorHandler());
    const at = await listen(app);
    listening.push(at);
    return at;
  }

  beforeAll(async () => {
    redis = await standaloneRedis();
    const first = await issuingInstance();
    issuerUrl = first.url;
    key = await dpopKey();
    token = await tokenFromEndpoint(`${issuerUrl}/token`, JWT_JOB, key);
  });
  afterAll(async () => {
    for (const l of listening) await l.close();
    for (const s of servers) await s.close();
    if (clients[0] !== undefined) await deleteKeysUnder(clients[0], prefix);
    await redis?.release();
  });

  it('requireBearer({ server }): a proof used at one instance is refused at the other, through the server store', async () => {
    const [a] = listening;
    const b = await issuingInstance();
    const once = await proof(key, { htm: 'GET', htu: HTU, accessToken: token });
    expect(await get(`${a!.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).toEqual({ status: 200, challenge: null, body: { clientId: JWT_JOB.clientId } });
    expect(await get(`${b.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).toEqual(REPLAYED);
    // A fresh proof still works at either: only the jti was spent.
    const fresh = await proof(key, { htm: 'GET', htu: HTU, accessToken: token });
    expect((await get(`${b.url}/accounts`, { authorization: `DPoP ${token}`, dpop: fresh })).status).toBe(200);
    // What Redis holds for the proofs: one key per jti, hashed, expiring with the window; never a proof or token.
    const keys = await dumpKeysUnder(clients[0]!, prefix);
    const replayKeys = keys.filter((k) => k.key.startsWith(`${prefix}once:dpop:`));
    // The token request's proof and the two resource requests' proofs.
    expect(replayKeys.length).toBe(3);
    for (const k of replayKeys) {
      expect(k.pttl).toBeGreaterThan(0);
      expect(k.pttl).toBeLessThanOrEqual(65_000 + 1000);
    }
    for (const k of keys) {
      expect(k.key + k.value).not.toContain(once);
      expect(k.key + k.value).not.toContain(token);
    }
  });

  it('requireBearer({ issuer }) with a shared dpop.store: a proof used at one instance is refused at the other', async () => {
    const a = await remoteInstance('redis');
    const b = await remoteInstance('redis');
    const once = await proof(key, { htm: 'GET', htu: HTU, accessToken: token });
    expect(await get(`${a.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).toEqual({ status: 200, challenge: null, body: { clientId: JWT_JOB.clientId } });
    expect(await get(`${b.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).toEqual(REPLAYED);
    expect(await get(`${a.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).toEqual(REPLAYED);
  });

  it('requireBearer({ issuer }) on its default memory store refuses replays at the same instance only (why several instances need a shared store)', async () => {
    const a = await remoteInstance('memory');
    const b = await remoteInstance('memory');
    const once = await proof(key, { htm: 'GET', htu: HTU, accessToken: token });
    expect((await get(`${a.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).status).toBe(200);
    expect(await get(`${a.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).toEqual(REPLAYED);
    expect((await get(`${b.url}/accounts`, { authorization: `DPoP ${token}`, dpop: once })).status).toBe(200);
  });
});
