// Scenario 6, Keyturn: a DPoP-bound ES256 JWT on a GET route. CHECK=local (default) protects it with
// `requireBearer({ server: auth, scopes, dpop: true })`, the issuing process's check (the server's memory
// store records each proof's jti); CHECK=remote with `requireBearer({ issuer, audience, jwksUri, scopes,
// dpop: true })`, a check in another service whose JWKS comes over HTTP once (from a Keyturn server on
// another route of this process) and whose proof jtis go to its default memory store.
// The token's verification comes from the verified-token cache after the first request; the proof is
// checked in full on every request (signature, htm, htu, iat, ath, key, jti). htu is formed from the request
// (Host header, as express-oauth2-jwt-bearer does). The test token is bound to the bench client's key
// (bench/dpop-client.ts) and handed to the harness with one proof for the sample check; the load generator
// signs the others (bench/load-hooks/dpop-proofs.ts).
import { generateKeyPairSync } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { createAuthorizationServer } from '../../lib';
import { bearerErrorHandler, requireBearer } from '../../lib/resource-server';
import { CLIENT_ID, CLIENT_SECRET, RESOURCE_BODY, RESOURCE_PATH, SCOPE } from '../fixtures';
import { accessTokenHash, DPOP_JKT, dpopProof } from '../dpop-client';
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
  allowPlaintextSecrets: true,
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, grants: ['client_credentials'], scopes: [SCOPE] }],
});

// An RFC 9068 token as the server signs them, bound to the bench client's DPoP key (RFC 9449 §6.1).
const token = jwt.sign({ client_id: CLIENT_ID, scope: SCOPE, cnf: { jkt: DPOP_JKT }, jti: 'bench-dpop-token' }, privateKey, {
  algorithm: 'ES256',
  header: { alg: 'ES256', typ: 'at+jwt', kid: KID },
  expiresIn: 3600,
  issuer: ISSUER,
  audience: ISSUER,
  subject: CLIENT_ID,
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
    return { Authorization: `DPoP ${token}`, DPoP: dpopProof('GET', `http://127.0.0.1:${port}${RESOURCE_PATH}`, accessTokenHash(token)) };
  },
});
