// Options are validated once, when the server is built; a bad one throws a TypeError naming it.
import { createAuthorizationServer, type AuthorizationServerOptions, type Store } from '../../lib';

const clients: AuthorizationServerOptions['clients'] = [];
const build = (options: Partial<AuthorizationServerOptions>) => () => createAuthorizationServer({ clients, ...options });

describe('options.refreshToken', () => {
  it('accepts the documented settings', () => {
    expect(build({ grants: ['client_credentials', 'refresh_token'], refreshToken: { ttl: 86_400, absoluteTtl: 7_776_000, issueWithClientCredentials: false } })).not.toThrow();
  });

  it.each([
    ['ttl', { ttl: 0 }, 'options.refreshToken.ttl must be a positive integer (got 0)'],
    ['ttl', { ttl: 1.5 }, 'options.refreshToken.ttl must be a positive integer (got 1.5)'],
    ['ttl', { ttl: '3600' }, 'options.refreshToken.ttl must be a positive integer (got "3600")'],
    ['absoluteTtl', { absoluteTtl: -1 }, 'options.refreshToken.absoluteTtl must be a positive integer (got -1)'],
    ['issueWithClientCredentials', { issueWithClientCredentials: 'yes' }, 'options.refreshToken.issueWithClientCredentials must be true or false'],
  ])('rejects a bad %s with a TypeError naming it', (_name, refreshToken, message) => {
    expect(build({ refreshToken: refreshToken as never })).toThrow(new TypeError(message));
  });

  it('rejects a refreshToken that is not an object', () => {
    expect(build({ refreshToken: 30 as never })).toThrow(new TypeError('options.refreshToken must be an object'));
  });

  it('rejects a store without the refresh token operations when the refresh_token grant is served', () => {
    const accessOnly = { saveAccessToken: async () => undefined, findAccessToken: async () => undefined, close: async () => undefined } as unknown as Store;
    expect(build({ store: accessOnly })).not.toThrow();
    expect(build({ store: accessOnly, grants: ['refresh_token'] })).toThrow(
      new TypeError('options.store must implement saveRefreshToken() to serve the refresh_token grant'),
    );
  });
});
