import { defineConfig } from 'vitest/config';
import { motoServerPlan } from './__tests__/integration/servers.js';

// Two projects: `unit` (pure core and adapters with aws-sdk-client-mock, no network) and
// `integration` (the bundled dist/index.js against moto servers over HTTP). Every integration test
// resets its moto's global state, so each worker has a moto of its own: as many files run at once
// as there are servers (__tests__/integration/servers.ts: 2 started here, or MOTO_ENDPOINT_URLS;
// one at a time with CI's single MOTO_ENDPOINT_URL).
const integrationWorkers = motoServerPlan().count;

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
          fileParallelism: integrationWorkers > 1,
          maxWorkers: integrationWorkers,
          // Its own group: its worker count differs from the unit project's.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
