// The authorization code flow (RFC 6749 §4.1) with PKCE S256 (RFC 7636), signing users in with the app's own
// login form and session cookie. Run from examples/: npx tsx authorization-code/main.ts (EXAMPLE_SELF_TEST=1:
// self-test.ts drives the flow over HTTP).
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { createAuthorizationServer, gracefulShutdown, type AuthenticatedUser } from 'keyturn';
import { bearerErrorHandler, requireBearer } from 'keyturn/resource-server';

const CLIENT_ID = 'notes-cli'; // a public client (a native app): no secret, so PKCE is what binds the code to it
const USERS = new Map([['alice', 'wonderland']]); // stands in for the app's user store (which keeps password hashes)
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function buildApp(issuer: string) {
  const redirectUri = `${issuer}/callback`;
  const sessions = new Map<string, AuthenticatedUser>(); // the app's own sessions, by the `sid` cookie
  const signedIn = (req: Request) => sessions.get(/(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '');

  const auth = createAuthorizationServer({
    issuer, // http is for this local example only: a real issuer is an https URL
    mountPath: '/oauth2',
    grants: ['authorization_code'],
    clients: [
      {
        clientId: CLIENT_ID,
        tokenEndpointAuthMethod: 'none',
        grants: ['authorization_code'],
        scopes: ['notes.read'],
        redirectUris: [redirectUri], // compared exactly, character for character
      },
    ],
    authorization: {
      authenticateUser: (req, res, { returnTo }) => {
        const user = signedIn(req);
        if (user === undefined) res.redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`);
        return user;
      },
      renderConsent: (_req, res, { client, scope, action, fields }) => {
        // Every field goes back unchanged: the signed transaction and the CSRF token Keyturn checks.
        const hidden = Object.entries(fields).map(([n, v]) => `<input type="hidden" name="${esc(n)}" value="${esc(v)}">`);
        res.send(`<form method="post" action="${esc(action)}">${hidden.join('')}
          <p>${esc(client.clientId)} asks for ${esc(scope.join(' '))}.</p>
          <button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></form>`);
      },
    },
  });

  const app = express();
  app.use('/oauth2', auth.router()); // GET /oauth2/authorize, POST /oauth2/authorize/consent, POST /oauth2/token, ...
  app.get('/.well-known/oauth-authorization-server', auth.metadata());
  app.get('/login', (req, res) => {
    const returnTo = typeof req.query.returnTo === 'string' ? req.query.returnTo : '';
    res.send(`<form method="post" action="/login"><input type="hidden" name="returnTo" value="${esc(returnTo)}">
      <input name="username" placeholder="alice"> <input name="password" type="password"> <button>Sign in</button></form>`);
  });
  app.post('/login', express.urlencoded({ extended: false }), (req, res) => {
    const { username, password, returnTo } = req.body as Record<string, string | undefined>;
    if (username === undefined || password === undefined || USERS.get(username) !== password) {
      return void res.status(401).send('Wrong user name or password.');
    }
    const sid = randomBytes(32).toString('base64url');
    sessions.set(sid, { sub: username, authTime: Math.floor(Date.now() / 1000) });
    // Lax, not Strict: the browser arrives at /oauth2/authorize from the client's site. Add `secure` on https.
    res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax', path: '/' });
    // Only back to the authorization request, never to a URL the query chose (an open redirect).
    res.redirect(303, returnTo?.startsWith('/oauth2/authorize?') ? returnTo : '/');
  });
  // Stands in for the client's redirect URI: a real client exchanges the code itself.
  app.get('/callback', (req, res) => res.send(`<p>code: <code>${esc(String(req.query.code ?? req.query.error))}</code></p>`));
  app.get('/notes', requireBearer({ server: auth, scopes: ['notes.read'] }), (req, res) => {
    res.json({ owner: req.auth?.sub, notes: [] });
  });
  app.use(bearerErrorHandler({ server: auth }));
  return { app, auth, redirectUri };
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

async function main(): Promise<void> {
  const testing = process.env.EXAMPLE_SELF_TEST === '1';
  // The issuer names this server's own URL, so the port is known first and the app is built after.
  const server = createServer();
  const issuer = await listen(server, testing ? 0 : Number(process.env.PORT ?? 3000));
  const { app, auth, redirectUri } = buildApp(issuer);
  server.on('request', app);
  const stop = () => gracefulShutdown(server, { close: [() => auth.close()] });

  if (testing) {
    const { selfTest } = await import('./self-test.js');
    try {
      await selfTest(issuer, CLIENT_ID, redirectUri);
    } finally {
      await stop();
    }
    console.log('example authorization-code: ok');
    return;
  }
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, scope: 'notes.read' });
  console.log(`listening on ${issuer}. Open in a browser and sign in as alice / wonderland:
  ${issuer}/oauth2/authorize?${query}&code_challenge=${challenge}&code_challenge_method=S256
then, within a minute, exchange the code the callback page shows:
  curl -s ${issuer}/oauth2/token -d grant_type=authorization_code -d client_id=${CLIENT_ID} \\
    -d redirect_uri=${redirectUri} -d code_verifier=${verifier} -d code=CODE`);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
