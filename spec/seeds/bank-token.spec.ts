// Seed 001: a bank's POST /v1/oauth/token. The request is a JSON body with only the client id and secret
// (no grant_type), so the server is configured with defaultGrantType; errors use the bank's envelope
// {errorId, code, text, parameter_name, parameter_value} with 409 for a failed request.
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { renderBankError } from '../../example-app/profiles/bank';

describe('seed: bank POST /v1/oauth/token', () => {
  const auth = createAuthorizationServer({
    clients: [{ clientId: 'bank-client', clientSecret: 'bank-secret', grants: ['client_credentials'], scopes: ['accounts'] }],
    allowPlaintextSecrets: true,
    defaultGrantType: 'client_credentials',
    renderError: renderBankError,
  });
  const app = express();
  app.use('/v1/oauth', auth.router());

  it('200: a JSON body with only client id and secret gets a token', async () => {
    const res = await request(app).post('/v1/oauth/token').send({ client_id: 'bank-client', client_secret: 'bank-secret' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: 'accounts' });
  });

  it('409: wrong credentials answer in the bank envelope', async () => {
    const res = await request(app).post('/v1/oauth/token').send({ client_id: 'bank-client', client_secret: 'nope' });
    expect(res.status).toBe(409);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toEqual({ errorId: expect.stringMatching(/^[0-9a-f-]{36}$/), code: 'invalid_client', text: 'client authentication failed' });
  });

  it('409: an invalid parameter names it and echoes its (non-secret) value', async () => {
    const res = await request(app).post('/v1/oauth/token').send({ client_id: 'bank-client', client_secret: 'bank-secret', grant_type: 'password' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'unsupported_grant_type', parameter_name: 'grant_type', parameter_value: 'password' });
  });

  it('never echoes a secret as parameter_value', async () => {
    const res = await request(app).post('/v1/oauth/token').send({ client_id: 'bank-client', client_secret: 12345 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'invalid_request', parameter_name: 'client_secret' });
    expect(res.body.parameter_value).toBeUndefined();
  });
});
