'use strict';
// The package as a CommonJS app sees it: every subpath through `require`, `keyturn` loading neither ioredis
// nor prom-client, and a token issued and checked over HTTP on the Redis store.
const assert = require('node:assert/strict');
const { randomBytes } = require('node:crypto');

const keyturn = require('keyturn');
const loadedByKeyturn = Object.keys(require.cache);
for (const optional of ['ioredis', 'prom-client']) {
  const loaded = loadedByKeyturn.find((file) => file.includes(`/node_modules/${optional}/`));
  assert.equal(loaded, undefined, `require('keyturn') loaded ${optional}`);
}
const resourceServer = require('keyturn/resource-server');
const { redisStore } = require('keyturn/redis');
const errors = require('keyturn/errors');
const { storeContract } = require('keyturn/testing');
const manifest = require('keyturn/package.json');
const express = require('express');
const { Redis } = require('ioredis');
const { exercise } = require('./exercise.cjs');

assert.equal(manifest.name, 'keyturn');
assert.equal(typeof storeContract, 'function');
assert.ok(new errors.InvalidRequestError() instanceof errors.OAuthError);
assert.ok(new errors.InvalidRequestError() instanceof Error);

async function main() {
  const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const keyPrefix = `keyturn-tarball-smoke:${randomBytes(6).toString('hex')}:`;
  const store = redisStore(client, { keyPrefix });
  try {
    await exercise({ label: 'CommonJS', express, keyturn, resourceServer, store });
    const written = await client.keys(`${keyPrefix}*`);
    assert.ok(written.length > 0, 'the Redis store wrote nothing under its prefix');
    await client.del(...written);
  } finally {
    await store.close();
    await client.quit();
  }
  console.log('tarball smoke (CommonJS): ok');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
