// The dpop option is checked once, at start-up: a bad value fails createAuthorizationServer with a TypeError
// naming the option, so a misconfigured server never answers a request.
import { createAuthorizationServer, memoryStore, type AuthorizationServerOptions } from '../../lib';
import type { Store } from '../../lib';
import { ecKeyPair, pem } from '../support/keys';
import { JWT_JOB } from '../support/dpop';

const base: AuthorizationServerOptions = { clients: [JWT_JOB], allowPlaintextSecrets: true, issuer: 'https://auth.internal.example' };

function startWith(dpop: unknown, extra: Partial<AuthorizationServerOptions> = {}): void {
  const auth = createAuthorizationServer({ ...base, ...extra, dpop } as AuthorizationServerOptions);
  void auth.close();
}

describe('options.dpop', () => {
  it.each([
    ['not an object', 'yes', 'options.dpop must be an object'],
    ['an unknown key', { algorithm: ['ES256'] }, 'options.dpop'],
    ['none', { algorithms: ['none'] }, 'options.dpop.algorithms must list asymmetric JWS algorithms'],
    ['HS256', { algorithms: ['ES256', 'HS256'] }, 'options.dpop.algorithms must list asymmetric JWS algorithms'],
    ['an empty list', { algorithms: [] }, 'options.dpop.algorithms'],
    ['a zero proof age', { proofMaxAge: 0 }, 'options.dpop.proofMaxAge'],
    ['a negative clock skew', { clockSkew: -1 }, 'options.dpop.clockSkew'],
    ['a nonce string', { nonce: 'on' }, 'options.dpop.nonce must be a boolean or { windowSeconds }'],
    ['a zero nonce window', { nonce: { windowSeconds: 0 } }, 'options.dpop.nonce.windowSeconds'],
    ['requireForAllClients not a boolean', { requireForAllClients: 'true' }, 'options.dpop.requireForAllClients'],
  ])('refuses %s', (_what, dpop, message) => {
    expect(() => startWith(dpop)).toThrow(TypeError);
    expect(() => startWith(dpop)).toThrow(message);
  });

  it('needs an issuer, which gives the token endpoint URL a proof\'s htu must name', () => {
    expect(() => createAuthorizationServer({ clients: [JWT_JOB], allowPlaintextSecrets: true, dpop: {} })).toThrow(
      'options.dpop needs options.issuer: a proof\'s htu is the token endpoint URL, issuer + mountPath + "/token"',
    );
  });

  it('needs the secret for nonces with a shared store, so every instance accepts every nonce', () => {
    // A store that says it is shared, as a Redis store does; signing keys given, so only the nonces need the secret.
    const shared = Object.create(memoryStore(), { shared: { value: true } }) as Store;
    const signingKeys = [{ kid: 'k1', alg: 'ES256' as const, key: pem(ecKeyPair().privateKey) }];
    expect(() => startWith({ nonce: true }, { store: shared, signingKeys })).toThrow('options.secret is required with a shared store and options.dpop.nonce');
    expect(() => startWith({ nonce: false }, { store: shared, signingKeys })).not.toThrow();
  });

  it('accepts the documented defaults and a full setting', () => {
    expect(() => startWith(undefined)).not.toThrow();
    expect(() => startWith({ algorithms: ['ES256', 'EdDSA', 'PS384'], proofMaxAge: 120, clockSkew: 10, nonce: { windowSeconds: 60 }, requireForAllClients: true }, { store: memoryStore() })).not.toThrow();
  });

  it('refuses a client whose dpopBoundAccessTokens is not a boolean', () => {
    expect(() => createAuthorizationServer({ ...base, clients: [{ ...JWT_JOB, dpopBoundAccessTokens: 'yes' as unknown as boolean }] })).toThrow(TypeError);
  });
});
