// Bad credentials at a route protected by auth.bearer() (RFC 6750 §2, §3): random malformed Authorization
// headers, tokens of random shapes, JWT-looking garbage, unsigned (alg none) and algorithm-confused tokens and
// huge headers, each with at least one defect, must all be answered with a 4xx, a JSON error body and a
// `WWW-Authenticate: Bearer` challenge on 401, never a 500 or a stack; nothing may echo the presented token,
// neither the response nor (with an onError hook) the error's description or detail; and a refused write must
// not happen. Runs against the demo app (opaque tokens) and an app issuing JWTs. The PRNG is seeded
// (FUZZ_SEED replays a failure).
import { createPublicKey } from 'node:crypto';
import express, { type Express } from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { buildApp } from '../../example-app/app';
import { loadConfigFile } from '../../example-app/config';
import { createAuthorizationServer, type AuthorizationServer } from '../../lib';
import { type OAuthError } from '../../lib/errors';
import { basic, MOOV_CLIENT, READ_ONLY_CLIENT } from '../support/app';
import { B64URL, fuzz, fuzzSeed, STACK } from '../support/fuzz';

const SEED = fuzzSeed(20261126);
const CASES = 200;

interface Target {
  app: Express;
  auth: AuthorizationServer;
  issuer: string;
  /** A token with /accounts.read only, and one with /accounts.write. */
  reader: string;
  writer: string;
  kid: string;
  publicPem: string;
  errors: OAuthError[];
  /** Reads the accounts the app holds. */
  accounts(): Promise<unknown>;
}

async function tokenOf(app: Express, id: string, secret: string, scope: string): Promise<string> {
  const res = await request(app).post('/oauth2/token').set('Authorization', basic(id, secret)).type('form').send({ grant_type: 'client_credentials', scope });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

async function keyOf(app: Express): Promise<{ kid: string; publicPem: string }> {
  const jwks = await request(app).get('/oauth2/jwks');
  const key = jwks.body.keys[0];
  return { kid: key.kid, publicPem: createPublicKey({ key, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString() };
}

async function demoTarget(): Promise<Target> {
  const { app, auth } = buildApp(await loadConfigFile('example-app/config.json'));
  const reader = await tokenOf(app, 'bank-demo-client', 'bank-demo-secret-change-me', '/accounts.read');
  const writer = await tokenOf(app, '5clTR_MdVrrkgxw2', 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-', '/accounts.write');
  const accounts = async () => (await request(app).get('/accounts').set('Authorization', `Bearer ${reader}`)).body;
  return { app, auth, issuer: 'http://127.0.0.1:3000/oauth2', reader, writer, ...(await keyOf(app)), errors: [], accounts };
}

async function jwtTarget(): Promise<Target> {
  const errors: OAuthError[] = [];
  const issuer = 'https://auth.example.com';
  const auth = createAuthorizationServer({
    clients: [MOOV_CLIENT, READ_ONLY_CLIENT],
    allowPlaintextSecrets: true,
    issuer,
    accessToken: { format: 'jwt' },
    onError: (err) => void errors.push(err),
  });
  const app = express();
  app.use('/oauth2', auth.router());
  const accounts: string[] = [];
  app.get('/accounts', auth.bearer({ scopes: ['/accounts.read'] }), (_req, res) => void res.json({ accounts }));
  app.post('/accounts', auth.bearer({ scopes: ['/accounts.write'] }), (_req, res) => {
    accounts.push('written');
    res.status(201).json({});
  });
  app.use(auth.errorHandler());
  const reader = await tokenOf(app, READ_ONLY_CLIENT.clientId, READ_ONLY_CLIENT.clientSecret as string, '/accounts.read');
  const writer = await tokenOf(app, MOOV_CLIENT.clientId, MOOV_CLIENT.clientSecret as string, '/accounts.write');
  return { app, auth, issuer, reader, writer, ...(await keyOf(app)), errors, accounts: async () => ({ accounts }) };
}

interface Case {
  method: 'get' | 'post';
  authorization?: string;
  /** The token inside the header, when there is one worth looking for in the answer. */
  token?: string;
}

function generators(f: ReturnType<typeof fuzz>, t: Target): Array<() => Case> {
  const seg = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = () => ({ iss: t.issuer, sub: 'x', aud: t.issuer, exp: now + 600, iat: now, jti: f.b64url(16) || 'j', client_id: MOOV_CLIENT.clientId, scope: '/accounts.read /accounts.write' });
  const method = () => f.pick(['get', 'post'] as const);
  const bearer = (token: string): Case => ({ method: method(), authorization: `${f.pick(['Bearer', 'bearer', 'BEARER'])} ${token}`, token });
  const latin1 = (max: number) => Array.from({ length: f.int(max) }, () => String.fromCharCode(f.pick([0x20 + f.int(0x5f), 0x80 + f.int(0x80), 0x09]))).join('');
  return [
    () => ({ method: method() }),
    () => ({ method: method(), authorization: `${f.pick(['Basic', 'Digest', 'Token', 'Bearerx', 'MAC', 'DPoP', 'Negotiate'])} ${f.printable(60)}` }),
    () => ({ method: method(), authorization: f.pick(['Bearer', 'Bearer ', 'Bearer   ', 'bearer\t', 'Bearer\tabc']) }),
    () => ({ method: method(), authorization: `Bearer ${f.pick(['"', ',', ' x', '\\', '@', ';', '(', '%'])}${latin1(40)}${f.b64url(20)}` }),
    () => bearer(f.from(`${B64URL}.~+/`, 1 + f.int(300)) + '='.repeat(f.int(3))),
    () => bearer(f.b64url(32) || 'a'),
    () => bearer(`${f.from(B64URL, 22)}.${f.from(B64URL, 43)}`),
    () => bearer(`${f.b64url(60) || 'a'}.${f.b64url(200) || 'b'}.${f.b64url(80) || 'c'}`),
    () => bearer(`${seg(f.pick([{ alg: 'none', typ: 'at+jwt', kid: t.kid }, { alg: 'none' }, { alg: 'NONE', typ: 'at+jwt' }]))}.${seg(claims())}.${f.pick(['', 'x', seg('sig')])}`),
    () => bearer(`${seg(f.pick([[], 'x', 1, null, { alg: 1 }, { alg: 'ES256', kid: 7, typ: 'at+jwt' }, { alg: 'ES256', typ: 'JWT', kid: t.kid }, { alg: 'ES256', typ: 'at+jwt', kid: 'k'.repeat(2000) }, { alg: f.printable(30), typ: 'at+jwt' }]))}.${seg(claims())}.${f.b64url(64) || 's'}`),
    () => bearer(`${seg({ alg: 'ES256', typ: 'at+jwt', kid: t.kid })}.${seg(f.pick([claims(), { ...claims(), exp: 'never' }, [], '{', { ...claims(), scope: ['/accounts.write'] }]))}.${f.b64url(64) || 's'}`),
    // Algorithm confusion: HS256 "signed" with the server's public key.
    () => bearer(jwt.sign(claims(), t.publicPem, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt', kid: t.kid } as jwt.JwtHeader })),
    () => bearer('a'.repeat(4000 + f.int(8000))),
    () => ({ method: method(), authorization: `Bearer ${'x'.repeat(100)} ${'y'.repeat(3000 + f.int(8000))}` }),
    // A real token spoiled: extended, cut, doubled, or offered as another scheme.
    () => bearer(f.pick([`${t.writer}${f.from(B64URL, 1)}`, t.writer.slice(0, -1), t.reader.slice(1)])),
    () => ({ method: method(), authorization: f.pick([`Bearer ${t.writer} ${t.writer}`, `Bearer ${t.writer}, Bearer ${t.reader}`, `Basic ${t.writer}`, `Token ${t.writer}`]), token: t.writer }),
    // A real token without the scope the write needs.
    () => ({ method: 'post', authorization: `Bearer ${t.reader}`, token: t.reader }),
  ];
}

describe.each([
  ['the demo app (opaque tokens)', demoTarget],
  ['an app issuing JWT access tokens, with onError', jwtTarget],
] as const)(`fuzz: ${CASES} malformed bearer requests to %s (seed ${SEED})`, (_name, build) => {
  let t: Target;
  beforeAll(async () => {
    t = await build();
  });
  afterAll(() => t.auth.close());

  it('every one gets a 4xx with a JSON error and a Bearer challenge, echoes no token, and writes nothing', async () => {
    const before = JSON.stringify(await t.accounts());
    const f = fuzz(SEED);
    const list = generators(f, t);
    for (let i = 0; i < CASES; i++) {
      const generator = i % list.length;
      const c = (list[generator] as () => Case)();
      let req = request(t.app)[c.method]('/accounts');
      if (c.authorization !== undefined) req = req.set('Authorization', c.authorization);
      if (c.method === 'post') req = req.send({ name: 'fuzz' });
      const errorsBefore = t.errors.length;
      const res = await req;
      const context = `case ${i} (generator ${generator}): ${c.method} ${String(c.authorization).slice(0, 160)}`;
      expect({ context, status: res.status >= 400 && res.status < 500 }).toEqual({ context, status: true });
      expect({ context, type: res.headers['content-type'] }).toEqual({ context, type: expect.stringMatching(/^application\/json/) });
      expect({ context, error: typeof res.body.error }).toEqual({ context, error: 'string' });
      expect(res.text).not.toMatch(STACK);
      if (res.status === 401) expect({ context, challenge: res.headers['www-authenticate'] }).toEqual({ context, challenge: expect.stringMatching(/^Bearer realm="[^"]*"/) });
      const token = c.token ?? c.authorization?.replace(/^\S+\s*/, '');
      if (token !== undefined && token.length >= 8) {
        const answer = `${res.text}\n${res.headers['www-authenticate'] ?? ''}`;
        expect({ context, echoed: answer.includes(token) }).toEqual({ context, echoed: false });
        for (const err of t.errors.slice(errorsBefore)) {
          const told = JSON.stringify({ description: err.description, detail: err.detail, message: err.message, headers: err.headers });
          expect({ context, told: told.includes(token) }).toEqual({ context, told: false });
        }
      }
    }
    expect(JSON.stringify(await t.accounts())).toBe(before);
    // With a hook, every refusal was told to it (and was checked above).
    if (t.errors !== undefined && _name.includes('onError')) expect(t.errors.length).toBe(CASES);
  });
});
