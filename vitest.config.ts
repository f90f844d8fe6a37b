import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure core and adapters with aws-sdk-client-mock, no network) and
// `integration` (the bundled dist/index.js against a moto server over HTTP, one file at a time
// because every test resets moto's global state).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['__tests__/unit/**/*.test.ts', '__tests__/adapters/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['__tests__/integration/**/*.test.ts'],
          globalSetup: ['__tests__/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
