import type { JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  hashClientSecret,
  sealClientSecret,
  type Client,
  type JwtAlgorithm,
  type KeyRotationOptions,
  type LockoutOptions,
  type PkcePolicy,
  type ServiceHoursOptions,
  type SigningKeyInput,
  type TokenEndpointAuthMethod,
} from '../lib';
import { PROFILE_NAMES, type ProfileName } from './profiles';

/** One client entry of the demo's config file. */
export interface DemoClientConfig {
  clientId: string;
  /** Plaintext secret for the demo; hashed with scrypt when the config is loaded. */
  clientSecret?: string;
  /** A hash from hashClientSecret(), for configs that should not hold plaintext. */
  clientSecretHash?: string;
  grants: string[];
  scopes: string[];
  /**
   * Absolute URIs, or paths such as `/playground/callback` that name a page of the demo itself, at whatever
   * address it listens on.
   */
  redirectUris?: string[];
  /** `none` for a public client (a browser or native app): no secret, PKCE required. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** `optional` lets a confidential client leave PKCE out (RFC 9700 §2.1.1). Default: required. */
  pkce?: PkcePolicy;
  /** RFC 9449 §5.2: the client must send a DPoP proof with every token request. Default: false. */
  dpopBoundAccessTokens?: boolean;
  /** A `private_key_jwt` client's public keys (a JWK Set); or give `jwksUri`. */
  jwks?: { keys: JsonWebKey[] };
  /** Where a `private_key_jwt` client publishes its JWK Set (https, or http on loopback). */
  jwksUri?: string;
  /** The one JWS algorithm the client's assertions must use, e.g. `ES256` (RFC 7591). */
  tokenEndpointAuthSigningAlg?: string;
  /**
   * A `client_secret_jwt` client's secret sealed with sealClientSecret() under the config's `secret`; or give
   * `clientSecret` (at least 32 bytes), which the demo seals when the config is loaded.
   */
  clientSecretSealed?: string;
  /**
   * The resources (RFC 8707) the client may ask tokens for with `resource`: absolute URIs without a fragment,
   * or paths such as `/ledger` that name an API of the demo itself, at whatever address it listens on.
   * Default: none.
   */
  resources?: string[];
}

/**
 * A signing key of the config: its key in a PEM file (a path relative to the config file) or as a JWK. The
 * first key signs; the others only verify. Without `signingKeys` the server keeps its own rotating key ring.
 */
export interface DemoSigningKeyConfig {
  kid: string;
  alg?: JwtAlgorithm;
  /** A PEM file: a private key signs and verifies, a public key only verifies. */
  file?: string;
  /** The key as a JWK (private or public). */
  jwk?: JsonWebKey;
}

/** A demo user who can sign in on the demo's login page. */
export interface DemoUserConfig {
  username: string;
  /** Plaintext password for the demo; hashed with scrypt when the config is loaded. */
  password?: string;
  /** A hash from hashClientSecret(), for configs that should not hold plaintext. */
  passwordHash?: string;
}

/** A demo user after loading: only the password's hash is kept. */
export interface DemoUser {
  username: string;
  passwordHash: string;
}

/** The demo's config file (`KEYTURN_CONFIG`, default example-app/config.json). */
export interface DemoConfig {
  issuer?: string;
  /**
   * The server's secret (at least 32 bytes): it seals the key ring kept in the store and keys the consent
   * transaction and the demo's session cookie. Instances sharing a REDIS_URL need the same one. Without it the
   * demo uses {@link DEVELOPMENT_SECRET} and warns.
   */
  secret?: string;
  accessToken?: { format?: 'opaque' | 'jwt'; ttl?: number };
  /** Keys for JWT access tokens and id_tokens. Default: a key ring kept in the store and rotated. */
  signingKeys?: DemoSigningKeyConfig[];
  /** How the key ring rotates when there are no `signingKeys` (seconds). */
  keyRotation?: KeyRotationOptions;
  /** `reuseGraceSeconds`: the refresh grace window (0 to 300 s; default 0, strict reuse detection). */
  refreshToken?: { ttl?: number; reuseGraceSeconds?: number };
  rateLimit?: { points?: number; durationSeconds?: number };
  clientAuthentication?: { basicWithBody?: 'reject' | 'accept-matching' };
  /** Lock a client id out after repeated failed authentications. Off unless set. */
  lockout?: LockoutOptions;
  /** Which API the demo presents (`KEYTURN_PROFILE` overrides it). Default: `default`. */
  profile?: ProfileName;
  /** Working hours for the bank profile's 503 outside them. Off unless set. */
  serviceHours?: Omit<ServiceHoursOptions, 'now' | 'description'>;
  clients: DemoClientConfig[];
  /** Users of the demo's sign-in page (authorization code flow). */
  users?: DemoUserConfig[];
  /**
   * DPoP at the token endpoint (RFC 9449), as the server's `dpop` option: `nonce: true` (or
   * `{ windowSeconds }`) turns server nonces on. DPoP itself is on in every demo. Default: the option's defaults.
   */
  dpop?: DemoDpopConfig;
}

/** The `dpop` field of the config: the server option's fields, all optional. */
export interface DemoDpopConfig {
  algorithms?: string[];
  proofMaxAge?: number;
  clockSkew?: number;
  nonce?: boolean | { windowSeconds?: number };
  requireForAllClients?: boolean;
}

/** A config whose client secrets and user passwords have been hashed: what the app is built from. */
export interface LoadedConfig extends Omit<DemoConfig, 'clients' | 'users' | 'signingKeys'> {
  clients: Client[];
  /** The keys, files read. */
  signingKeys?: SigningKeyInput[];
  users?: DemoUser[];
}

/**
 * The secret of a config that names none: the same in every demo process, so two demos on one REDIS_URL still
 * act as one server, and public, so it protects nothing. The demo warns whenever it uses it; the library has
 * no such fallback.
 */
/** The `lockout` fields, as the library's option names them. */
const LOCKOUT_FIELDS = [
  'maxFailures',
  'windowSeconds',
  'baseSeconds',
  'maxSeconds',
  'clientMaxFailures',
  'addressMaxFailures',
  'knownAddressSeconds',
] as const satisfies ReadonlyArray<keyof LockoutOptions>;

export const DEVELOPMENT_SECRET = 'keyturn-demo-development-secret-not-for-production';

/** Thrown for a config file that cannot be used; the message names the field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads, checks and prepares a config file. */
export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return prepareConfig(checkConfig(json), dirname(resolve(path)));
}

/** Checks a parsed config object field by field; the error names the first bad field. */
export function checkConfig(value: unknown): DemoConfig {
  const config = object(value, 'config');
  // A misspelt field would otherwise be ignored without a word, and the demo would run on a default.
  unknownFields(config, CONFIG_FIELDS, 'config');
  optional(config.issuer, 'issuer', (v, f) => url(v, f));
  optional(config.secret, 'secret', (v, f) => {
    nonEmptyString(v, f);
    if (Buffer.byteLength(v as string, 'utf8') < 32) fail(f, 'must be at least 32 bytes');
  });
  optional(config.accessToken, 'accessToken', (v, f) => {
    const o = object(v, f);
    optional(o.format, `${f}.format`, (x, g) => oneOf(x, g, ['opaque', 'jwt']));
    optional(o.ttl, `${f}.ttl`, positiveInteger);
  });
  optional(config.signingKeys, 'signingKeys', (v, f) => {
    if (!Array.isArray(v) || v.length === 0) fail(f, 'must be a non-empty array');
    (v as unknown[]).forEach((entry, i) => {
      const g = `${f}[${i}]`;
      const k = object(entry, g);
      nonEmptyString(k.kid, `${g}.kid`);
      optional(k.alg, `${g}.alg`, (x, h) => oneOf(x, h, ['RS256', 'PS256', 'ES256', 'HS256']));
      if ((k.file === undefined) === (k.jwk === undefined)) fail(g, 'needs exactly one of file and jwk');
      optional(k.file, `${g}.file`, nonEmptyString);
      optional(k.jwk, `${g}.jwk`, object);
    });
  });
  optional(config.keyRotation, 'keyRotation', (v, f) => {
    const o = object(v, f);
    optional(o.interval, `${f}.interval`, positiveInteger);
    optional(o.publishAhead, `${f}.publishAhead`, positiveInteger);
  });
  optional(config.refreshToken, 'refreshToken', (v, f) => {
    const o = object(v, f);
    optional(o.ttl, `${f}.ttl`, positiveInteger);
    optional(o.reuseGraceSeconds, `${f}.reuseGraceSeconds`, (x, g) => integerBetween(x, g, 0, 300));
  });
  optional(config.rateLimit, 'rateLimit', (v, f) => {
    const o = object(v, f);
    optional(o.points, `${f}.points`, positiveInteger);
    optional(o.durationSeconds, `${f}.durationSeconds`, positiveInteger);
  });
  optional(config.clientAuthentication, 'clientAuthentication', (v, f) =>
    optional(object(v, f).basicWithBody, `${f}.basicWithBody`, (x, g) => oneOf(x, g, ['reject', 'accept-matching'])),
  );
  optional(config.lockout, 'lockout', (v, f) => {
    const o = object(v, f);
    for (const key of LOCKOUT_FIELDS) optional(o[key], `${f}.${key}`, positiveInteger);
  });
  optional(config.dpop, 'dpop', (v, f) => {
    const o = object(v, f);
    optional(o.algorithms, `${f}.algorithms`, (x, g) => stringArray(x, g, true));
    optional(o.proofMaxAge, `${f}.proofMaxAge`, positiveInteger);
    optional(o.clockSkew, `${f}.clockSkew`, (x, g) => integerBetween(x, g, 0, 300));
    optional(o.nonce, `${f}.nonce`, (x, g) => {
      if (typeof x === 'boolean') return;
      optional(object(x, g).windowSeconds, `${g}.windowSeconds`, positiveInteger);
    });
    optional(o.requireForAllClients, `${f}.requireForAllClients`, boolean);
  });
  optional(config.profile, 'profile', (v, f) => oneOf(v, f, [...PROFILE_NAMES]));
  optional(config.serviceHours, 'serviceHours', (v, f) => {
    const o = object(v, f);
    nonEmptyString(o.timeZone, `${f}.timeZone`);
    for (const key of ['open', 'close']) if (typeof o[key] !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(o[key] as string)) fail(`${f}.${key}`, 'must be HH:MM');
    optional(o.days, `${f}.days`, (d, g) => {
      stringArray(d, g, true);
      for (const day of d as string[]) if (!['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].includes(day)) fail(g, `has an unknown day "${day}"`);
    });
  });
  if (!Array.isArray(config.clients) || config.clients.length === 0) fail('clients', 'must be a non-empty array');
  (config.clients as unknown[]).forEach((entry, i) => {
    const f = `clients[${i}]`;
    const c = object(entry, f);
    nonEmptyString(c.clientId, `${f}.clientId`);
    optional(c.tokenEndpointAuthMethod, `${f}.tokenEndpointAuthMethod`, (x, g) =>
      oneOf(x, g, ['client_secret_basic', 'client_secret_post', 'none', 'private_key_jwt', 'client_secret_jwt']),
    );
    if (c.tokenEndpointAuthMethod === 'none') {
      if (c.clientSecret !== undefined || c.clientSecretHash !== undefined) fail(f, 'is public (tokenEndpointAuthMethod "none") and must have no secret');
    } else if (c.tokenEndpointAuthMethod === 'private_key_jwt') {
      if (c.clientSecret !== undefined || c.clientSecretHash !== undefined || c.clientSecretSealed !== undefined) fail(f, 'uses private_key_jwt and must have no secret');
      if ((c.jwks === undefined) === (c.jwksUri === undefined)) fail(f, 'uses private_key_jwt and needs exactly one of jwks and jwksUri');
    } else if (c.tokenEndpointAuthMethod === 'client_secret_jwt') {
      if ((c.clientSecret === undefined) === (c.clientSecretSealed === undefined)) fail(f, 'uses client_secret_jwt and needs exactly one of clientSecret and clientSecretSealed');
      if (c.clientSecretHash !== undefined) fail(`${f}.clientSecretHash`, 'cannot serve client_secret_jwt, whose HMAC needs the secret: give clientSecret or clientSecretSealed');
    } else if ((c.clientSecret === undefined) === (c.clientSecretHash === undefined)) fail(f, 'needs exactly one of clientSecret and clientSecretHash');
    if (c.tokenEndpointAuthMethod !== 'private_key_jwt' && (c.jwks !== undefined || c.jwksUri !== undefined)) fail(f, 'has jwks or jwksUri, which only a private_key_jwt client uses');
    optional(c.jwks, `${f}.jwks`, (v, g) => {
      const set = object(v, g);
      if (!Array.isArray(set.keys) || set.keys.length === 0) fail(`${g}.keys`, 'must be a non-empty array of JWKs');
    });
    optional(c.jwksUri, `${f}.jwksUri`, (v, g) => url(v, g));
    optional(c.tokenEndpointAuthSigningAlg, `${f}.tokenEndpointAuthSigningAlg`, nonEmptyString);
    optional(c.clientSecretSealed, `${f}.clientSecretSealed`, nonEmptyString);
    optional(c.pkce, `${f}.pkce`, (x, g) => oneOf(x, g, ['required', 'optional']));
    if (c.pkce === 'optional' && c.tokenEndpointAuthMethod === 'none') fail(`${f}.pkce`, 'cannot be "optional" for a public client, which must use PKCE');
    optional(c.dpopBoundAccessTokens, `${f}.dpopBoundAccessTokens`, boolean);
    optional(c.clientSecret, `${f}.clientSecret`, nonEmptyString);
    optional(c.clientSecretHash, `${f}.clientSecretHash`, nonEmptyString);
    stringArray(c.grants, `${f}.grants`, true);
    if (c.tokenEndpointAuthMethod === 'none' && (c.grants as string[]).includes('client_credentials')) {
      fail(`${f}.grants`, `cannot include client_credentials for the public client "${String(c.clientId)}": that grant is for confidential clients only (RFC 6749 §4.4)`);
    }
    stringArray(c.scopes, `${f}.scopes`, false);
    optional(c.redirectUris, `${f}.redirectUris`, (v, g) => {
      stringArray(v, g, false);
      for (const uri of v as string[]) if (!isDemoPath(uri) && !URL.canParse(uri)) fail(g, `has "${uri}", which is neither an absolute URI nor a path starting with /`);
    });
    optional(c.resources, `${f}.resources`, (v, g) => {
      stringArray(v, g, false);
      for (const uri of v as string[]) {
        if (uri.includes('#') || (!isDemoPath(uri) && !URL.canParse(uri))) fail(g, `has "${uri}", which is neither an absolute URI without a fragment nor a path starting with / (RFC 8707 §2)`);
      }
    });
  });
  optional(config.users, 'users', (v, f) => {
    if (!Array.isArray(v)) fail(f, 'must be an array');
    const seen = new Set<string>();
    (v as unknown[]).forEach((entry, i) => {
      const g = `${f}[${i}]`;
      const u = object(entry, g);
      nonEmptyString(u.username, `${g}.username`);
      if (seen.has(u.username as string)) fail(`${g}.username`, 'is listed twice');
      seen.add(u.username as string);
      if ((u.password === undefined) === (u.passwordHash === undefined)) fail(g, 'needs exactly one of password and passwordHash');
      optional(u.password, `${g}.password`, nonEmptyString);
      optional(u.passwordHash, `${g}.passwordHash`, nonEmptyString);
    });
  });
  return config as unknown as DemoConfig;
}

/** True for a redirect URI written as a path of the demo itself (`/playground/callback`), not `//host/...`. */
export function isDemoPath(uri: string): boolean {
  return uri.startsWith('/') && !uri.startsWith('//');
}

async function prepareConfig(config: DemoConfig, baseDir: string): Promise<LoadedConfig> {
  const serverSecret = config.secret ?? DEVELOPMENT_SECRET;
  const clients = await Promise.all(
    config.clients.map(async ({ clientSecret, ...client }): Promise<Client> =>
      client.tokenEndpointAuthMethod === 'none' || client.tokenEndpointAuthMethod === 'private_key_jwt'
        ? client
        : client.tokenEndpointAuthMethod === 'client_secret_jwt'
          ? // Its HMAC needs the secret itself: sealed at load under the server's secret, never kept in the clear.
            { ...client, clientSecretSealed: client.clientSecretSealed ?? sealClientSecret(client.clientId, clientSecret as string, serverSecret) }
        : {
            ...client,
            // Hash at load so the running server holds no plaintext secret, as in production.
            clientSecretHash: client.clientSecretHash ?? (await hashClientSecret(clientSecret as string)),
          },
    ),
  );
  const { users: userConfigs, signingKeys: keyConfigs, ...settings } = config;
  const rest = keyConfigs === undefined ? settings : { ...settings, signingKeys: keyConfigs.map((k, i) => readSigningKey(k, i, baseDir)) };
  if (userConfigs === undefined) return { ...rest, clients };
  const users = await Promise.all(
    userConfigs.map(async ({ username, password, passwordHash }): Promise<DemoUser> => ({
      username,
      // The same salted scrypt as client secrets: people pick passwords too.
      passwordHash: passwordHash ?? (await hashClientSecret(password as string)),
    })),
  );
  return { ...rest, clients, users };
}

function readSigningKey({ kid, alg, file, jwk }: DemoSigningKeyConfig, index: number, baseDir: string): SigningKeyInput {
  let key: string | JsonWebKey;
  if (file === undefined) key = jwk as JsonWebKey;
  else {
    try {
      key = readFileSync(resolve(baseDir, file), 'utf8');
    } catch (err) {
      throw new ConfigError(`config: signingKeys[${index}].file cannot be read: ${(err as Error).message}`);
    }
  }
  return { kid, key, ...(alg === undefined ? {} : { alg }) };
}

/** The fields the config knows, at every depth: `true` for a value, a nested shape for an object or a list of objects. */
interface FieldShape {
  readonly [field: string]: true | FieldShape;
}

const CONFIG_FIELDS: FieldShape = {
  issuer: true,
  secret: true,
  accessToken: { format: true, ttl: true },
  // A JWK's members are the key's own (RFC 7517), checked by the server when it reads the key.
  signingKeys: { kid: true, alg: true, file: true, jwk: true },
  keyRotation: { interval: true, publishAhead: true },
  refreshToken: { ttl: true, reuseGraceSeconds: true },
  rateLimit: { points: true, durationSeconds: true },
  clientAuthentication: { basicWithBody: true },
  lockout: Object.fromEntries(LOCKOUT_FIELDS.map((key) => [key, true])),
  profile: true,
  serviceHours: { timeZone: true, days: true, open: true, close: true },
  clients: {
    clientId: true, clientSecret: true, clientSecretHash: true, grants: true, scopes: true, redirectUris: true, tokenEndpointAuthMethod: true, pkce: true, resources: true,
    dpopBoundAccessTokens: true,
    // A JWK's members are the key's own (RFC 7517), checked by the server when it reads the key.
    jwks: true, jwksUri: true, tokenEndpointAuthSigningAlg: true, clientSecretSealed: true,
  },
  dpop: { algorithms: true, proofMaxAge: true, clockSkew: true, nonce: { windowSeconds: true }, requireForAllClients: true },
  users: { username: true, password: true, passwordHash: true },
};

// Checked before the field checks, so the message names every unknown field of the object it meets first.
function unknownFields(value: unknown, shape: FieldShape, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((entry, i) => unknownFields(entry, shape, `${where}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const unknown = Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
  if (unknown.length > 0) fail(where === 'config' ? 'the top level' : where, `has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`);
  for (const [key, inner] of Object.entries(shape)) {
    if (inner !== true) unknownFields((value as Record<string, unknown>)[key], inner, where === 'config' ? key : `${where}.${key}`);
  }
}

function fail(field: string, problem: string): never {
  throw new ConfigError(`config: ${field} ${problem}`);
}
function object(v: unknown, f: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(f, 'must be an object');
  return v as Record<string, unknown>;
}
function optional(v: unknown, f: string, check: (v: unknown, f: string) => void): void {
  if (v !== undefined) check(v, f);
}
function nonEmptyString(v: unknown, f: string): void {
  if (typeof v !== 'string' || v === '') fail(f, 'must be a non-empty string');
}
function boolean(v: unknown, f: string): void {
  if (typeof v !== 'boolean') fail(f, 'must be true or false');
}
function positiveInteger(v: unknown, f: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(f, 'must be a positive integer');
}
function integerBetween(v: unknown, f: string, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(f, `must be an integer from ${min} to ${max}`);
}
function oneOf(v: unknown, f: string, allowed: string[]): void {
  if (typeof v !== 'string' || !allowed.includes(v)) fail(f, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}
function url(v: unknown, f: string): void {
  if (typeof v !== 'string' || !URL.canParse(v)) fail(f, 'must be an absolute URL');
}
function stringArray(v: unknown, f: string, nonEmpty: boolean): void {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) fail(f, 'must be an array of non-empty strings');
  if (nonEmpty && v.length === 0) fail(f, 'must not be empty');
}
