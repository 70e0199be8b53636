// Audit events carry ids and client ids, never secrets or token values: the serialized payloads are
// searched for every secret and token the test used.
import request from 'supertest';
import { basic, buildTestApp, MOOV_CLIENT } from '../support/app';

describe('audit events', () => {
  it('token.issued and client.auth_failed carry no secret, token or Authorization header', async () => {
    const { app, auth } = buildTestApp();
    const payloads: Array<[string, unknown]> = [];
    for (const name of ['token.issued', 'client.auth_failed', 'rate_limited'] as const) {
      auth.events.on(name, (event: unknown) => payloads.push([name, event]));
    }
    const secret = MOOV_CLIENT.clientSecret as string;
    const header = basic(MOOV_CLIENT.clientId, secret);
    const ok = await request(app).post('/oauth2/token').set('Authorization', header).type('form').send('grant_type=client_credentials&scope=%2Faccounts.read');
    await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, 'guess-1')).type('form').send('grant_type=client_credentials');
    await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=ghost&client_secret=guess-2');
    await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials');

    expect(payloads.map(([name]) => name)).toEqual(['token.issued', 'client.auth_failed', 'client.auth_failed', 'client.auth_failed']);
    expect(payloads[0]![1]).toEqual({
      at: expect.any(Number),
      endpoint: 'token',
      ip: expect.any(String),
      grantType: 'client_credentials',
      clientId: MOOV_CLIENT.clientId,
      scope: ['/accounts.read'],
      refreshTokenIssued: false,
    });
    expect(payloads.slice(1).map(([, e]) => [(e as { clientId?: string }).clientId, (e as { method: string }).method])).toEqual([
      [MOOV_CLIENT.clientId, 'client_secret_basic'],
      ['ghost', 'client_secret_post'],
      [undefined, 'missing'],
    ]);
    const serialized = JSON.stringify(payloads);
    for (const forbidden of [secret, 'guess-1', 'guess-2', header.slice(6), ok.body.access_token]) {
      expect(serialized).not.toContain(forbidden);
    }
  });

  it('a listener that throws does not break the request', async () => {
    const { app, auth } = buildTestApp();
    auth.events.on('token.issued', () => {
      throw new Error('listener bug');
    });
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string)).type('form').send('grant_type=client_credentials');
    expect(res.status).toBe(200);
  });
});
