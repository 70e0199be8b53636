// OpenID Connect Core §3.1.2.1, the Authentication Request's sign-in parameters:
// prompt: "none: The Authorization Server MUST NOT display any authentication or consent user interface
//   pages. An error is returned if an End-User is not already authenticated or the Client does not have
//   pre-configured consent for the requested Claims or does not fulfill other conditions for processing the
//   request. The error code will typically be login_required, interaction_required, or another code defined in
//   Section 3.1.2.6." "login: The Authorization Server SHOULD prompt the End-User for reauthentication."
//   "consent: The Authorization Server SHOULD prompt the End-User for consent before returning information to
//   the Client." "If this parameter contains none with any other value, an error is returned."
// max_age: "Specifies the allowable elapsed time in seconds since the last time the End-User was actively
//   authenticated by the OP. If the elapsed time is greater than this value, the OP MUST attempt to actively
//   re-authenticate the End-User." "When max_age is used, the ID Token returned MUST include an auth_time".
// login_hint: "Hint to the Authorization Server about the login identifier the End-User might use to log in".
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createAuthorizationServer, type LoginContext } from '../../lib';
import * as errors from '../../lib/errors';
import { createDevelopmentIdTokenSigner } from '../../lib/tokens/id-token';
import { basic } from '../support/app';
import { authorizePath, ISSUER, postConsent, VERIFIER, WEB_CLIENT, webRequest } from '../support/authorize';

const CB = 'https://client.example/cb';

/**
 * A test app with a session per user name (`x-session` names the user, `x-signed-in-at` the sign-in time);
 * the sign-in hook honours forceLogin and authenticatedAfter the way an app should, and records every ctx.
 */
function app(options: { ignoreRequirements?: boolean; consentTtl?: false } = {}) {
  const contexts: LoginContext[] = [];
  const signer = createDevelopmentIdTokenSigner();
  const auth = createAuthorizationServer({
    clients: [WEB_CLIENT],
    allowPlaintextSecrets: true,
    issuer: ISSUER,
    grants: ['authorization_code'],
    authorization: {
      idToken: { signer },
      ...(options.consentTtl === false ? { consentTtl: false } : {}),
      authenticateUser: (req, res, ctx) => {
        contexts.push(ctx);
        const user = req.headers['x-session'];
        const at = Number(req.headers['x-signed-in-at'] ?? Math.floor(Date.now() / 1000) - 3600);
        const fresh = options.ignoreRequirements === true || (!ctx.forceLogin && (ctx.authenticatedAfter === undefined || at >= ctx.authenticatedAfter));
        if (typeof user === 'string' && fresh) return { sub: user, authTime: at };
        if (ctx.prompt.includes('none')) return undefined; // no page: Keyturn answers login_required
        res.redirect(`/login?returnTo=${encodeURIComponent(ctx.returnTo)}`);
        return undefined;
      },
      renderConsent: (_req, res, { action, fields, scope }) => {
        res.json({ consent: { action, fields, scope } });
      },
    },
  });
  const server = express();
  server.use('/oauth2', auth.router());
  return { server, contexts, signer };
}

const redirectParams = (res: request.Response): URLSearchParams => {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.location as string);
  expect(`${location.origin}${location.pathname}`).toBe(CB);
  return location.searchParams;
};
const errorOf = (res: request.Response) => {
  const p = redirectParams(res);
  return { error: p.get('error'), state: p.get('state'), iss: p.get('iss') };
};

async function consentOnce(server: express.Express, user = 'alice'): Promise<void> {
  const page = await request(server).get(authorizePath(webRequest())).set('x-session', user);
  expect(page.status).toBe(200);
  const cookie = (([] as string[]).concat(page.headers['set-cookie'] ?? [])[0] as string).split(';')[0] as string;
  const res = await postConsent(server, { ...page.body.consent, cookie, setCookie: cookie }, 'allow', user).set('x-session', user);
  expect(res.status).toBe(303);
}

describe('OpenID Connect Core §3.1.2.1: prompt', () => {
  it('none without a session: login_required to the redirect URI, with state and iss, and no page', async () => {
    const { server } = app();
    const res = await request(server).get(authorizePath(webRequest({ prompt: 'none' })));
    expect(errorOf(res)).toEqual({ error: 'login_required', state: 'af0ifjsldkj', iss: ISSUER });
  });

  it('none with a session but no remembered consent: consent_required; with consent: a code, at once', async () => {
    const { server } = app();
    const first = await request(server).get(authorizePath(webRequest({ prompt: 'none' }))).set('x-session', 'alice');
    expect(errorOf(first).error).toBe('consent_required');
    await consentOnce(server);
    const again = await request(server).get(authorizePath(webRequest({ prompt: 'none' }))).set('x-session', 'alice');
    expect(redirectParams(again).get('code')).toEqual(expect.any(String));
  });

  it('none when consent is never remembered (consentTtl: false): consent_required', async () => {
    const { server } = app({ consentTtl: false });
    const res = await request(server).get(authorizePath(webRequest({ prompt: 'none' }))).set('x-session', 'alice');
    expect(errorOf(res).error).toBe('consent_required');
  });

  it('none: the hook may answer interaction_required, and it is redirected like the others', async () => {
    const auth = createAuthorizationServer({
      clients: [WEB_CLIENT], allowPlaintextSecrets: true, issuer: ISSUER, grants: ['authorization_code'],
      authorization: {
        authenticateUser: (_req, _res, ctx) => {
          if (ctx.prompt.includes('none')) throw new errors.InteractionRequiredError({ description: 'choose an account' });
          return undefined;
        },
        renderConsent: () => undefined,
      },
    });
    const server = express().use('/oauth2', auth.router());
    const res = await request(server).get(authorizePath(webRequest({ prompt: 'none' })));
    expect(errorOf(res).error).toBe('interaction_required');
    expect(redirectParams(res).get('error_description')).toBe('choose an account');
  });

  it('consent shows the consent page even when the user approved before', async () => {
    const { server } = app();
    await consentOnce(server);
    const remembered = await request(server).get(authorizePath(webRequest())).set('x-session', 'alice');
    expect(redirectParams(remembered).get('code')).toEqual(expect.any(String));
    const forced = await request(server).get(authorizePath(webRequest({ prompt: 'consent' }))).set('x-session', 'alice');
    expect(forced.status).toBe(200);
    expect(forced.body.consent.scope).toEqual(['openid', '/accounts.read']);
  });

  it('login tells the hook forceLogin, sends the browser to sign in with a stamped returnTo, and accepts the sign-in on return', async () => {
    const { server, contexts, signer } = app();
    const first = await request(server).get(authorizePath(webRequest({ prompt: 'login', login_hint: 'alice@example.com' }))).set('x-session', 'alice');
    expect(first.status).toBe(302);
    expect(first.headers.location).toMatch(/^\/login\?returnTo=/);
    const ctx = contexts.at(-1) as LoginContext;
    expect(ctx).toMatchObject({ prompt: ['login'], forceLogin: true, loginHint: 'alice@example.com' });
    expect(Math.abs((ctx.authenticatedAfter as number) - Date.now() / 1000)).toBeLessThan(5);
    const returnTo = new URL(ctx.returnTo, 'http://x');
    expect(returnTo.searchParams.get('prompt')).toBe('login');
    expect(returnTo.searchParams.get('keyturn_sign_in')).toMatch(/^[0-9]+\.[A-Za-z0-9_-]{43}$/);

    // The user signs in now, and the browser comes back to returnTo: no second sign-in is asked for.
    const signedInAt = Math.floor(Date.now() / 1000);
    const back = await request(server).get(ctx.returnTo).set('x-session', 'alice').set('x-signed-in-at', String(signedInAt));
    expect(contexts.at(-1)).toMatchObject({ forceLogin: false, authenticatedAfter: (ctx.authenticatedAfter as number) });
    expect(back.status).toBe(200); // the consent page
    const cookie = (([] as string[]).concat(back.headers['set-cookie'] ?? [])[0] as string).split(';')[0] as string;
    const decided = await postConsent(server, { ...back.body.consent, cookie, setCookie: cookie }, 'allow').set('x-session', 'alice').set('x-signed-in-at', String(signedInAt));
    const code = new URL(decided.headers.location as string).searchParams.get('code') as string;
    const token = await request(server).post('/oauth2/token').set('Authorization', basic('web-app', 'web-secret')).type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER });
    const claims = jwt.verify(token.body.id_token, signer.publicKey, { algorithms: ['ES256'], issuer: ISSUER, audience: 'web-app' }) as jwt.JwtPayload;
    expect(claims.auth_time).toBe(signedInAt);
  });

  it('login: a stamp that is forged, or made for another request, does not count', async () => {
    const { server, contexts } = app();
    await request(server).get(authorizePath(webRequest({ prompt: 'login' }))).set('x-session', 'alice');
    const stamp = new URL((contexts.at(-1) as LoginContext).returnTo, 'http://x').searchParams.get('keyturn_sign_in') as string;
    await request(server).get(authorizePath(webRequest({ prompt: 'login', state: 'other', keyturn_sign_in: stamp }))).set('x-session', 'alice');
    expect(contexts.at(-1)).toMatchObject({ forceLogin: true });
    const forged = `${Number(stamp.split('.')[0]) - 3600}.${stamp.split('.')[1]}`;
    await request(server).get(authorizePath(webRequest({ prompt: 'login', keyturn_sign_in: forged }))).set('x-session', 'alice');
    expect(contexts.at(-1)).toMatchObject({ forceLogin: true });
  });

  it('login: a hook that returns the old session anyway gets login_required, not an id_token with an old auth_time', async () => {
    const { server } = app({ ignoreRequirements: true });
    const res = await request(server).get(authorizePath(webRequest({ prompt: 'login' }))).set('x-session', 'alice');
    expect(errorOf(res).error).toBe('login_required');
  });

  it.each([
    ['an unknown value', 'login bogus'],
    ['none with another value', 'none login'],
    ['none with consent', 'consent none'],
    ['wrong case', 'Login'],
  ])('%s is invalid_request, redirected', async (_name, prompt) => {
    const { server } = app();
    const res = await request(server).get(authorizePath(webRequest({ prompt }))).set('x-session', 'alice');
    expect(errorOf(res)).toEqual({ error: 'invalid_request', state: 'af0ifjsldkj', iss: ISSUER });
    expect(redirectParams(res).get('error_description')).toMatch(/prompt/);
  });

  it('select_account and repeated spaces pass through to the hook', async () => {
    const { server, contexts } = app();
    await request(server).get(authorizePath(webRequest({ prompt: 'select_account  consent' }))).set('x-session', 'alice');
    expect(contexts.at(-1)).toMatchObject({ prompt: ['select_account', 'consent'], forceLogin: false });
    expect(contexts.at(-1)).not.toHaveProperty('authenticatedAfter');
  });
});

describe('OpenID Connect Core §3.1.2.1: max_age and login_hint', () => {
  it('a session younger than max_age is accepted, and the hook is told max_age and the time it allows', async () => {
    const { server, contexts } = app();
    const at = Math.floor(Date.now() / 1000) - 30;
    const res = await request(server).get(authorizePath(webRequest({ max_age: '300' }))).set('x-session', 'alice').set('x-signed-in-at', String(at));
    expect(res.status).toBe(200); // consent page: the session was recent enough
    const ctx = contexts.at(-1) as LoginContext;
    expect(ctx).toMatchObject({ maxAge: 300, forceLogin: false });
    expect(Math.abs((ctx.authenticatedAfter as number) - (Date.now() / 1000 - 300))).toBeLessThan(5);
  });

  it('a session older than max_age is sent to sign in again; max_age=0 forces it', async () => {
    const { server, contexts } = app();
    const old = await request(server).get(authorizePath(webRequest({ max_age: '60' }))).set('x-session', 'alice');
    expect([old.status, old.headers.location]).toEqual([302, expect.stringMatching(/^\/login\?/)]);
    await request(server).get(authorizePath(webRequest({ max_age: '0' }))).set('x-session', 'alice').set('x-signed-in-at', String(Math.floor(Date.now() / 1000) - 1));
    expect(contexts.at(-1)).toMatchObject({ maxAge: 0, forceLogin: true });
  });

  it('max_age with prompt=none and an old session: login_required', async () => {
    const { server } = app();
    const res = await request(server).get(authorizePath(webRequest({ max_age: '60', prompt: 'none' }))).set('x-session', 'alice');
    expect(errorOf(res).error).toBe('login_required');
  });

  it.each([['-1'], ['1.5'], ['ten'], ['1e3'], ['12345678901'], [' 5']])('max_age=%p is invalid_request, redirected', async (maxAge) => {
    const { server } = app();
    const res = await request(server).get(authorizePath(webRequest({ max_age: maxAge }))).set('x-session', 'alice');
    expect(errorOf(res).error).toBe('invalid_request');
    expect(redirectParams(res).get('error_description')).toBe('max_age must be a non-negative integer of seconds');
  });

  it('a repeated max_age or prompt is invalid_request; an over-long login_hint too', async () => {
    const { server } = app();
    const base = authorizePath(webRequest());
    expect(errorOf(await request(server).get(`${base}&max_age=5&max_age=6`)).error).toBe('invalid_request');
    expect(errorOf(await request(server).get(`${base}&prompt=none&prompt=login`)).error).toBe('invalid_request');
    expect(errorOf(await request(server).get(authorizePath(webRequest({ login_hint: 'x'.repeat(513) })))).error).toBe('invalid_request');
  });

  it('PKCE and the other checks still come first', async () => {
    const { server } = app();
    const res = await request(server).get(authorizePath(webRequest({ code_challenge: undefined, code_challenge_method: undefined, prompt: 'none' })));
    expect(errorOf(res).error).toBe('invalid_request');
    expect(redirectParams(res).get('error_description')).toMatch(/code_challenge/);
  });
});
