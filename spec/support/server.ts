import express, { type Express } from 'express';
import request from 'supertest';
import { createAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions, type Client } from '../../lib';
import { ALL_CLIENTS } from './clients';

export const ISSUER = 'https://auth.example.test';

/** An app with the authorization server at its root, its metadata, a protected route and the bearer error handler. */
export function buildTestApp(options: Partial<AuthorizationServerOptions> = {}): { app: Express; auth: AuthorizationServer } {
  const auth = createAuthorizationServer({ clients: ALL_CLIENTS, allowPlaintextSecrets: true, issuer: ISSUER, ...options });
  const app = express();
  app.use(auth.router());
  const issuer = 'issuer' in options ? options.issuer : ISSUER;
  if (issuer !== undefined) app.get('/.well-known/oauth-authorization-server', auth.metadata());
  app.get('/accounts', auth.bearer({ scopes: ['/accounts.read'] }), (req, res) => {
    res.json({ clientId: req.auth?.clientId, sub: req.auth?.sub, scopes: req.auth?.scopes });
  });
  app.use(express.urlencoded({ extended: false }));
  app.post('/accounts', auth.bearer({ scopes: ['/accounts.write'], tokenLocations: { body: true } }), (req, res) => {
    res.status(201).json({ clientId: req.auth?.clientId });
  });
  app.use(auth.errorHandler());
  return { app, auth };
}

/** Gets a client_credentials token for `client` from the app's token endpoint. */
export async function tokenFor(app: Express, client: Client, scope?: string): Promise<string> {
  const res = await request(app)
    .post('/token')
    .auth(client.clientId, client.clientSecret ?? '')
    .type('form')
    .send(scope === undefined ? { grant_type: 'client_credentials' } : { grant_type: 'client_credentials', scope });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

/** Decodes a JWT's header and payload without verifying (for assertions). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, payload };
}
