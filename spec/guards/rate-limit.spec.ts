// Rate limiting (Moov seed: "Request was refused due to rate limiting", 429 with Retry-After) and the
// failed-authentication lockout. Counters live in the store; the two-instance Redis case is in
// spec/store/redis-shared-limits.spec.ts.
import request from 'supertest';
import { MemoryStore } from '../../lib/store/memory-store';
import { type RateLimitedEvent } from '../../lib';
import { basic, buildTestApp, MOOV_CLIENT, READ_ONLY_CLIENT } from '../support/app';

const moov = basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string);

describe('rateLimit: 429 with Retry-After after the configured points', () => {
  it('answers 429 with Retry-After once a client used its points, and counts clients apart', async () => {
    const { app, auth } = buildTestApp({ rateLimit: { points: 3, durationSeconds: 60 } });
    const events: RateLimitedEvent[] = [];
    auth.events.on('rate_limited', (e) => events.push(e));
    const send = (authorization: string) => request(app).post('/oauth2/token').set('Authorization', authorization).type('form').send('grant_type=client_credentials');
    for (let i = 0; i < 3; i++) expect((await send(moov)).status).toBe(200);
    const limited = await send(moov);
    expect(limited.status).toBe(429);
    expect(limited.headers['cache-control']).toBe('no-store');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({ error: 'slow_down', error_description: 'too many requests; retry later' });
    expect((await send(basic(READ_ONLY_CLIENT.clientId, 'reader-secret'))).status).toBe(200);
    expect(events).toEqual([expect.objectContaining({ key: `client:${MOOV_CLIENT.clientId}`, reason: 'rate_limit', endpoint: 'token', retryAfterSeconds: retryAfter })]);
  });

  it('counts per IP address when the request names no client', async () => {
    const { app } = buildTestApp({ rateLimit: { points: 2, durationSeconds: 60 } });
    const anonymous = () => request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials');
    expect((await anonymous()).status).toBe(401);
    expect((await anonymous()).status).toBe(401);
    expect((await anonymous()).status).toBe(429);
  });

  it('frees the points when the window ends', async () => {
    const { app } = buildTestApp({ rateLimit: { points: 1, durationSeconds: 1 } });
    const send = () => request(app).post('/oauth2/token').set('Authorization', moov).type('form').send('grant_type=client_credentials');
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send()).status).toBe(200);
  });

  it('rejects incomplete settings at construction', () => {
    expect(() => buildTestApp({ rateLimit: { points: 5 } as never })).toThrow('options.rateLimit.durationSeconds is required');
    expect(() => buildTestApp({ rateLimit: { points: 0, durationSeconds: 1 } })).toThrow(/rateLimit\.points/);
  });
});

describe('lockout: repeated failed authentications lock one client id out at the address they come from', () => {
  const build = () => buildTestApp({ store: new MemoryStore(), lockout: { maxFailures: 3, baseSeconds: 1, maxSeconds: 4 } });
  const send = (app: ReturnType<typeof build>['app'], authorization: string) =>
    request(app).post('/oauth2/token').set('Authorization', authorization).type('form').send('grant_type=client_credentials');
  const wrong = basic(MOOV_CLIENT.clientId, 'guess');

  it('locks after maxFailures, refusing even the right secret, and leaves other clients alone', async () => {
    const { app } = build();
    for (let i = 0; i < 3; i++) expect((await send(app, wrong)).status).toBe(401);
    const locked = await send(app, moov);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.body).toEqual({ error: 'slow_down', error_description: 'too many failed authentications; retry later' });
    expect((await send(app, basic(READ_ONLY_CLIENT.clientId, 'reader-secret'))).status).toBe(200);
  });

  it('grows the lock: each lock in a day doubles the interval, and may outlast the window', async () => {
    const { app } = buildTestApp({ store: new MemoryStore(), lockout: { maxFailures: 3, windowSeconds: 1, baseSeconds: 1, maxSeconds: 4 } });
    for (let i = 0; i < 3; i++) await send(app, wrong);
    expect((await send(app, moov)).headers['retry-after']).toBe('1');
    await new Promise((r) => setTimeout(r, 1100));
    for (let i = 0; i < 3; i++) expect((await send(app, wrong)).status).toBe(401);
    expect((await send(app, moov)).headers['retry-after']).toBe('2');
  });

  it('locks an unknown client id exactly like a real one, so a lock reveals nothing', async () => {
    const { app } = build();
    const ghost = basic('no-such-client', 'guess');
    const real: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) real.push((await send(app, wrong)).status);
    for (let i = 0; i < 4; i++) unknown.push((await send(app, ghost)).status);
    expect(unknown).toEqual(real);
    expect(real).toEqual([401, 401, 401, 429]);
  });

  it('a success does not clear earlier failures: they count until their window ends', async () => {
    const { app } = build();
    expect((await send(app, wrong)).status).toBe(401);
    expect((await send(app, wrong)).status).toBe(401);
    expect((await send(app, moov)).status).toBe(200);
    expect((await send(app, wrong)).status).toBe(401);
    expect((await send(app, wrong)).status).toBe(429);
    expect((await send(app, moov)).status).toBe(429);
  });
});

describe('lockout by default (RFC 6749 §2.3.1: brute-force protection is a MUST)', () => {
  const send = (app: ReturnType<typeof buildTestApp>['app'], authorization: string) =>
    request(app).post('/oauth2/token').set('Authorization', authorization).type('form').send('grant_type=client_credentials');
  const wrong = basic(MOOV_CLIENT.clientId, 'guess');

  it('is on without the option: the sixth wrong secret from one address is refused unchecked', async () => {
    const { app } = buildTestApp();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(app, wrong)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('lockout: false turns it off', async () => {
    const { app } = buildTestApp({ lockout: false });
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(app, wrong)).status);
    expect(statuses).toEqual(Array(8).fill(401));
  });
});
