/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Type-checking happens once in `npm run typecheck`; per-file transpiling keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', {}],
    // jose (under jwks-rsa) and oauth4webapi ship only ES modules, which Jest's CommonJS runtime cannot
    // require: transpile just those packages to CommonJS.
    '^.+/node_modules/(jose|oauth4webapi)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|oauth4webapi)/)'],
  testTimeout: 20000,
};
