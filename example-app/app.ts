import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { createAuthorizationServer, type AuthorizationServer, type Store } from '../lib';
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
  const auth = createAuthorizationServer({
    clients: config.clients,
    grants: ['client_credentials'],
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(config.accessToken?.ttl === undefined ? {} : { accessToken: { ttl: config.accessToken.ttl } }),
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

  const accounts: Account[] = [];
  app.get('/accounts', (_req, res) => {
    res.json({ accounts });
  });
  app.post('/accounts', express.json({ limit: '4kb' }), (req, res) => {
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

  return { app, auth, profile };
}
