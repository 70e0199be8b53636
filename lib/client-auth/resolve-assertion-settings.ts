import type { Client } from '../clients/client';
import { clientSecretSealingKey, openClientSecret } from '../clients/sealed-client-secret';
import { knownKeys, optionalObject, positiveInteger, nonNegativeInteger } from '../core/validate-option';
import type { ClientAssertionOptions } from '../options/types';
import { ASYMMETRIC_ASSERTION_ALGORITHMS, HMAC_ASSERTION_ALGORITHMS, hmacKeyBytes, isAsymmetricAlgorithm, isHmacAlgorithm } from './assertion-algorithms';
import { ClientKeys, type ClientKeysSettings } from './client-keys';
import { isFetchableJwksUri } from './jwks-uri';

/** `clientAuthentication.assertions` after validation, every default filled in. */
export interface AssertionOptionsSettings {
  readonly maxLifetimeSeconds: number;
  readonly clockSkewSeconds: number;
  readonly asymmetricAlgorithms: readonly string[];
  readonly hmacAlgorithms: readonly string[];
  readonly jwks: ClientKeysSettings;
}

/** Checks `clientAuthentication.assertions` once, at start-up, and fills in the defaults (documented on its type). */
export function resolveAssertionSettings(value: ClientAssertionOptions | undefined): AssertionOptionsSettings {
  const options = optionalObject(value, 'options.clientAuthentication.assertions') ?? {};
  knownKeys(
    options,
    { maxLifetimeSeconds: true, clockSkewSeconds: true, algorithms: true, jwksCacheSize: true, jwksRefetchIntervalSeconds: true, jwksMaxAgeSeconds: true, jwksTimeoutMs: true },
    'options.clientAuthentication.assertions',
  );
  const name = 'options.clientAuthentication.assertions';
  const algorithms = options.algorithms ?? [...ASYMMETRIC_ASSERTION_ALGORITHMS, ...HMAC_ASSERTION_ALGORITHMS];
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((a) => !isAsymmetricAlgorithm(a) && !isHmacAlgorithm(a))) {
    throw new TypeError(`${name}.algorithms must list some of ${[...ASYMMETRIC_ASSERTION_ALGORITHMS, ...HMAC_ASSERTION_ALGORITHMS].join(', ')} ("none" is never accepted)`);
  }
  return {
    maxLifetimeSeconds: positiveInteger(options.maxLifetimeSeconds, `${name}.maxLifetimeSeconds`) ?? 300,
    clockSkewSeconds: nonNegativeInteger(options.clockSkewSeconds, `${name}.clockSkewSeconds`) ?? 30,
    asymmetricAlgorithms: algorithms.filter(isAsymmetricAlgorithm),
    hmacAlgorithms: algorithms.filter(isHmacAlgorithm),
    jwks: {
      cacheSize: positiveInteger(options.jwksCacheSize, `${name}.jwksCacheSize`) ?? 1000,
      refetchIntervalSeconds: positiveInteger(options.jwksRefetchIntervalSeconds, `${name}.jwksRefetchIntervalSeconds`) ?? 60,
      maxAgeSeconds: positiveInteger(options.jwksMaxAgeSeconds, `${name}.jwksMaxAgeSeconds`) ?? 600,
      timeoutMs: positiveInteger(options.jwksTimeoutMs, `${name}.jwksTimeoutMs`) ?? 5000,
    },
  };
}

/** What a listed client's assertion settings are checked against. */
export interface AssertionClientContext {
  readonly settings: AssertionOptionsSettings;
  readonly issuer: string | undefined;
  readonly secret: Buffer | undefined;
  readonly allowPlaintextSecrets: boolean;
}

/**
 * Checks the listed clients that authenticate with a JWT, once, at start-up, with a `TypeError` naming the
 * client: `private_key_jwt` needs exactly one of `jwks` (a valid public JWK Set) and `jwksUri` (https, or
 * http on a loopback host); `client_secret_jwt` needs `clientSecretSealed` that opens under the server's
 * `secret`, or a plaintext `clientSecret` with `allowPlaintextSecrets`, long enough for its HMAC (RFC 7518
 * §3.2); a pinned `tokenEndpointAuthSigningAlg` must be on the allow-list for the method; and either method
 * needs the server's `issuer`, the assertion's audience.
 */
export function checkAssertionClients(clients: readonly Client[], context: AssertionClientContext): void {
  const sealingKey = context.secret === undefined ? undefined : clientSecretSealingKey(context.secret);
  clients.forEach((client, index) => {
    if (typeof client !== 'object' || client === null) return;
    const where = `clients[${index}]`;
    const method = client.tokenEndpointAuthMethod;
    const id = JSON.stringify(client.clientId);
    const isJwt = method === 'private_key_jwt' || method === 'client_secret_jwt';
    if (!isJwt) {
      if (client.jwks !== undefined || client.jwksUri !== undefined) throw new TypeError(`${where}: ${id} has jwks or jwksUri but tokenEndpointAuthMethod is not "private_key_jwt"`);
      if (client.clientSecretSealed !== undefined) throw new TypeError(`${where}.clientSecretSealed: ${id} is not a "client_secret_jwt" client`);
      if (client.tokenEndpointAuthSigningAlg !== undefined) throw new TypeError(`${where}.tokenEndpointAuthSigningAlg: ${id} does not authenticate with a JWT`);
      return;
    }
    if (context.issuer === undefined) throw new TypeError(`${where}: ${id} uses ${method}, which needs options.issuer (the assertion's audience, RFC 7523 §3)`);
    const allowed = method === 'private_key_jwt' ? context.settings.asymmetricAlgorithms : context.settings.hmacAlgorithms;
    if (allowed.length === 0) throw new TypeError(`${where}: ${id} uses ${method}, but options.clientAuthentication.assertions.algorithms allows no algorithm for it`);
    const pinned = client.tokenEndpointAuthSigningAlg;
    if (pinned !== undefined && !allowed.includes(pinned)) {
      throw new TypeError(`${where}.tokenEndpointAuthSigningAlg: ${id} uses ${method}, which accepts ${allowed.join(', ')}; got ${JSON.stringify(pinned)}`);
    }
    if (method === 'private_key_jwt') {
      if (client.clientSecret !== undefined || client.clientSecretHash !== undefined || client.clientSecretSealed !== undefined) {
        throw new TypeError(`${where}: ${id} uses private_key_jwt and must have no client secret`);
      }
      if (client.jwks === undefined && client.jwksUri === undefined) throw new TypeError(`${where}: ${id} uses private_key_jwt and needs jwks or jwksUri`);
      if (client.jwks !== undefined && client.jwksUri !== undefined) throw new TypeError(`${where}: ${id} has both jwks and jwksUri; give one`);
      if (client.jwks !== undefined) ClientKeys.parseSet(client.jwks, `${where}.jwks`);
      else checkJwksUri(client.jwksUri, `${where}.jwksUri`);
      return;
    }
    if (client.jwks !== undefined || client.jwksUri !== undefined) throw new TypeError(`${where}: ${id} uses client_secret_jwt, which has no jwks or jwksUri`);
    if (client.clientSecretHash !== undefined) {
      throw new TypeError(`${where}.clientSecretHash: ${id} uses client_secret_jwt, whose HMAC needs the secret itself: give clientSecretSealed (see sealClientSecret)`);
    }
    const shortest = hmacKeyBytes(pinned ?? 'HS256');
    let secret: Buffer | undefined;
    if (client.clientSecretSealed !== undefined) {
      if (client.clientSecret !== undefined) throw new TypeError(`${where}: ${id} has both clientSecret and clientSecretSealed; give one`);
      if (sealingKey === undefined) throw new TypeError(`${where}.clientSecretSealed: ${id} needs options.secret, the secret it was sealed under`);
      secret = openClientSecret(client.clientId, client.clientSecretSealed, sealingKey);
      if (secret === undefined) throw new TypeError(`${where}.clientSecretSealed does not open: seal it with sealClientSecret(${id}, secret, options.secret) under this server's secret`);
    } else if (client.clientSecret !== undefined) {
      if (!context.allowPlaintextSecrets) throw new TypeError(`${where}.clientSecret is plaintext: give clientSecretSealed (see sealClientSecret), or set allowPlaintextSecrets for development`);
      secret = Buffer.from(client.clientSecret, 'utf8');
    } else {
      throw new TypeError(`${where}: ${id} uses client_secret_jwt and needs clientSecretSealed (see sealClientSecret)`);
    }
    if (secret.length < shortest) throw new TypeError(`${where}: ${id}'s secret must be at least ${shortest} bytes for its HMAC (RFC 7518 §3.2)`);
  });
}

function checkJwksUri(value: unknown, where: string): void {
  if (!isFetchableJwksUri(value)) throw new TypeError(`${where} must be an https URL without fragment (http only on a loopback host)`);
}
