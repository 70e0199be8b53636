// RFC 6749 §4.1.2.1: "If the request fails due to a missing, invalid, or mismatching redirection URI, or if
// the client identifier is missing or invalid, the authorization server SHOULD inform the resource owner of
// the error and MUST NOT automatically redirect the user-agent to the invalid redirection URI." ... "If the
// resource owner denies the access request or if the request fails for reasons other than a missing or
// invalid redirection URI, the authorization server informs the client by adding the following parameters
// to the query component of the redirection URI": invalid_request, "The request is missing a required
// parameter, includes an invalid parameter value ... or is otherwise malformed"; state, "REQUIRED if a
// "state" parameter was present in the client authorization request. The exact value received".
//
// The consent form carries state, nonce and the rest of the request back in its POST, so a value too long
// for that POST's body limit (bodyLimit, 16 KiB by default) would make consent impossible: it fails up front.
import request from 'supertest';
import { authorizePath, buildAuthorizeApp, ISS, openConsent, postConsent, webRequest } from '../support/authorize';

const CB = 'https://client.example/cb';
const LIMITS = { state: 2048, nonce: 512, login_hint: 512 };
const CODE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

describe('RFC 6749 §4.1.2.1 bounded authorization request parameters', () => {
  const { app } = buildAuthorizeApp();
  const get = (params: Record<string, string>, user = 'alice') => request(app).get(authorizePath(params)).set('x-test-user', user);
  const expectInvalidRequest = (res: request.Response, description: string, state: string) => {
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(CB);
    expect([...location.searchParams]).toEqual([['error', 'invalid_request'], ['error_description', description], ['state', state], ['iss', decodeURIComponent(ISS)]]);
    expect(res.headers['cache-control']).toBe('no-store');
    // No consent page, so no CSRF cookie and nothing the browser would post back.
    expect(res.headers['set-cookie']).toBeUndefined();
  };

  it('a 12,000-character state fails up front: a redirect with invalid_request and the state as received', async () => {
    const state = 's'.repeat(12_000);
    expectInvalidRequest(await get(webRequest({ state })), 'state is longer than 2048 characters', state);
  });

  it('a state at its limit completes consent: the consent POST is accepted and the code comes back with the state', async () => {
    const state = 'S'.repeat(LIMITS.state);
    const page = await openConsent(app, webRequest({ state }));
    const res = await postConsent(app, page, 'allow');
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location as string);
    expect(location.searchParams.get('code')).toMatch(CODE);
    expect(location.searchParams.get('state')).toBe(state);
  });

  it('every parameter at its limit at once still completes consent', async () => {
    const params = webRequest({ state: 'S'.repeat(LIMITS.state), nonce: 'n'.repeat(LIMITS.nonce), login_hint: 'h'.repeat(LIMITS.login_hint), scope: 'openid /accounts.read /accounts.write' });
    const page = await openConsent(app, params);
    const res = await postConsent(app, page, 'allow');
    expect(res.status).toBe(303);
    expect(new URL(res.headers.location as string).searchParams.get('code')).toMatch(CODE);
  });

  it.each(Object.entries(LIMITS))('%s one character over its limit of %d is invalid_request, redirected', async (name, limit) => {
    const value = 'v'.repeat(limit + 1);
    expectInvalidRequest(await get(webRequest({ [name]: value })), `${name} is longer than ${limit} characters`, name === 'state' ? value : 'af0ifjsldkj');
  });

  it('before the client and its redirect URI are trusted, an over-long state is the error page, never a redirect', async () => {
    for (const params of [webRequest({ client_id: 'nobody', state: 's'.repeat(12_000) }), webRequest({ redirect_uri: 'https://evil.example/cb', state: 's'.repeat(12_000) })]) {
      const res = await get(params);
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<code>invalid_request</code>');
      expect(res.text).not.toContain('sss');
    }
  });

  it('the sum counts, not only each value: a state within its length whose characters take six bytes each in the form is refused up front', async () => {
    // JSON writes a control character as \u0001: 2,048 of them make a consent form larger than 16 KiB.
    const state = '\u0001'.repeat(LIMITS.state);
    expectInvalidRequest(await get(webRequest({ state })), "the request's parameters are too long together: the consent form would exceed the 16384-byte body limit", state);
  });

  describe('with a smaller bodyLimit, the bound follows it exactly', () => {
    const bodyLimit = 3072;
    const small = buildAuthorizeApp({}, { bodyLimit }).app;
    const fits = async (length: number) => (await request(small).get(authorizePath(webRequest({ state: 'S'.repeat(length) }))).set('x-test-user', 'alice')).status === 200;
    // The longest sub OpenID Connect allows (Core §2: at most 255 ASCII characters), the case the check reserves room for.
    const longestSub = 'u'.repeat(255);
    let longest = 0;

    beforeAll(async () => {
      let low = 0;
      let high = LIMITS.state;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (await fits(mid)) low = mid;
        else high = mid - 1;
      }
      longest = low;
    });

    it('the longest state accepted up front completes consent, even for the longest sub; its form fills the limit to within a byte or two', async () => {
      expect(longest).toBeGreaterThan(1000);
      expect(longest).toBeLessThan(LIMITS.state);
      const page = await openConsent(small, webRequest({ state: 'S'.repeat(longest) }), longestSub);
      const body = new URLSearchParams({ ...page.fields, decision: 'allow' }).toString();
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(bodyLimit);
      expect(Buffer.byteLength(body)).toBeGreaterThan(bodyLimit - 3);
      const res = await postConsent(small, page, 'allow', longestSub);
      expect(res.status).toBe(303);
      expect(new URL(res.headers.location as string).searchParams.get('code')).toMatch(CODE);
    });

    it('one character more is refused up front', async () => {
      const state = 'S'.repeat(longest + 1);
      const res = await request(small).get(authorizePath(webRequest({ state }))).set('x-test-user', 'alice');
      expectInvalidRequest(res, "the request's parameters are too long together: the consent form would exceed the 3072-byte body limit", state);
    });

    it('a sub longer than OpenID Connect allows, which would overflow the form, is refused after sign-in instead of a form that cannot be posted', async () => {
      const state = 'S'.repeat(longest);
      const res = await request(small).get(authorizePath(webRequest({ state }))).set('x-test-user', 'u'.repeat(600));
      expectInvalidRequest(res, "the request's parameters are too long together: the consent form would exceed the 3072-byte body limit", state);
    });
  });
});
