// Start-up checks of JWT-authenticating clients and of clientAuthentication.assertions: a misconfigured
// client fails createAuthorizationServer with a TypeError naming it (DESIGN habit 3).
import { generateKeyPairSync } from 'node:crypto';
import { createAuthorizationServer, sealClientSecret, type AuthorizationServerOptions, type Client } from '../../lib';

const ISSUER = 'https://as.example.com';
const SECRET = 'a-secret-of-at-least-32-bytes-for-the-spec!';
const publicJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const base = { clientId: 'svc', grants: ['client_credentials'], scopes: [] } as const;

function start(client: Client, options: Partial<AuthorizationServerOptions> = {}): void {
  const auth = createAuthorizationServer({ issuer: ISSUER, secret: SECRET, clients: [client], ...options });
  void auth.close();
}

describe('start-up checks of private_key_jwt and client_secret_jwt clients', () => {
  it('a private_key_jwt client with a valid jwks, or an https jwksUri, starts', () => {
    expect(() => start({ ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] } })).not.toThrow();
    expect(() => start({ ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'https://svc.internal/jwks.json' })).not.toThrow();
  });

  it.each<[string, Client, string]>([
    ['neither jwks nor jwksUri', { ...base, tokenEndpointAuthMethod: 'private_key_jwt' }, 'clients[0]: "svc" uses private_key_jwt and needs jwks or jwksUri'],
    ['both jwks and jwksUri', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] }, jwksUri: 'https://svc.internal/jwks' }, 'clients[0]: "svc" has both jwks and jwksUri; give one'],
    ['a JWK that is not a key', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'nope' }] } }, 'clients[0].jwks.keys[0] is not a valid public JWK'],
    ['a private JWK', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [privateJwk] } }, 'clients[0].jwks.keys[0] is a private key; list only the public key'],
    ['a symmetric JWK', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'oct', k: 'AAAA' }] } }, 'clients[0].jwks.keys[0] has kty "oct"; a client\'s keys are public RSA, EC or OKP keys'],
    ['no keys', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [] } }, 'clients[0].jwks.keys must list 1 to 32 keys'],
    ['an http jwksUri off loopback', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'http://svc.internal/jwks' }, 'clients[0].jwksUri must be an https URL without fragment (http only on a loopback host)'],
    ['a secret beside its keys', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] }, clientSecretHash: 'x' }, 'clients[0]: "svc" uses private_key_jwt and must have no client secret'],
    ['an HMAC algorithm pinned', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] }, tokenEndpointAuthSigningAlg: 'HS256' }, 'clients[0].tokenEndpointAuthSigningAlg: "svc" uses private_key_jwt, which accepts RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519; got "HS256"'],
    ['alg none pinned', { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] }, tokenEndpointAuthSigningAlg: 'none' }, 'clients[0].tokenEndpointAuthSigningAlg: "svc" uses private_key_jwt, which accepts RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519; got "none"'],
    ['jwks on a secret client', { ...base, clientSecretHash: 'x', jwks: { keys: [publicJwk] } }, 'clients[0]: "svc" has jwks or jwksUri but tokenEndpointAuthMethod is not "private_key_jwt"'],
    ['client_secret_jwt without a secret', { ...base, tokenEndpointAuthMethod: 'client_secret_jwt' }, 'clients[0]: "svc" uses client_secret_jwt and needs clientSecretSealed (see sealClientSecret)'],
    ['client_secret_jwt with a hash', { ...base, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretHash: 'x' }, 'clients[0].clientSecretHash: "svc" uses client_secret_jwt, whose HMAC needs the secret itself: give clientSecretSealed (see sealClientSecret)'],
    ['client_secret_jwt with a plaintext secret', { ...base, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecret: 'x'.repeat(32) }, 'clients[0].clientSecret is plaintext: give clientSecretSealed (see sealClientSecret), or set allowPlaintextSecrets for development'],
    ['a secret sealed under another server secret', { ...base, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed: sealClientSecret('svc', 'x'.repeat(32), 'another-secret-of-at-least-32-bytes!!') }, 'clients[0].clientSecretSealed does not open: seal it with sealClientSecret("svc", secret, options.secret) under this server\'s secret'],
    ['a secret sealed for another client', { ...base, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed: sealClientSecret('other', 'x'.repeat(32), SECRET) }, 'clients[0].clientSecretSealed does not open: seal it with sealClientSecret("svc", secret, options.secret) under this server\'s secret'],
    ['a secret too short for HS256', { ...base, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed: sealClientSecret('svc', 'short', SECRET) }, 'clients[0]: "svc"\'s secret must be at least 32 bytes for its HMAC (RFC 7518 §3.2)'],
    ['a secret too short for a pinned HS512', { ...base, tokenEndpointAuthMethod: 'client_secret_jwt', tokenEndpointAuthSigningAlg: 'HS512', clientSecretSealed: sealClientSecret('svc', 'x'.repeat(32), SECRET) }, 'clients[0]: "svc"\'s secret must be at least 64 bytes for its HMAC (RFC 7518 §3.2)'],
  ])('%s fails start-up naming the client', (_, client, message) => {
    expect(() => start(client)).toThrow(new TypeError(message));
  });

  it('a client_secret_jwt client with a sealed secret starts; without options.secret it cannot', () => {
    const clientSecretSealed = sealClientSecret('svc', 'x'.repeat(32), SECRET);
    expect(() => start({ ...base, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed })).not.toThrow();
    expect(() => createAuthorizationServer({ issuer: ISSUER, clients: [{ ...base, tokenEndpointAuthMethod: 'client_secret_jwt', clientSecretSealed }] })).toThrow(
      new TypeError('clients[0].clientSecretSealed: "svc" needs options.secret, the secret it was sealed under'),
    );
  });

  it('a JWT client needs options.issuer, the assertion\'s audience', () => {
    expect(() => createAuthorizationServer({ clients: [{ ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] } }] })).toThrow(
      new TypeError('clients[0]: "svc" uses private_key_jwt, which needs options.issuer (the assertion\'s audience, RFC 7523 §3)'),
    );
  });

  it('clientAuthentication.assertions: unknown keys, "none" and bad numbers are refused', () => {
    const jwt: Client = { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] } };
    expect(() => start(jwt, { clientAuthentication: { assertions: { algorithms: ['none'] } } })).toThrow(/options\.clientAuthentication\.assertions\.algorithms must list some of/);
    expect(() => start(jwt, { clientAuthentication: { assertions: { maxLifetimeSeconds: 0 } } })).toThrow(/options\.clientAuthentication\.assertions\.maxLifetimeSeconds must be a positive integer/);
    expect(() => start(jwt, { clientAuthentication: { assertions: { ttl: 5 } as never } })).toThrow(/options\.clientAuthentication\.assertions/);
    expect(() => start(jwt, { clientAuthentication: { assertions: { algorithms: ['HS256'] } } })).toThrow(
      new TypeError('clients[0]: "svc" uses private_key_jwt, but options.clientAuthentication.assertions.algorithms allows no algorithm for it'),
    );
  });
});
