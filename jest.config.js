/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Type-checking happens once in `npm run typecheck`; per-file transpiling keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', {}],
    // oauth4webapi (the independent client in the demo's flow spec) ships only ES modules: compile it to CommonJS.
    '^.+/node_modules/oauth4webapi/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!oauth4webapi/)'],
  testTimeout: 20000,
};
