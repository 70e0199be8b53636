// KEYTURN_PROFILE=moov|bank|falcon makes the demo present each seed's API as its document shows it: path,
// request shapes, response fields (token_type label included), status codes and error envelope. Each
// profile replays its seed's request and response examples against the demo app.
import request from 'supertest';
import { MemoryStore } from '../../lib/store/memory-store';
import { buildApp } from '../../example-app/app';
import { loadConfigFile, type LoadedConfig } from '../../example-app/config';
import { selectProfile } from '../../example-app/profiles';
import { FAMILY_TOKEN } from '../support/access-tokens';

const CONFIG = `${__dirname}/../../example-app/config.json`;
const MOOV_ID = '5clTR_MdVrrkgxw2';
const MOOV_SECRET = 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-';

let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfigFile(CONFIG);
});

describe('profile: moov (seed 000)', () => {
  const app = () => buildApp(config, { profile: 'moov' }).app;

  it('JSON request → JSON response with token_type "opaque"', async () => {
    const res = await request(app())
      .post('/oauth2/token')
      .set('Authorization', 'Basic REPLACE_BASIC_AUTH')
      .set('content-type', 'application/json')
      .send(`{"grant_type":"client_credentials","client_id":"${MOOV_ID}","client_secret":"${MOOV_SECRET}","scope":"/accounts.write","refresh_token":"i1qxz68gu50zp4i8ceyxqogmq7y0yienm52351c6..."}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 900, refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/), scope: '/accounts.write', token_type: 'opaque' });
  });

  it('form request → form response: "the type of response returned here will mirror the type of the request"', async () => {
    const res = await request(app())
      .post('/oauth2/token')
      .set('Authorization', 'Basic REPLACE_BASIC_AUTH')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`grant_type=client_credentials&client_id=${MOOV_ID}&client_secret=${MOOV_SECRET}&scope=%2Faccounts.write&refresh_token=i1qxz68gu50zp4i8ceyxqogmq7y0yienm52351c6...`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    const fields = Object.fromEntries(new URLSearchParams(res.text));
    expect(fields).toEqual({ access_token: expect.stringMatching(FAMILY_TOKEN), expires_in: '900', refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/), scope: '/accounts.write', token_type: 'opaque' });
  });

  it('failure → {"error": "invalid_request", ...}', async () => {
    const res = await request(app()).post('/oauth2/token').set('content-type', 'application/json').send(`{"client_id":"${MOOV_ID}","client_secret":"${MOOV_SECRET}"}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'grant_type is required' });
  });

  it('rate limited → 429 with a numeric Retry-After', async () => {
    const limited = buildApp({ ...config, rateLimit: { points: 1, durationSeconds: 30 } }, { profile: 'moov' }).app;
    const send = () => request(limited).post('/oauth2/token').send({ grant_type: 'client_credentials', client_id: MOOV_ID, client_secret: MOOV_SECRET });
    expect((await send()).status).toBe(200);
    const res = await send();
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('profile: bank (seed 001)', () => {
  const bankClient = { client_id: 'bank-demo-client', client_secret: 'bank-demo-secret-change-me' };

  it('POST /v1/oauth/token with a JSON body of client id and secret → 200', async () => {
    const res = await request(buildApp(config, { profile: 'bank' }).app).post('/v1/oauth/token').send(bankClient);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: '/accounts.read' });
  });

  it('409 in the bank envelope for a failed request, and for a non-JSON body', async () => {
    const app = buildApp(config, { profile: 'bank' }).app;
    const wrong = await request(app).post('/v1/oauth/token').send({ ...bankClient, client_secret: 'nope' });
    expect(wrong.status).toBe(409);
    expect(wrong.body).toEqual({ errorId: expect.stringMatching(/^[0-9a-f-]{36}$/), code: 'invalid_client', text: 'client authentication failed' });
    const form = await request(app).post('/v1/oauth/token').type('form').send(bankClient);
    expect(form.status).toBe(409);
    expect(form.body).toMatchObject({ code: 'invalid_request', text: 'the request body must be application/json' });
  });

  it('500 in the bank envelope when the server fails, with nothing leaked', async () => {
    const broken = new MemoryStore();
    broken.saveAccessToken = async () => {
      throw new Error('disk on fire at /srv/store.ts:1');
    };
    const res = await request(buildApp(config, { profile: 'bank', store: broken }).app).post('/v1/oauth/token').send(bankClient);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errorId: expect.any(String), code: 'server_error', text: 'the server failed to process the request' });
  });

  it('503 outside working hours, with Retry-After, in the bank envelope', async () => {
    const hour = new Date().getUTCHours();
    const pad = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const closed = { ...config, serviceHours: { timeZone: 'UTC', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const, open: pad(hour + 2), close: pad(hour + 3) } };
    const res = await request(buildApp(closed as LoadedConfig, { profile: 'bank' }).app).post('/v1/oauth/token').send(bankClient);
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3600);
    expect(res.body).toEqual({ errorId: expect.any(String), code: 'temporarily_unavailable', text: 'The server is currently unavailable due to non-working hours. Please try again later.' });
  });
});

describe('profile: falcon (seed 002)', () => {
  const app = () => buildApp(config, { profile: 'falcon' }).app;

  it('MOD1 form request → {access_token, expires_in, scope, token_type: "bearer"}', async () => {
    const res = await request(app()).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-demo-client&client_secret=falcon-demo-secret-change-me&scope=%2Faccounts.read');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 900, scope: '/accounts.read', token_type: 'bearer' });
  });

  it('400 and 403 in the {meta, errors} envelope', async () => {
    const json = await request(app()).post('/oauth2/token').send({ grant_type: 'client_credentials' });
    expect(json.status).toBe(400);
    expect(json.body).toEqual({ meta: { pagination: { limit: 0, offset: 0, total_count: 0 } }, errors: [{ httpcode: 400, message: 'the request body must be application/x-www-form-urlencoded' }] });
    const forbidden = await request(app()).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-demo-client&client_secret=wrong');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors).toEqual([{ httpcode: 403, message: 'client authentication failed' }]);
  });
});

describe('profile selection', () => {
  it('rejects an unknown profile by name', () => {
    expect(() => selectProfile('paypal')).toThrow('unknown profile "paypal" (one of default, moov, bank, falcon)');
  });
});
