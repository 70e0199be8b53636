// The Express adapter calls the app's authorization hooks. Keyturn's peer range includes Express 4, which
// ignores the promise a handler returns, so a hook that throws or rejects must still end in an answer (RFC 6749
// §4.1.2.1: server_error back to the client once its redirect URI is trusted), never a hang or an unhandled
// rejection, and the route handlers themselves must return nothing for Express to drop.
import request from 'supertest';
import { authorizePath, buildAuthorizeApp, ISSUER, openConsent, postConsent, webRequest } from '../support/authorize';

describe('Express adapter: the authorization hooks', () => {
  it('a throwing authenticateUser hook becomes server_error at the redirect URI', async () => {
    const { app } = buildAuthorizeApp({
      authenticateUser: () => {
        throw new Error('session store down');
      },
    });
    const res = await request(app).get(authorizePath(webRequest()));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe('https://client.example/cb');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'server_error',
      error_description: 'the server failed to process the request',
      state: 'af0ifjsldkj',
      iss: ISSUER,
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('a rejecting renderConsent hook becomes server_error at the redirect URI', async () => {
    const { app } = buildAuthorizeApp({ renderConsent: () => Promise.reject(new Error('template missing')) });
    const res = await request(app).get(authorizePath(webRequest())).set('x-test-user', 'alice');
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location as string).searchParams.get('error')).toBe('server_error');
  });

  it('a consent POST with a broken transaction is an error page, not a redirect', async () => {
    const { app } = buildAuthorizeApp();
    const page = await openConsent(app, webRequest());
    const res = await postConsent(app, page, 'allow', 'alice', { ...page.fields, transaction: 'not-a-transaction' });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('invalid_request');
  });

  it('a throwing authenticateUser hook on the consent POST is an error page while the user is unconfirmed', async () => {
    let calls = 0;
    const { app } = buildAuthorizeApp({
      authenticateUser: (req) => {
        if (calls++ > 0) throw new Error('session store down');
        return { sub: String(req.headers['x-test-user']) };
      },
    });
    const page = await openConsent(app, webRequest());
    const res = await postConsent(app, page, 'allow');
    expect(res.status).toBe(500);
    expect(res.text).toContain('server_error');
    expect(res.text).not.toContain('session store down');
  });

  it('the route handlers return nothing, so Express 4 has no promise to drop', () => {
    const { auth } = buildAuthorizeApp();
    const router = auth.router() as unknown as { stack: { route?: { path: string; stack: { handle: (...args: unknown[]) => unknown }[] } }[] };
    const handlers = router.stack.filter((layer) => layer.route?.path.startsWith('/authorize')).flatMap((layer) => layer.route!.stack.map((s) => s.handle));
    expect(handlers.length).toBeGreaterThanOrEqual(4);
    const req = { method: 'GET', query: {}, headers: {}, path: '/authorize', baseUrl: '/oauth2', originalUrl: '/oauth2/authorize', is: () => false };
    const res = { setHeader: () => undefined, append: () => undefined, end: () => undefined, headersSent: false };
    for (const handle of handlers) expect(handle(req, res, () => undefined)).toBeUndefined();
  });
});
