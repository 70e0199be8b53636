// Issue 15, point 7: the demo's own pages defend themselves as Keyturn's do. The real process (as `npm run
// demo` starts it, the shipped config), real HTTP, under NODE_ENV=development and =production:
// - /login and /logout refuse a form posted from another site (login CSRF, forced sign-out);
// - every answer denies framing (X-Frame-Options DENY, CSP frame-ancestors 'none');
// - the demo's own routes answer errors as a JSON error or an HTML page, never Express's stack page;
// - point 4 seen through the demo: a state at Keyturn's limit completes sign-in and consent, an over-long one
//   fails before the sign-in.
import express from 'express';
import { startDemo, type DemoProcess } from '../support/demo-process';
import { listen } from '../support/listen';
import { ALICE, Browser, pkcePair } from '../support/rp-demo';
import { demoErrorHandler, lastResortHandler } from '../../example-app/demo-errors';
import { bearerErrorHandler } from '../../lib/resource-server';

const JOB = { id: '5clTR_MdVrrkgxw2', secret: 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-' };
const LOGIN = { ...ALICE, returnTo: '/' };
// What Express's default error page and Node's errors look like: none of it may reach a response.
const STACK = [/\n\s+at /, /node_modules/, /SyntaxError|PayloadTooLargeError|UnsupportedMediaTypeError|incorrect header check/];

const expectNoStack = (text: string) => {
  for (const pattern of STACK) expect(text).not.toMatch(pattern);
};
const expectFramingDenied = (res: Response) => {
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
};

describe.each(['development', 'production'])('the demo defends its own pages (NODE_ENV=%s)', (nodeEnv) => {
  let demo: DemoProcess;
  beforeAll(async () => {
    demo = await startDemo({ NODE_ENV: nodeEnv, LOG_LEVEL: 'silent' });
  });
  afterAll(() => demo.stop());

  const post = (path: string, headers: Record<string, string>, body: string | URLSearchParams) =>
    fetch(`${demo.url}${path}`, { method: 'POST', redirect: 'manual', headers, body });
  const signIn = (headers: Record<string, string> = {}) => post('/login', { 'content-type': 'application/x-www-form-urlencoded', ...headers }, new URLSearchParams(LOGIN));
  const sessionSet = (res: Response) => res.headers.getSetCookie().some((c) => c.startsWith('demo_session=') && !c.startsWith('demo_session=;'));

  describe('login CSRF: a form posted from another site is refused', () => {
    it.each([
      ['Origin of another site', { origin: 'https://evil.example' }],
      ['Origin of another port on the same host', { origin: 'http://127.0.0.1:1' }],
      ['an opaque Origin (a sandboxed frame)', { origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site', origin: 'http://sub.127.0.0.1.example' }],
    ])('POST /login with %s: 403, no session, a page without a stack', async (_name, headers) => {
      const res = await signIn(headers);
      expect(res.status).toBe(403);
      expect(sessionSet(res)).toBe(false);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await res.text();
      expect(html).toContain('the sign-in form must be posted from this site');
      expectNoStack(html);
      expectFramingDenied(res);
    });

    it('a cross-site POST asking for JSON gets the JSON error', async () => {
      const res = await signIn({ origin: 'https://evil.example', accept: 'application/json' });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'the sign-in form must be posted from this site' });
    });

    it.each([
      ['its own Origin', () => ({ origin: demo.url })],
      ['Sec-Fetch-Site: same-origin', () => ({ 'sec-fetch-site': 'same-origin', origin: demo.url })],
      ['no Origin at all (a script, as it always could)', () => ({})],
    ])('POST /login from %s signs in: 303 with the session', async (_name, headers) => {
      const res = await signIn(headers());
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
      expect(sessionSet(res)).toBe(true);
    });

    it('POST /logout from another site is refused too; from the demo itself it signs out', async () => {
      const forced = await post('/logout', { origin: 'https://evil.example' }, '');
      expect(forced.status).toBe(403);
      expect(forced.headers.getSetCookie()).toEqual([]);
      const own = await post('/logout', { origin: demo.url }, '');
      expect(own.status).toBe(303);
      expect(own.headers.getSetCookie()[0]).toMatch(/^demo_session=; /);
    });
  });

  it('every page denies framing: the demo\'s own and Keyturn\'s, answers and errors alike', async () => {
    const paths = ['/', '/login', '/playground/callback?code=x&state=y', '/playground/playground.js', '/accounts', '/metrics', '/oauth2/jwks',
      '/oauth2/authorize?client_id=nobody', '/.well-known/oauth-authorization-server/oauth2', '/no-such-page'];
    for (const path of paths) {
      const res = await fetch(`${demo.url}${path}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expectFramingDenied(res);
    }
    const failed = await signIn({ origin: 'https://evil.example' });
    expectFramingDenied(failed);
  });

  describe('malformed requests to the demo\'s own routes: 4xx, a page or JSON, never a stack', () => {
    it.each([
      ['an unsupported charset', { 'content-type': 'application/x-www-form-urlencoded; charset=bogus' }, 'a=b', 400, 'the request body uses an unsupported charset or content encoding'],
      ['a gzip body that is not gzip', { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, 'password=not-gzip', 400, 'the request body could not be read'],
      ['too many parameters', { 'content-type': 'application/x-www-form-urlencoded' }, Array.from({ length: 1200 }, (_, i) => `p${i}=1`).join('&'), 413, 'the request body is too large'],
      ['a body over the limit', { 'content-type': 'application/x-www-form-urlencoded' }, `returnTo=${'x'.repeat(40_000)}`, 413, 'the request body is too large'],
    ])('POST /login with %s: an HTML page', async (_name, headers, body, status, description) => {
      const res = await post('/login', headers, body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain(`<p class="error" role="alert">${description}</p>`);
      expect(html).not.toContain('not-gzip');
      expectNoStack(html);
    });

    it('POST /login with malformed JSON: 400 JSON, the body not echoed', async () => {
      const res = await post('/login', { 'content-type': 'application/json' }, '{"password": "SECRET-BODY');
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: 'invalid_request', error_description: 'the sign-in form must be application/x-www-form-urlencoded' });
      expect(text).not.toContain('SECRET-BODY');
    });

    it('POST /accounts with malformed JSON: 400 JSON in the profile\'s shape, the body not echoed', async () => {
      const token = await fetch(`${demo.url}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${JOB.id}:${JOB.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=%2Faccounts.write',
      });
      const { access_token } = (await token.json()) as { access_token: string };
      for (const body of ['{"name": "SECRET-BODY', '{bad', '[1,']) {
        const res = await post('/accounts', { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' }, body);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({ error: 'invalid_request', error_description: 'the request body is not valid JSON' });
        expect(text).not.toContain('SECRET-BODY');
      }
      const large = await post('/accounts', { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' }, JSON.stringify({ name: 'x'.repeat(5000) }));
      expect([large.status, await large.json()]).toEqual([413, { error: 'invalid_request', error_description: 'the request body is too large' }]);
    });

    it('a path that does not decode, and one that does not exist: 4xx, a page for the browser, JSON for JSON', async () => {
      const undecodable = await fetch(`${demo.url}/playground/%E0%A4%A`);
      expect(undecodable.status).toBeGreaterThanOrEqual(400);
      expect(undecodable.status).toBeLessThan(500);
      expectNoStack(await undecodable.text());
      const page = await fetch(`${demo.url}/no-such-page`, { headers: { accept: 'text/html' } });
      expect([page.status, page.headers.get('content-type')]).toEqual([404, 'text/html; charset=utf-8']);
      expect(await page.text()).toContain('there is no such route');
      const json = await fetch(`${demo.url}/no-such-page`, { headers: { accept: 'application/json' } });
      expect([json.status, await json.json()]).toEqual([404, { error: 'invalid_request', error_description: 'there is no such route' }]);
    });
  });

  describe('bounded state, through the demo\'s sign-in and consent', () => {
    const authorizationUrl = (state: string) => {
      const { challenge } = pkcePair();
      const url = new URL('/oauth2/authorize', demo.url);
      url.search = new URLSearchParams({
        response_type: 'code', client_id: 'keyturn-playground', redirect_uri: `${demo.url}/playground/callback`, scope: 'openid /accounts.read',
        state, code_challenge: challenge, code_challenge_method: 'S256',
      }).toString();
      return url;
    };

    it('a state at its limit, of characters that need percent-encoding, completes sign-in and consent', async () => {
      // Percent-encoded in the request, and again in the sign-in form's returnTo: the login form must still fit.
      const state = 'a b&c=d/?%#+'.repeat(200).slice(0, 2048);
      const callback = await new Browser().signInAndConsent(authorizationUrl(state), ALICE);
      expect(callback.pathname).toBe('/playground/callback');
      expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(callback.searchParams.get('state')).toBe(state);
    });

    it('a 12,000-character state fails before the sign-in: back to the client with invalid_request', async () => {
      const state = 's'.repeat(12_000);
      const res = await fetch(authorizationUrl(state), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') as string);
      expect(location.pathname).toBe('/playground/callback');
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toBe('state is longer than 2048 characters');
      expect(location.searchParams.get('state')).toBe(state);
    });
  });
});

describe('the demo\'s error handler on an unexpected failure', () => {
  it('answers 500 without the cause or a stack: a page for the browser, JSON for JSON', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    app.use(demoErrorHandler((req) => req.accepts(['html', 'json']) === 'json'));
    app.use(bearerErrorHandler());
    app.use(lastResortHandler);
    const server = await listen(app);
    try {
      const page = await fetch(`${server.url}/boom`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain('the server failed to process the request');
      expect(html).not.toContain('hunter2');
      expectNoStack(html);
      const json = await fetch(`${server.url}/boom`, { headers: { accept: 'application/json' } });
      expect([json.status, await json.json()]).toEqual([500, { error: 'server_error', error_description: 'the server failed to process the request' }]);
    } finally {
      await server.close();
    }
  });
});
