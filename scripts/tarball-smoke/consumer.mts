// Type-checked (never run) in the fresh app, as an ES module under module "nodenext" with skipLibCheck off:
// every subpath's types resolve from the tarball and name what an app uses.
import express from 'express';
import { createAuthorizationServer, memoryStore, type AuthorizationServer, type Client } from 'keyturn';
import { requireBearer, bearerErrorHandler, type BearerAuth } from 'keyturn/resource-server';
import { redisStore, type RedisStoreOptions } from 'keyturn/redis';
import * as errors from 'keyturn/errors';
import { storeContract } from 'keyturn/testing';

const clients: Client[] = [{ clientId: 'job', clientSecretHash: '$scrypt$', grants: ['client_credentials'], scopes: ['a'] }];
const auth: AuthorizationServer = createAuthorizationServer({ clients, store: memoryStore() });
const app = express();
app.use('/oauth2', auth.router());
app.get('/whoami', requireBearer({ server: auth }), (req, res) => {
  const who: BearerAuth | undefined = req.auth;
  res.json({ sub: who?.sub });
});
app.use(bearerErrorHandler({ server: auth }));

const options: RedisStoreOptions = { keyPrefix: 'x:' };
const error: errors.OAuthError = new errors.InvalidScopeError({ description: 'no' });
export const used = [redisStore, options, error.code, storeContract] as const;
