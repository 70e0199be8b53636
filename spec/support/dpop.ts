import { createHash, randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import * as jose from 'jose';
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions, type Client, type Store } from '../../lib';
import { AUTH_TIME, CHALLENGE } from './authorize';

// DPoP specs share one server shape: issuer https://auth.internal.example, the router at /oauth2, so a proof's
// htu is TOKEN_URL. Proofs are made with jose, a library nobody here wrote.

export const DPOP_ISSUER = 'https://auth.internal.example';
export const TOKEN_URL = `${DPOP_ISSUER}/oauth2/token`;
export const SECRET = 'dpop-spec-secret-of-at-least-32-bytes!';

/** A confidential job: JWT access tokens. */
export const JWT_JOB: Client = { clientId: 'ledger-sync', clientSecret: 'ledger-secret', grants: ['client_credentials', 'refresh_token'], scopes: ['/ledger.write'], accessTokenFormat: 'jwt' };
/** A confidential job: opaque access tokens. */
export const OPAQUE_JOB: Client = { ...JWT_JOB, clientId: 'ledger-opaque', clientSecret: 'opaque-secret', accessTokenFormat: 'opaque' };
/** RFC 9449 §5.2: a client that must use DPoP. */
export const BOUND_JOB: Client = { ...JWT_JOB, clientId: 'ledger-bound', clientSecret: 'bound-secret', dpopBoundAccessTokens: true };
/** A public client with refresh tokens (authorization code + PKCE). */
export const SPA: Client = {
  clientId: 'spa',
  tokenEndpointAuthMethod: 'none',
  grants: ['authorization_code', 'refresh_token'],
  scopes: ['/accounts.read'],
  redirectUris: ['https://spa.example/callback'],
  accessTokenFormat: 'opaque',
};
/** A resource server allowed to introspect any token. */
export const API: Client = { clientId: 'accounts-api', clientSecret: 'api-secret', grants: ['client_credentials'], scopes: [], introspection: 'any' };

export const DPOP_CLIENTS: readonly Client[] = [JWT_JOB, OPAQUE_JOB, BOUND_JOB, SPA, API];

export interface DpopServer {
  readonly app: Express;
  readonly auth: AuthorizationServer;
}

/** One instance of the DPoP spec server on `store`; two built on one shared store are two instances of one server. */
export function dpopServer(store: Store, options: Partial<AuthorizationServerOptions> = {}): DpopServer {
  const auth = createAuthorizationServer({
    clients: DPOP_CLIENTS,
    allowPlaintextSecrets: true,
    issuer: DPOP_ISSUER,
    mountPath: '/oauth2',
    store,
    secret: SECRET,
    grants: ['client_credentials', 'authorization_code', 'refresh_token'],
    dpop: {},
    authorization: {
      // The user is whoever x-test-user names; consent is skipped by the code helper posting it.
      authenticateUser: (req) => {
        const user = req.headers['x-test-user'];
        return typeof user === 'string' ? { sub: user, authTime: AUTH_TIME } : undefined;
      },
      renderConsent: (_req, res, { action, fields }) => {
        res.json({ consent: { action, fields } });
      },
    },
    ...options,
  });
  const app = express();
  app.use('/oauth2', auth.router());
  return { app, auth };
}

export interface DpopKey {
  readonly keys: jose.GenerateKeyPairResult;
  readonly jwk: jose.JWK;
  /** The RFC 7638 thumbprint, as jose computes it. */
  readonly jkt: string;
}

export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const keys = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(keys.publicKey);
  return { keys, jwk, jkt: await jose.calculateJwkThumbprint(jwk, 'sha256') };
}

export interface ProofClaims {
  readonly htm?: string;
  readonly htu?: string;
  readonly nonce?: string;
  readonly jti?: string;
  readonly iat?: number;
  readonly accessToken?: string;
}

/** A DPoP proof for the token endpoint (or what `claims` says), signed with `key`. */
export function proof(key: DpopKey, claims: ProofClaims = {}, alg = 'ES256'): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: claims.jti ?? randomUUID(),
    htm: claims.htm ?? 'POST',
    htu: claims.htu ?? TOKEN_URL,
    iat: claims.iat ?? Math.floor(Date.now() / 1000),
  };
  if (claims.nonce !== undefined) payload.nonce = claims.nonce;
  if (claims.accessToken !== undefined) payload.ath = createHash('sha256').update(claims.accessToken).digest('base64url');
  return new jose.SignJWT(payload).setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: key.jwk }).sign(key.keys.privateKey);
}

/** POST /oauth2/token with Basic credentials of `client` and, when given, a DPoP header. */
export function tokenRequest(app: Express, client: Client, form: Record<string, string>, dpop?: string | string[]) {
  let req = request(app).post('/oauth2/token').type('form');
  if (client.clientSecret !== undefined) req = req.auth(client.clientId, client.clientSecret);
  // An array sends the header once per value (superagent passes it to node:http as it is).
  if (dpop !== undefined) req = req.set('DPoP', dpop as string);
  return req.send(client.clientSecret === undefined ? { ...form, client_id: client.clientId } : form);
}

/** An authorization code for the SPA (PKCE with RFC 7636's example challenge), with `extra` authorization parameters. */
export async function spaCode(app: Express, extra: Record<string, string> = {}): Promise<string> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: SPA.clientId,
    redirect_uri: 'https://spa.example/callback',
    scope: '/accounts.read',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  });
  const page = await request(app).get(`/oauth2/authorize?${query.toString()}`).set('x-test-user', 'alice');
  let res = page;
  if (page.status === 200) {
    const cookie = (([] as string[]).concat(page.headers['set-cookie'] ?? [])[0] as string).split(';')[0] as string;
    res = await request(app).post(page.body.consent.action).set('x-test-user', 'alice').set('Cookie', cookie).type('form').send({ ...page.body.consent.fields, decision: 'allow' });
  }
  const location = res.headers.location as string | undefined;
  const code = location === undefined ? null : new URL(location).searchParams.get('code');
  if (code === null) throw new Error(`expected a code, got ${res.status} ${location ?? ''} ${JSON.stringify(res.body)}`);
  return code;
}

/** The claims of a JWT, unverified (the specs verify with jose where it matters). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}
