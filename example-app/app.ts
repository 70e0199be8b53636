import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { createAuthorizationServer, metadataUrl, type AuthorizationServer, type Store } from '../lib';
import type { LoadedConfig } from './config';
import { selectProfile, type DemoProfile } from './profiles';

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
  const mountPath = config.issuer === undefined ? undefined : mountPathUnder(config.issuer, profile.mountPath);
  const auth = createAuthorizationServer({
    clients: config.clients,
    grants: ['client_credentials', 'refresh_token'],
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(options.store === undefined ? {} : { store: options.store }),
    accessToken: {
      ...(config.accessToken?.ttl === undefined ? {} : { ttl: config.accessToken.ttl }),
      ...(config.accessToken?.format === undefined ? {} : { format: config.accessToken.format }),
    },
    ...(mountPath === undefined ? {} : { mountPath }),
    ...(config.refreshToken?.ttl === undefined ? {} : { refreshToken: { ttl: config.refreshToken.ttl } }),
    clientAuthentication: { basicWithBody: config.clientAuthentication?.basicWithBody ?? 'reject' },
    ...(config.rateLimit?.points === undefined || config.rateLimit.durationSeconds === undefined
      ? {}
      : { rateLimit: { points: config.rateLimit.points, durationSeconds: config.rateLimit.durationSeconds } }),
    ...(config.lockout === undefined ? {} : { lockout: config.lockout }),
    ...(options.metrics === undefined ? {} : { metrics: { registry: options.metrics } }),
    ...profile.options(config),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(profile.mountPath, auth.router());
  // RFC 8414 §3.1: the metadata of an issuer with a path (http://host/oauth2) lives at
  // /.well-known/oauth-authorization-server/oauth2.
  // Served only when the endpoints really live under the issuer (not for the bank profile's /v1/oauth).
  if (config.issuer !== undefined && mountPath !== undefined) app.get(new URL(metadataUrl(config.issuer)).pathname, auth.metadata());

  const accounts: Account[] = [];
  app.get('/accounts', auth.bearer({ scopes: ['/accounts.read'] }), (_req, res) => {
    res.json({ accounts });
  });
  app.post('/accounts', auth.bearer({ scopes: ['/accounts.write'] }), express.json({ limit: '4kb' }), (req, res) => {
    const name: unknown = req.body?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
      res.status(400).json({ error: 'invalid_request', error_description: 'name must be a non-empty string of at most 200 characters' });
      return;
    }
    const account: Account = { accountId: `acct_${accounts.length + 1}`, name: name.trim(), createdOn: new Date().toISOString() };
    accounts.push(account);
    res.status(201).json(account);
  });
  if (options.metrics !== undefined) {
    const registry = options.metrics;
    app.get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }
  app.get('/', (_req, res) => {
    res.json({
      name: 'Keyturn demo: an accounts API with an OAuth 2.0 authorization server',
      profile: profile.name,
      endpoints: { token: `POST ${profile.mountPath}/token`, accounts: ['GET /accounts', 'POST /accounts'] },
    });
  });

  // The bearer middleware's 401/403 challenges, rendered by the profile's renderer.
  app.use(auth.errorHandler());

  return { app, auth, profile };
}

/**
 * The router's mount path relative to the issuer's own path (the issuer may already include it), or
 * `undefined` when the endpoints do not live under the issuer.
 */
function mountPathUnder(issuer: string, mountPath: string): string | undefined {
  const issuerPath = new URL(issuer).pathname.replace(/\/$/, '');
  if (mountPath !== issuerPath && !mountPath.startsWith(`${issuerPath}/`)) return undefined;
  return mountPath.slice(issuerPath.length);
}
