// passport-oauth2 as a consumer: a second Express app whose "Sign in" is a passport-oauth2 strategy pointed at
// the demo process's authorization and token endpoints (RFC 6749 §4.1, with PKCE and state), on ports other
// than 3000. A person signs in through it, played with plain HTTP: GET consumer /login → demo /oauth2/authorize
// → demo /login (a shipped demo user) → the demo's consent form → consumer callback → the consumer's
// signed-in page, which must name the user.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import passport from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import { ALICE, Browser, FALCON, freePort, startDemoOnPort, type RunningDemo } from '../support/rp-demo';

interface SignedIn {
  sub: string;
  accessToken: string;
}

/** The consumer: passport-oauth2 for the protocol; a cookie naming an in-memory sign-in for the session. */
function consumerApp(issuer: string, consumerBase: string): express.Express {
  const pending = new Map<string, string>(); // state handle -> PKCE verifier
  // passport-oauth2's own state stores need express-session; this one keeps the verifier by state handle.
  const store = {
    store(_req: express.Request, verifier: string, _state: unknown, _meta: unknown, done: (err: Error | null, handle?: string) => void) {
      const handle = randomBytes(16).toString('base64url');
      pending.set(handle, verifier);
      done(null, handle);
    },
    verify(_req: express.Request, handle: string, _meta: unknown, done: (err: Error | null, ok?: string | false, state?: unknown) => void) {
      const verifier = pending.get(handle);
      pending.delete(handle);
      done(null, verifier ?? false, {});
    },
  };
  const auth = new passport.Passport();
  auth.use(
    'keyturn',
    new OAuth2Strategy(
      {
        authorizationURL: `${issuer}/authorize`,
        tokenURL: `${issuer}/token`,
        clientID: FALCON.clientId,
        clientSecret: FALCON.clientSecret,
        callbackURL: `${consumerBase}/auth/callback`,
        scope: ['openid', '/accounts.read'],
        scopeSeparator: ' ',
        state: true,
        pkce: true,
        store: store as unknown as OAuth2Strategy.StateStore,
      },
      (accessToken: string, _refreshToken: string, params: { id_token?: string }, _profile: unknown, done: (err: Error | null, user?: SignedIn | false) => void) => {
        // Who signed in: the id_token's sub (its signature is openid-client's test; here the flow is the point).
        const payload = params.id_token ? (JSON.parse(Buffer.from(params.id_token.split('.')[1] as string, 'base64url').toString()) as { sub?: string }) : {};
        if (typeof payload.sub !== 'string') return done(null, false);
        done(null, { sub: payload.sub, accessToken });
      },
    ),
  );
  const sessions = new Map<string, SignedIn>();
  const app = express();
  app.use(auth.initialize());
  app.get('/login', auth.authenticate('keyturn', { session: false }));
  app.get('/auth/callback', (req, res, next) => {
    auth.authenticate('keyturn', { session: false }, (err: unknown, user: SignedIn | false) => {
      if (err) return next(err);
      if (!user) return res.status(401).type('text').send('sign-in failed');
      const sid = randomBytes(16).toString('base64url');
      sessions.set(sid, user);
      res.setHeader('set-cookie', `consumer_sid=${sid}; HttpOnly; Path=/`);
      res.redirect(303, '/me');
    })(req, res, next);
  });
  app.get('/me', (req, res) => {
    const sid = /(?:^|;\s*)consumer_sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const user = sid === undefined ? undefined : sessions.get(sid);
    if (!user) return res.status(401).type('text').send('not signed in');
    res.type('html').send(`<p>Signed in as <b>${user.sub}</b></p>`);
  });
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).type('text').send(`consumer error: ${err.message} ${JSON.stringify((err as { oauthError?: unknown }).oauthError ?? '')}`);
  });
  return app;
}

describe('a passport-oauth2 consumer signs a person in at the demo process', () => {
  let demo: RunningDemo;
  let consumer: Server;
  let consumerBase: string;

  beforeAll(async () => {
    const consumerPort = await freePort();
    consumerBase = `http://127.0.0.1:${consumerPort}`;
    demo = await startDemoOnPort(await freePort(), { [FALCON.clientId]: [`${consumerBase}/auth/callback`] });
    const app = consumerApp(demo.issuer, consumerBase);
    consumer = await new Promise<Server>((resolve) => {
      const s = app.listen(consumerPort, '127.0.0.1', () => resolve(s));
    });
  }, 30_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (consumer ? consumer.close(() => resolve()) : resolve()));
    await demo?.stop();
  });

  it('GET /login ends on the consumer page that names the signed-in demo user', async () => {
    expect(new URL(demo.issuer).port).not.toBe('3000');
    const browser = new Browser();
    const start = await browser.request(new URL('/login', consumerBase));
    expect(start.status).toBe(302);
    const authorizationUrl = new URL(start.headers.get('location') as string);
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${demo.issuer}/authorize`);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');

    const callback = await browser.signInAndConsent(authorizationUrl, ALICE);
    expect(callback.origin + callback.pathname).toBe(`${consumerBase}/auth/callback`);

    const landed = await browser.follow(callback);
    expect(landed.url.href).toBe(`${consumerBase}/me`);
    expect(landed.res.status).toBe(200);
    expect(await landed.res.text()).toContain(`Signed in as <b>${ALICE.username}</b>`);
  });

  it('the signed-in page refuses a visitor who did not sign in', async () => {
    const res = await new Browser().request(new URL('/me', consumerBase));
    expect(res.status).toBe(401);
  });
});
