// Options are validated once, when the server is built; a bad one throws a TypeError naming it, and a good
// one takes effect on the tokens the server issues.
import { createHash } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions, type Client, type Store } from '../../lib';
import { basic } from '../support/app';

const clients: AuthorizationServerOptions['clients'] = [];
const build = (options: Partial<AuthorizationServerOptions>) => () => createAuthorizationServer({ clients, ...options });
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

const REFRESHING: Client = { clientId: 'web-app', clientSecret: 'web-secret', grants: ['client_credentials', 'refresh_token'], scopes: ['/accounts.read'] };
/** A client_credentials token response from a server built with `options` around REFRESHING. */
async function issued(options: Partial<AuthorizationServerOptions>): Promise<{ auth: AuthorizationServer; body: Record<string, string> }> {
  const auth = createAuthorizationServer({ clients: [REFRESHING], allowPlaintextSecrets: true, ...options });
  const app = express();
  app.use('/oauth2', auth.router());
  const res = await request(app).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form').send('grant_type=client_credentials');
  expect(res.status).toBe(200);
  return { auth, body: res.body as Record<string, string> };
}

describe('options.refreshToken', () => {
  it('ttl and absoluteTtl set the first refresh token\'s lifetime and the family\'s end', async () => {
    const { auth, body } = await issued({ grants: ['client_credentials', 'refresh_token'], refreshToken: { ttl: 86_400, absoluteTtl: 7_776_000 } });
    const token = body.refresh_token as string;
    const familyId = sha256(token.split('.')[0] as string);
    const record = await auth.store.findRefreshToken(familyId, sha256(token));
    const issuedAt = record?.issuedAt as number;
    expect(record).toEqual({
      clientId: 'web-app',
      sub: 'web-app',
      scope: ['/accounts.read'],
      familyId,
      issuedAt,
      expiresAt: issuedAt + 86_400,
      familyExpiresAt: issuedAt + 7_776_000,
    });
    expect(Math.abs(issuedAt - Date.now() / 1000)).toBeLessThan(5);
    await auth.close();
  });

  it('issueWithClientCredentials: false answers client_credentials without a refresh token, even to a client allowed one', async () => {
    const { auth, body } = await issued({ grants: ['client_credentials', 'refresh_token'], refreshToken: { ttl: 86_400, absoluteTtl: 7_776_000, issueWithClientCredentials: false } });
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    await auth.close();
  });

  it.each([
    ['ttl', { ttl: 0 }, 'options.refreshToken.ttl must be a positive integer (got 0)'],
    ['ttl', { ttl: 1.5 }, 'options.refreshToken.ttl must be a positive integer (got 1.5)'],
    ['ttl', { ttl: '3600' }, 'options.refreshToken.ttl must be a positive integer (got "3600")'],
    ['absoluteTtl', { absoluteTtl: -1 }, 'options.refreshToken.absoluteTtl must be a positive integer (got -1)'],
    ['issueWithClientCredentials', { issueWithClientCredentials: 'yes' }, 'options.refreshToken.issueWithClientCredentials must be true or false'],
    ['reuseGraceSeconds', { reuseGraceSeconds: -1 }, 'options.refreshToken.reuseGraceSeconds must be a non-negative integer (got -1)'],
    ['reuseGraceSeconds', { reuseGraceSeconds: 2.5 }, 'options.refreshToken.reuseGraceSeconds must be a non-negative integer (got 2.5)'],
    ['reuseGraceSeconds', { reuseGraceSeconds: '10' }, 'options.refreshToken.reuseGraceSeconds must be a non-negative integer (got "10")'],
    ['reuseGraceSeconds', { reuseGraceSeconds: 301 }, 'options.refreshToken.reuseGraceSeconds must be at most 300 (got 301)'],
  ])('rejects a bad %s with a TypeError naming it', (_name, refreshToken, message) => {
    expect(build({ refreshToken: refreshToken as never })).toThrow(new TypeError(message));
  });

  it.each([0, 1, 300])('accepts reuseGraceSeconds %d', (reuseGraceSeconds) => {
    expect(build({ refreshToken: { reuseGraceSeconds } })).not.toThrow();
  });

  it('rejects a refreshToken that is not an object', () => {
    expect(build({ refreshToken: 30 as never })).toThrow(new TypeError('options.refreshToken must be an object'));
  });

  it('rejects a store that lacks any Store member, naming each one, whichever grants are served', () => {
    const accessOnly = { saveAccessToken: async () => undefined, findAccessToken: async () => undefined, close: async () => undefined } as unknown as Store;
    const message =
      'options.store must implement revokeAccessToken(), revokeJwtId(), isJwtIdRevoked(), saveRefreshToken(), findRefreshToken(), ' +
      'rotateRefreshToken(), revokeFamily(), createRateLimiter(), saveAuthorizationCode(), consumeAuthorizationCode(), saveConsent(), findConsent(), ' +
      'useOnce(), loadKeyRing(), saveKeyRing(), shared (a boolean)';
    expect(build({ store: accessOnly })).toThrow(new TypeError(message));
    expect(build({ store: accessOnly, grants: ['refresh_token'] })).toThrow(new TypeError(message));
  });

});
