// The `grants` option becomes a registry of GrantType objects by grant_type: built-ins by name, extension
// grants (RFC 6749 §4.5) as objects. A bad entry fails when the server is built, with a TypeError naming it.
import type { Client, GrantType } from '../../lib';
import { createGrantRegistry, builtInGrantNames, type GrantDependencies } from '../../lib/grants/grant-registry';
import { createDevelopmentIdTokenSigner, IdTokenIssuer } from '../../lib/tokens/id-token';
import { familyOf, fixClock, ISSUER, issuing, PLAIN_TOKEN, REFRESH_TTL, refreshRecord, T0_SECONDS, type Issuing } from '../support/token-issuing';

const REFRESHING: Client = { clientId: 'job', clientSecret: 'job-secret', grants: ['client_credentials', 'refresh_token'], scopes: ['/accounts.read'] };
const deviceGrant: GrantType = {
  type: 'urn:ietf:params:oauth:grant-type:device_code',
  requiredParameters: ['device_code'],
  handle: ({ client, tokens }) => tokens.issue({ client, sub: 'device-user', scope: [] }),
};

let env: Issuing;
const deps = (overrides: Partial<GrantDependencies> = {}): GrantDependencies => ({
  store: env.store,
  refreshToken: { ttl: REFRESH_TTL, issueWithClientCredentials: true },
  idTokens: new IdTokenIssuer(createDevelopmentIdTokenSigner(), ISSUER, 300),
  ...overrides,
});

beforeEach(() => {
  fixClock();
  env = issuing();
});
afterEach(() => jest.useRealTimers());

describe('grant registry', () => {
  it('knows the built-in grants by their RFC 6749 names', () => {
    expect(builtInGrantNames).toEqual(['client_credentials', 'refresh_token', 'authorization_code']);
  });

  it('registers each entry under its grant_type, in the order given, with its required parameters', () => {
    const registry = createGrantRegistry(['authorization_code', 'refresh_token', 'client_credentials', deviceGrant], deps());
    expect([...registry.keys()]).toEqual(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']);
    expect([...registry.values()].map((g) => [g.type, g.requiredParameters])).toEqual([
      ['authorization_code', ['code']],
      ['refresh_token', ['refresh_token']],
      ['client_credentials', undefined],
      ['urn:ietf:params:oauth:grant-type:device_code', ['device_code']],
    ]);
  });

  it('§4.5 an extension grant is registered as given and answers through the same token issuer', async () => {
    const registry = createGrantRegistry([deviceGrant], deps());
    expect(registry.get(deviceGrant.type)).toBe(deviceGrant);
    const response = await (registry.get(deviceGrant.type) as GrantType).handle(env.context({ ...REFRESHING, grants: [deviceGrant.type] }, { device_code: 'x' }));
    expect(response).toEqual({ access_token: expect.stringMatching(PLAIN_TOKEN), token_type: 'Bearer', expires_in: 900 });
  });

  it('refreshToken.issueWithClientCredentials decides whether client_credentials answers a refresh token', async () => {
    const withRefresh = createGrantRegistry(['client_credentials'], deps()).get('client_credentials') as GrantType;
    const without = createGrantRegistry(['client_credentials'], deps({ refreshToken: { ttl: REFRESH_TTL, issueWithClientCredentials: false } })).get('client_credentials') as GrantType;
    expect(Object.keys(await withRefresh.handle(env.context(REFRESHING))).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(Object.keys(await without.handle(env.context(REFRESHING))).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
  });

  it('the refresh_token grant rotates in the store it was built with, for refreshToken.ttl', async () => {
    const registry = createGrantRegistry(['client_credentials', 'refresh_token'], deps({ refreshToken: { ttl: 120, issueWithClientCredentials: true } }));
    const first = await (registry.get('client_credentials') as GrantType).handle(env.context(REFRESHING));
    const rotated = await (registry.get('refresh_token') as GrantType).handle(env.context(REFRESHING, { refresh_token: first.refresh_token as string }));
    expect(await refreshRecord(env.store, first.refresh_token as string)).toBeUndefined();
    expect(await refreshRecord(env.store, rotated.refresh_token as string)).toEqual({
      clientId: 'job',
      sub: 'job',
      scope: ['/accounts.read'],
      familyId: familyOf(first.refresh_token as string),
      issuedAt: T0_SECONDS,
      expiresAt: T0_SECONDS + 120,
    });
  });

  describe('bad entries fail with a TypeError naming them', () => {
    it('authorization_code without options.authorization', () => {
      expect(() => createGrantRegistry(['authorization_code'], deps({ idTokens: undefined }))).toThrow(
        new TypeError('options.authorization (authenticateUser, renderConsent) is required with the authorization_code grant'),
      );
    });

    it('an unknown name, with the built-in names listed', () => {
      expect(() => createGrantRegistry(['client_credentials', 'pasword'], deps())).toThrow(
        new TypeError('grants[1]: unknown grant "pasword" (built-in: client_credentials, refresh_token, authorization_code)'),
      );
    });

    it.each([
      ['no handle()', { type: 'urn:example:x' }],
      ['an empty type', { type: '', handle: deviceGrant.handle }],
      ['a type that is not a string', { type: 7, handle: deviceGrant.handle }],
      ['null', null],
    ])('an object with %s', (_case, entry) => {
      expect(() => createGrantRegistry(['client_credentials', entry as never], deps())).toThrow(
        new TypeError('grants[1] must be a built-in grant name or an object with type and handle()'),
      );
    });

    it('a grant type listed twice, by name or by an object of the same type', () => {
      expect(() => createGrantRegistry(['refresh_token', 'refresh_token'], deps())).toThrow(new TypeError('grants[1]: "refresh_token" is listed twice'));
      expect(() => createGrantRegistry(['client_credentials', { ...deviceGrant, type: 'client_credentials' }], deps())).toThrow(
        new TypeError('grants[1]: "client_credentials" is listed twice'),
      );
    });
  });
});
