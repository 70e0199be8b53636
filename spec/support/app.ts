import express, { type Express } from 'express';
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions, type Client } from '../../lib';

/** The clients most specs share. Plaintext secrets: specs run with allowPlaintextSecrets. */
export const MOOV_CLIENT: Client = {
  clientId: '5clTR_MdVrrkgxw2',
  clientSecret: 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-',
  grants: ['client_credentials'],
  scopes: ['/accounts.read', '/accounts.write'],
};

export const READ_ONLY_CLIENT: Client = {
  clientId: 'reader',
  clientSecret: 'reader-secret',
  grants: ['client_credentials'],
  scopes: ['/accounts.read', '/profile'],
  defaultScopes: ['/accounts.read'],
};

export interface TestServer {
  app: Express;
  auth: AuthorizationServer;
}

/** An Express app with Keyturn mounted at /oauth2, as a user would mount it. */
export function buildTestApp(options: Partial<AuthorizationServerOptions> = {}): TestServer {
  const auth = createAuthorizationServer({
    clients: [MOOV_CLIENT, READ_ONLY_CLIENT],
    allowPlaintextSecrets: true,
    ...options,
  });
  const app = express();
  app.use('/oauth2', auth.router());
  return { app, auth };
}

/** `Authorization: Basic` value built the RFC 6749 §2.3.1 way: form-encode id and secret, then base64. */
export function basic(clientId: string, clientSecret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** Asserts the RFC 6749 §5.1 cache headers that every token endpoint response must carry. */
export function expectNoStore(headers: Record<string, string>): void {
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['pragma']).toBe('no-cache');
}
