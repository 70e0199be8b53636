import { join } from 'node:path';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { createAuthorizationServer, deriveKey, type AuthorizationServer, type Store } from '../lib';
import { InvalidRequestError } from '../lib/errors';
import { bearerErrorHandler, requireBearer } from '../lib/resource-server';
import { metadataUrl } from '../lib/resource-server/discovery';
import { verifyClientSecretHash } from '../lib/clients/secret-hash';
import { DEVELOPMENT_SECRET, isDemoPath, type LoadedConfig } from './config';
import { demoBodyParser, demoErrorHandler, lastResortHandler } from './demo-errors';
import { denyFraming } from './frame-denial';
import { consentPage } from './pages/consent';
import { loginPage } from './pages/login';
import { playgroundPage } from './pages/playground';
import { selectProfile, type DemoProfile } from './profiles';
import { refreshTokenOptions } from './refresh-token-options';
import { sameOriginPost } from './same-origin';
import { DemoSessions, safeReturnTo } from './session';

/** The address of `npm run demo` with no PORT or HOST: what {@link buildApp} assumes when told no origin. */
export const DEFAULT_ORIGIN = 'http://127.0.0.1:3000';
/** The demo's issuer when the config names none and the demo listens on {@link DEFAULT_ORIGIN}. */
export const DEFAULT_ISSUER = `${DEFAULT_ORIGIN}/oauth2`;
/** The demo's resource-indicator API (RFC 8707): its audience is `<origin>/ledger`. */
export const LEDGER_PATH = '/ledger';

/** The playground's own redirect URI path (registered for the demo's clients in config.json). */
export const CALLBACK_PATH = '/playground/callback';

/** What {@link buildApp} returns: the app (not listening), its authorization server and profile. */
export interface DemoApp {
  app: Express;
  auth: AuthorizationServer;
  profile: DemoProfile;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** The store for server state. Default: the memory store. */
  store?: Store;
  /** The API to present; overrides `config.profile`. Default: `default`. */
  profile?: string;
  /** A prom-client registry: the server records metrics in it and the app serves it at GET /metrics. */
  metrics?: Registry;
  /**
   * Where the demo is reached (`http://127.0.0.1:4000`): the issuer when the config pins none is
   * `${origin}/oauth2`, and redirect URIs written as paths resolve against it. Default: {@link DEFAULT_ORIGIN}.
   */
  origin?: string;
}

interface Account {
  accountId: string;
  name: string;
  createdOn: string;
}

/**
 * The demo: an internal accounts API with Keyturn mounted at the profile's path (/oauth2 by default).
 * Built without listen() so tests import it (example-app/server.ts starts it).
 */
export function buildApp(config: LoadedConfig, options: BuildAppOptions = {}): DemoApp {
  const profile = selectProfile(options.profile ?? config.profile);
  const origin = options.origin ?? DEFAULT_ORIGIN;
  const issuer = config.issuer ?? `${origin}/oauth2`;
  // A path such as /playground/callback names the demo's own page wherever it listens; the server itself
  // registers only absolute URIs, compared exactly (RFC 6749 §3.1.2.3).
  const resolved = config.clients
    .map((c) => (c.redirectUris?.some(isDemoPath) ? { ...c, redirectUris: c.redirectUris.map((u) => (isDemoPath(u) ? `${origin}${u}` : u)) } : c))
    // Resources written as paths (/ledger) name the demo's own APIs too (RFC 8707 wants absolute URIs).
    .map((c) => (c.resources?.some(isDemoPath) ? { ...c, resources: c.resources.map((u) => (isDemoPath(u) ? `${origin}${u}` : u)) } : c));
  const clients = profile.clients?.(resolved) ?? resolved;
  const mountPath = mountPathUnder(issuer, profile.mountPath);
  const secret = config.secret ?? DEVELOPMENT_SECRET;
  const sessions = new DemoSessions(deriveKey(secret, 'keyturn demo session v1'));
  const profileOptions = profile.options(config);
  const auth = createAuthorizationServer({
    clients,
    grants: ['client_credentials', 'refresh_token', 'authorization_code'],
    issuer,
    secret,
    ...(mountPath === undefined ? {} : { mountPath }),
    // The demo's own sign-in and consent pages, plugged in as Keyturn's hooks.
    authorization: {
      authenticateUser: (req, res, ctx) => {
        const session = sessions.read(req);
        // OpenID Connect prompt=login and max_age: a session older than Keyturn allows signs in again.
        const recent = session !== undefined && !ctx.forceLogin && session.signedInAt >= (ctx.authenticatedAfter ?? 0);
        if (recent) return { sub: session.username, authTime: session.signedInAt };
        if (ctx.prompt.includes('none')) return undefined; // no page: Keyturn answers login_required
        res.redirect(`/login?returnTo=${encodeURIComponent(ctx.returnTo)}`);
        return undefined;
      },
      renderConsent: (_req, res, details) => {
        res.type('html').send(consentPage(details));
      },
      // The claims of GET /oauth2/userinfo; Keyturn releases those the granted profile/email scopes ask for.
      userInfo: (sub) =>
        (config.users ?? []).some((u) => u.username === sub)
          ? { name: sub.charAt(0).toUpperCase() + sub.slice(1), preferred_username: sub, email: `${sub}@example.com`, email_verified: false }
          : undefined,
    },
    ...(options.store === undefined ? {} : { store: options.store }),
    accessToken: {
      ...(config.accessToken?.ttl === undefined ? {} : { ttl: config.accessToken.ttl }),
      ...(config.accessToken?.format === undefined ? {} : { format: config.accessToken.format }),
    },
    ...(config.refreshToken === undefined ? {} : { refreshToken: refreshTokenOptions(config) }),
    ...(config.signingKeys === undefined ? {} : { signingKeys: config.signingKeys }),
    ...(config.keyRotation === undefined ? {} : { keyRotation: config.keyRotation }),
    ...profileOptions,
    // The config's basicWithBody (a field the demo has always had) unless the profile decides it.
    compat: { basicWithBody: config.clientAuthentication?.basicWithBody ?? 'reject', ...profileOptions.compat },
    ...(config.rateLimit?.points === undefined || config.rateLimit.durationSeconds === undefined
      ? {}
      : { rateLimit: { points: config.rateLimit.points, durationSeconds: config.rateLimit.durationSeconds } }),
    ...(config.lockout === undefined ? {} : { lockout: config.lockout }),
    // DPoP is on in every demo, with the config's settings when it has some.
    dpop: config.dpop ?? {},
    ...(options.metrics === undefined ? {} : { metrics: { registry: options.metrics } }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(denyFraming);
  app.use(profile.mountPath, auth.router());
  // RFC 8414 §3.1: the metadata of an issuer with a path (http://host/oauth2) lives at
  // /.well-known/oauth-authorization-server/oauth2.
  // Served only when the endpoints really live under the issuer (not for the bank profile's /v1/oauth).
  if (mountPath !== undefined) app.get(new URL(metadataUrl(issuer)).pathname, auth.metadata());

  const accounts: Account[] = [];
  // Bearer tokens and DPoP-bound tokens (RFC 9449 §7) alike; a bound token must come with its proof. The proof's
  // htu is checked against the URL this request reached (Host header), as the demo has no proxy in front.
  app.get('/accounts', requireBearer({ server: auth, scopes: ['/accounts.read'], dpop: true }), (_req, res) => {
    res.json({ accounts });
  });
  app.post('/accounts', requireBearer({ server: auth, scopes: ['/accounts.write'], dpop: true }), demoBodyParser(express.json({ limit: '4kb' })), (req, res) => {
    const name: unknown = req.body?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
      res.status(400).json({ error: 'invalid_request', error_description: 'name must be a non-empty string of at most 200 characters' });
      return;
    }
    const account: Account = { accountId: `acct_${accounts.length + 1}`, name: name.trim(), createdOn: new Date().toISOString() };
    accounts.push(account);
    res.status(201).json(account);
  });
  // A second internal API with its own audience (RFC 8707): only tokens asked for with resource=<origin>/ledger
  // pass here, and those tokens are refused at /accounts, whose audience is the server's default.
  app.get(LEDGER_PATH, requireBearer({ server: auth, audience: `${origin}${LEDGER_PATH}`, scopes: ['/accounts.read'], dpop: true }), (req, res) => {
    res.json({ aud: req.auth?.claims.aud, entries: [] });
  });
  if (options.metrics !== undefined) {
    const registry = options.metrics;
    app.get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }
  // The playground for people; the JSON summary it replaced still answers clients that ask for JSON.
  const playground = { clients, mount: profile.mountPath, callbackPath: CALLBACK_PATH };
  app.get('/', (req, res) => {
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({
        name: 'Keyturn demo: an accounts API with an OAuth 2.0 authorization server',
        profile: profile.name,
        endpoints: {
          token: `POST ${profile.mountPath}/token`,
          authorize: `GET ${profile.mountPath}/authorize`,
          accounts: ['GET /accounts', 'POST /accounts'],
        },
      });
      return;
    }
    res.type('html').send(playgroundPage(playground, sessions.read(req)?.username));
  });
  app.get(CALLBACK_PATH, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    // The page's URL holds the code: its next requests must not carry it in their Referer (RFC 9700 §4.2.4).
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('html').send(playgroundPage(playground, sessions.read(req)?.username));
  });
  app.use('/playground', express.static(join(__dirname, 'public'), { index: false }));

  // The demo's own sign-in: an existing app's login, which Keyturn reuses through authenticateUser.
  const users = new Map((config.users ?? []).map((u) => [u.username, u.passwordHash]));
  const decoy = config.users?.[0]?.passwordHash;
  app.get('/login', (req, res) => {
    res.type('html').send(loginPage(safeReturnTo(req.query.returnTo)));
  });
  // Only this site's pages may post the sign-in and sign-out forms (login CSRF, forced sign-out).
  const ownOrigins = [origin, issuer];
  // returnTo is the whole authorization request again: with state at Keyturn's 2,048-character limit,
  // percent-encoded twice over, it needs more than 4 KiB.
  const readLoginForm = demoBodyParser(express.urlencoded({ extended: false, limit: '32kb' }));
  app.post('/login', sameOriginPost(ownOrigins, 'the sign-in form must be posted from this site'), loginFormOnly, readLoginForm, async (req, res) => {
    const { username, password, returnTo } = (req.body ?? {}) as Record<string, unknown>;
    const target = safeReturnTo(returnTo);
    const hash = typeof username === 'string' ? users.get(username) : undefined;
    // Unknown users cost the same scrypt as known ones, so response time does not reveal who exists.
    const checked = typeof password === 'string' && password !== '' && (hash ?? decoy) !== undefined
      ? await verifyClientSecretHash(password, (hash ?? decoy) as string)
      : false;
    if (!checked || hash === undefined) {
      res.status(401).type('html').send(loginPage(target, 'Wrong user name or password.'));
      return;
    }
    sessions.start(req, res, username as string);
    res.redirect(303, target);
  });
  app.post('/logout', sameOriginPost(ownOrigins, 'the sign-out form must be posted from this site'), (_req, res) => {
    sessions.end(res);
    res.redirect(303, '/');
  });

  // Errors of the demo's own routes: a page for the browser's pages, JSON for the API and JSON requests, in
  // the profile's shape (the bearer middleware's 401/403 challenges too); never a stack, whatever NODE_ENV is.
  const apiPaths = [profile.mountPath, '/accounts', '/metrics', '/.well-known'];
  const wantsJson = (req: Request): boolean =>
    apiPaths.some((p) => req.path === p || req.path.startsWith(`${p}/`)) || req.is('application/json') === 'application/json' || req.accepts(['html', 'json']) === 'json';
  app.use((_req, _res, next) => next(new InvalidRequestError({ description: 'there is no such route', status: 404 })));
  app.use(demoErrorHandler(wantsJson));
  app.use(bearerErrorHandler({ server: auth }));
  app.use(lastResortHandler);

  return { app, auth, profile };
}

// The sign-in form is a form: another body type is refused rather than read as no credentials.
const loginFormOnly: RequestHandler = (req, _res, next) => {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || type === '' || type === 'application/x-www-form-urlencoded') return next();
  next(new InvalidRequestError({ description: 'the sign-in form must be application/x-www-form-urlencoded' }));
};

/**
 * The router's mount path relative to the issuer's own path (the issuer may already include it), or
 * `undefined` when the endpoints do not live under the issuer.
 */
function mountPathUnder(issuer: string, mountPath: string): string | undefined {
  const issuerPath = new URL(issuer).pathname.replace(/\/$/, '');
  if (mountPath !== issuerPath && !mountPath.startsWith(`${issuerPath}/`)) return undefined;
  return mountPath.slice(issuerPath.length);
}
