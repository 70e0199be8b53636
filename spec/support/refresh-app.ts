// Apps for the refresh token specs: Keyturn mounted at /oauth2 on a real Express app, listening on a
// loopback port so that many parallel requests share one server (and two apps can be two instances).
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions, type Client } from '../../lib';

export const WEB_APP: Client = {
  clientId: 'web-app',
  clientSecret: 'web-app-secret',
  grants: ['client_credentials', 'refresh_token'],
  scopes: ['/accounts.read', '/accounts.write'],
};

export const OTHER_APP: Client = {
  clientId: 'other-app',
  clientSecret: 'other-app-secret',
  grants: ['client_credentials', 'refresh_token'],
  scopes: ['/accounts.read', '/accounts.write'],
};

export const NO_REFRESH_APP: Client = {
  clientId: 'no-refresh',
  clientSecret: 'no-refresh-secret',
  grants: ['client_credentials'],
  scopes: ['/accounts.read'],
};

/** 22 characters of family seed, a dot, 43 of secret (base64url of 128 and 256 random bits). */
export const REFRESH_TOKEN_FORMAT = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
export const ACCESS_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
export const INVALID_GRANT = { error: 'invalid_grant', error_description: 'the refresh token is invalid, expired or revoked' };

/** A running instance: the authorization server, its app, and its base URL. */
export interface RunningInstance {
  readonly auth: AuthorizationServer;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts an instance with the refresh_token grant enabled and the test clients; `routes` adds the app's own
 * routes (a protected resource) after the router.
 */
export async function startInstance(
  options: Partial<AuthorizationServerOptions> = {},
  routes?: (app: express.Express, auth: AuthorizationServer) => void,
): Promise<RunningInstance> {
  const auth = createAuthorizationServer({
    clients: [WEB_APP, OTHER_APP, NO_REFRESH_APP],
    allowPlaintextSecrets: true,
    grants: ['client_credentials', 'refresh_token'],
    ...options,
  });
  const app = express();
  app.use('/oauth2', auth.router());
  routes?.(app, auth);
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    auth,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
    },
  };
}

/** POST /oauth2/token as `client` (Basic authentication, form body). */
export function postToken(instance: RunningInstance, client: Client, body: Record<string, string>): request.Test {
  return request(instance.url)
    .post('/oauth2/token')
    .auth(client.clientId, client.clientSecret as string)
    .type('form')
    .send(body);
}

/** A client_credentials grant for `client`; resolves to the 200 body. */
export async function clientCredentials(instance: RunningInstance, client: Client = WEB_APP, scope?: string): Promise<Record<string, string>> {
  const res = await postToken(instance, client, { grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, string>;
}

/** A refresh_token grant. */
export function refresh(instance: RunningInstance, refreshToken: string, client: Client = WEB_APP, scope?: string): request.Test {
  return postToken(instance, client, { grant_type: 'refresh_token', refresh_token: refreshToken, ...(scope === undefined ? {} : { scope }) });
}

/** Asserts the RFC 6749 §5.1 headers of every token endpoint answer. */
export function expectTokenEndpointHeaders(headers: Record<string, string>): void {
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['pragma']).toBe('no-cache');
  expect(headers['content-type']).toBe('application/json; charset=utf-8');
}
