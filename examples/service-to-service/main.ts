// One internal service calling another, with nothing shared between them and nothing worth stealing in
// transit. Billing calls the ledger API:
// - it authenticates to the authorization server with a signed assertion (private_key_jwt, RFC 7523), so the
//   server holds only billing's public key;
// - its access token is bound to a DPoP key that never leaves billing (RFC 9449), so a copy of the token in a
//   log or a proxy is useless without it;
// - the token is for the ledger alone (resource indicators, RFC 8707): its `aud` is the ledger, so another API
//   that trusts the same issuer refuses it.
// Three servers in this process: the authorization server, the ledger API and a reports API that trusts the
// same issuer. Run from examples/: npx tsx service-to-service/main.ts (EXAMPLE_SELF_TEST=1: self-test.ts).
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createAuthorizationServer, gracefulShutdown, type Client } from 'keyturn';
import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** Billing's own key pair: in production it lives in billing's key store, and only the public half is registered. */
export const billingKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

async function main(): Promise<void> {
  const testing = process.env.EXAMPLE_SELF_TEST === '1';
  const port = testing ? 0 : Number(process.env.PORT ?? 3000);
  const authHttp = createServer();
  const ledgerHttp = createServer();
  const reportsHttp = createServer();
  const issuer = await listen(authHttp, port);
  // Each API's own URL is the resource a client names, and the audience its check requires.
  const ledger = await listen(ledgerHttp, testing ? 0 : port + 1);
  const reports = await listen(reportsHttp, testing ? 0 : port + 2);

  const billing: Client = {
    clientId: 'billing',
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: { keys: [{ ...billingKeys.publicKey.export({ format: 'jwk' }), kid: 'billing-1', alg: 'ES256', use: 'sig' }] },
    tokenEndpointAuthSigningAlg: 'ES256',
    dpopBoundAccessTokens: true, // a token request without a DPoP proof is refused
    resources: [ledger], // billing may ask tokens for the ledger, and for nothing else
    grants: ['client_credentials'],
    scopes: ['/ledger.read'],
  };
  const auth = createAuthorizationServer({
    issuer, // http is for this local example only: a real issuer is an https URL
    mountPath: '/oauth2',
    clients: [billing],
    accessToken: { format: 'jwt' }, // checked by the APIs with the issuer's published keys
    signingKeys: [{ kid: 'auth-1', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }],
    dpop: {}, // accept DPoP proofs, with the default algorithms and a 60 s window
  });
  const authApp = express();
  authApp.use('/oauth2', auth.router());
  authApp.get('/.well-known/oauth-authorization-server', auth.metadata());
  authHttp.on('request', authApp);

  // The ledger takes only DPoP-bound tokens meant for it. `externalUrl` is the URL its callers use, which is
  // what their proofs name; with several ledger instances, give `dpop.store` a shared redisStore too.
  const ledgerApp = express();
  ledgerApp.get(
    '/entries',
    requireBearer({ issuer, audience: ledger, scopes: ['/ledger.read'], dpop: { required: true, externalUrl: ledger } }),
    (req, res) => {
      res.json({ client: req.auth?.clientId, entries: [{ id: 1, amount: 120 }] });
    },
  );
  ledgerApp.use(bearerErrorHandler());
  ledgerHttp.on('request', ledgerApp);

  // Reports trusts the same issuer, but only tokens meant for reports.
  const reportsApp = express();
  reportsApp.get('/summary', requireBearer({ issuer, audience: reports, dpop: { externalUrl: reports } }), (_req, res) => {
    res.json({ total: 120 });
  });
  reportsApp.use(bearerErrorHandler());
  reportsHttp.on('request', reportsApp);

  const stop = () =>
    Promise.all([
      gracefulShutdown(authHttp, { close: [() => auth.close()] }),
      gracefulShutdown(ledgerHttp),
      gracefulShutdown(reportsHttp),
    ]);

  if (testing) {
    const { selfTest } = await import('./self-test.js');
    try {
      await selfTest({ issuer, ledger, reports, billingPrivateKey: billingKeys.privateKey });
    } finally {
      await stop();
    }
    console.log('example service-to-service: ok');
    return;
  }
  console.log(`authorization server on ${issuer}, ledger API on ${ledger}, reports API on ${reports}.
EXAMPLE_SELF_TEST=1 runs billing's side (self-test.ts) against them: oauth4webapi with PrivateKeyJwt and DPoP.`);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
