// The demo with REDIS_URL, as the attack report ran it: Redis is killed while a refresh is waiting in it,
// the demo answers 503, and once Redis is back the client's retry with the same refresh token works. Before
// the fix ioredis re-sent the waiting rotation after the restart, and the retry was taken for reuse (RFC 9700
// §4.14.2), revoking the grant. The demo runs as `npm run demo` runs it, on a redis-server of this spec's own.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startDemo, type DemoProcess } from '../support/demo-process';
import { sleep } from '../support/refresh-chains';
import { freePort, RedisServerProcess, uniquePrefix } from '../support/redis';

const MOOV = `Basic ${Buffer.from('5clTR_MdVrrkgxw2:dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-').toString('base64')}`;
// The demo's store deadline is redisStore's default, 2000 ms; the rest is room for a loaded machine.
const WITHIN_MS = 2000 + 1500;

describe('demo with REDIS_URL: a refresh that met a Redis crash can be retried', () => {
  let server: RedisServerProcess;
  let demo: DemoProcess;

  beforeAll(async () => {
    server = new RedisServerProcess(await freePort(), ['--appendonly', 'yes', '--appendfsync', 'always']);
    await server.start();
    // The shipped config without its rate limit, so the refresh's one Redis command is the rotation.
    const config = JSON.parse(readFileSync(join(__dirname, '..', '..', 'example-app', 'config.json'), 'utf8')) as Record<string, unknown>;
    delete config.rateLimit;
    const configPath = join(server.dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(config));
    demo = await startDemo({ REDIS_URL: `redis://127.0.0.1:${server.port}`, KEYTURN_REDIS_PREFIX: uniquePrefix('demo-restart'), KEYTURN_CONFIG: configPath });
  });
  afterAll(async () => {
    await demo?.stop();
    await server?.dispose(); // the server and its data are this spec's own
  });

  const post = (body: Record<string, string>) =>
    fetch(`${demo.url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: MOOV, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
      signal: AbortSignal.timeout(WITHIN_MS * 2),
    });

  it('503 with Retry-After while Redis is down; afterwards the same refresh token rotates', async () => {
    const first = (await (await post({ grant_type: 'client_credentials', scope: '/accounts.read' })).json()) as { refresh_token: string };
    const admin = new Redis({ host: '127.0.0.1', port: server.port, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    await admin.call('CLIENT', 'PAUSE', '10000', 'ALL');
    admin.disconnect();
    const started = Date.now();
    const during = post({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    await sleep(300); // the rotation reaches Redis and waits there, unexecuted
    await server.stop('SIGKILL');
    const res = await during;
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'the server is temporarily unable to handle the request; retry later' });

    await server.start();
    let retried: Response;
    const end = Date.now() + 10_000;
    do {
      await sleep(100);
      retried = await post({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    } while (retried.status === 503 && Date.now() < end);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ token_type: 'Bearer', scope: '/accounts.read', refresh_token: expect.any(String) });
  }, 40_000);
});
