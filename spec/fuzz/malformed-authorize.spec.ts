// Bad input at GET /authorize (RFC 6749 §4.1.2.1): while the client or its redirect URI cannot be trusted the
// answer is an HTML error page and never a redirect; once both are trusted, errors go back to that exact
// registered URI with `error`, `iss` and never a `code`. Random malformed authorization requests, each built
// with at least one defect, must never be a 500, never leak a stack, never echo markup, and never redirect
// anywhere but a URI the named client registered. The PRNG is seeded (FUZZ_SEED replays a failure).
import request from 'supertest';
import { buildAuthorizeApp, CHALLENGE, MACHINE_CLIENT, NO_REDIRECT_CLIENT, SPA_CLIENT, WEB_CLIENT } from '../support/authorize';
import { fuzz, fuzzSeed, STACK } from '../support/fuzz';

const SEED = fuzzSeed(20261124);
const CASES = 200;
const CLIENTS = [WEB_CLIENT, SPA_CLIENT, MACHINE_CLIENT, NO_REDIRECT_CLIENT];
const XSS = '<script>alert(1)</script>';

type Expect = 'page' | 'redirect' | 'json';
interface Case {
  expect: Expect;
  query: Array<[string, string]>;
  method?: 'post' | 'put' | 'delete';
  raw?: string;
}

describe(`fuzz: ${CASES} malformed authorization requests (seed ${SEED})`, () => {
  const f = fuzz(SEED);
  const { app, store } = buildAuthorizeApp();
  const evilUris = () =>
    f.pick([
      'https://evil.example/cb',
      'https://client.example/cb/../evil',
      'https://client.example/cb?x=1',
      'https://client.example/cb#frag',
      'https://client.example/cb/',
      'https://client.example/CB',
      'https://CLIENT.example/cb',
      'https://client.example.evil.example/cb',
      'https://client.example@evil.example/cb',
      'http://client.example/cb',
      'javascript:alert(1)//https://client.example/cb',
      '//evil.example/cb',
      ' https://client.example/cb',
      'https://client.example/cb ',
      'https://client.example/cb2',
      'https://client.example/cb2?tenant=b',
      'https://spa.example/callback',
      f.junk(40) || 'x',
      XSS,
    ]);
  // A complete, valid request for the web client, to spoil in one or more ways.
  const valid = (): Array<[string, string]> => [
    ['response_type', 'code'],
    ['client_id', WEB_CLIENT.clientId],
    ['redirect_uri', f.pick(WEB_CLIENT.redirectUris ?? [])],
    ['scope', f.pick(['openid /accounts.read', '/accounts.write', '/accounts.read'])],
    ['state', f.printable(20) || 's'],
    ['code_challenge', CHALLENGE],
    ['code_challenge_method', 'S256'],
  ];
  const without = (q: Array<[string, string]>, name: string) => q.filter(([n]) => n !== name);
  const set = (q: Array<[string, string]>, name: string, value: string): Array<[string, string]> => [...without(q, name), [name, value]];

  const generators: Array<() => Case> = [
    // Before trust: a page.
    () => ({ expect: 'page', query: without(valid(), 'client_id') }),
    () => ({ expect: 'page', query: set(valid(), 'client_id', f.pick([f.junk(30) || 'x', XSS, 'web-app ', 'WEB-APP', f.printable(200) || 'y'])) }),
    () => ({ expect: 'page', query: [...valid(), ['client_id', f.pick([WEB_CLIENT.clientId, SPA_CLIENT.clientId, 'x'])]] }),
    () => ({ expect: 'page', query: set(valid(), 'redirect_uri', evilUris()) }),
    () => ({ expect: 'page', query: [...valid(), ['redirect_uri', evilUris()]] }),
    () => ({ expect: 'page', query: without(valid(), 'redirect_uri') }),
    () => ({ expect: 'page', query: set(set(valid(), 'client_id', NO_REDIRECT_CLIENT.clientId), 'redirect_uri', f.pick([...(WEB_CLIENT.redirectUris ?? []), evilUris()])) }),
    () => ({ expect: 'page', query: set(set(valid(), 'client_id', SPA_CLIENT.clientId), 'redirect_uri', f.pick([...(WEB_CLIENT.redirectUris ?? []), ...(MACHINE_CLIENT.redirectUris ?? [])])) }),
    // After trust: a redirect to the registered URI with an error.
    () => ({ expect: 'redirect', query: f.random() < 0.3 ? without(valid(), 'response_type') : set(valid(), 'response_type', f.pick(['token', 'code id_token', 'CODE', 'id_token', f.printable(20) || 'c', XSS])) }),
    () => ({ expect: 'redirect', query: set(valid(), 'scope', f.pick([`/accounts.read "${f.printable(4)}`, '/admin', 'openid \\x', `/accounts.read ${f.junk(6).replace(/[\x20-\x7e]/g, '') || '\u00e9'}`, XSS])) }),
    () => ({ expect: 'redirect', query: without(without(without(set(valid(), 'client_id', SPA_CLIENT.clientId), 'redirect_uri'), 'code_challenge'), 'code_challenge_method') }),
    () => ({ expect: 'redirect', query: set(valid(), 'code_challenge_method', f.pick(['plain', 'S512', 's256', f.printable(10) || 'm'])) }),
    () => ({ expect: 'redirect', query: set(valid(), 'code_challenge', f.pick([CHALLENGE.slice(1), `${CHALLENGE}=`, f.printable(50) || 'c', 'x'.repeat(129), `${CHALLENGE.slice(0, 42)}+`])) }),
    () => ({ expect: 'redirect', query: [...valid(), ['nonce', 'n'.repeat(513 + f.int(2000))]] }),
    () => ({ expect: 'redirect', query: [...valid(), [f.pick(['state', 'scope', 'response_type', 'code_challenge', 'code_challenge_method']), f.printable(10) || 'v']] }),
    () => ({ expect: 'redirect', query: set(set(valid(), 'client_id', MACHINE_CLIENT.clientId), 'redirect_uri', 'https://machine.example/cb') }),
    () => ({ expect: 'redirect', query: without(valid(), 'code_challenge') }),
    // RFC 8707 §2 resource indicators: malformed, repeated many times, huge, or not the client's: invalid_target, redirected.
    () => {
      // Many short values, or a few that may be long: a URL within what Node's HTTP parser accepts (16 KiB of head).
      const many = f.random() < 0.3;
      const values = many ? ['/r', 'a.example', 'https://api.example/', 'urn:x'] : ['/relative', 'api.example', 'https://api.example/#frag', 'https://api.example/', `https://api.example/${'x'.repeat(2000 + f.int(4000))}`, XSS, f.junk(20) || 'r'];
      return { expect: 'redirect', query: [...valid(), ...Array.from({ length: 1 + f.int(many ? 300 : 3) }, (): [string, string] => ['resource', f.pick(values)])] };
    },
    // Another method on /authorize: the router's 405.
    () => ({ expect: 'json', query: valid(), method: f.pick(['post', 'put', 'delete'] as const) }),
    // A query string of junk, percent-escapes that decode to nothing, nested-looking names.
    () => ({
      expect: 'page',
      query: [],
      raw: f.pick([
        encodeURI(f.printable(80)).replace(/#/g, '%23'),
        'client_id=%E0%A4%A&redirect_uri=%',
        'client_id[]=web-app&redirect_uri=https%3A%2F%2Fclient.example%2Fcb',
        '__proto__=x&constructor=y&client_id[$ne]=1',
        `client_id=${'%25'.repeat(500)}`,
      ]),
    }),
  ];

  it('is never a 500, and never a redirect to anything but the named client\'s registered URI', async () => {
    for (let i = 0; i < CASES; i++) {
      const generator = i % generators.length;
      const c = (generators[generator] as () => Case)();
      const query = c.raw ?? new URLSearchParams(c.query).toString();
      const path = `/oauth2/authorize?${query}`;
      const res = await request(app)[c.method ?? 'get'](path).set('x-test-user', 'alice');
      const context = `case ${i} (generator ${generator}): ${path.slice(0, 300)}`;
      const location = res.headers.location as string | undefined;
      const got = location === undefined ? (String(res.headers['content-type']).startsWith('text/html') ? 'page' : 'json') : 'redirect';
      expect({ context, status: res.status < 500, got }).toEqual({ context, status: true, got: c.expect });
      expect(res.text).not.toMatch(STACK);
      expect(res.text).not.toContain('<script>');
      if (got === 'redirect') {
        const named = new URLSearchParams(query).get('client_id');
        const registered = CLIENTS.find((client) => client.clientId === named)?.redirectUris ?? [];
        const base = registered.find((uri) => location?.startsWith(`${uri}${uri.includes('?') ? '&' : '?'}`));
        expect({ context, location, registered: base !== undefined }).toEqual({ context, location, registered: true });
        const answer = new URL(location as string).searchParams;
        expect({ context, error: answer.get('error') !== null, code: answer.get('code') }).toEqual({ context, error: true, code: null });
        expect(answer.get('iss')).toBe('https://auth.example.com/oauth2');
        if (new URLSearchParams(query).has('resource') && answer.get('error') !== 'invalid_request') expect({ context, error: answer.get('error') }).toEqual({ context, error: 'invalid_target' });
        expect(res.status).toBe(302);
      } else {
        expect({ context, status: res.status >= 400 && res.status < 500 }).toEqual({ context, status: true });
        expect(res.headers['cache-control']).toBe('no-store');
        if (got === 'json') expect(typeof res.body.error).toBe('string');
      }
    }
    // No request got as far as consent: nothing was remembered for the user.
    for (const client of CLIENTS) expect(await store.findConsent('alice', client.clientId)).toBeUndefined();
  });
});
