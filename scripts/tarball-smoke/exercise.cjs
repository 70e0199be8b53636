'use strict';
// The HTTP part of the tarball smoke tests, shared by smoke.mjs and smoke.cjs. It is handed the package's
// modules (each caller loads them its own way, with import or with require) and never loads keyturn itself.
const assert = require('node:assert/strict');
const { once } = require('node:events');
const { randomBytes } = require('node:crypto');

/**
 * Builds an authorization server on `store`, mounts its router and a route protected by requireBearer,
 * gets a client_credentials token over real HTTP and uses it; then checks the 401s of a missing and of a
 * forged token.
 */
async function exercise({ label, express, keyturn, resourceServer, store }) {
  const clientId = 'tarball-smoke';
  const clientSecret = randomBytes(24).toString('base64url');
  const auth = keyturn.createAuthorizationServer({
    clients: [
      {
        clientId,
        clientSecretHash: await keyturn.hashClientSecret(clientSecret),
        grants: ['client_credentials'],
        scopes: ['smoke.read'],
      },
    ],
    store,
  });

  const app = express();
  app.use('/oauth2', auth.router());
  app.get('/api/whoami', resourceServer.requireBearer({ server: auth, scopes: ['smoke.read'] }), (req, res) => {
    res.json({ clientId: req.auth.clientId, scopes: req.auth.scopes });
  });
  app.use(resourceServer.bearerErrorHandler({ server: auth }));

  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const tokenResponse = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=smoke.read',
    });
    const tokenBody = await tokenResponse.json();
    assert.equal(tokenResponse.status, 200, `${label}: token endpoint answered ${tokenResponse.status} ${JSON.stringify(tokenBody)}`);
    assert.equal(typeof tokenBody.access_token, 'string', `${label}: no access_token`);
    assert.equal(String(tokenBody.token_type).toLowerCase(), 'bearer', `${label}: token_type`);
    assert.equal(tokenBody.scope, 'smoke.read', `${label}: scope`);

    const protectedResponse = await fetch(`${base}/api/whoami`, { headers: { authorization: `Bearer ${tokenBody.access_token}` } });
    assert.equal(protectedResponse.status, 200, `${label}: protected route answered ${protectedResponse.status}`);
    assert.deepEqual(await protectedResponse.json(), { clientId, scopes: ['smoke.read'] }, `${label}: req.auth`);

    const missing = await fetch(`${base}/api/whoami`);
    assert.equal(missing.status, 401, `${label}: no token`);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer /, `${label}: challenge without a token`);

    const forged = await fetch(`${base}/api/whoami`, { headers: { authorization: `Bearer ${tokenBody.access_token}x` } });
    assert.equal(forged.status, 401, `${label}: forged token`);
    assert.match(forged.headers.get('www-authenticate') ?? '', /error="invalid_token"/, `${label}: challenge of a forged token`);
    assert.equal((await forged.json()).error, 'invalid_token', `${label}: body of a forged token`);
  } finally {
    server.close();
    await auth.close();
  }
}

module.exports = { exercise };
