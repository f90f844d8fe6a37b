/**
 * Starts one moto server for the integration project (or connects to MOTO_ENDPOINT_URL) and, in
 * front of it, a proxy that behaves as AWS documents where moto is kinder (scripts/aws-fidelity.mjs,
 * `AWS_SEMANTICS`). Tests get moto itself through `inject('motoEndpoint')` (their own SDK clients
 * make and read state there) and the proxy through `inject('awsEndpoint')` (where the action runs).
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ACTION_ENTRY } from '../../scripts/action-runner.mjs';
import { AWS_SEMANTICS } from '../../scripts/aws-fidelity.mjs';
import { startCountingProxy } from '../../scripts/counting-proxy.mjs';
import { startMoto } from '../../scripts/moto.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto itself. */
    motoEndpoint: string;
    /** The AWS_SEMANTICS proxy in front of moto: the action's endpoint unless a test gives one. */
    awsEndpoint: string;
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
  const proxy = await startCountingProxy(moto.endpoint, { fidelity: AWS_SEMANTICS });
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('awsEndpoint', proxy.endpoint);
  return async () => {
    await proxy.stop();
    await moto.stop();
  };
}
