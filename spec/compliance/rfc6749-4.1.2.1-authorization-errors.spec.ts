// RFC 6749 §4.1.2.1: "If the request fails due to a missing, invalid, or mismatching redirection URI, or if
// the client identifier is missing or invalid, the authorization server SHOULD inform the resource owner of
// the error and MUST NOT automatically redirect the user-agent to the invalid redirection URI. If the
// resource owner denies the access request or if the request fails for reasons other than a missing or
// invalid redirection URI, the authorization server informs the client by adding the following parameters
// to the query component of the redirection URI": error (invalid_request, unauthorized_client,
// access_denied, unsupported_response_type, invalid_scope, server_error, temporarily_unavailable),
// error_description, state. RFC 9207 §2: the response also carries "iss".
import request from 'supertest';
import { TemporarilyUnavailableError } from '../../lib/errors';
import { authorizePath, buildAuthorizeApp, ISS, openConsent, postConsent, webRequest } from '../support/authorize';

const CB = 'https://client.example/cb';

describe('RFC 6749 §4.1.2.1 authorization request errors', () => {
  const { app } = buildAuthorizeApp();
  const get = (params: Record<string, string>, user = 'alice') => request(app).get(authorizePath(params)).set('x-test-user', user);

  describe('the client or redirect URI cannot be trusted: an error page, never a redirect', () => {
    const expectPage = (res: request.Response, description: string) => {
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.text).toContain('<code>invalid_request</code>');
      expect(res.text).toContain(`<p>${description}</p>`);
    };

    it('missing client_id', async () => expectPage(await get(webRequest({ client_id: undefined })), 'client_id is required'));
    it('unknown client_id', async () => expectPage(await get(webRequest({ client_id: 'nobody' })), 'the client is not known'));
    it('repeated client_id', async () => {
      expectPage(await request(app).get(`${authorizePath(webRequest())}&client_id=web-app`), 'client_id is repeated');
    });
    it('repeated redirect_uri', async () => {
      expectPage(await request(app).get(`${authorizePath(webRequest())}&redirect_uri=${encodeURIComponent(CB)}`), 'redirect_uri is repeated');
    });
    it('client with no registered redirect URI', async () => {
      expectPage(await get(webRequest({ client_id: 'no-redirect', redirect_uri: undefined })), 'the client has no registered redirect_uri');
    });
    it('redirect_uri omitted while the client registered several', async () => {
      expectPage(await get(webRequest({ redirect_uri: undefined })), 'redirect_uri is required');
    });

    // Open redirect attempts: anything but a character-for-character match of a registered URI is refused.
    it.each([
      'https://evil.example/cb',
      'https://client.example.evil.example/cb',
      'https://client.example/cb/../../evil',
      'https://client.example/cb/extra',
      'https://client.example/cb?next=https://evil.example',
      'https://client.example/cb#fragment',
      'https://client.example/cb/',
      'https://CLIENT.example/cb',
      'http://client.example/cb',
      'https://client.example:443/cb',
      'https://client.example/cb2',
      'https://client.example/cb2?tenant=b',
      '//evil.example/cb',
      'https://user@evil.example/cb',
      'javascript:alert(1)',
    ])('redirect_uri %s is not registered: page, no Location', async (uri) => {
      const res = await get(webRequest({ redirect_uri: uri }));
      expectPage(res, 'redirect_uri is not registered for this client');
      expect(res.text).not.toContain('evil');
    });

    it('a registered redirect URI that is not absolute is a page too (a registration mistake is never followed)', async () => {
      const { app: misregistered } = buildAuthorizeApp({}, {
        clients: [{ clientId: 'bad', clientSecret: 'x', grants: ['authorization_code'], scopes: [], redirectUris: ['/relative/cb'] }],
      });
      expectPage(await request(misregistered).get(authorizePath(webRequest({ client_id: 'bad', redirect_uri: '/relative/cb' }))), 'the client&#39;s registered redirect_uri is not an absolute URI without fragment');
    });

    it('escapes what it shows: a hostile client_id is not echoed, descriptions are HTML-escaped', async () => {
      const res = await get(webRequest({ client_id: '<script>alert(1)</script>' }));
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('<script>');
    });
  });

  describe('after the redirect URI is trusted: back to the client with error, error_description, state and iss', () => {
    const expectRedirect = (res: request.Response, query: string, base = CB) => {
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`${base}?${query}&state=af0ifjsldkj&iss=${ISS}`);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toBe('');
    };

    it('invalid_request: response_type missing', async () => {
      expectRedirect(await get(webRequest({ response_type: undefined })), 'error=invalid_request&error_description=response_type+is+required');
    });
    it('invalid_request: a parameter repeated', async () => {
      const res = await request(app).get(`${authorizePath(webRequest())}&scope=openid`).set('x-test-user', 'alice');
      expectRedirect(res, 'error=invalid_request&error_description=parameter+scope+is+repeated');
    });
    it('invalid_request: code_challenge missing (PKCE is on by default)', async () => {
      expectRedirect(
        await get(webRequest({ code_challenge: undefined, code_challenge_method: undefined })),
        'error=invalid_request&error_description=code_challenge+is+required+%28PKCE%2C+RFC+7636%29',
      );
    });
    it('unsupported_response_type: response_type=token (the implicit grant is not offered)', async () => {
      expectRedirect(await get(webRequest({ response_type: 'token' })), 'error=unsupported_response_type&error_description=response_type+must+be+code');
    });
    it('unauthorized_client: the client may not use the authorization code grant', async () => {
      const res = await get(webRequest({ client_id: 'machine', redirect_uri: 'https://machine.example/cb', scope: '/accounts.read' }));
      expectRedirect(res, 'error=unauthorized_client&error_description=this+client+may+not+use+the+authorization_code+grant', 'https://machine.example/cb');
    });
    it('invalid_scope: a scope the client is not registered for', async () => {
      expectRedirect(await get(webRequest({ scope: 'openid /admin' })), 'error=invalid_scope&error_description=scope+not+allowed%3A+%2Fadmin');
    });
    it('access_denied: the user denies consent (303 from the consent POST)', async () => {
      const page = await openConsent(app, webRequest());
      const res = await postConsent(app, page, 'deny');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${CB}?error=access_denied&error_description=the+user+denied+the+request&state=af0ifjsldkj&iss=${ISS}`);
    });
    it('server_error: the app hook fails; nothing of the cause is shown', async () => {
      const { app: failing } = buildAuthorizeApp({
        authenticateUser: () => {
          throw new Error('database password is hunter2');
        },
      });
      const res = await request(failing).get(authorizePath(webRequest()));
      expectRedirect(res, 'error=server_error&error_description=the+server+failed+to+process+the+request');
    });
    it('temporarily_unavailable: an OAuthError from the app hook is sent as it is', async () => {
      const { app: busy } = buildAuthorizeApp({
        authenticateUser: () => {
          throw new TemporarilyUnavailableError({ description: 'sign-in is down for maintenance' });
        },
      });
      const res = await request(busy).get(authorizePath(webRequest()));
      expectRedirect(res, 'error=temporarily_unavailable&error_description=sign-in+is+down+for+maintenance');
    });
    it('leaves state out when the request had none', async () => {
      const res = await get(webRequest({ response_type: 'token', state: undefined }));
      expect(res.headers.location).toBe(`${CB}?error=unsupported_response_type&error_description=response_type+must+be+code&iss=${ISS}`);
    });
    it('keeps the query of a registered redirect URI (§3.1.2)', async () => {
      const res = await get(webRequest({ redirect_uri: 'https://client.example/cb2?tenant=a', response_type: 'token' }));
      expect(res.headers.location).toBe(
        `https://client.example/cb2?tenant=a&error=unsupported_response_type&error_description=response_type+must+be+code&state=af0ifjsldkj&iss=${ISS}`,
      );
    });
  });

  describe('§4.1.2 state round trip', () => {
    const expectCode = (res: request.Response, status: number, state: string) => {
      expect(res.status).toBe(status);
      const location = new URL(res.headers.location as string);
      expect(location.origin + location.pathname).toBe(CB);
      expect([...location.searchParams.keys()]).toEqual(['code', 'state', 'iss']);
      expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(location.searchParams.get('state')).toBe(state);
      expect(location.searchParams.get('iss')).toBe('https://auth.example.com/oauth2');
    };
    it.each(['af0ifjsldkj', 'a b&c=d/e?f#g+h%20', '{"return":"/home"}'])('echoes state %j exactly, through consent and remembered consent', async (state) => {
      const user = `user-${encodeURIComponent(state)}`;
      const page = await openConsent(app, webRequest({ state }), user);
      expectCode(await postConsent(app, page, 'allow', user), 303, state);
      // The same user and client again: consent is remembered, so the code comes at once (302).
      expectCode(await get(webRequest({ state }), user), 302, state);
    });
  });

  describe('sign-in is the app\'s', () => {
    it('sends a signed-out user to the app\'s login page with returnTo = this request', async () => {
      const path = authorizePath(webRequest());
      const res = await request(app).get(path);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/login?returnTo=${encodeURIComponent(path)}`);
    });
  });
});
