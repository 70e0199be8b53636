/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Type-checking happens once in `npm run typecheck`; per-file transpiling keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', {}],
  },
  testTimeout: 20000,
};
