// The bank seed answers 503 "unavailable due to non-working hours". serviceHours() computes Retry-After to
// the next opening in the service's own time zone, across daylight saving changes, from Intl's zone rules.
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer, serviceHours } from '../../lib';
import { renderBankError } from '../../example-app/profiles/bank';
import { basic, MOOV_CLIENT } from '../support/app';

const at = (iso: string) => () => Date.parse(iso);
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const berlin = (iso: string) => serviceHours({ timeZone: 'Europe/Berlin', days: weekdays, open: '09:00', close: '17:00', now: at(iso) });
const gate = (iso: string) => berlin(iso)({} as never);

describe('serviceHours', () => {
  it('is open inside the window and closed at its edges the way clocks read them', () => {
    expect(gate('2026-06-10T07:00:00Z')).toEqual({ open: true }); // Wed 09:00 CEST: opening minute
    expect(gate('2026-06-10T14:59:59Z')).toEqual({ open: true }); // Wed 16:59:59
    expect(gate('2026-06-10T15:00:00Z')).toMatchObject({ open: false }); // Wed 17:00: closed
    expect(gate('2026-06-10T06:59:59Z')).toMatchObject({ open: false, retryAfterSeconds: 1 }); // one second early
  });

  it('counts Retry-After to the next open day', () => {
    // Wed 17:00 CEST → Thu 09:00 CEST = 16 h.
    expect(gate('2026-06-10T15:00:00Z')).toMatchObject({ open: false, retryAfterSeconds: 16 * 3600 });
    // Sat 12:00 CEST → Mon 09:00 CEST = 45 h.
    expect(gate('2026-06-13T10:00:00Z')).toMatchObject({ open: false, retryAfterSeconds: 45 * 3600 });
  });

  it('across the spring-forward weekend the night is an hour shorter', () => {
    // Fri 2026-03-27 18:00 CET (17:00Z) → Mon 2026-03-30 09:00 CEST (07:00Z): 62 h, not 63.
    expect(gate('2026-03-27T17:00:00Z')).toMatchObject({ open: false, retryAfterSeconds: 62 * 3600 });
  });

  it('across the fall-back weekend the night is an hour longer', () => {
    // Fri 2026-10-23 18:00 CEST (16:00Z) → Mon 2026-10-26 09:00 CET (08:00Z): 64 h, not 63.
    expect(gate('2026-10-23T16:00:00Z')).toMatchObject({ open: false, retryAfterSeconds: 64 * 3600 });
  });

  it('handles a window that runs past midnight', () => {
    const night = (iso: string) => serviceHours({ timeZone: 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '22:00', close: '06:00', now: at(iso) })({} as never);
    expect(night('2026-06-10T23:00:00Z')).toEqual({ open: true });
    expect(night('2026-06-11T05:59:00Z')).toEqual({ open: true });
    expect(night('2026-06-11T06:00:00Z')).toMatchObject({ open: false, retryAfterSeconds: 16 * 3600 });
  });

  it('rejects bad options at construction', () => {
    expect(() => serviceHours({ timeZone: 'Mars/Olympus', open: '09:00', close: '17:00' })).toThrow(/unknown timeZone/);
    expect(() => serviceHours({ timeZone: 'UTC', open: '9:00', close: '17:00' })).toThrow(/open must be HH:MM/);
    expect(() => serviceHours({ timeZone: 'UTC', open: '09:00', close: '09:00' })).toThrow(/must differ/);
    expect(() => serviceHours({ timeZone: 'UTC', open: '09:00', close: '17:00', days: ['monday' as never] })).toThrow(/unknown day/);
  });
});

describe('availability option on the token endpoint', () => {
  const build = (renderError?: typeof renderBankError) => {
    const auth = createAuthorizationServer({
      clients: [MOOV_CLIENT],
      allowPlaintextSecrets: true,
      availability: berlin('2026-06-13T10:00:00Z'),
      ...(renderError ? { renderError } : {}),
    });
    const app = express();
    app.use('/v1/oauth', auth.router());
    return request(app).post('/v1/oauth/token').set('Authorization', basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string)).type('form').send('grant_type=client_credentials');
  };

  it('closed: 503 temporarily_unavailable with Retry-After', async () => {
    const res = await build();
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(45 * 3600));
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: 'The server is currently unavailable due to non-working hours. Please try again later.' });
  });

  it('closed, in the bank envelope: 503 as the seed documents', async () => {
    const res = await build(renderBankError);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ errorId: expect.any(String), code: 'temporarily_unavailable', text: 'The server is currently unavailable due to non-working hours. Please try again later.' });
  });

  it('open: the request goes through', async () => {
    const auth = createAuthorizationServer({ clients: [MOOV_CLIENT], allowPlaintextSecrets: true, availability: berlin('2026-06-10T08:00:00Z') });
    const app = express();
    app.use('/oauth2', auth.router());
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string)).type('form').send('grant_type=client_credentials');
    expect(res.status).toBe(200);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 900, scope: '/accounts.read /accounts.write' });
  });
});
