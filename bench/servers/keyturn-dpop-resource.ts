// Scenario 6, Keyturn: a DPoP-bound ES256 JWT on a GET route. CHECK=local (default) protects it with
// `requireBearer({ server: auth, scopes, dpop: true })`, the issuing process's check (the server's memory
// store records each proof's jti); CHECK=remote with `requireBearer({ issuer, audience, jwksUri, scopes,
// dpop: true })`, a check in another service whose JWKS comes over HTTP once (from a Keyturn server on
// another route of this process) and whose proof jtis go to its default memory store.
// The token's verification comes from the verified-token cache after the first request; the proof is
// checked in full on every request (signature, htm, htu, iat, ath, key, jti). htu is formed from the request
// (Host header, as express-oauth2-jwt-bearer does). The test token comes from the server's token endpoint,
// bound to the bench client's key (bench/dpop-client.ts), and is handed to the harness with one proof for the
// sample check; the load generator
// signs the others (bench/load-hooks/dpop-proofs.ts).
import { generateKeyPairSync } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { createAuthorizationServer } from '../../lib';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { BASIC_HEADER, CLIENT_ID, CLIENT_SECRET, RESOURCE_BODY, RESOURCE_PATH, SCOPE, TOKEN_FORM_BODY, TOKEN_PATH } from '../fixtures';
import { accessTokenHash, dpopProof } from '../dpop-client';
import { serve } from './serve';

const ISSUER = 'https://bench.keyturn.test';
const KID = 'bench-es256';
const checkKind = process.env.CHECK ?? 'local';
if (checkKind !== 'local' && checkKind !== 'remote') throw new Error(`CHECK must be local or remote, got ${checkKind}`);
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const auth = createAuthorizationServer({
  issuer: ISSUER,
  mountPath: '/oauth2',
  signingKeys: [{ kid: KID, alg: 'ES256', key: privateKey }],
  accessToken: { format: 'jwt', ttl: 3600 },
  dpop: {}, // accept DPoP proofs: the test token below is bound to the load's key
  allowPlaintextSecrets: true,
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, grants: ['client_credentials'], scopes: [SCOPE] }],
});

let check: RequestHandler = checkKind === 'local' ? requireBearer({ server: auth, scopes: [SCOPE], dpop: true }) : (_req, _res, next) => next(new Error('not listening yet'));
const app = express();
app.use('/oauth2', auth.router());
app.get(RESOURCE_PATH, (req, res, next) => check(req, res, next), (_req, res) => {
  res.json(RESOURCE_BODY);
});
app.use(bearerErrorHandler({ server: auth }));

serve(app, {
  onListening: async (port) => {
    if (checkKind === 'remote') check = requireBearer({ issuer: ISSUER, audience: ISSUER, jwksUri: `http://127.0.0.1:${port}/oauth2/jwks`, scopes: [SCOPE], dpop: true });
    // The test token from the server's own token endpoint, bound by a proof for it (RFC 9449 §5): its htu is
    // the issuer's token endpoint URL, as for any client of this issuer.
    const response = await fetch(`http://127.0.0.1:${port}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { Authorization: BASIC_HEADER, 'Content-Type': 'application/x-www-form-urlencoded', DPoP: dpopProof('POST', `${ISSUER}${TOKEN_PATH}`, undefined) },
      body: TOKEN_FORM_BODY,
    });
    const body = (await response.json()) as { access_token?: string; token_type?: string };
    if (response.status !== 200 || typeof body.access_token !== 'string' || body.token_type !== 'DPoP') throw new Error(`no bound test token: ${response.status} ${body.token_type}`);
    const token = body.access_token;
    return { Authorization: `DPoP ${token}`, DPoP: dpopProof('GET', `http://127.0.0.1:${port}${RESOURCE_PATH}`, accessTokenHash(token)) };
  },
});
