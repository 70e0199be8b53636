// Drives the whole flow over HTTP the way a browser and a native app would, without either: authorize,
// sign in, consent, the redirect with the code, the token request with the PKCE verifier, the API call.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

export async function selfTest(issuer: string, clientId: string, redirectUri: string): Promise<void> {
  const jar = new Map<string, string>(); // the browser's cookies, enough for one host
  const send = async (url: string, init: RequestInit = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(new URL(url, issuer), { ...init, redirect: 'manual', headers: { cookie } });
    for (const c of res.headers.getSetCookie()) jar.set(c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1, c.indexOf(';')));
    return res;
  };
  const verifier = randomBytes(32).toString('base64url'); // PKCE (RFC 7636 §4.1, §4.2): the app keeps it secret
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'notes.read', state });

  let res = await send(`/oauth2/authorize?${query}&code_challenge=${challenge}&code_challenge_method=S256`);
  assert.equal(res.status, 302); // not signed in: to the app's login page
  const login = new URL(res.headers.get('location') ?? '', issuer);
  assert.equal(login.pathname, '/login');

  const returnTo = login.searchParams.get('returnTo') ?? '';
  res = await send('/login', { method: 'POST', body: new URLSearchParams({ username: 'alice', password: 'wonderland', returnTo }) });
  assert.equal(res.status, 303);
  res = await send(res.headers.get('location') ?? ''); // the authorization request again, now signed in: consent
  const page = await res.text();
  assert.equal(res.status, 200, page);
  const action = /action="([^"]+)"/.exec(page)?.[1] ?? '';
  const fields = [...page.matchAll(/type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m): [string, string] => [m[1] ?? '', m[2] ?? '']);

  res = await send(action, { method: 'POST', body: new URLSearchParams([...fields, ['decision', 'allow']]) });
  assert.equal(res.status, 303);
  const callback = new URL(res.headers.get('location') ?? '');
  assert.equal(`${callback.origin}${callback.pathname}`, redirectUri);
  assert.equal(callback.searchParams.get('state'), state);
  assert.equal(callback.searchParams.get('iss'), issuer); // RFC 9207

  const code = callback.searchParams.get('code') ?? '';
  const exchange = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId });
  exchange.set('code_verifier', verifier); // proves this is the app that started the flow
  res = await send('/oauth2/token', { method: 'POST', body: exchange });
  const tokens = (await res.json()) as { access_token: string; scope: string };
  assert.equal(res.status, 200, JSON.stringify(tokens));
  assert.equal(tokens.scope, 'notes.read');
  const notes = () => fetch(`${issuer}/notes`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  res = await notes();
  assert.deepEqual(await res.json(), { owner: 'alice', notes: [] });

  // A code is good once; a second use also revokes what the first one got (RFC 6749 §4.1.2).
  res = await send('/oauth2/token', { method: 'POST', body: exchange });
  assert.equal(res.status, 400);
  assert.equal((await notes()).status, 401);
}
