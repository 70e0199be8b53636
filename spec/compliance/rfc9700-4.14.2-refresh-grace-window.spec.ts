// RFC 9700 §4.14.2: with refresh token rotation, "If a refresh token is compromised and subsequently used by
// both the attacker and the legitimate client, one of them will present an invalidated refresh token, which
// will inform the authorization server of the breach." Strictly applied, a client that never received the
// answer to its refresh (a 503 while the store stalled although the rotation landed, a dropped connection)
// presents an invalidated token when it retries, and loses its grant. `refreshToken.reuseGraceSeconds` lets
// the token a rotation just spent be presented again for that many seconds: the answer is new tokens of the
// same family, and the refresh token the lost answer carried is retired, so the family never has more than
// one live refresh token. Outside the window, for an older token, or for a retired one, reuse revokes the
// family as before. With JWT access tokens, which the store cannot delete, the retired child's JWT is revoked
// by its jti in the same step, so it too stops working at once at the server's bearer check and /introspect.
// Run against the memory store, a standalone Redis and a Redis Cluster, through real HTTP.
import { createHash } from 'node:crypto';
import Redis, { type Cluster } from 'ioredis';
import request from 'supertest';
import { type AuthorizationServerOptions, type Store } from '../../lib';
import { redisStore } from '../../lib/redis';
import { storeBackends, type StoreBackend } from '../support/store-backends';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { findAccessRecord } from '../support/access-tokens';
import { clientCredentials, INVALID_GRANT, refresh, startInstance, WEB_APP, type RunningInstance } from '../support/refresh-app';
import { freePort, localCluster, RedisServerProcess, uniquePrefix, waitReady } from '../support/redis';

const sha256 = (token: string) => createHash('sha256').update(token).digest('base64url');
const familyOf = (refreshToken: string) => sha256(refreshToken.split('.')[0] as string);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True while `refreshToken` is its family's live refresh token. */
async function isLive(store: Store, refreshToken: string): Promise<boolean> {
  return (await store.findRefreshToken(familyOf(refreshToken), sha256(refreshToken))) !== undefined;
}

/** A protected resource on the instance itself, checked with `requireBearer({ server })`. */
function withAccounts(app: import('express').Express, auth: RunningInstance['auth']): void {
  app.get('/accounts', requireBearer({ server: auth, scopes: ['/accounts.read'] }), (req, res) => res.json({ clientId: req.auth?.clientId }));
  app.use(bearerErrorHandler());
}

function accounts(instance: RunningInstance, token: string): request.Test {
  return request(instance.url).get('/accounts').set('Authorization', `Bearer ${token}`);
}

const REVOKED = { error: 'invalid_token', error_description: 'the access token was revoked' };

function introspect(instance: RunningInstance, token: string): request.Test {
  return request(instance.url).post('/oauth2/introspect').auth(WEB_APP.clientId, WEB_APP.clientSecret as string).type('form').send({ token });
}

describe.each(storeBackends('rfc9700-grace'))('RFC 9700 §4.14.2 refresh grace window (%s)', (_name, makeBackend) => {
  let backend: StoreBackend;
  let store: Store;
  let strict: RunningInstance;
  let graceful: RunningInstance;
  const started: RunningInstance[] = [];
  async function instance(options: Partial<AuthorizationServerOptions>, routes?: Parameters<typeof startInstance>[1]): Promise<RunningInstance> {
    const s = await startInstance({ store, ...options }, routes);
    started.push(s);
    return s;
  }

  beforeAll(async () => {
    backend = await makeBackend();
    store = backend.store();
    strict = await instance({});
    graceful = await instance({ refreshToken: { reuseGraceSeconds: 30 } });
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await backend?.release();
  });

  it('by default the window is closed: the retry of a refresh whose answer was lost is reuse, and the family is revoked', async () => {
    const { refresh_token: spent } = await clientCredentials(strict);
    const lost = await refresh(strict, spent);
    expect(lost.status).toBe(200);
    const retry = await refresh(strict, spent);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual(INVALID_GRANT);
    expect(await isLive(store, lost.body.refresh_token)).toBe(false);
    expect((await introspect(strict, lost.body.access_token)).body).toEqual({ active: false });
  });

  it('within the window the retry gets new tokens of the same family; the lost refresh and access tokens are retired', async () => {
    const { refresh_token: spent } = await clientCredentials(graceful);
    const lost = await refresh(graceful, spent); // the answer that never reaches the client
    expect(lost.status).toBe(200);

    const retry = await refresh(graceful, spent);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: '/accounts.read /accounts.write',
      refresh_token: expect.any(String),
    });
    expect(familyOf(retry.body.refresh_token)).toBe(familyOf(spent));
    expect(retry.body.refresh_token).not.toBe(lost.body.refresh_token);
    expect(await isLive(store, retry.body.refresh_token)).toBe(true);
    expect(await isLive(store, lost.body.refresh_token)).toBe(false);
    expect(await findAccessRecord(store, lost.body.access_token)).toBeUndefined();
    expect((await introspect(graceful, lost.body.access_token)).body).toEqual({ active: false });
    expect((await introspect(graceful, retry.body.access_token)).body).toMatchObject({ active: true, client_id: 'web-app' });

    // The client carries on with what the retry gave it.
    const next = await refresh(graceful, retry.body.refresh_token);
    expect(next.status).toBe(200);
    expect(await isLive(store, next.body.refresh_token)).toBe(true);
  });

  it('with JWT access tokens, the lost answer\'s JWT is refused at requireBearer and /introspect after the re-issue; the retry\'s is accepted', async () => {
    const jwtGraceful = await instance(
      { issuer: 'https://as.example', accessToken: { format: 'jwt' }, secret: 'grace-window-spec-secret-of-32-bytes!!', refreshToken: { reuseGraceSeconds: 30 } },
      withAccounts,
    );
    const { refresh_token: spent, access_token: before } = await clientCredentials(jwtGraceful);
    const lost = await refresh(jwtGraceful, spent!);
    expect(lost.status).toBe(200);
    expect(lost.body.access_token.split('.')).toHaveLength(3);
    // Accepted twice before the re-issue: the second answer comes from the verified-token cache, which the
    // refusal must then get past.
    for (let i = 0; i < 2; i++) expect((await accounts(jwtGraceful, lost.body.access_token)).status).toBe(200);

    const retry = await refresh(jwtGraceful, spent!);
    expect(retry.status).toBe(200);
    const refused = await accounts(jwtGraceful, lost.body.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe(`Bearer realm="keyturn", error="invalid_token", error_description="${REVOKED.error_description}"`);
    expect(refused.body).toEqual(REVOKED);
    expect((await introspect(jwtGraceful, lost.body.access_token)).body).toEqual({ active: false });

    expect((await accounts(jwtGraceful, retry.body.access_token)).body).toEqual({ clientId: 'web-app' });
    expect((await introspect(jwtGraceful, retry.body.access_token)).body).toMatchObject({ active: true, client_id: 'web-app' });
    // The JWT issued before the lost refresh belongs to no retired child: like any access token after a
    // rotation, it stays valid until it expires.
    expect((await accounts(jwtGraceful, before!)).status).toBe(200);

    // A second lost answer: the first retry's JWT is retired in turn, and one child's JWT is live.
    const again = await refresh(jwtGraceful, spent!);
    expect(again.status).toBe(200);
    expect((await accounts(jwtGraceful, retry.body.access_token)).status).toBe(401);
    expect((await introspect(jwtGraceful, retry.body.access_token)).body).toEqual({ active: false });
    expect((await accounts(jwtGraceful, again.body.access_token)).status).toBe(200);
  });

  it('a client that loses several answers in a row can retry each time within the window; one refresh token is live', async () => {
    const { refresh_token: spent } = await clientCredentials(graceful);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await refresh(graceful, spent);
      expect(res.status).toBe(200);
      answers.push(res.body.refresh_token as string);
    }
    const live = [];
    for (const token of answers) if (await isLive(store, token)) live.push(token);
    expect(live).toEqual([answers[2]]);
  });

  it('the retired refresh token presented later is reuse: the family is revoked, the retry\'s tokens too', async () => {
    const { refresh_token: spent } = await clientCredentials(graceful);
    const first = await refresh(graceful, spent);
    const retry = await refresh(graceful, spent);
    expect(retry.status).toBe(200);
    const replay = await refresh(graceful, first.body.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual(INVALID_GRANT);
    expect(await isLive(store, retry.body.refresh_token)).toBe(false);
    expect((await introspect(graceful, retry.body.access_token)).body).toEqual({ active: false });
  });

  it('once the new token has been used, the spent one is an older ancestor: reuse, within the window too', async () => {
    const { refresh_token: spent } = await clientCredentials(graceful);
    const child = await refresh(graceful, spent);
    const grandchild = await refresh(graceful, child.body.refresh_token);
    expect(grandchild.status).toBe(200);
    const replay = await refresh(graceful, spent);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual(INVALID_GRANT);
    expect(await isLive(store, grandchild.body.refresh_token)).toBe(false);
  });

  it('past the window the retry is reuse and the family is revoked', async () => {
    const short = await instance({ refreshToken: { reuseGraceSeconds: 1 } });
    const { refresh_token: spent } = await clientCredentials(short);
    const lost = await refresh(short, spent);
    expect(lost.status).toBe(200);
    // The window counts whole seconds of the rotation's clock: more than two seconds later is always past one.
    await sleep(2100);
    const retry = await refresh(short, spent);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual(INVALID_GRANT);
    expect(await isLive(store, lost.body.refresh_token)).toBe(false);
  });

  it('another client presenting the spent token within the window gets invalid_grant, and nothing changes', async () => {
    const { refresh_token: spent } = await clientCredentials(graceful);
    const child = await refresh(graceful, spent);
    const other = { clientId: 'other-app', clientSecret: 'other-app-secret', grants: ['client_credentials', 'refresh_token'], scopes: [] };
    const res = await refresh(graceful, spent, other);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(INVALID_GRANT);
    expect(await isLive(store, child.body.refresh_token)).toBe(true);
  });

  it('a re-issue is a refresh.grace_reissued event with ids and scope, never a token; the rotation before it is token.refreshed', async () => {
    const events: Array<[string, unknown]> = [];
    graceful.auth.events.on('token.refreshed', (e) => events.push(['token.refreshed', e]));
    graceful.auth.events.on('refresh.grace_reissued', (e) => events.push(['refresh.grace_reissued', e]));
    graceful.auth.events.on('refresh.reuse_detected', (e) => events.push(['refresh.reuse_detected', e]));
    try {
      const issued = await clientCredentials(graceful);
      const lost = await refresh(graceful, issued.refresh_token!);
      const retry = await refresh(graceful, issued.refresh_token!, WEB_APP, '/accounts.read');
      expect(retry.status).toBe(200);
      const familyId = familyOf(issued.refresh_token!);
      const base = { at: expect.any(Number), endpoint: 'token', ip: expect.any(String), clientId: 'web-app', familyId };
      expect(events).toEqual([
        ['token.refreshed', { ...base, scope: ['/accounts.read', '/accounts.write'] }],
        ['refresh.grace_reissued', { ...base, scope: ['/accounts.read'] }],
      ]);
      const serialized = JSON.stringify(events);
      for (const token of [issued.access_token, issued.refresh_token, lost.body.access_token, lost.body.refresh_token, retry.body.access_token, retry.body.refresh_token]) {
        for (const part of String(token).split('.')) expect(serialized).not.toContain(part);
      }
    } finally {
      graceful.auth.events.removeAllListeners();
    }
  });
});

// The fault: Redis stalls while the rotation is on the wire. The client gets 503 with Retry-After
// once commandTimeoutMs passes, but Redis then runs the rotation; the retry the 503 asked for presents a
// token that is no longer live. CLIENT PAUSE (on servers this run started, never the shared Redis) holds
// every client's commands and runs them when the pause ends, which is that stall.
interface StalledBackend {
  /** A store on the backend whose commands time out quickly. */
  readonly store: Store;
  /** A second store on the same keys, to look at what landed. */
  readonly observer: Store;
  /** Holds every client's commands for `ms`, on every node. */
  stall(ms: number): Promise<void>;
  release(): Promise<void>;
}

async function stalledStandalone(): Promise<StalledBackend> {
  const server = new RedisServerProcess(await freePort());
  await server.start();
  const options = { host: '127.0.0.1', port: server.port };
  const client = new Redis(options);
  const admin = new Redis(options);
  await Promise.all([waitReady(client), waitReady(admin)]);
  const prefix = uniquePrefix('rfc9700-grace-stall');
  return {
    store: redisStore(client, { keyPrefix: prefix, commandTimeoutMs: 200 }),
    observer: redisStore(admin, { keyPrefix: prefix }),
    async stall(ms) {
      await admin.call('CLIENT', 'PAUSE', String(ms), 'ALL');
    },
    async release() {
      await Promise.all([client, admin].map((c) => c.quit().catch(() => c.disconnect())));
      await server.dispose();
    },
  };
}

async function stalledCluster(): Promise<StalledBackend> {
  const cluster = await localCluster();
  const client: Cluster = await cluster.connect();
  const observerClient: Cluster = await cluster.connect();
  const admins = cluster.nodes.map((node) => new Redis(node));
  await Promise.all(admins.map((a) => waitReady(a)));
  const prefix = uniquePrefix('rfc9700-grace-stall-cluster');
  return {
    store: redisStore(client, { keyPrefix: prefix, commandTimeoutMs: 200 }),
    observer: redisStore(observerClient, { keyPrefix: prefix }),
    async stall(ms) {
      await Promise.all(admins.map((a) => a.call('CLIENT', 'PAUSE', String(ms), 'ALL')));
    },
    async release() {
      await Promise.all(admins.map((a) => a.quit().catch(() => a.disconnect())));
      await cluster.release();
    },
  };
}

describe.each([
  ['standalone Redis', stalledStandalone],
  ['3-master Redis Cluster', stalledCluster],
])('a refresh whose rotation lands after its 503 (%s)', (_name, makeBackend) => {
  let backend: StalledBackend;
  const started: RunningInstance[] = [];

  beforeAll(async () => {
    backend = await makeBackend();
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await backend?.release();
  });

  /** Refreshes `spent` while Redis stalls: asserts the 503, then waits until the stalled rotation has landed. */
  async function refreshDuringStall(instance: RunningInstance, spent: string): Promise<void> {
    await backend.stall(1000);
    const res = await refresh(instance, spent);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ error: 'temporarily_unavailable' });
    // The rotation was on the wire: it runs when the stall ends, although the client was told 503.
    const deadline = Date.now() + 5000;
    while (await isLive(backend.observer, spent)) {
      if (Date.now() > deadline) throw new Error('the stalled rotation never landed: the scenario did not happen');
      await sleep(50);
    }
  }

  it('with the default (no window), the retry the 503 asked for revokes the family', async () => {
    const strict = await startInstance({ store: backend.store });
    started.push(strict);
    const { refresh_token: spent } = await clientCredentials(strict);
    await refreshDuringStall(strict, spent!);
    const retry = await refresh(strict, spent!);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual(INVALID_GRANT);
  });

  it('with reuseGraceSeconds, the retry gets new tokens, and the client keeps refreshing', async () => {
    const graceful = await startInstance({ store: backend.store, refreshToken: { reuseGraceSeconds: 10 } });
    started.push(graceful);
    const { refresh_token: spent } = await clientCredentials(graceful);
    await refreshDuringStall(graceful, spent!);
    const retry = await refresh(graceful, spent!);
    expect(retry.status).toBe(200);
    expect(familyOf(retry.body.refresh_token)).toBe(familyOf(spent!));
    expect(await isLive(backend.observer, retry.body.refresh_token)).toBe(true);
    const next = await refresh(graceful, retry.body.refresh_token);
    expect(next.status).toBe(200);
    expect(await isLive(backend.observer, next.body.refresh_token)).toBe(true);
  });
});
