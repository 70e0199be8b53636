import type { Router } from 'express';
import { ServerEvents } from './events/server-events';
import { resolveOptions, type AuthorizationServerOptions } from './options';
import { buildRouter } from './router';
import type { Store } from './store/store';

/**
 * An OAuth 2.0 authorization server to mount in an Express app.
 */
export interface AuthorizationServer {
  /**
   * The Express router with the server's endpoints (`POST /token`). Mount it where the endpoints should
   * live; the same router is returned on every call.
   */
  router(): Router;
  /**
   * Audit events (`token.issued`, `client.auth_failed`, `rate_limited`, ...). Payloads never hold a token or
   * a secret.
   */
  readonly events: ServerEvents;
  /** The store holding the server's state. */
  readonly store: Store;
  /** Closes the store if the server created it (the default memory store); a store you passed stays open. */
  close(): Promise<void>;
}

/**
 * Creates an authorization server. Options are validated here, once: a bad option throws a `TypeError`
 * naming it, so a misconfigured app fails at start-up rather than at its first request.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createAuthorizationServer, hashClientSecret } from 'keyturn';
 *
 * const auth = createAuthorizationServer({
 *   clients: [{
 *     clientId: 'reporting-job',
 *     clientSecretHash: await hashClientSecret(process.env.REPORTING_SECRET!),
 *     grants: ['client_credentials'],
 *     scopes: ['/accounts.read'],
 *   }],
 * });
 * const app = express();
 * app.use('/oauth2', auth.router()); // POST /oauth2/token
 * ```
 */
export function createAuthorizationServer(options: AuthorizationServerOptions): AuthorizationServer {
  const resolved = resolveOptions(options);
  const events = new ServerEvents();
  let router: Router | undefined;
  return {
    router: () => (router ??= buildRouter(resolved, events)),
    events,
    store: resolved.store,
    close: async () => {
      if (resolved.ownsStore) await resolved.store.close();
    },
  };
}
