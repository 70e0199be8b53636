// The cached bearer check of a JWT costs one store round trip on Redis, whether or not the token names a grant
// family: the revoked-jti check and the family's revoked marker travel in one EXISTS. Counted by Redis itself
// (INFO commandstats) on a redis-server this file starts, so no other client's commands are in the count.
import Redis from 'ioredis';
import request from 'supertest';
import type { Client } from '../../lib';
import { redisStore } from '../../lib/redis';
import { requireBearer } from '../../lib/resource-server';
import { basic } from '../support/app';
import { authorizeCode, buildAuthorizeApp, VERIFIER, webRequest } from '../support/authorize';
import { freePort, RedisServerProcess, uniquePrefix, waitReady } from '../support/redis';

const CB = 'https://client.example/cb';
const RP: Client = {
  clientId: 'rp',
  clientSecret: 'rp-secret',
  grants: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: ['/accounts.read'],
  redirectUris: [CB],
  accessTokenFormat: 'jwt',
};
const BEARER_CHECKS = 20;

describe('bearer checks of JWTs on Redis: store round trips per request', () => {
  let server: RedisServerProcess;
  let client: Redis;
  let stats: Redis;
  let app: ReturnType<typeof buildAuthorizeApp>;

  beforeAll(async () => {
    server = new RedisServerProcess(await freePort());
    await server.start();
    client = new Redis({ host: '127.0.0.1', port: server.port });
    stats = new Redis({ host: '127.0.0.1', port: server.port });
    await Promise.all([waitReady(client), waitReady(stats)]);
    app = buildAuthorizeApp({}, {
      clients: [RP],
      grants: ['client_credentials', 'authorization_code', 'refresh_token'],
      refreshToken: { issueWithClientCredentials: false },
      store: redisStore(client, { keyPrefix: uniquePrefix('bearer-rt') }),
      secret: 'bearer-round-trips-spec-secret-of-32-bytes',
    });
    app.app.get('/accounts', requireBearer({ server: app.auth, scopes: ['/accounts.read'] }), (_req, res) => res.json({ ok: true }));
  });
  afterAll(async () => {
    await app?.auth.close();
    await Promise.all([client?.quit(), stats?.quit()]);
    await server?.dispose();
  });

  /** Calls per command since the last reset, INFO itself left out. */
  async function commandsSince(): Promise<Record<string, number>> {
    const info = await stats.info('commandstats');
    const out: Record<string, number> = {};
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info' && !m[1]!.startsWith('config')) out[m[1]!] = Number(m[2]);
    return out;
  }

  async function countBearerChecks(accessToken: string): Promise<Record<string, number>> {
    // Warm the verified-token cache (and the key ring), then count only the cached checks.
    expect((await request(app.app).get('/accounts').set('Authorization', `Bearer ${accessToken}`)).status).toBe(200);
    await stats.config('RESETSTAT');
    for (let i = 0; i < BEARER_CHECKS; i++) {
      expect((await request(app.app).get('/accounts').set('Authorization', `Bearer ${accessToken}`)).status).toBe(200);
    }
    return commandsSince();
  }

  it('a JWT of a grant family: one EXISTS per check (its jti and its family, one command)', async () => {
    const code = await authorizeCode(app.app, webRequest({ client_id: RP.clientId, scope: '/accounts.read' }));
    const res = await request(app.app).post('/oauth2/token').set('Authorization', basic(RP.clientId, RP.clientSecret!)).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    expect(typeof res.body.refresh_token).toBe('string');
    expect(await countBearerChecks(res.body.access_token)).toEqual({ exists: BEARER_CHECKS });
  });

  it('a JWT of no family (client_credentials): one EXISTS per check, as before', async () => {
    const res = await request(app.app).post('/oauth2/token').set('Authorization', basic(RP.clientId, RP.clientSecret!)).type('form')
      .send({ grant_type: 'client_credentials' });
    expect(res.body.refresh_token).toBeUndefined();
    expect(await countBearerChecks(res.body.access_token)).toEqual({ exists: BEARER_CHECKS });
  });
});
