/**
 * Starts the moto servers of the integration project (or connects to running ones, see
 * servers.ts) and, in front of each, a proxy that behaves as AWS documents where moto is kinder
 * (scripts/aws-fidelity.mjs, `AWS_SEMANTICS`). Test files run in parallel, one per worker, and a
 * worker uses the pair at its index (helpers.ts picks it by VITEST_POOL_ID): tests get moto itself
 * through `motoEndpoint()` (their own SDK clients make and read state there) and the proxy through
 * `awsEndpoint()` (where the action runs).
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ACTION_ENTRY } from '../../scripts/action-runner.mjs';
import { AWS_SEMANTICS } from '../../scripts/aws-fidelity.mjs';
import { startCountingProxy } from '../../scripts/counting-proxy.mjs';
import { startMoto } from '../../scripts/moto.mjs';
import { motoServerPlan } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto itself, one server per worker. */
    motoEndpoints: string[];
    /** The AWS_SEMANTICS proxy in front of each moto: the action's endpoint unless a test gives one. */
    awsEndpoints: string[];
  }
}

/**
 * The environment of the moto servers started here: S3 takes multipart parts down to 1 KiB (AWS and
 * moto's default: 5 MiB), so tests upload in parts of kilobytes (s3-store.test.ts); the size up to
 * which moto keeps an object in memory stays moto's default (it follows the part minimum unless
 * set). A server named by MOTO_ENDPOINT_URL(S) must be started with the same variables.
 */
const MOTO_ENV = {
  S3_UPLOAD_PART_MIN_SIZE: '1024',
  MOTO_S3_DEFAULT_KEY_BUFFER_SIZE: String(5 * 1024 * 1024 - 1024),
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The tests run the bundle, never the sources: a missing bundle would fail every test obscurely.
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(
      `${ACTION_ENTRY} is missing: the integration tests run the bundled action. ` +
        'Run `npm run bundle` first (`npm run test:integration` does).',
    );
  }
  const plan = motoServerPlan();
  const log = (message: string) =>
    console.log(`[moto${plan.variable ? `, ${plan.variable}` : ''}] ${message}`);
  const servers = await Promise.all(
    Array.from({ length: plan.count }, (_, index) =>
      startMoto({
        log,
        env: MOTO_ENV,
        ...(plan.external ? { endpoint: plan.external[index] } : {}),
      }),
    ),
  );
  const proxies = await Promise.all(
    servers.map((moto) => startCountingProxy(moto.endpoint, { fidelity: AWS_SEMANTICS })),
  );
  project.provide(
    'motoEndpoints',
    servers.map((moto) => moto.endpoint),
  );
  project.provide(
    'awsEndpoints',
    proxies.map((proxy) => proxy.endpoint),
  );
  return async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await Promise.all(servers.map((moto) => moto.stop()));
  };
}
