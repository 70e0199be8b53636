// Keyturn authenticates clients with its own private Passport instance. Passport decorates the request it
// authenticates with session helpers; those must not land on the app's request, where they would belong to
// Keyturn's Passport and could shadow the app's own (an app may run Passport with sessions on other routes).
import express, { type Request } from 'express';
import request from 'supertest';
import { createAuthorizationServer } from '../../lib';
import { basic, MOOV_CLIENT } from '../support/app';

const PASSPORT_DECORATIONS = ['login', 'logIn', 'logout', 'logOut', 'isAuthenticated', 'isUnauthenticated', '_sessionManager'];
const { clientId, clientSecret } = MOOV_CLIENT as { clientId: string; clientSecret: string };

function appRecordingRequests() {
  const seen: Request[] = [];
  const auth = createAuthorizationServer({
    // A public client may not use client_credentials (RFC 6749 §4.4); the refresh grant serves it here.
    clients: [MOOV_CLIENT, { clientId: 'public-app', grants: ['refresh_token'], scopes: ['a'], tokenEndpointAuthMethod: 'none' }],
    grants: ['client_credentials', 'refresh_token'],
    allowPlaintextSecrets: true,
  });
  const app = express();
  app.use((req, _res, next) => {
    seen.push(req);
    next();
  });
  app.use('/oauth2', auth.router());
  return { app, seen };
}

const decorationsOn = (req: Request) => PASSPORT_DECORATIONS.filter((name) => Object.prototype.hasOwnProperty.call(req, name));

describe("client authentication leaves Passport's session helpers off the app's request", () => {
  it.each([
    ['client_secret_basic', (t: request.Test) => t.set('Authorization', basic(clientId, clientSecret)).type('form').send({ grant_type: 'client_credentials' }), 200],
    ['client_secret_post', (t: request.Test) => t.type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }), 200],
    // Authenticated by client_id alone, then refused by the grant: an unknown refresh token is invalid_grant.
    ['none (public client)', (t: request.Test) => t.type('form').send({ grant_type: 'refresh_token', refresh_token: 'unknown', client_id: 'public-app' }), 400],
    ['a wrong secret', (t: request.Test) => t.set('Authorization', basic(clientId, 'wrong')).type('form').send({ grant_type: 'client_credentials' }), 401],
  ])('%s', async (_method, send, status) => {
    const { app, seen } = appRecordingRequests();
    const res = await send(request(app).post('/oauth2/token'));
    expect(res.status).toBe(status);
    expect(seen).toHaveLength(1);
    expect(decorationsOn(seen[0] as Request)).toEqual([]);
  });
});
