// Issue 14, point 4: two demo processes on one Redis, with JWT access tokens, behave as one server, and a
// restart loses nothing. Real processes (as `npm run demo` starts them), real Redis, real HTTP.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startDemo, type DemoProcess } from '../support/demo-process';
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
    const config = JSON.parse(readFileSync(join(__dirname, '../../example-app/config.json'), 'utf8')) as { accessToken: { format: string } };
    config.accessToken.format = 'jwt';
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
