// The demo is a contract with users: started by `npm run demo` (tsx example-app/server.ts) with PORT, HOST
// and KEYTURN_CONFIG, it prints "listening on http://HOST:PORT" and answers the Moov seed's curl request.
import { createHash } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import request from 'supertest';
import { buildApp } from '../../example-app/app';
import { checkConfig, loadConfigFile } from '../../example-app/config';
import { startDemo, type DemoProcess } from '../support/demo-process';
import { redisStore } from '../../lib/redis';
import { deleteKeysUnder, standaloneRedis, uniquePrefix, type StandaloneRedis } from '../support/redis';

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

describe('demo process (npm run demo)', () => {
  let demo: DemoProcess;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(() => demo.stop());

  it('gets a token for the Moov seed request, placeholder Basic header and all', async () => {
    const res = await fetch(`${demo.url}/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: 'Basic REPLACE_BASIC_AUTH', 'content-type': 'application/json' },
      body: '{"grant_type":"client_credentials","client_id":"5clTR_MdVrrkgxw2","client_secret":"dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-","scope":"/accounts.write","refresh_token":"i1qxz68gu50zp4i8ceyxqogmq7y0yienm52351c6..."}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The seed's response shape: the Moov demo client may refresh, so a refresh token comes too.
    expect(await res.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: '/accounts.write', refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/) });
  });

  it('names its listening address as the issuer, and registers the playground callback there (no address in the shipped config)', async () => {
    expect(new URL(demo.url).port).not.toBe('3000');
    const metadata = await (await fetch(`${demo.url}/.well-known/oauth-authorization-server/oauth2`)).json();
    expect(metadata).toMatchObject({ issuer: `${demo.url}/oauth2`, token_endpoint: `${demo.url}/oauth2/token`, jwks_uri: `${demo.url}/oauth2/jwks` });
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'keyturn-playground',
      redirect_uri: `${demo.url}/playground/callback`,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${demo.url}/oauth2/authorize?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') as string, demo.url).pathname).toBe('/login');
    const elsewhere = await fetch(`${demo.url}/oauth2/authorize?${new URLSearchParams({ ...Object.fromEntries(query), redirect_uri: 'http://127.0.0.1:3000/playground/callback' })}`, { redirect: 'manual' });
    expect(elsewhere.status).toBe(400);
  });

  it('on HOST=0.0.0.0 names the loopback address, which a browser here can open', async () => {
    const wildcard = await startDemo({ HOST: '0.0.0.0' });
    try {
      expect(wildcard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${wildcard.url}/.well-known/oauth-authorization-server/oauth2`)).json()).toMatchObject({ issuer: `${wildcard.url}/oauth2` });
    } finally {
      await wildcard.stop();
    }
  });

  it('serves the accounts API to bearers of a token with the scope (RFC 6750)', async () => {
    const anonymous = await fetch(`${demo.url}/accounts`);
    expect(anonymous.status).toBe(401);
    // RFC 9449 §7.2: the route takes DPoP-bound tokens too, and says so beside the Bearer challenge.
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="keyturn", DPoP realm="keyturn", algs="ES256 EdDSA RS256 PS256"');
    const tokenResponse = await fetch(`${demo.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"client_credentials","client_id":"5clTR_MdVrrkgxw2","client_secret":"dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-","scope":"/accounts.read"}',
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const res = await fetch(`${demo.url}/accounts`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accounts: [] });
    const write = await fetch(`${demo.url}/accounts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(write.status).toBe(403);
  });
});

describe('demo process with KEYTURN_PROFILE=bank', () => {
  let demo: DemoProcess;
  let output = '';
  beforeAll(async () => {
    demo = await startDemo({ KEYTURN_PROFILE: 'bank' });
    demo.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  afterAll(() => demo.stop());

  it('serves the bank path, logs the request and the audit event with no secret or Authorization value, and exposes /metrics', async () => {
    const authorization = `Basic ${Buffer.from('bank-demo-client:wrong-secret-xyz').toString('base64')}`;
    const ok = await fetch(`${demo.url}/v1/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id":"bank-demo-client","client_secret":"bank-demo-secret-change-me"}' });
    expect(ok.status).toBe(200);
    const { access_token: token } = (await ok.json()) as { access_token: string };
    const failed = await fetch(`${demo.url}/v1/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{}' });
    expect(failed.status).toBe(409);
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    expect(metrics).toContain('keyturn_requests_total{endpoint="token",grant_type="client_credentials",outcome="success"} 1');
    await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('"msg":"token.issued"');
    expect(output).toContain('"msg":"client.auth_failed"');
    expect(output).toContain('"authorization":"[redacted]"');
    for (const secret of ['bank-demo-secret-change-me', 'wrong-secret-xyz', authorization.slice(6), token]) expect(output).not.toContain(secret);
  });
});

describe('two demo processes given one REDIS_URL', () => {
  let redis: StandaloneRedis;
  const prefix = uniquePrefix('demo');
  const demos: DemoProcess[] = [];
  beforeAll(async () => {
    redis = await standaloneRedis();
    const url = `redis://${redis.options.host}:${redis.options.port}`;
    for (let i = 0; i < 2; i++) demos.push(await startDemo({ REDIS_URL: url, KEYTURN_REDIS_PREFIX: prefix }));
  });
  afterAll(async () => {
    await Promise.all(demos.map((d) => d.stop()));
    const client = await redis.connect();
    await deleteKeysUnder(client, prefix);
    await redis.release();
  });

  it('act as one server: a refresh token from one is redeemed at the other, exactly once, and state is in Redis', async () => {
    const [a, b] = demos as [DemoProcess, DemoProcess];
    const authorization = `Basic ${Buffer.from('5clTR_MdVrrkgxw2:dNC-hg7sVm22jc3g_Eogtyu0_1Mqh_4-').toString('base64')}`;
    const post = (demo: DemoProcess, body: string) =>
      fetch(`${demo.url}/oauth2/token`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body });
    const first = (await (await post(a, 'grant_type=client_credentials&scope=%2Faccounts.read')).json()) as Record<string, string>;
    expect(first.refresh_token).toEqual(expect.any(String));
    const refreshed = await post(b, `grant_type=refresh_token&refresh_token=${encodeURIComponent(first.refresh_token!)}`);
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as Record<string, string>;
    expect(second).toMatchObject({ token_type: 'Bearer', scope: '/accounts.read', refresh_token: expect.any(String) });
    // The family lives in Redis: a store of a third process on the same prefix finds its live refresh token.
    const store = redisStore(await redis.connect(), { keyPrefix: prefix });
    const familyId = sha256(second.refresh_token!.split('.')[0] as string);
    expect(await store.findRefreshToken(familyId, sha256(second.refresh_token!))).toMatchObject({ clientId: '5clTR_MdVrrkgxw2', scope: ['/accounts.read'], familyId });
    const replayed = await post(a, `grant_type=refresh_token&refresh_token=${encodeURIComponent(first.refresh_token!)}`);
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toEqual({ error: 'invalid_grant', error_description: 'the refresh token is invalid, expired or revoked' });
    // RFC 9700 §4.14.2: the replay at A revoked the family B had rotated, for every process.
    expect(await store.findRefreshToken(familyId, sha256(second.refresh_token!))).toBeUndefined();
  });
});

describe('demo config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-config-'));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  const client = { clientId: 'a', clientSecret: 'b', grants: ['client_credentials'], scopes: ['x'] };

  it('a bad config file fails the start with a message naming the field', async () => {
    const path = write('bad.json', { clients: [{ ...client, scopes: 'x' }] });
    await expect(startDemo({ KEYTURN_CONFIG: path })).rejects.toMatchObject({ code: 1, output: expect.stringContaining('config: clients[0].scopes must be an array') });
  });

  it('an unknown KEYTURN_PROFILE fails the start with a message naming it', async () => {
    await expect(startDemo({ KEYTURN_PROFILE: 'paypal' })).rejects.toMatchObject({ code: 1, output: expect.stringContaining('unknown profile "paypal"') });
  });

  it('accepts refreshToken.reuseGraceSeconds from 0 to 300', () => {
    for (const reuseGraceSeconds of [0, 10, 300]) {
      expect(checkConfig({ clients: [client], refreshToken: { ttl: 3600, reuseGraceSeconds } }).refreshToken).toEqual({ ttl: 3600, reuseGraceSeconds });
    }
  });

  it('names each kind of bad field', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'config must be an object'],
      [{ clients: [] }, 'clients must be a non-empty array'],
      [{ clients: [{ ...client, clientId: '' }] }, 'clients[0].clientId must be a non-empty string'],
      [{ clients: [{ ...client, clientSecret: undefined }] }, 'clients[0] needs exactly one of clientSecret and clientSecretHash'],
      [{ clients: [{ ...client, grants: [] }] }, 'clients[0].grants must not be empty'],
      [{ clients: [client], accessToken: { ttl: 0 } }, 'accessToken.ttl must be a positive integer'],
      [{ clients: [client], accessToken: { format: 'paseto' } }, 'accessToken.format must be one of "opaque", "jwt"'],
      [{ clients: [client], refreshToken: { ttl: 'long' } }, 'refreshToken.ttl must be a positive integer'],
      [{ clients: [client], refreshToken: { reuseGraceSeconds: -1 } }, 'refreshToken.reuseGraceSeconds must be an integer from 0 to 300'],
      [{ clients: [client], refreshToken: { reuseGraceSeconds: 301 } }, 'refreshToken.reuseGraceSeconds must be an integer from 0 to 300'],
      [{ clients: [client], refreshToken: { reuseGrace: 10 } }, 'refreshToken has unknown field "reuseGrace"'],
      [{ clients: [client], rateLimit: { points: -1 } }, 'rateLimit.points must be a positive integer'],
      [{ clients: [client], issuer: 'nope' }, 'issuer must be an absolute URL'],
      [{ clients: [client], profile: 'paypal' }, 'profile must be one of "default", "moov", "bank", "falcon"'],
      [{ clients: [client], serviceHours: { timeZone: 'UTC', open: '9', close: '17:00' } }, 'serviceHours.open must be HH:MM'],
      [{ clients: [client], lockout: { maxFailures: 0 } }, 'lockout.maxFailures must be a positive integer'],
      [{ clients: [client], secret: 'short' }, 'secret must be at least 32 bytes'],
      // A misspelt field is named, at any depth, rather than ignored.
      [{ clients: [client], acessToken: { format: 'jwt' } }, 'the top level has unknown field "acessToken"'],
      [{ clients: [client], accessToken: { formt: 'jwt', tll: 5 } }, 'accessToken has unknown fields "formt", "tll"'],
      [{ clients: [client, { ...client, scope: ['x'] }] }, 'clients[1] has unknown field "scope"'],
      [{ clients: [client], users: [{ username: 'a', password: 'p', role: 'admin' }] }, 'users[0] has unknown field "role"'],
      [{ clients: [client], serviceHours: { timeZone: 'UTC', open: '09:00', close: '17:00', day: ['mon'] } }, 'serviceHours has unknown field "day"'],
      [{ clients: [{ ...client, redirectUris: ['playground/callback'] }] }, 'clients[0].redirectUris has "playground/callback", which is neither an absolute URI nor a path starting with /'],
      [{ clients: [{ ...client, redirectUris: ['//evil.test/cb'] }] }, 'clients[0].redirectUris has "//evil.test/cb"'],
      [{ clients: [client], signingKeys: [] }, 'signingKeys must be a non-empty array'],
      [{ clients: [{ ...client, pkce: 'sometimes' }] }, 'clients[0].pkce must be one of "required", "optional"'],
      [{ clients: [{ clientId: 'spa', tokenEndpointAuthMethod: 'none', grants: ['authorization_code'], scopes: [], pkce: 'optional' }] }, 'clients[0].pkce cannot be "optional" for a public client'],
      [{ clients: [client], signingKeys: [{ kid: 'k1' }] }, 'signingKeys[0] needs exactly one of file and jwk'],
      [{ clients: [client], signingKeys: [{ kid: 'k1', file: 'a.pem', jwk: {} }] }, 'signingKeys[0] needs exactly one of file and jwk'],
      [{ clients: [client], signingKeys: [{ kid: 'k1', file: 'a.pem', alg: 'none' }] }, 'signingKeys[0].alg must be one of "RS256", "PS256", "ES256", "HS256"'],
      [{ clients: [client], signingKeys: [{ kid: 'k1', path: 'a.pem' }] }, 'signingKeys[0] has unknown field "path"'],
      [{ clients: [client], keyRotation: { interval: 0 } }, 'keyRotation.interval must be a positive integer'],
      [{ clients: [client], keyRotation: { every: 3600 } }, 'keyRotation has unknown field "every"'],
    ];
    for (const [config, message] of cases) expect(() => checkConfig(config)).toThrow(`config: ${message}`);
  });

  it('reports unreadable and non-JSON files', async () => {
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow(/cannot read config file/);
    await expect(loadConfigFile(write('broken.json', '{'))).rejects.toThrow(/is not valid JSON/);
  });

  it('reads signingKeys from a PEM file relative to the config, or from a JWK, and signs with the first', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    mkdirSync(join(dir, 'keys'), { recursive: true });
    writeFileSync(join(dir, 'keys', 'signing.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const old = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const config = await loadConfigFile(
      write('keys.json', {
        clients: [client],
        accessToken: { format: 'jwt' },
        signingKeys: [{ kid: 'from-file', file: 'keys/signing.pem' }, { kid: 'from-jwk', alg: 'ES256', jwk: old }],
      }),
    );
    const { app, auth } = buildApp(config);
    const jwks = await request(app).get('/oauth2/jwks');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual(['from-file', 'from-jwk']);
    const res = await request(app).post('/oauth2/token').send({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' });
    expect(res.status).toBe(200);
    const { protectedHeader } = await jwtVerify(res.body.access_token, publicKey);
    expect(protectedHeader).toMatchObject({ kid: 'from-file', alg: 'ES256' });
    await auth.close();
    await expect(loadConfigFile(write('nokey.json', { clients: [client], signingKeys: [{ kid: 'x', file: 'keys/missing.pem' }] }))).rejects.toThrow(
      /config: signingKeys\[0\]\.file cannot be read/,
    );
  });

  it('a keyRotation the server cannot use fails the start, named', async () => {
    const path = write('rotation.json', { clients: [client], keyRotation: { interval: 3600, publishAhead: 7200 } });
    await expect(startDemo({ KEYTURN_CONFIG: path })).rejects.toMatchObject({ code: 1, output: expect.stringContaining('keyRotation') });
  });

  it('hashes plaintext secrets at load: the app holds no plaintext secret', async () => {
    const config = await loadConfigFile(write('ok.json', { clients: [client] }));
    expect(config.clients[0]).not.toHaveProperty('clientSecret');
    expect(config.clients[0]?.clientSecretHash).toMatch(/^\$scrypt\$/);
    const { app } = buildApp(config);
    const res = await request(app).post('/oauth2/token').send({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' });
    expect(res.status).toBe(200);
  });
});
