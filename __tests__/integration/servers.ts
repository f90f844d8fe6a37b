/**
 * How many moto servers the integration project uses, and so how many test files run at once:
 * every worker has a moto (and an AWS_SEMANTICS proxy in front of it) of its own, because each test
 * resets its moto's global state. Read by vitest.config.ts (the workers) and global-setup.ts (the
 * servers), so both agree.
 *
 * - `MOTO_ENDPOINT_URLS` (comma- or space-separated): running servers to use, one worker each.
 * - else `MOTO_ENDPOINT_URL` (CI's service container): that one server, files one at a time.
 * - else `INTEGRATION_WORKERS` servers started here (default 2).
 */

export interface MotoServerPlan {
  /** Running servers to use; undefined: start `count` servers here. */
  external: string[] | undefined;
  /** The variable that named them. */
  variable?: 'MOTO_ENDPOINT_URLS' | 'MOTO_ENDPOINT_URL';
  /** Servers, and test files run at once. */
  count: number;
}

/** Files run at once, and servers started, when nothing says otherwise. */
export const DEFAULT_INTEGRATION_WORKERS = 2;

export function motoServerPlan(env: NodeJS.ProcessEnv = process.env): MotoServerPlan {
  const list = (env.MOTO_ENDPOINT_URLS ?? '').split(/[\s,]+/).filter(Boolean);
  if (list.length > 0) {
    return { external: list, variable: 'MOTO_ENDPOINT_URLS', count: list.length };
  }
  const one = env.MOTO_ENDPOINT_URL;
  if (one) return { external: [one], variable: 'MOTO_ENDPOINT_URL', count: 1 };
  const asked = env.INTEGRATION_WORKERS;
  const count = asked === undefined || asked === '' ? DEFAULT_INTEGRATION_WORKERS : Number(asked);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`INTEGRATION_WORKERS must be a whole number of at least 1, not '${asked}'.`);
  }
  return { external: undefined, count };
}
