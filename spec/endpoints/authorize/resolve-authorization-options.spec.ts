// options.authorization is validated once, when the server is built: a bad value names the option.
import { createAuthorizationServer, type AuthorizationOptions, type AuthorizationServerOptions, type Store } from '../../../lib';
import { WEB_CLIENT } from '../../support/authorize';

const hooks: AuthorizationOptions = { authenticateUser: () => undefined, renderConsent: () => undefined };
const build = (authorization: Record<string, unknown> | undefined, extra: Partial<AuthorizationServerOptions> = {}) => () =>
  createAuthorizationServer({
    clients: [WEB_CLIENT],
    allowPlaintextSecrets: true,
    issuer: 'https://auth.example.com',
    grants: ['authorization_code'],
    ...(authorization === undefined ? {} : { authorization: { ...hooks, ...authorization } as AuthorizationOptions }),
    ...extra,
  });

describe('options.authorization validation', () => {
  it('is required with the authorization_code grant', () => {
    expect(build(undefined)).toThrow('options.authorization (authenticateUser, renderConsent) is required with the authorization_code grant');
  });
  it('needs the authorization_code grant', () => {
    expect(build({}, { grants: ['client_credentials'] })).toThrow('options.authorization is set but options.grants does not include "authorization_code"');
  });
  it('needs an issuer (id_token iss, RFC 9207 iss)', () => {
    expect(() => createAuthorizationServer({ clients: [WEB_CLIENT], allowPlaintextSecrets: true, grants: ['authorization_code'], authorization: hooks })).toThrow(/options\.issuer is required/);
  });
  it('needs both hooks', () => {
    expect(build({ authenticateUser: undefined })).toThrow('options.authorization.authenticateUser must be a function');
    expect(build({ renderConsent: 'consent.html' })).toThrow('options.authorization.renderConsent must be a function');
  });
  it('names a typo', () => {
    expect(build({ codeTTL: 30 })).toThrow('options.authorization: unknown option "codeTTL"');
  });
  it('checks ttls, booleans, the transaction secret and the signer', () => {
    expect(build({ codeTtl: 0 })).toThrow('options.authorization.codeTtl must be a positive integer (got 0)');
    expect(build({ transactionTtl: 1.5 })).toThrow(/options\.authorization\.transactionTtl/);
    expect(build({ consentTtl: true })).toThrow(/options\.authorization\.consentTtl/);
    expect(build({ idToken: { ttl: -1 } })).toThrow(/options\.authorization\.idToken\.ttl/);
    expect(build({ pkce: { allowPlain: 'yes' } })).toThrow('options.authorization.pkce.allowPlain must be true or false');
    expect(build({ pkce: { requireForConfidentialClients: 0 } })).toThrow(/requireForConfidentialClients/);
    expect(build({ transactionSecret: 'too short' })).toThrow('options.authorization.transactionSecret must be at least 32 bytes');
    expect(build({ idToken: { signer: { sign: () => 'x' } } })).toThrow(/idToken\.signer/);
    expect(build({ renderErrorPage: '<h1>' })).toThrow(/renderErrorPage/);
  });
  it('refuses a store without the authorization code methods', () => {
    const store = {
      saveAccessToken: async () => undefined,
      findAccessToken: async () => undefined,
      revokeJwtId: async () => undefined,
      isJwtIdRevoked: async () => false,
      close: async () => undefined,
    } as unknown as Store;
    expect(build({}, { store })).toThrow(/^options\.store must implement revokeAccessToken\(\), .*saveAuthorizationCode\(\), consumeAuthorizationCode\(\), saveConsent\(\), findConsent\(\), useOnce\(\), loadKeyRing\(\), saveKeyRing\(\), shared \(a boolean\)$/);
  });
  it('builds with valid options, and they take effect', async () => {
    const auth = build({ transactionSecret: 'x'.repeat(32), codeTtl: 30, consentTtl: false, pkce: { allowPlain: true, requireForConfidentialClients: false } })();
    // pkce.allowPlain is published in the metadata (RFC 8414 §2), and the authorization endpoint is mounted.
    expect(auth.metadataDocument.code_challenge_methods_supported).toEqual(['S256', 'plain']);
    expect(auth.metadataDocument.authorization_endpoint).toBe('https://auth.example.com/authorize');
    await auth.close();
  });
});
