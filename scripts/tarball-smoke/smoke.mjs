// The package as an ES module app sees it: every subpath through `import`, the same instances as `require`
// gives, and a token issued and checked over HTTP on the memory store.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import express from 'express';
import * as keyturn from 'keyturn';
import * as resourceServer from 'keyturn/resource-server';
import * as redis from 'keyturn/redis';
import * as errors from 'keyturn/errors';
import * as testing from 'keyturn/testing';
import manifest from 'keyturn/package.json' with { type: 'json' };
import exerciseModule from './exercise.cjs';

const require = createRequire(import.meta.url);
const modules = { keyturn, 'keyturn/resource-server': resourceServer, 'keyturn/redis': redis, 'keyturn/errors': errors, 'keyturn/testing': testing };

// One instance for import and require: the ES entries re-export the CommonJS build, they do not copy it.
for (const [specifier, namespace] of Object.entries(modules)) {
  const required = require(specifier);
  const requiredNames = Object.keys(required).filter((name) => name !== '__esModule').sort();
  assert.deepEqual(Object.keys(namespace).sort(), requiredNames, `${specifier}: import and require export different names`);
  assert.ok(requiredNames.length > 0, `${specifier}: exports nothing`);
  for (const name of requiredNames) assert.equal(namespace[name], required[name], `${specifier}: ${name} differs between import and require`);
}
const requiredErrors = require('keyturn/errors');
assert.ok(new errors.InvalidGrantError() instanceof requiredErrors.OAuthError, 'an imported error is not instanceof the required OAuthError');
assert.ok(new requiredErrors.InvalidScopeError() instanceof errors.OAuthError, 'a required error is not instanceof the imported OAuthError');
assert.ok(errors.isOAuthError(new requiredErrors.InvalidClientError()), 'isOAuthError');
assert.equal(manifest.name, 'keyturn');
assert.equal(typeof redis.redisStore, 'function');
assert.equal(typeof testing.storeContract, 'function');

await exerciseModule.exercise({ label: 'ESM', express, keyturn, resourceServer, store: keyturn.memoryStore() });
console.log('tarball smoke (ESM): ok');
