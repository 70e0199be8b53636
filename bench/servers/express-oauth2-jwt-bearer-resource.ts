// Scenario 4, peer: express-oauth2-jwt-bearer (Auth0) verifying RS256 access tokens on a GET route, with
// requiredScopes as its docs show. It fetches keys from a JWKS URL only: this process serves its own JWKS
// on the same port, and the library caches it after the first request, so the measured path is the
// verification itself. The test token is minted once at start-up and handed to the harness.
import { generateKeyPairSync } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import jwt from 'jsonwebtoken';
import { CLIENT_ID, RESOURCE_BODY, RESOURCE_PATH, SCOPE } from '../fixtures';
import { serve } from './serve';

const ISSUER = 'https://bench.keyturn.test/';
const AUDIENCE = 'https://api.bench.keyturn.test';
const KID = 'bench-rs256';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };

// An hour is far longer than any run; the token is valid for the whole benchmark.
const token = jwt.sign({ client_id: CLIENT_ID, scope: SCOPE }, privateKey, {
  algorithm: 'RS256',
  header: { alg: 'RS256', typ: 'at+jwt', kid: KID },
  expiresIn: 3600,
  issuer: ISSUER,
  audience: AUDIENCE,
  subject: CLIENT_ID,
});

let checkJwt: RequestHandler = (_req, _res, next) => next(new Error('not listening yet'));
const app = express();
app.get('/.well-known/jwks.json', (_req, res) => {
  res.json(jwks);
});
app.get(RESOURCE_PATH, (req, res, next) => checkJwt(req, res, next), requiredScopes(SCOPE), (_req, res) => {
  res.json(RESOURCE_BODY);
});

serve(app, {
  requestHeaders: { Authorization: `Bearer ${token}` },
  onListening: (port) => {
    checkJwt = auth({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`, tokenSigningAlg: 'RS256' });
  },
});
