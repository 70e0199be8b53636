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

  it('token.refreshed and refresh.reuse_detected carry the family id, never a token', async () => {
    const refreshing = { ...MOOV_CLIENT, grants: ['client_credentials', 'refresh_token'] };
    const { app, auth } = buildTestApp({ clients: [refreshing], grants: ['client_credentials', 'refresh_token'] });
    const payloads: Array<[string, unknown]> = [];
    for (const name of ['token.refreshed', 'refresh.reuse_detected'] as const) auth.events.on(name, (event: unknown) => payloads.push([name, event]));
    const header = basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string);
    const post = (body: string) => request(app).post('/oauth2/token').set('Authorization', header).type('form').send(body);
    const first = (await post('grant_type=client_credentials&scope=%2Faccounts.read')).body;
    const second = (await post(`grant_type=refresh_token&refresh_token=${encodeURIComponent(first.refresh_token)}`)).body;
    expect((await post(`grant_type=refresh_token&refresh_token=${encodeURIComponent(first.refresh_token)}`)).status).toBe(400);
    expect(payloads).toEqual([
      ['token.refreshed', { at: expect.any(Number), endpoint: 'token', ip: expect.any(String), clientId: MOOV_CLIENT.clientId, familyId: expect.any(String), scope: ['/accounts.read'] }],
      ['refresh.reuse_detected', { at: expect.any(Number), endpoint: 'token', ip: expect.any(String), clientId: MOOV_CLIENT.clientId, familyId: expect.any(String) }],
    ]);
    const serialized = JSON.stringify(payloads);
    for (const token of [first.access_token, first.refresh_token, second.access_token, second.refresh_token, ...first.refresh_token.split('.')]) {
      expect(serialized).not.toContain(token);
    }
  });

  it('token.revoked names the kind and the revoked id, and not the token; another client\'s token emits nothing', async () => {
    const refreshing = { ...MOOV_CLIENT, grants: ['client_credentials', 'refresh_token'] };
    const other = { clientId: 'other', clientSecret: 'other-secret', grants: ['client_credentials'], scopes: ['/accounts.read'] };
    const { app, auth } = buildTestApp({ clients: [refreshing, other], grants: ['client_credentials', 'refresh_token'] });
    const events: unknown[] = [];
    auth.events.on('token.revoked', (event: unknown) => events.push(event));
    const header = basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string);
    const issued = (await request(app).post('/oauth2/token').set('Authorization', header).type('form').send('grant_type=client_credentials')).body;
    const revoke = (authorization: string, token: string) =>
      request(app).post('/oauth2/revoke').set('Authorization', authorization).type('form').send({ token });
    expect((await revoke(basic('other', 'other-secret'), issued.access_token)).status).toBe(200);
    expect(events).toEqual([]);
    expect((await revoke(header, issued.access_token)).status).toBe(200);
    expect((await revoke(header, issued.refresh_token)).status).toBe(200);
    expect(events).toEqual([
      { at: expect.any(Number), endpoint: 'revoke', ip: expect.any(String), clientId: MOOV_CLIENT.clientId, tokenKind: 'access_token' },
      { at: expect.any(Number), endpoint: 'revoke', ip: expect.any(String), clientId: MOOV_CLIENT.clientId, tokenKind: 'refresh_token', id: expect.any(String) },
    ]);
    const serialized = JSON.stringify(events);
    for (const token of [issued.access_token, issued.refresh_token, ...issued.refresh_token.split('.')]) expect(serialized).not.toContain(token);
  });

  it('a listener that throws does not break the request', async () => {
    const { app, auth } = buildTestApp();
    let calls = 0;
    auth.events.on('token.issued', () => {
      calls++;
      throw new Error('listener bug');
    });
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string)).type('form').send('grant_type=client_credentials');
    expect(calls).toBe(1);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 900, scope: '/accounts.read /accounts.write' });
  });
});
