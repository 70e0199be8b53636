// Bad input at POST /authorize/consent (RFC 6749 §4.1.2.1, §10.12): until the transaction is intact, the CSRF
// token matches the browser's cookie and the signed-in user is the one the page was shown to, errors are an
// HTML page; after that, they go back to the transaction's registered redirect URI, never with a code.
// Random malformed consent posts, each with at least one defect, must never be a 500 or leak a stack, must
// not remember a consent or issue a code, and must leave the genuine form answerable. The PRNG is seeded
// (FUZZ_SEED replays a failure).
import request from 'supertest';
import { buildAuthorizeApp, openConsent, webRequest, type ConsentPage } from '../support/authorize';
import { fuzz, fuzzSeed, STACK } from '../support/fuzz';

const SEED = fuzzSeed(20261125);
const CASES = 150;
const FORM = 'application/x-www-form-urlencoded';

type Expect = 'page' | 'redirect';
interface Case {
  expect: Expect;
  contentType?: string;
  cookie?: string;
  user?: string;
  body: string;
}

describe(`fuzz: ${CASES} malformed consent posts (seed ${SEED})`, () => {
  const f = fuzz(SEED);
  const { app, store } = buildAuthorizeApp();
  let page: ConsentPage;
  let other: ConsentPage;

  beforeAll(async () => {
    page = await openConsent(app, webRequest({ state: 'genuine' }));
    // A second browser's page: its own transaction, CSRF token and cookie.
    other = await openConsent(app, webRequest({ state: 'other' }));
    expect(other.cookie).not.toBe(page.cookie);
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const spoil = (value: string) => {
    const at = f.int(value.length);
    const c = value[at] === 'A' ? 'B' : 'A';
    return f.pick([
      `${value.slice(0, at)}${c}${value.slice(at + 1)}`,
      value.slice(0, f.int(value.length)),
      `${value}${f.pick(['A', '.', '=', '..'])}`,
      value.includes('.') ? value.split('.').reverse().join('.') : `${value}.`,
    ]);
  };

  function generators(): Array<() => Case> {
    const fields = () => ({ ...page.fields, decision: 'allow' });
    return [
      () => ({ expect: 'page', body: form({ csrf_token: page.fields.csrf_token as string, decision: 'allow' }) }),
      () => ({ expect: 'page', body: form({ ...fields(), transaction: spoil(page.fields.transaction as string) }) }),
      () => ({ expect: 'page', body: form({ ...fields(), transaction: f.pick([f.junk(80) || 'x', f.printable(200) || 'y', '.', 'a.b', `${f.b64url(300)}.${f.b64url(32)}`]) }) }),
      () => ({ expect: 'page', body: form({ ...fields(), csrf_token: f.pick(['', spoil(page.fields.csrf_token as string), other.fields.csrf_token as string, f.printable(43)]) }) }),
      () => ({ expect: 'page', cookie: f.pick(['', 'keyturn_csrf=', `keyturn_csrf=${f.b64url(32)}`, other.cookie, `x=${f.printable(20)}`]), body: form(fields()) }),
      () => ({ expect: 'page', cookie: other.cookie, body: form({ ...fields(), csrf_token: other.fields.csrf_token as string }) }),
      () => ({ expect: 'page', user: f.pick(['bob', 'Alice', 'alice2', `x${f.printable(10)}`]), body: form(fields()) }),
      () => ({ expect: 'page', contentType: f.pick(['text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencodedx']), body: form(fields()) }),
      () => ({ expect: 'page', contentType: 'application/json', body: JSON.stringify({ ...fields(), [f.pick(['transaction', 'csrf_token', 'decision'])]: f.pick([1, true, null, [], {}, ['allow']]) }) }),
      () => ({ expect: 'page', contentType: 'application/json', body: f.pick([`{"transaction":${f.junk(40)}`, '[]', '"allow"', 'null']) }),
      () => ({ expect: 'page', body: `${form(fields())}&transaction=${encodeURIComponent(page.fields.transaction as string)}` }),
      () => ({ expect: 'page', body: `${form(fields())}&pad=${'x'.repeat(17_000 + f.int(5000))}` }),
      () => ({ expect: 'page', body: `${form(fields())}&${Array.from({ length: 120 }, (_, i) => `p${i}=1`).join('&')}` }),
      // Everything checks out but the decision: back to the client with invalid_request.
      () => ({ expect: 'redirect', body: f.random() < 0.3 ? form(page.fields) : form({ ...page.fields, decision: f.pick(['ALLOW', 'yes', 'allow ', f.printable(10) || 'x', '1']) }) }),
      // A repeated parameter is refused while the body is read, before the transaction is trusted: a page.
      () => ({ expect: 'page', body: `${form(page.fields)}&decision=allow&decision=allow` }),
    ];
  }

  it('is never a 500, never a code, and leaves the genuine form answerable', async () => {
    const list = generators();
    for (let i = 0; i < CASES; i++) {
      const generator = i % list.length;
      const c = (list[generator] as () => Case)();
      const res = await request(app)
        .post(page.action)
        .set('Content-Type', c.contentType ?? FORM)
        .set('Cookie', c.cookie ?? page.cookie)
        .set('x-test-user', c.user ?? 'alice')
        .send(c.body);
      const context = `case ${i} (generator ${generator}): ${JSON.stringify({ ...c, body: c.body.slice(0, 120) })}`;
      const location = res.headers.location as string | undefined;
      const got = location === undefined ? 'page' : 'redirect';
      expect({ context, status: res.status < 500, got }).toEqual({ context, status: true, got: c.expect });
      expect(res.text).not.toMatch(STACK);
      expect(res.headers['cache-control']).toBe('no-store');
      if (got === 'redirect') {
        expect({ context, location: location?.startsWith('https://client.example/cb?') }).toEqual({ context, location: true });
        const answer = new URL(location as string).searchParams;
        expect({ context, error: answer.get('error'), code: answer.get('code'), state: answer.get('state') }).toEqual({ context, error: 'invalid_request', code: null, state: 'genuine' });
        expect(res.status).toBe(303);
      } else {
        expect({ context, status: res.status >= 400 && res.status < 500 }).toEqual({ context, status: true });
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.text).not.toContain(page.fields.csrf_token);
      }
    }
    expect(await store.findConsent('alice', 'web-app')).toBeUndefined();

    // The genuine form still works after all that.
    const res = await request(app).post(page.action).set('Cookie', page.cookie).set('x-test-user', 'alice').type('form').send({ ...page.fields, decision: 'allow' });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.location as string).searchParams.get('code')).toEqual(expect.any(String));
  });
});
