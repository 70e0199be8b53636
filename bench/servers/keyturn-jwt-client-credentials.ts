// Scenario 2, Keyturn: the scenario-1 token request answered with RFC 9068 JWT access tokens
// (`accessToken.format: 'jwt'`), signed with a key generated at start-up and passed as a crypto.KeyObject.
// JWT_ALG=ES256 (default) or RS256. The client secret is a scrypt hash, as in scenario 1.
import { generateKeyPairSync } from 'node:crypto';
import express from 'express';
import { createAuthorizationServer, hashClientSecret } from '../../lib';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_TTL } from '../fixtures';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const alg = process.env.JWT_ALG ?? 'ES256';
  if (alg !== 'ES256' && alg !== 'RS256') throw new Error(`JWT_ALG must be ES256 or RS256, got ${alg}`);
  const { privateKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const auth = createAuthorizationServer({
    issuer: 'https://bench.keyturn.test',
    signingKeys: [{ kid: 'bench-1', alg, key: privateKey }],
    accessToken: { format: 'jwt', ttl: TOKEN_TTL },
    clients: [{ clientId: CLIENT_ID, clientSecretHash: await hashClientSecret(CLIENT_SECRET), grants: ['client_credentials'], scopes: [SCOPE] }],
  });
  const app = express();
  app.use('/oauth2', auth.router());
  serve(app);
}

main().catch(fail);
