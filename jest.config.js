/**
 * One Jest configuration for the server side (apps/api, apps/cli, libs, test/).
 * The portal has its own runner (Angular's Vitest builder).
 * @type {import('jest').Config}
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@entra-backup/common$': '<rootDir>/libs/common/src/index.ts',
  '^@entra-backup/graph$': '<rootDir>/libs/graph/src/index.ts',
  '^@entra-backup/graph-emulator$': '<rootDir>/libs/graph-emulator/src/index.ts',
};

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  // jose (JWT and JWKS for sign-in) and otplib's crypto and base32 (@noble/hashes, @scure/base)
  // are ESM-only; compile them to CommonJS like our own sources (also where a package nests its own copy).
  transformIgnorePatterns: [
    '/node_modules/(?!(jose|@noble/hashes|@scure/base)/)(?!.*/node_modules/(jose|@noble/hashes|@scure/base)/)',
  ],
  moduleNameMapper,
  clearMocks: true,
  restoreMocks: true,
};

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps/api,apps/cli,libs}/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/portal/'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps/api,apps/cli,libs}/**/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/portal/'],
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/api/**/*.e2e.ts'] },
    { ...base, displayName: 'robustness', testMatch: ['<rootDir>/test/robustness/**/*.test.ts'] },
  ],
};
