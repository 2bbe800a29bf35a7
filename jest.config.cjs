/** One jest run over every package and the cross-package tests; TypeScript through @swc/jest. */
const packages = ['core', 'aws-lambda', 'azure-functions', 'gcp-functions', 'twilio-functions', 'fetch', 'testing'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/templates', '<rootDir>/infra'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/packages/[^/]+/templates/', '/.serverless/', '/cdk.out/'],
  // packages/*/templates are the build's copies of templates/ (shipped, not tested twice).
  modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/', '<rootDir>/packages/[^/]+/templates/', '/.serverless/', '/cdk.out/'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  // Tests run against the sources, so a stale dist/ can never hide a bug.
  moduleNameMapper: {
    ...Object.fromEntries(packages.map((name) => [`^@twiml-guard/${name}$`, `<rootDir>/packages/${name}/src/index.ts`])),
    '^create-twiml-guard$': '<rootDir>/packages/create-twiml-guard/src/index.ts',
    // The private test helpers and fakes (packages/test-support): the barrel, or one file by its path.
    '^@twiml-guard/test-support$': '<rootDir>/packages/test-support/src/index.ts',
    '^@twiml-guard/test-support/(.+?)(\\.js)?$': '<rootDir>/packages/test-support/src/$1',
    '^@twiml-guard/([a-z-]+)/rotation$': '<rootDir>/packages/$1/src/rotation.ts',
    '^@twiml-guard/core/adapter$': '<rootDir>/packages/core/src/adapter.ts',
    // NodeNext sources import './x.js'; jest resolves them to './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Every test file fails if a twiml-guard log line looked like an auth token or a signature.
  setupFilesAfterEnv: ['<rootDir>/packages/test-support/src/log-guard.setup.ts'],
  testTimeout: 30000,
};
