/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 60000,
  // The version matrix's program sets (testing/program-sets.ts), fetched before the tests look for them.
  globalSetup: '<rootDir>/testing/jest-global-setup.ts',
};
