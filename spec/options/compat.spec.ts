// The options that imitate the seed APIs live under `compat`; their old top-level spellings still work for one
// release, and giving both spellings of one option is refused rather than guessed.
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServerOptions } from '../../lib';

const CLIENT = { clientId: 'job', clientSecret: 'job-secret', grants: ['client_credentials'], scopes: ['read'] };
const build = (options: Partial<AuthorizationServerOptions>) => createAuthorizationServer({ clients: [CLIENT], allowPlaintextSecrets: true, ...options });

async function token(options: Partial<AuthorizationServerOptions>, body = 'client_id=job&client_secret=job-secret') {
  const auth = build(options);
  const app = express();
  app.use('/oauth2', auth.router());
  const res = await request(app).post('/oauth2/token').type('form').send(body);
  await auth.close();
  return res;
}

describe('compat', () => {
  it('takes each seed option under compat: token_type label, form responses, the default grant', async () => {
    const res = await token({ compat: { tokenTypeLabel: 'opaque', responseFormat: 'mirror-request', defaultGrantType: 'client_credentials' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    const body = Object.fromEntries(new URLSearchParams(res.text));
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'opaque', expires_in: '900', scope: 'read' });
  });

  it('refuses a body format that compat.bodyFormats leaves out', async () => {
    const res = await token({ compat: { bodyFormats: ['json'] } }, 'grant_type=client_credentials&client_id=job&client_secret=job-secret');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'the request body must be application/json' });
  });

  it('still honours the deprecated top-level spellings', async () => {
    const res = await token({ tokenTypeLabel: 'bearer', defaultGrantType: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 900, scope: 'read' });
  });

  it.each([
    [{ compat: { tokenTypeLabel: 'a' }, tokenTypeLabel: 'b' }, 'give options.compat.tokenTypeLabel or options.tokenTypeLabel, not both'],
    [{ compat: { basicWithBody: 'reject' }, clientAuthentication: { basicWithBody: 'accept-matching' } }, 'give options.compat.basicWithBody or options.clientAuthentication.basicWithBody, not both'],
    [{ compat: { bodyFormat: ['json'] } }, 'options.compat: unknown option "bodyFormat"'],
    [{ compat: { responseFormat: 'xml' } }, 'options.compat.responseFormat must be one of "json", "mirror-request"'],
    [{ compat: { defaultGrantType: 'refresh_token' } }, 'options.compat.defaultGrantType "refresh_token" is not one of options.grants'],
  ])('refuses %j', (options, message) => {
    expect(() => build(options as Partial<AuthorizationServerOptions>)).toThrow(new TypeError(message));
  });
});

describe('the deprecated bearer aliases', () => {
  it('warn once, naming the replacements', async () => {
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const auth = build({});
      auth.bearer();
      auth.bearer({ scopes: ['read'] });
      auth.bearerStrategy();
      const ours = emit.mock.calls.filter((call) => (call[1] as { code?: string } | undefined)?.code === 'KEYTURN_BEARER_ALIASES');
      expect(ours).toHaveLength(1);
      expect(ours[0]?.[0]).toContain('use requireBearer, bearerStrategy and bearerErrorHandler from keyturn/resource-server');
      expect(ours[0]?.[1]).toEqual({ type: 'DeprecationWarning', code: 'KEYTURN_BEARER_ALIASES' });
      await auth.close();
    } finally {
      emit.mockRestore();
    }
  });
});
