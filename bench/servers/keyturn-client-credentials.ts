// Scenario 1, Keyturn: client_credentials with opaque tokens in the default memory store, the client
// authenticating with HTTP Basic. SECRET_KIND=hashed (default) registers the secret as a scrypt hash from
// hashClientSecret, as production should; SECRET_KIND=plaintext uses allowPlaintextSecrets, the development
// mode, so the two runs show what the hash costs per request once it has been verified.
import express from 'express';
import { createAuthorizationServer, hashClientSecret, type Client } from '../../lib';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_TTL } from '../fixtures';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const kind = process.env.SECRET_KIND ?? 'hashed';
  if (kind !== 'hashed' && kind !== 'plaintext') throw new Error(`SECRET_KIND must be hashed or plaintext, got ${kind}`);
  const base = { clientId: CLIENT_ID, grants: ['client_credentials'], scopes: [SCOPE] };
  const client: Client =
    kind === 'hashed' ? { ...base, clientSecretHash: await hashClientSecret(CLIENT_SECRET) } : { ...base, clientSecret: CLIENT_SECRET };

  const auth = createAuthorizationServer({
    clients: [client],
    allowPlaintextSecrets: kind === 'plaintext',
    accessToken: { ttl: TOKEN_TTL },
  });
  const app = express();
  app.use('/oauth2', auth.router()); // POST /oauth2/token, as the README shows
  serve(app);
}

main().catch(fail);
