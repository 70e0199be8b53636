import express, { type Express } from 'express';
import { createAuthorizationServer, type AuthorizationServer, type Store } from '../lib';
import type { LoadedConfig } from './config';

/** What {@link buildApp} returns: the app (not listening) and its authorization server. */
export interface DemoApp {
  app: Express;
  auth: AuthorizationServer;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** The store for server state. Default: the memory store. */
  store?: Store;
}

interface Account {
  accountId: string;
  name: string;
  createdOn: string;
}

/**
 * The demo: an internal accounts API with Keyturn mounted at /oauth2. Built without listen() so tests
 * import it (example-app/server.ts starts it).
 */
export function buildApp(config: LoadedConfig, options: BuildAppOptions = {}): DemoApp {
  const auth = createAuthorizationServer({
    clients: config.clients,
    grants: ['client_credentials'],
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(options.store === undefined ? {} : { store: options.store }),
    accessToken: { ...(config.accessToken?.ttl === undefined ? {} : { ttl: config.accessToken.ttl }) },
    clientAuthentication: { basicWithBody: config.clientAuthentication?.basicWithBody ?? 'reject' },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use('/oauth2', auth.router());

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
  app.get('/', (_req, res) => {
    res.json({
      name: 'Keyturn demo: an accounts API with an OAuth 2.0 authorization server',
      endpoints: { token: 'POST /oauth2/token', accounts: ['GET /accounts', 'POST /accounts'] },
    });
  });

  return { app, auth };
}
