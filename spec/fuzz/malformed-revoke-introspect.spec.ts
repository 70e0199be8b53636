// Bad input gets a clear error at POST /revoke (RFC 7009) and POST /introspect (RFC 7662) too: random
// malformed requests against the demo app, each built with at least one defect, must all be answered with a
// 4xx, a JSON error body, `Cache-Control: no-store` and no stack. None of them may change what the server
// holds: the live access and refresh tokens they aim at stay active. No response and no audit event may carry
// a token or the client secret. The PRNG is seeded (FUZZ_SEED replays a failure); the seed is in the title.
import request from 'supertest';
import { buildApp, type DemoApp } from '../../example-app/app';
import { loadConfigFile } from '../../example-app/config';
import { basic } from '../support/app';
import { fuzz, fuzzSeed, STACK } from '../support/fuzz';

const SEED = fuzzSeed(20261123);
const CASES = 150;
const ID = '5clTR_MdVrrkgxw2';
const SECRET = 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-';
const GOOD_AUTH = basic(ID, SECRET);
const FORM = 'application/x-www-form-urlencoded';

interface Case {
  method?: 'put' | 'get' | 'delete' | 'patch';
  contentType?: string;
  authorization?: string;
  body?: string;
}

function generators(f: ReturnType<typeof fuzz>, tokens: { access: string; refresh: string }) {
  const real = () => f.pick([tokens.access, tokens.refresh]);
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const hint = () => f.pick(['access_token', 'refresh_token', f.printable(12)]);
  const list: Array<() => Case> = [
    // Not a body format the endpoint reads.
    () => ({ contentType: f.pick(['text/plain', 'application/xml', 'multipart/form-data', 'application/jsonx', 'image/png']), authorization: GOOD_AUTH, body: form({ token: real() }) }),
    // Not JSON at all.
    () => ({ contentType: 'application/json', authorization: GOOD_AUTH, body: `{"token":${f.junk(60)}` }),
    // JSON values that are not strings.
    () => ({ contentType: 'application/json', authorization: GOOD_AUTH, body: JSON.stringify({ token: f.pick([1, true, null, [], {}, [real()], { $ne: null }]) }) }),
    // JSON that is not an object.
    () => ({ contentType: 'application/json', authorization: GOOD_AUTH, body: JSON.stringify(f.pick([[], 'token', 42, null, [real()]])) }),
    // token repeated.
    () => ({ contentType: FORM, authorization: GOOD_AUTH, body: `token=${encodeURIComponent(real())}&token=${encodeURIComponent(f.junk(20) || 'x')}` }),
    // token missing or empty.
    () => ({ contentType: FORM, authorization: GOOD_AUTH, body: f.pick(['', 'token=', `token_type_hint=${encodeURIComponent(hint())}`, `tok=${encodeURIComponent(real())}`]) }),
    // Basic credentials that decode to junk.
    () => ({ contentType: FORM, authorization: `Basic ${Buffer.from(f.junk(40)).toString('base64')}`, body: form({ token: real(), token_type_hint: hint() }) }),
    // Another scheme, or a scheme with junk after it.
    () => ({ contentType: FORM, authorization: `${f.pick(['Basic', 'basic', 'Bearer', 'Digest', 'Negotiate'])} ${f.printable(40)}`, body: form({ token: real() }) }),
    // The right client with a wrong secret, in the body.
    () => ({ contentType: f.pick([FORM, 'application/json']), body: 'placeholder', ...wrongSecret() }),
    // Too large.
    () => ({ contentType: f.pick([FORM, 'application/json']), authorization: GOOD_AUTH, body: `{"token":"${real()}","pad":"${'x'.repeat(17_000 + f.int(5000))}"}` }),
    // A charset body-parser cannot read.
    () => ({ contentType: `application/json; charset=${f.pick(['latin2', 'utf-16', 'ebcdic', 'x'])}`, authorization: GOOD_AUTH, body: JSON.stringify({ token: real() }) }),
    // Basic and body credentials that disagree.
    () => ({ contentType: FORM, authorization: GOOD_AUTH, body: form({ token: real(), client_id: ID, client_secret: f.printable(20) || 'y' }) }),
    // client_id in the body naming another client than the Basic header.
    () => ({ contentType: FORM, authorization: GOOD_AUTH, body: form({ token: real(), client_id: f.pick(['bank-demo-client', 'falcon-demo-client', f.printable(16) || 'z']) }) }),
    // An unknown client.
    () => ({ contentType: FORM, body: form({ token: real(), client_id: f.junk(20) || 'x', client_secret: f.junk(20) || 'y' }) }),
    // No client authentication at all.
    () => ({ contentType: f.pick([FORM, 'application/json']), body: f.pick([form({ token: real() }), JSON.stringify({ token: real(), token_type_hint: hint() })]) }),
    // Too many parameters.
    () => ({ contentType: FORM, authorization: GOOD_AUTH, body: `token=${encodeURIComponent(real())}&${Array.from({ length: 150 }, (_, i) => `p${i}=1`).join('&')}` }),
    // The wrong method.
    () => ({ method: f.pick(['put', 'get', 'delete', 'patch'] as const), contentType: FORM, authorization: GOOD_AUTH, body: form({ token: real() }) }),
    // A JSON client_id that is an object (operator injection).
    () => ({ contentType: 'application/json', body: JSON.stringify({ token: real(), client_id: { $ne: null }, client_secret: SECRET }) }),
  ];
  function wrongSecret(): Case {
    const secret = f.pick([SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase(), f.printable(30) || 'q']);
    return { body: f.random() < 0.5 ? form({ token: real(), client_id: ID, client_secret: secret }) : JSON.stringify({ token: real(), client_id: ID, client_secret: secret }) };
  }
  return list;
}

describe.each(['revoke', 'introspect'] as const)(`fuzz: ${CASES} malformed POST /%s requests (seed ${SEED})`, (endpoint) => {
  let demo: DemoApp;
  let tokens: { access: string; refresh: string };
  const events: unknown[] = [];

  beforeAll(async () => {
    // Every case comes from the client's own address and many name its id with a wrong secret, which would lock
    // that pair: the lockout is specified elsewhere, so here its budgets are wider than the sweep.
    const config = await loadConfigFile('example-app/config.json');
    demo = buildApp({ ...config, lockout: { maxFailures: 1000, addressMaxFailures: 1000 } });
    for (const name of ['token.issued', 'token.refreshed', 'token.revoked', 'refresh.reuse_detected', 'client.auth_failed', 'rate_limited'] as const) {
      demo.auth.events.on(name, (e: unknown) => events.push({ name, e }));
    }
    const issued = await request(demo.app).post('/oauth2/token').set('Authorization', GOOD_AUTH).type('form').send({ grant_type: 'client_credentials', scope: '/accounts.read' });
    expect(issued.status).toBe(200);
    tokens = { access: issued.body.access_token, refresh: issued.body.refresh_token };
    expect(typeof tokens.refresh).toBe('string');
  });

  afterAll(() => demo.auth.close());

  it('every one gets a 4xx with a JSON error, no-store and no stack, and changes nothing', async () => {
    const f = fuzz(SEED + (endpoint === 'revoke' ? 0 : 1));
    const list = generators(f, tokens);
    for (let i = 0; i < CASES; i++) {
      const c = (list[i % list.length] as () => Case)();
      let req = request(demo.app)[c.method ?? 'post'](`/oauth2/${endpoint}`);
      if (c.contentType !== undefined) req = req.set('Content-Type', c.contentType);
      if (c.authorization !== undefined) req = req.set('Authorization', c.authorization);
      const res = await req.send(c.body ?? '');
      const context = `case ${i} (generator ${i % list.length}): ${JSON.stringify({ ...c, body: String(c.body).slice(0, 100) })}`;
      expect({ context, status: res.status >= 400 && res.status < 500 }).toEqual({ context, status: true });
      expect({ context, type: res.headers['content-type'] }).toEqual({ context, type: expect.stringMatching(/^application\/json/) });
      expect({ context, error: typeof res.body.error }).toEqual({ context, error: 'string' });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).not.toMatch(STACK);
      for (const secret of [tokens.access, tokens.refresh, SECRET]) expect(res.text).not.toContain(secret);
    }

    // Nothing was revoked: both tokens still introspect as active for their client.
    for (const token of [tokens.access, tokens.refresh]) {
      const res = await request(demo.app).post('/oauth2/introspect').set('Authorization', GOOD_AUTH).type('form').send({ token });
      expect(res.body).toMatchObject({ active: true, client_id: ID });
    }
    expect(events.filter((e) => (e as { name: string }).name === 'token.revoked')).toEqual([]);
    const logged = JSON.stringify(events);
    for (const secret of [tokens.access, tokens.refresh, SECRET]) expect(logged).not.toContain(secret);
  });
});
