// RFC 6749 §4.1.2.1: once the redirect URI is trusted, an authorization request that fails goes back to the
// client with an error code, and the code for an outage is temporarily_unavailable: "The authorization server
// is currently unable to handle the request due to a temporary overloading or maintenance of the server."
// server_error would tell the client something broke for good. Both store operations of the authorization
// endpoint meet a Redis that is down here: GET /authorize reads the remembered consent, the consent POST
// writes the code. The Redis is a redis-server of this spec's own, killed and started again.
import Redis from 'ioredis';
import request from 'supertest';
import { redisStore } from '../../lib/redis';
import { authorizePath, buildAuthorizeApp, ISS, openConsent, postConsent, webRequest } from '../support/authorize';
import { deleteKeysUnder, freePort, RedisServerProcess, uniquePrefix, waitReady } from '../support/redis';

const CB = 'https://client.example/cb';
const TIMEOUT_MS = 500;
const WITHIN_MS = TIMEOUT_MS + 1500;
const UNAVAILABLE = 'error=temporarily_unavailable&error_description=the+server+is+temporarily+unable+to+handle+the+request%3B+retry+later';

describe('RFC 6749 §4.1.2.1 temporarily_unavailable at the authorization endpoint when Redis is down', () => {
  let server: RedisServerProcess;
  let client: Redis;
  const prefix = uniquePrefix('authorize-down');
  let app: ReturnType<typeof buildAuthorizeApp>['app'];

  beforeAll(async () => {
    server = new RedisServerProcess(await freePort());
    await server.start();
    client = new Redis({ host: '127.0.0.1', port: server.port });
    await waitReady(client);
    ({ app } = buildAuthorizeApp(
      {},
      { store: redisStore(client, { keyPrefix: prefix, commandTimeoutMs: TIMEOUT_MS }), secret: 'authorize-outage-spec-secret-of-32-bytes' },
    ));
  });
  afterAll(async () => {
    if (client?.status === 'ready') await deleteKeysUnder(client, prefix);
    client?.disconnect();
    await server?.dispose();
  });

  const expectUnavailableRedirect = (res: request.Response, status: number, started: number) => {
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
    expect(res.status).toBe(status);
    expect(res.headers.location).toBe(`${CB}?${UNAVAILABLE}&state=af0ifjsldkj&iss=${ISS}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toBe('');
  };

  it('GET /authorize and the consent POST redirect with temporarily_unavailable; the same consent form works once Redis is back', async () => {
    const page = await openConsent(app, webRequest());
    await server.stop('SIGKILL');

    let started = Date.now();
    expectUnavailableRedirect(await request(app).get(authorizePath(webRequest())).set('x-test-user', 'alice'), 302, started);
    started = Date.now();
    expectUnavailableRedirect(await postConsent(app, page, 'allow'), 303, started);

    await server.start();
    await waitReady(client);
    const res = await postConsent(app, page, 'allow');
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location as string);
    expect([...location.searchParams.keys()]).toEqual(['code', 'state', 'iss']);
  });

  it('Redis frozen (connected, silent): the consent POST redirects with temporarily_unavailable within commandTimeoutMs', async () => {
    const page = await openConsent(app, webRequest(), 'bob'); // alice's consent is remembered by now
    server.signal('SIGSTOP');
    try {
      const started = Date.now();
      expectUnavailableRedirect(await postConsent(app, page, 'allow', 'bob'), 303, started);
    } finally {
      server.signal('SIGCONT');
    }
  });
});
