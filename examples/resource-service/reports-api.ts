// The resource service: its own process and deployment. It knows the issuer and its own audience, nothing
// else: requireBearer discovers the JWKS from the issuer's metadata (RFC 8414) and checks each JWT access
// token itself (RFC 9068): signature, iss, aud, exp, scope. No call to the authorization server per request.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';

const issuer = process.env.ISSUER ?? 'http://127.0.0.1:3000';
const audience = process.env.AUDIENCE ?? 'https://reports.example.com';

const app = express();
app.get('/reports', requireBearer({ issuer, audience, scopes: ['reports.read'] }), (req, res) => {
  res.json({ client: req.auth?.clientId, reports: ['2024-q1', '2024-q2'] });
});
app.use(bearerErrorHandler()); // 401/403 with the RFC 6750 WWW-Authenticate challenge

const server = createServer(app);
server.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Started by main.ts: tell it where we listen. Started alone: say so.
  if (process.send) process.send({ url });
  else console.log(`reports API on ${url}, accepting tokens of ${issuer} for ${audience}`);
});
// Close the server, and the channel to the parent if there is one: an open channel keeps the process alive.
const stop = () => {
  server.close();
  if (process.connected) process.disconnect();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop); // the parent that started us is gone
