import express, { type Express } from 'express';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationOptions, type AuthorizationServer, type AuthorizationServerOptions, type Client } from '../../lib';
import { createDevelopmentIdTokenSigner } from '../../lib/tokens/id-token';
import { MemoryStore } from '../../lib/store/memory-store';

export const ISSUER = 'https://auth.example.com/oauth2';
export const ISS = encodeURIComponent(ISSUER);

/** A confidential web app: Basic or body credentials, two registered redirect URIs. */
export const WEB_CLIENT: Client = {
  clientId: 'web-app',
  clientSecret: 'web-secret',
  grants: ['authorization_code', 'client_credentials'],
  scopes: ['openid', '/accounts.read', '/accounts.write'],
  defaultScopes: ['/accounts.read'],
  redirectUris: ['https://client.example/cb', 'https://client.example/cb2?tenant=a'],
};

/** A second confidential client, to present another client's code. */
export const OTHER_CLIENT: Client = { ...WEB_CLIENT, clientId: 'other-app', clientSecret: 'other-secret' };

/** A public client (a single-page app): no secret, one redirect URI, PKCE mandatory. */
export const SPA_CLIENT: Client = {
  clientId: 'spa',
  tokenEndpointAuthMethod: 'none',
  grants: ['authorization_code'],
  scopes: ['openid', '/accounts.read'],
  redirectUris: ['https://spa.example/callback'],
};

/** A client that may not use the authorization code grant. */
export const MACHINE_CLIENT: Client = {
  clientId: 'machine',
  clientSecret: 'machine-secret',
  grants: ['client_credentials'],
  scopes: ['/accounts.read'],
  redirectUris: ['https://machine.example/cb'],
};

/** A client with no registered redirect URI, and one with several (so one must be named). */
export const NO_REDIRECT_CLIENT: Client = { ...WEB_CLIENT, clientId: 'no-redirect', redirectUris: [] };

/** RFC 7636 Appendix B's example verifier and its S256 challenge. */
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** Users sign in with the `x-test-user` header; the auth time is fixed so id_token claims can be asserted. */
export const AUTH_TIME = 1_700_000_000;

export interface AuthorizeTestServer {
  app: Express;
  auth: AuthorizationServer;
  store: MemoryStore;
  signer: ReturnType<typeof createDevelopmentIdTokenSigner>;
}

/**
 * An app with Keyturn at /oauth2 and test hooks: the user is whoever `x-test-user` names (otherwise a
 * redirect to /login with returnTo), and the consent "page" is JSON of what a page would render.
 */
export function buildAuthorizeApp(
  authorization: Partial<AuthorizationOptions> = {},
  options: Partial<AuthorizationServerOptions> = {},
): AuthorizeTestServer {
  const store = new MemoryStore();
  const signer = createDevelopmentIdTokenSigner();
  const auth = createAuthorizationServer({
    clients: [WEB_CLIENT, OTHER_CLIENT, SPA_CLIENT, MACHINE_CLIENT, NO_REDIRECT_CLIENT],
    allowPlaintextSecrets: true,
    issuer: ISSUER,
    store,
    grants: ['client_credentials', 'authorization_code'],
    authorization: {
      authenticateUser: (req, res, ctx) => {
        const user = req.headers['x-test-user'];
        if (typeof user === 'string') return { sub: user, authTime: AUTH_TIME };
        res.redirect(`/login?returnTo=${encodeURIComponent(ctx.returnTo)}`);
        return undefined;
      },
      renderConsent: (_req, res, { client, user, scope, action, fields }) => {
        res.json({ consent: { clientId: client.clientId, sub: user.sub, scope, action, fields } });
      },
      idToken: { signer },
      ...authorization,
    },
    ...options,
  });
  const app = express();
  app.use('/oauth2', auth.router());
  return { app, auth, store, signer };
}

/** The authorize URL for `params` (all strings, sent as given). */
export function authorizePath(params: Record<string, string>): string {
  return `/oauth2/authorize?${new URLSearchParams(params).toString()}`;
}

/** A complete, valid request for the web client. */
export function webRequest(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: WEB_CLIENT.clientId,
    redirect_uri: 'https://client.example/cb',
    scope: 'openid /accounts.read',
    state: 'af0ifjsldkj',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    nonce: 'n-0S6_WzA2Mj',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface ConsentPage {
  action: string;
  fields: Record<string, string>;
  scope: string[];
  /** `keyturn_csrf=...` to send back. */
  cookie: string;
  setCookie: string;
}

/** GET /authorize as `user` and returns what the consent page received. */
export async function openConsent(app: Express, params: Record<string, string>, user = 'alice'): Promise<ConsentPage> {
  const res = await request(app).get(authorizePath(params)).set('x-test-user', user);
  if (res.status !== 200 || res.body.consent === undefined) throw new Error(`expected a consent page, got ${res.status} ${res.headers.location ?? ''}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] as string;
  return { ...res.body.consent, cookie: setCookie.split(';')[0] as string, setCookie };
}

/** Posts the consent form as `user`. */
export function postConsent(app: Express, page: ConsentPage, decision: string, user = 'alice', fields: Record<string, string> = page.fields) {
  return request(app).post(page.action).set('x-test-user', user).set('Cookie', page.cookie).type('form').send({ ...fields, decision });
}

/**
 * Runs the authorization request (through consent unless the user already consented) and returns the code
 * from the redirect.
 */
export async function authorizeCode(app: Express, params: Record<string, string> = webRequest(), user = 'alice'): Promise<string> {
  const first = await request(app).get(authorizePath(params)).set('x-test-user', user);
  let res = first;
  if (first.status === 200) {
    const setCookie = ([] as string[]).concat(first.headers['set-cookie'] ?? [])[0] as string;
    res = await postConsent(app, { ...first.body.consent, cookie: setCookie.split(';')[0] as string, setCookie }, 'allow', user);
  }
  const code = res.headers.location === undefined ? null : new URL(res.headers.location as string).searchParams.get('code');
  if (code === null) throw new Error(`expected a code, got ${res.status} ${res.headers.location ?? ''}`);
  return code;
}
