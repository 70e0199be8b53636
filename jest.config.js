const path = require('node:path');
const fs = require('node:fs');

// KEYTURN_TEST_EXPRESS=4 runs the suite on Express 4, the other major of the express peer range: `express`
// then resolves to .ci/express4/ (installed with `npm ci --prefix .ci/express4`), in the tests through
// moduleNameMapper and in the processes they start (the demo) through a preloaded resolver hook.
const express4 = process.env.KEYTURN_TEST_EXPRESS === '4' ? express4Setup() : undefined;

function express4Setup() {
  const dir = path.join(__dirname, '.ci', 'express4');
  const manifest = path.join(dir, 'node_modules', 'express', 'package.json');
  if (!fs.existsSync(manifest)) throw new Error('KEYTURN_TEST_EXPRESS=4: run `npm ci --prefix .ci/express4` first');
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  if (!version.startsWith('4.')) throw new Error(`KEYTURN_TEST_EXPRESS=4: .ci/express4 holds express ${version}`);
  const hook = `--require ${JSON.stringify(path.join(dir, 'use-express4.cjs'))}`;
  if (!(process.env.NODE_OPTIONS ?? '').includes(hook)) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${hook}`.trim();
  return { moduleNameMapper: { '^express$': path.join(dir, 'node_modules', 'express') } };
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Type-checking happens once in `npm run typecheck`; per-file transpiling keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', {}],
    // jose (under jwks-rsa), oauth4webapi and openid-client ship only ES modules, which Jest's CommonJS
    // runtime cannot require: transpile just those packages to CommonJS.
    '^.+/node_modules/(jose|oauth4webapi|openid-client)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|oauth4webapi|openid-client)/)'],
  testTimeout: 20000,
  ...express4,
};
