// Issue 14, point 4: two demo processes on one Redis, with JWT access tokens, behave as one server, and a
// restart loses nothing. Real processes (as `npm run demo` starts them), real Redis, real HTTP.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startDemo, type DemoProcess } from '../support/demo-process';
import { ALICE, FALCON, pkcePair } from '../support/rp-demo';
import { deleteKeysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';

const JOB = { id: '5clTR_MdVrrkgxw2', secret: 'dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-' };
const basic = `Basic ${Buffer.from(`${JOB.id}:${JOB.secret}`).toString('base64')}`;

async function token(demo: DemoProcess): Promise<string> {
  const res = await fetch(`${demo.url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=%2Faccounts.read',
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const ISSUER = 'https://auth.keyturn.test/oauth2';
const CALLBACK = 'https://app.keyturn.test/callback';
interface ShippedConfig {
  issuer?: string;
  accessToken: { format: string };
  clients: Array<{ clientId: string; redirectUris: string[] }>;
}

const form = (fields: Record<string, string>, cookie?: string): RequestInit => ({
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { cookie }) },
  body: new URLSearchParams(fields),
});
const cookieOf = (res: Response): string => (res.headers.getSetCookie()[0] ?? '').split(';')[0] as string;

const accounts = async (demo: DemoProcess, jwt: string): Promise<number> =>
  (await fetch(`${demo.url}/accounts`, { headers: { authorization: `Bearer ${jwt}` } })).status;

async function introspect(demo: DemoProcess, jwt: string): Promise<{ active: boolean }> {
  const res = await fetch(`${demo.url}/oauth2/introspect`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${jwt}`,
  });
  return (await res.json()) as { active: boolean };
}

describe('two demo processes on one REDIS_URL with JWT access tokens', () => {
  let redis: StandaloneRedis;
  const prefix = uniquePrefix('one-server');
  let env: Record<string, string>;
  let a: DemoProcess;
  let b: DemoProcess;
  beforeAll(async () => {
    redis = await standaloneRedis();
    const config = JSON.parse(readFileSync(join(__dirname, '../../example-app/config.json'), 'utf8')) as ShippedConfig;
    config.accessToken.format = 'jwt';
    // Instances of one server share its public address (a load balancer's), not their own ports.
    config.issuer = ISSUER;
    config.clients.find((c) => c.clientId === FALCON.clientId)?.redirectUris.push(CALLBACK);
    const path = join(mkdtempSync(join(tmpdir(), 'keyturn-one-server-')), 'config.json');
    writeFileSync(path, JSON.stringify(config));
    env = { REDIS_URL: `redis://${redis.options.host}:${redis.options.port}`, KEYTURN_REDIS_PREFIX: prefix, KEYTURN_CONFIG: path };
    [a, b] = await Promise.all([startDemo(env), startDemo(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await deleteKeysUnder(await redis.connect(), prefix);
    await redis.release();
  });

  it('publish one JWKS, and a JWT from A verifies at B: through the JWKS, /accounts and /introspect', async () => {
    const [jwksA, jwksB] = await Promise.all([a, b].map(async (d) => (await fetch(`${d.url}/oauth2/jwks`)).json()));
    expect(jwksB).toEqual(jwksA);
    const jwt = await token(a);
    const { protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwksB as Parameters<typeof createLocalJWKSet>[0]));
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(await accounts(b, jwt)).toBe(200);
    expect(await introspect(b, jwt)).toMatchObject({ active: true, client_id: JOB.id });
  });

  it('see at A a revocation made at B', async () => {
    const jwt = await token(a);
    expect(await accounts(a, jwt)).toBe(200);
    const revoked = await fetch(`${b.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${jwt}`,
    });
    expect(revoked.status).toBe(200);
    expect(await accounts(a, jwt)).toBe(401);
    expect(await introspect(a, jwt)).toEqual({ active: false });
  });

  it('let a code flow move between them: authorize at A, sign in at B, consent at A, decide at B, redeem at A, refresh at B', async () => {
    const { verifier, challenge } = pkcePair();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: FALCON.clientId,
      redirect_uri: CALLBACK,
      scope: 'openid /accounts.read',
      state: 'st-moving',
      nonce: 'n-moving',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const toLogin = await fetch(`${a.url}/oauth2/authorize?${query}`, { redirect: 'manual' });
    expect(toLogin.status).toBe(302);
    const returnTo = new URL(toLogin.headers.get('location') as string, a.url).searchParams.get('returnTo') as string;

    // B's session cookie, keyed by the shared secret, is good at A.
    const signedIn = await fetch(`${b.url}/login`, form({ ...ALICE, returnTo }));
    expect(signedIn.status).toBe(303);
    const session = cookieOf(signedIn);
    const consentPage = await fetch(new URL(signedIn.headers.get('location') as string, a.url), { headers: { cookie: session }, redirect: 'manual' });
    expect(consentPage.status).toBe(200);
    const html = await consentPage.text();
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], (m[2] as string).replace(/&amp;/g, '&')]));
    expect(Object.keys(fields).length).toBeGreaterThan(0);

    // A's consent transaction, signed under the shared secret, is decided at B (with A's CSRF cookie).
    const decided = await fetch(`${b.url}/oauth2/authorize/consent`, form({ ...fields, decision: 'allow' }, `${session}; ${cookieOf(consentPage)}`));
    expect(decided.status).toBe(303);
    const callback = new URL(decided.headers.get('location') as string);
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe('st-moving');
    expect(callback.searchParams.get('iss')).toBe(ISSUER);
    const code = callback.searchParams.get('code') as string;

    const clientAuth = { client_id: FALCON.clientId, client_secret: FALCON.clientSecret };
    const redeemed = await fetch(`${a.url}/oauth2/token`, form({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, ...clientAuth }));
    expect(redeemed.status).toBe(200);
    const tokens = (await redeemed.json()) as { access_token: string; refresh_token: string; id_token: string };
    const jwks = createLocalJWKSet((await (await fetch(`${b.url}/oauth2/jwks`)).json()) as Parameters<typeof createLocalJWKSet>[0]);
    const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer: ISSUER, audience: FALCON.clientId });
    expect(payload).toMatchObject({ sub: ALICE.username, nonce: 'n-moving' });
    expect(await accounts(b, tokens.access_token)).toBe(200);

    // The refresh token works at the other instance, and the code is spent there too.
    const refreshed = await fetch(`${b.url}/oauth2/token`, form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...clientAuth }));
    expect(refreshed.status).toBe(200);
    expect(await accounts(a, ((await refreshed.json()) as { access_token: string }).access_token)).toBe(200);
    const again = await fetch(`${b.url}/oauth2/token`, form({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, ...clientAuth }));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lose nothing when A restarts: its JWTs still verify, and it signs with the same keys', async () => {
    const before = await token(a);
    const jwks = await (await fetch(`${a.url}/oauth2/jwks`)).json();
    await a.stop();
    a = await startDemo(env);
    expect(await (await fetch(`${a.url}/oauth2/jwks`)).json()).toEqual(jwks);
    expect(await accounts(a, before)).toBe(200);
    expect(await accounts(b, await token(a))).toBe(200);
  });
});
