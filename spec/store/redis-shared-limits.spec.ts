// Rate limits and lockouts hold across instances: two Express apps, each with its own ioredis client,
// share one Redis (and key prefix), so a client's points and failures count once for both.
import type Redis from 'ioredis';
import request from 'supertest';
import { redisStore } from '../../lib/redis';
import { basic, buildTestApp, MOOV_CLIENT } from '../support/app';
import { deleteKeysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';

describe('rate limit and lockout shared by two instances on one Redis', () => {
  let redis: StandaloneRedis;
  const clients: Redis[] = [];
  const prefix = uniquePrefix('limits');

  beforeAll(async () => {
    redis = await standaloneRedis();
    for (let i = 0; i < 2; i++) clients.push(await redis.connect());
  });
  afterAll(async () => {
    await deleteKeysUnder(clients[0]!, prefix);
    for (const client of clients) client.disconnect();
    await redis.release();
  });

  const instances = (sub: string, options: Parameters<typeof buildTestApp>[0]) =>
    clients.map((client) => buildTestApp({ ...options, store: redisStore(client, { keyPrefix: `${prefix}${sub}:` }) }).app);
  const token = (app: ReturnType<typeof instances>[number], secret = MOOV_CLIENT.clientSecret as string) =>
    request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, secret)).type('form').send('grant_type=client_credentials');

  it('a client\'s points are spent across both instances: the 5th request of 4 allowed is 429 wherever it lands', async () => {
    const [a, b] = instances('rl', { rateLimit: { points: 4, durationSeconds: 60 } });
    const statuses = [];
    for (const app of [a, b, a, b, a, b]) statuses.push((await token(app!)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const limited = await token(b!);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('failures at one instance lock the client id at the other', async () => {
    const [a, b] = instances('lock', { lockout: { maxFailures: 3, baseSeconds: 30 } });
    expect((await token(a!, 'guess-1')).status).toBe(401);
    expect((await token(b!, 'guess-2')).status).toBe(401);
    expect((await token(a!, 'guess-3')).status).toBe(401);
    const locked = await token(b!);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('30');
  });
});
