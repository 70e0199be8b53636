// Seed 002: a Falcon-style POST /oauth2/token with a form body (MOD1, client_credentials: client_id,
// client_secret, scope); responses {access_token, expires_in, scope, token_type}; errors
// {meta: {pagination}, errors: [{httpcode, message}]} with 400 or 403.
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { renderFalconError } from '../../example-app/profiles/falcon';

describe('seed: Falcon POST /oauth2/token', () => {
  const auth = createAuthorizationServer({
    clients: [{ clientId: 'falcon-client', clientSecret: 'falcon-secret', grants: ['client_credentials'], scopes: ['hosts:read', 'detects:read'] }],
    allowPlaintextSecrets: true,
    renderError: renderFalconError,
  });
  const app = express();
  app.use('/oauth2', auth.router());

  it('200: MOD1 form request (client_credentials with body credentials and scope)', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-client&client_secret=falcon-secret&scope=hosts%3Aread');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 900, scope: 'hosts:read', token_type: 'Bearer' });
  });

  it('403: wrong credentials answer in the Falcon envelope', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-client&client_secret=wrong');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ meta: { pagination: { limit: 0, offset: 0, total_count: 0 } }, errors: [{ httpcode: 403, message: 'client authentication failed' }] });
  });

  it('400: a scope the client may not have', async () => {
    const res = await request(app).post('/oauth2/token').type('form').send('grant_type=client_credentials&client_id=falcon-client&client_secret=falcon-secret&scope=admin');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ httpcode: 400, message: 'scope not allowed: admin' }]);
  });
});
