import { defineConfig } from 'vitest/config';
import { contractNames } from './contract-names.config';

export default defineConfig({
  define: contractNames,
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['test/integration/keychain/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
