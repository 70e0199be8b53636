// Checks that two instances on one Redis act as one server: a token from one works at the other, a refresh
// token rotates across them, and presenting a rotated token again revokes the family at both.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import type { Instance } from './main.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

export async function selfTest(a: Instance, b: Instance, client: { id: string; secret: string }): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const token = (at: Instance, params: Record<string, string>) =>
    fetch(`${at.url}/oauth2/token`, { method: 'POST', headers: { authorization }, body: new URLSearchParams(params) });
  const whoami = (at: Instance, accessToken: string) => fetch(`${at.url}/whoami`, { headers: { authorization: `Bearer ${accessToken}` } });

  let res = await token(a, { grant_type: 'client_credentials' });
  const first = (await res.json()) as Tokens;
  assert.equal(res.status, 200, JSON.stringify(first));
  assert.deepEqual(await (await whoami(b, first.access_token)).json(), { instance: 'b', client: client.id });

  res = await token(b, { grant_type: 'refresh_token', refresh_token: first.refresh_token }); // issued at a, rotated at b
  const second = (await res.json()) as Tokens;
  assert.equal(res.status, 200, JSON.stringify(second));
  assert.notEqual(second.refresh_token, first.refresh_token);
  assert.equal((await whoami(a, second.access_token)).status, 200);

  const reuse = once(a.auth.events, 'refresh.reuse_detected');
  res = await token(a, { grant_type: 'refresh_token', refresh_token: first.refresh_token }); // already rotated at b
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
  await reuse;

  // The family is revoked in Redis, so at every instance: its newest refresh token and its access tokens.
  res = await token(b, { grant_type: 'refresh_token', refresh_token: second.refresh_token });
  assert.equal(res.status, 400);
  assert.equal((await whoami(b, second.access_token)).status, 401);
  assert.equal((await whoami(a, first.access_token)).status, 401);
}

/** Deletes the keys under the self-test's own prefix: never FLUSH a Redis that others use. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 100 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}
