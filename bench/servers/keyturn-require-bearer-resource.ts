// Scenario 4, Keyturn: `requireBearer` (the resource-server middleware for another process than the
// authorization server) verifying RS256 JWT access tokens against a JWKS fetched over HTTP. Honest about the
// set-up: the JWKS is served by a Keyturn authorization server in this same process, on another route
// (GET /oauth2/jwks), reached through 127.0.0.1 like a remote one; requireBearer fetches it once and caches it,
// so the measured path is the verification itself, as for express-oauth2-jwt-bearer. RS256 so the row is
// like-for-like with that peer. The test token comes from the same server's token endpoint at start-up.
// VERIFIED_TOKEN_CACHE=off: `verifiedTokenCache: false`, every request verifies the signature (the cold path).
import { generateKeyPairSync } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { createAuthorizationServer } from '../../lib';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { CLIENT_ID, CLIENT_SECRET, RESOURCE_BODY, RESOURCE_PATH, SCOPE } from '../fixtures';
import { serve } from './serve';
import { fetchTestToken } from './test-token';

const ISSUER = 'https://bench.keyturn.test';
const alg = process.env.JWT_ALG ?? 'RS256';
if (alg !== 'ES256' && alg !== 'RS256') throw new Error(`JWT_ALG must be ES256 or RS256, got ${alg}`);
const cacheSetting = process.env.VERIFIED_TOKEN_CACHE ?? 'on';
if (cacheSetting !== 'on' && cacheSetting !== 'off') throw new Error(`VERIFIED_TOKEN_CACHE must be on or off, got ${cacheSetting}`);
const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
const auth = createAuthorizationServer({
  issuer: ISSUER,
  mountPath: '/oauth2',
  signingKeys: [{ kid: `bench-${alg.toLowerCase()}`, alg, key: privateKey }],
  accessToken: { format: 'jwt', ttl: 3600 },
  allowPlaintextSecrets: true,
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, grants: ['client_credentials'], scopes: [SCOPE] }],
});

let check: RequestHandler = (_req, _res, next) => next(new Error('not listening yet'));
const app = express();
app.use('/oauth2', auth.router());
app.get(RESOURCE_PATH, (req, res, next) => check(req, res, next), (_req, res) => {
  res.json(RESOURCE_BODY);
});
app.use(bearerErrorHandler({ server: auth }));

serve(app, {
  onListening: async (port) => {
    // The default audience of Keyturn's JWTs is the issuer.
    check = requireBearer({
      issuer: ISSUER,
      audience: ISSUER,
      jwksUri: `http://127.0.0.1:${port}/oauth2/jwks`,
      scopes: [SCOPE],
      ...(cacheSetting === 'off' ? { verifiedTokenCache: false as const } : {}),
    });
    return { Authorization: `Bearer ${await fetchTestToken(port)}` };
  },
});
