// A service that issues client_credentials tokens (RFC 6749 §4.4) and protects its own API with them.
// Run from examples/: npx tsx client-credentials/main.ts (EXAMPLE_SELF_TEST=1: self-test.ts checks it over HTTP).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createAuthorizationServer, gracefulShutdown, hashClientSecret } from 'keyturn';
import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';

const CLIENT_ID = 'reporting-job';
// A real deployment stores only the hash; the secret itself reaches the client through a secret manager.
const CLIENT_SECRET = process.env.CLIENT_SECRET ?? 'change-me-to-a-long-random-secret';

async function buildApp() {
  const auth = createAuthorizationServer({
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecretHash: await hashClientSecret(CLIENT_SECRET),
        grants: ['client_credentials'],
        scopes: ['reports.read'],
      },
    ],
  });

  const app = express();
  app.use('/oauth2', auth.router()); // POST /oauth2/token, /oauth2/revoke, /oauth2/introspect
  app.get('/reports', requireBearer({ server: auth, scopes: ['reports.read'] }), (req, res) => {
    res.json({ client: req.auth?.clientId, reports: ['2024-q1', '2024-q2'] });
  });
  // Renders the bearer failures (401, 403 with their WWW-Authenticate challenge) like the token endpoint's.
  app.use(bearerErrorHandler({ server: auth }));
  return { app, auth };
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

async function main(): Promise<void> {
  const testing = process.env.EXAMPLE_SELF_TEST === '1';
  const { app, auth } = await buildApp();
  const server = createServer(app);
  const base = await listen(server, testing ? 0 : Number(process.env.PORT ?? 3000));
  const stop = () => gracefulShutdown(server, { close: [() => auth.close()] });

  if (testing) {
    const { selfTest } = await import('./self-test.js');
    try {
      await selfTest(base, { id: CLIENT_ID, secret: CLIENT_SECRET });
    } finally {
      await stop();
    }
    console.log('example client-credentials: ok');
    return;
  }
  const secret = process.env.CLIENT_SECRET === undefined ? CLIENT_SECRET : '"$CLIENT_SECRET"';
  console.log(`listening on ${base}. Try:
  TOKEN=$(curl -s -u ${CLIENT_ID}:${secret} -d grant_type=client_credentials ${base}/oauth2/token \\
    | node -pe 'JSON.parse(fs.readFileSync(0)).access_token')
  curl -i -H "Authorization: Bearer $TOKEN" ${base}/reports
  curl -i ${base}/reports   # 401 without a token`);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
