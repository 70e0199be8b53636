// RFC 6749 §10.12: "The authorization server MUST implement CSRF protection for its authorization endpoint
// and ensure that a malicious client cannot obtain authorization without the awareness and explicit consent
// of the resource owner." §10.13 (clickjacking): the pages must not be framed. The consent POST is checked
// before anything is redirected: a forged or replayed form is an error page, never a code.
import request from 'supertest';
import { authorizePath, buildAuthorizeApp, ISS, openConsent, postConsent, webRequest } from '../support/authorize';

const CB = 'https://client.example/cb';

describe('RFC 6749 §10.12 CSRF protection of the consent step', () => {
  const { app } = buildAuthorizeApp({ consentTtl: false });
  const expectPage = (res: request.Response, status: number, description: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain(`<p>${description}</p>`);
  };

  it('gives the consent page a signed transaction and a CSRF token, set as a strict, HttpOnly cookie', async () => {
    const page = await openConsent(app, webRequest());
    expect(page.action).toBe('/oauth2/authorize/consent');
    expect(Object.keys(page.fields).sort()).toEqual(['csrf_token', 'transaction']);
    expect(page.fields.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.setCookie).toBe(`keyturn_csrf=${page.fields.csrf_token}; Path=/oauth2/authorize; Max-Age=600; HttpOnly; SameSite=Strict`);
    expect(page.scope).toEqual(['openid', '/accounts.read']);
  });

  it('a matching POST gets a code (303)', async () => {
    const page = await openConsent(app, webRequest());
    const res = await postConsent(app, page, 'allow');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^${CB}\\?code=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}&state=af0ifjsldkj&iss=${ISS}$`));
  });

  it('a POST without the cookie (a cross-site form) is refused with a page', async () => {
    const page = await openConsent(app, webRequest());
    const res = await request(app).post(page.action).set('x-test-user', 'alice').type('form').send({ ...page.fields, decision: 'allow' });
    expectPage(res, 403, 'the consent form failed its CSRF check; start again from the application');
  });

  it('a POST whose token is not the cookie\'s is refused', async () => {
    const page = await openConsent(app, webRequest());
    const res = await postConsent(app, { ...page, cookie: 'keyturn_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'allow');
    expectPage(res, 403, 'the consent form failed its CSRF check; start again from the application');
  });

  it('a POST without the csrf_token field is refused', async () => {
    const page = await openConsent(app, webRequest());
    const res = await postConsent(app, page, 'allow', 'alice', { transaction: page.fields.transaction as string });
    expectPage(res, 403, 'the consent form failed its CSRF check; start again from the application');
  });

  it('another browser\'s cookie and token do not fit this transaction', async () => {
    const mine = await openConsent(app, webRequest());
    const theirs = await openConsent(app, webRequest());
    const res = await postConsent(app, { ...mine, cookie: theirs.cookie }, 'allow', 'alice', { transaction: mine.fields.transaction as string, csrf_token: theirs.fields.csrf_token as string });
    expectPage(res, 403, 'the consent form failed its CSRF check; start again from the application');
  });

  it('a tampered transaction is refused', async () => {
    const page = await openConsent(app, webRequest());
    const [payload, mac] = (page.fields.transaction as string).split('.') as [string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.redirectUri = 'https://evil.example/cb';
    const transaction = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`;
    const res = await postConsent(app, page, 'allow', 'alice', { ...page.fields, transaction });
    expectPage(res, 400, 'the consent form has expired or is not valid; start again from the application');
  });

  it('a transaction spelled differently from the one issued is refused, even when its MAC decodes alike', async () => {
    // base64url decoding ignores padding, stray dots and the unused low bits of the last character, so without
    // a canonical comparison several strings would open as one transaction: the seal must be taken verbatim.
    const page = await openConsent(app, webRequest());
    const sealed = page.fields.transaction as string;
    const [payload, mac] = sealed.split('.') as [string, string];
    const last = mac[mac.length - 1] as string;
    // 32 bytes take 43 characters, so the last one's lowest bit is padding: flipping it decodes alike.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
    for (const transaction of [`${sealed}=`, `${sealed}.`, `${payload}.${mac.slice(0, -1)}${sibling}`, `${payload}.${mac.replace(/-/g, '+').replace(/_/g, '/')}`]) {
      if (transaction === sealed) continue;
      const res = await postConsent(app, page, 'allow', 'alice', { ...page.fields, transaction });
      expectPage(res, 400, 'the consent form has expired or is not valid; start again from the application');
    }
  });

  it('an expired transaction is refused (transactionTtl: 1)', async () => {
    const short = buildAuthorizeApp({ transactionTtl: 1 });
    const page = await openConsent(short.app, webRequest());
    await new Promise((r) => setTimeout(r, 2000));
    expectPage(await postConsent(short.app, page, 'allow'), 400, 'the consent form has expired or is not valid; start again from the application');
  });

  it('a form shown to one user cannot be approved by another', async () => {
    const page = await openConsent(app, webRequest(), 'alice');
    expectPage(await postConsent(app, page, 'allow', 'mallory'), 403, 'the consent form was shown to another user; start again from the application');
  });

  it('a signed-out POST goes to the app\'s login with the authorization request to return to', async () => {
    const page = await openConsent(app, webRequest());
    const res = await request(app).post(page.action).set('Cookie', page.cookie).type('form').send({ ...page.fields, decision: 'allow' });
    expect(res.status).toBe(302);
    const returnTo = new URL(res.headers.location as string, 'http://x').searchParams.get('returnTo') as string;
    const params = Object.fromEntries(new URL(returnTo, 'http://x').searchParams);
    expect(returnTo.startsWith('/oauth2/authorize?')).toBe(true);
    expect(params).toEqual(webRequest());
  });

  it('a decision other than allow or deny goes back as invalid_request', async () => {
    const page = await openConsent(app, webRequest());
    const res = await postConsent(app, page, 'maybe');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${CB}?error=invalid_request&error_description=decision+must+be+allow+or+deny&state=af0ifjsldkj&iss=${ISS}`);
  });

  it('§10.13: the pages forbid framing', async () => {
    const res = await request(app).get(authorizePath(webRequest())).set('x-test-user', 'alice');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });

  it('RFC 9700 §4.2.4: no page of the authorization endpoint, nor its redirect with the code, sends a Referer', async () => {
    const page = await request(app).get(authorizePath(webRequest())).set('x-test-user', 'alice');
    expect(page.status).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const redirect = await postConsent(app, await openConsent(app, webRequest()), 'allow');
    expect(redirect.status).toBe(303);
    expect(new URL(redirect.headers.location as string).searchParams.get('code')).not.toBeNull();
    expect(redirect.headers['referrer-policy']).toBe('no-referrer');
  });

  describe('remembered consent (per user, client and scopes)', () => {
    const remembering = buildAuthorizeApp();
    const get = (params: Record<string, string>, user: string) => request(remembering.app).get(authorizePath(params)).set('x-test-user', user);

    it('is asked once, then answered at once for the same or fewer scopes, and again for more', async () => {
      const page = await openConsent(remembering.app, webRequest(), 'carol');
      await postConsent(remembering.app, page, 'allow', 'carol');
      expect((await get(webRequest(), 'carol')).status).toBe(302);
      expect((await get(webRequest({ scope: 'openid' }), 'carol')).status).toBe(302);
      // A new scope asks again; another user and another client were never asked.
      expect((await get(webRequest({ scope: 'openid /accounts.write' }), 'carol')).status).toBe(200);
      expect((await get(webRequest(), 'dave')).status).toBe(200);
    });

    it('a denial is not remembered', async () => {
      const page = await openConsent(remembering.app, webRequest(), 'erin');
      await postConsent(remembering.app, page, 'deny', 'erin');
      expect((await get(webRequest(), 'erin')).status).toBe(200);
    });

    it('consentTtl: false asks every time', async () => {
      const page = await openConsent(app, webRequest(), 'frank');
      await postConsent(app, page, 'allow', 'frank');
      expect((await request(app).get(authorizePath(webRequest())).set('x-test-user', 'frank')).status).toBe(200);
    });
  });
});
