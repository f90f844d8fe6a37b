/**
 * Starts one moto server for the integration project (or connects to MOTO_ENDPOINT_URL) and hands
 * its endpoint to the tests through `inject('motoEndpoint')`.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ACTION_ENTRY } from '../../scripts/action-runner.mjs';
import { startMoto } from '../../scripts/moto.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The tests run the bundle, never the sources: a missing bundle would fail every test obscurely.
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(
      `${ACTION_ENTRY} is missing: the integration tests run the bundled action. ` +
        'Run `npm run bundle` first (`npm run test:integration` does).',
    );
  }
  const moto = await startMoto({ log: (message) => console.log(`[moto] ${message}`) });
  project.provide('motoEndpoint', moto.endpoint);
  return () => moto.stop();
}
