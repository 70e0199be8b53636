// RFC 6749 §4.1.2.1 defines temporarily_unavailable: "The authorization server is currently unable to handle
// the request due to a temporary overloading or maintenance of the server." The token endpoint answers it
// as 503 with Retry-After (RFC 9110 §15.6.4, §10.2.3) when its Redis is down or too slow, within the store's
// command timeout, without crashing or leaving an unhandled rejection, and serves again once Redis is back.
// Uses its own redis-server (with an append-only file, so data survives the crash) on a free port.
import express from 'express';
import { Passport } from 'passport';
import Redis from 'ioredis';
import request from 'supertest';
import { redisStore } from '../../lib/redis';
import { type OAuthError } from '../../lib/errors';
import {
  clientCredentials,
  expectTokenEndpointHeaders,
  postToken,
  refresh,
  startInstance,
  WEB_APP,
  type RunningInstance,
} from '../support/refresh-app';
import { freePort, RedisServerProcess, uniquePrefix, waitReady } from '../support/redis';

const TIMEOUT_MS = 500;
// "Within the timeout": the deadline plus generous room for a loaded CI machine, far below a hung request.
const WITHIN = TIMEOUT_MS + 1500;
const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description: 'the server is temporarily unable to handle the request; retry later',
};

describe('RFC 6749 §4.1.2.1 temporarily_unavailable when Redis fails', () => {
  let server: RedisServerProcess;
  let client: Redis;
  let instance: RunningInstance;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const reported: OAuthError[] = [];

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = new RedisServerProcess(await freePort(), ['--appendonly', 'yes', '--appendfsync', 'always']);
    await server.start();
    client = new Redis({ host: '127.0.0.1', port: server.port });
    await waitReady(client);
    instance = await startInstance({
      store: redisStore(client, { keyPrefix: uniquePrefix('unavailable'), commandTimeoutMs: TIMEOUT_MS }),
      onError: (err) => reported.push(err),
    });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await instance?.stop();
    await instance?.auth.store.close();
    client?.disconnect();
    await server?.dispose();
  });

  async function expectUnavailable(send: () => Promise<{ status: number; headers: Record<string, string>; body: unknown }>) {
    const started = Date.now();
    const res = await send();
    expect(Date.now() - started).toBeLessThan(WITHIN);
    expect(res.status).toBe(503);
    expectTokenEndpointHeaders(res.headers);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toEqual(UNAVAILABLE);
  }

  it('Redis stopped: 503 with Retry-After for every grant; once Redis is back, service resumes by itself', async () => {
    const first = await clientCredentials(instance);
    await server.stop('SIGKILL');

    await expectUnavailable(() => postToken(instance, WEB_APP, { grant_type: 'client_credentials' }));
    await expectUnavailable(() => refresh(instance, first.refresh_token!));

    await server.start();
    await waitReady(client);
    // The refresh tried during the outage was never sent (nor queued to run later), so the token is intact.
    const res = await refresh(instance, first.refresh_token!);
    expect(res.status).toBe(200);
    expect((await postToken(instance, WEB_APP, { grant_type: 'client_credentials' })).status).toBe(200);
  });

  it('bearer checks of opaque tokens fail closed: 503 while Redis is down, never allowed; accepted again after', async () => {
    const api = express();
    api.get('/accounts', instance.auth.bearer(), (_req, res) => {
      res.json({ ok: true });
    });
    // The same core behind the Passport strategy: the outage must reach it as the same 503.
    const passport = new Passport();
    passport.use(instance.auth.bearerStrategy());
    api.get('/via-passport', passport.authenticate('bearer', { session: false }), (_req, res) => {
      res.json({ ok: true });
    });
    api.use(instance.auth.errorHandler());
    const { access_token: token } = await clientCredentials(instance);
    const call = (path = '/accounts') => request(api).get(path).set('Authorization', `Bearer ${token}`);
    expect((await call()).status).toBe(200);
    expect((await call('/via-passport')).status).toBe(200);

    await server.stop('SIGKILL');
    for (const path of ['/accounts', '/via-passport']) {
      const started = Date.now();
      const res = await call(path);
      expect(Date.now() - started).toBeLessThan(WITHIN);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual(UNAVAILABLE);
    }

    await server.start();
    await waitReady(client);
    expect((await call()).status).toBe(200);
    expect((await call('/via-passport')).status).toBe(200);
  });

  it('Redis frozen (connected but silent): 503 within commandTimeoutMs, then service resumes', async () => {
    const first = await clientCredentials(instance);
    server.signal('SIGSTOP');
    try {
      await expectUnavailable(() => postToken(instance, WEB_APP, { grant_type: 'client_credentials' }));
    } finally {
      server.signal('SIGCONT');
    }
    const res = await refresh(instance, first.refresh_token!);
    expect(res.status).toBe(200);
  });

  it('no unhandled rejection; each failure reached onError as temporarily_unavailable with the store error as cause', () => {
    expect(unhandled).toEqual([]);
    expect(reported.length).toBeGreaterThanOrEqual(3);
    for (const err of reported) {
      expect(err.code).toBe('temporarily_unavailable');
      expect((err.cause as Error).name).toBe('StoreUnavailableError');
    }
  });
});
