// One failure rendered through all three renderers: the RFC 6749 §5.2 default, the bank seed's envelope and
// the Falcon seed's envelope. And an unexpected failure: a JSON 500 that leaks nothing.
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer, type ErrorRenderer, type GrantType } from '../../lib';
import { type OAuthError } from '../../lib/errors';
import { renderBankError } from '../../example-app/profiles/bank';
import { renderFalconError } from '../../example-app/profiles/falcon';
import { basic, buildTestApp, MOOV_CLIENT } from '../support/app';

const failing = (renderError?: ErrorRenderer) => {
  const { app } = buildTestApp(renderError ? { renderError } : {});
  return request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, 'wrong')).type('form').send('grant_type=client_credentials');
};

describe('error renderers: one invalid_client failure, three shapes', () => {
  it('default: RFC 6749 §5.2 body, 401 and the Basic challenge', async () => {
    const res = await failing();
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="keyturn"');
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('bank: 409 with {errorId, code, text}', async () => {
    const res = await failing(renderBankError);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ errorId: expect.any(String), code: 'invalid_client', text: 'client authentication failed' });
  });

  it('falcon: 403 with {meta, errors: [{httpcode, message}]}', async () => {
    const res = await failing(renderFalconError);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ meta: { pagination: { limit: 0, offset: 0, total_count: 0 } }, errors: [{ httpcode: 403, message: 'client authentication failed' }] });
  });

  it('every renderer keeps Cache-Control: no-store', async () => {
    for (const renderer of [undefined, renderBankError, renderFalconError]) {
      expect((await failing(renderer)).headers['cache-control']).toBe('no-store');
    }
  });

  it('a renderer that throws falls back to the default rendering', async () => {
    const res = await failing(() => {
      throw new Error('renderer bug');
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });
});

describe('unexpected failures', () => {
  const exploding: GrantType = {
    type: 'urn:example:explode',
    async handle() {
      throw new Error('database password is hunter2 at /srv/app/db.ts:42');
    },
  };
  const seen: OAuthError[] = [];
  const auth = createAuthorizationServer({
    clients: [{ ...MOOV_CLIENT, grants: ['urn:example:explode'] }],
    allowPlaintextSecrets: true,
    grants: ['client_credentials', exploding],
    onError: (err) => seen.push(err),
  });
  const app = express();
  app.use('/oauth2', auth.router());

  it('answer a JSON 500 server_error whose body leaks no message or stack, and reach onError', async () => {
    const res = await request(app).post('/oauth2/token').set('Authorization', basic(MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string)).type('form').send('grant_type=urn%3Aexample%3Aexplode');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'server_error', error_description: 'the server failed to process the request' });
    expect(res.text).not.toMatch(/hunter2|db\.ts|at /);
    expect(seen.at(-1)?.code).toBe('server_error');
    expect((seen.at(-1)?.cause as Error).message).toContain('hunter2');
  });
});
