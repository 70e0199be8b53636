// Scenario 6, peer: express-oauth2-jwt-bearer (Auth0) with its own DPoP support (`dpop: { enabled: true,
// required: true }`, its defaults for the iat window) verifying a DPoP-bound access token (JWT_ALG=RS256,
// default, as scenario 4's peer, or ES256) and the request's proof on a GET route, with requiredScopes as its
// docs show. It fetches keys from a JWKS URL only: this process serves its own JWKS on the same port, and the
// library caches it after the first request. It keeps no replay cache of proof jtis (Keyturn's rows do).
// The test token is bound to the bench client's key and handed to the harness with one proof.
import { generateKeyPairSync } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import jwt from 'jsonwebtoken';
import { CLIENT_ID, RESOURCE_BODY, RESOURCE_PATH, SCOPE } from '../fixtures';
import { accessTokenHash, DPOP_JKT, dpopProof } from '../dpop-client';
import { serve } from './serve';

const ISSUER = 'https://bench.keyturn.test/';
const AUDIENCE = 'https://api.bench.keyturn.test';
const alg = process.env.JWT_ALG ?? 'RS256';
if (alg !== 'ES256' && alg !== 'RS256') throw new Error(`JWT_ALG must be ES256 or RS256, got ${alg}`);
const KID = `bench-${alg.toLowerCase()}`;
const { privateKey, publicKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg, use: 'sig' }] };

const token = jwt.sign({ client_id: CLIENT_ID, scope: SCOPE, cnf: { jkt: DPOP_JKT } }, privateKey, {
  algorithm: alg,
  header: { alg, typ: 'at+jwt', kid: KID },
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
  onListening: async (port) => {
    checkJwt = auth({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`, tokenSigningAlg: alg, dpop: { enabled: true, required: true } });
    return { Authorization: `DPoP ${token}`, DPoP: dpopProof('GET', `http://127.0.0.1:${port}${RESOURCE_PATH}`, accessTokenHash(token)) };
  },
});
