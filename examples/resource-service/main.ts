// Two processes: this authorization server issues JWT access tokens (RFC 9068) and publishes its metadata
// (RFC 8414) and keys; reports-api.ts, started here as a child process, trusts them knowing only the issuer.
// Run from examples/: npx tsx resource-service/main.ts (EXAMPLE_SELF_TEST=1: self-test.ts checks both).
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { createAuthorizationServer, gracefulShutdown, hashClientSecret } from 'keyturn';

const CLIENT = { id: 'dashboard', secret: process.env.CLIENT_SECRET ?? 'change-me-to-a-long-random-secret' };
const AUDIENCE = 'https://reports.example.com'; // names the reports API: the tokens' `aud`
// The private key (PEM) comes from your secret store, the same on every instance; a fresh one is for trying it out.
const SIGNING_KEY = process.env.SIGNING_KEY_PEM ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

async function buildAuthServer(issuer: string) {
  const auth = createAuthorizationServer({
    issuer, // http is for this local example only: a real issuer is an https URL
    mountPath: '/oauth2',
    accessToken: { format: 'jwt', audience: AUDIENCE },
    signingKeys: [{ kid: 'example-1', key: SIGNING_KEY }], // ES256; the kid goes in every token and in the JWKS
    clients: [
      {
        clientId: CLIENT.id,
        clientSecretHash: await hashClientSecret(CLIENT.secret),
        grants: ['client_credentials'],
        scopes: ['reports.read'],
      },
    ],
  });
  const app = express();
  app.use('/oauth2', auth.router()); // POST /oauth2/token, GET /oauth2/jwks, ...
  app.get('/.well-known/oauth-authorization-server', auth.metadata()); // where the reports API finds jwks_uri
  return { app, auth };
}

/** Starts reports-api.ts as a child process (tsx's loader is inherited) and waits for its URL. */
async function startReportsApi(issuer: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(__dirname, 'reports-api.ts'), { env: { ...process.env, ISSUER: issuer, AUDIENCE, PORT: String(port) } });
  const exited = once(child, 'exit').then(() => Promise.reject(new Error('reports-api.ts exited before listening')));
  const [message] = (await Promise.race([once(child, 'message'), exited])) as [{ url: string }];
  return { child, url: message.url };
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

async function main(): Promise<void> {
  const testing = process.env.EXAMPLE_SELF_TEST === '1';
  const port = testing ? 0 : Number(process.env.PORT ?? 3000);
  // The issuer names this server's own URL, so the port is known first and the app is built after.
  const server = createServer();
  const issuer = await listen(server, port);
  const { app, auth } = await buildAuthServer(issuer);
  server.on('request', app);
  const reports = await startReportsApi(issuer, testing ? 0 : port + 1);
  const reportsExit = once(reports.child, 'exit'); // taken now, so an exit before stop() (Ctrl-C reaches both) is not missed
  const stop = async () => {
    reports.child.kill('SIGTERM');
    await Promise.all([reportsExit, gracefulShutdown(server, { close: [() => auth.close()] })]);
  };

  if (testing) {
    const { selfTest } = await import('./self-test.js');
    try {
      await selfTest(issuer, reports.url, CLIENT);
    } finally {
      await stop();
    }
    console.log('example resource-service: ok');
    return;
  }
  const secret = process.env.CLIENT_SECRET === undefined ? CLIENT.secret : '"$CLIENT_SECRET"';
  console.log(`authorization server on ${issuer}, reports API on ${reports.url}. Try:
  TOKEN=$(curl -s -u ${CLIENT.id}:${secret} -d grant_type=client_credentials ${issuer}/oauth2/token \\
    | node -pe 'JSON.parse(fs.readFileSync(0)).access_token')
  curl -i -H "Authorization: Bearer $TOKEN" ${reports.url}/reports
  curl -i -H "Authorization: Bearer not-a-token" ${reports.url}/reports   # 401 invalid_token`);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
