/**
 * The one way the adapters call AWS: a call made for a cancelled run is a CancelledError, an
 * error the caller can turn into a result is (`recover`), and any other becomes one TargetError
 * sentence that starts with what failed and names the IAM action where AWS refused one.
 */
import { CancelledError, describeAwsError, TargetError } from '../errors.js';

export interface AwsCallOptions<T> {
  /** The run's abort signal: once it fired, any failure is the cancellation. */
  signal?: AbortSignal | undefined;
  /** Turns an expected error into a result (`already-gone`, `skipped`…); undefined: not expected. */
  recover?: (error: unknown) => T | undefined | Promise<T | undefined>;
  /** A more specific refusal than the plain sentence, when there is one (a deferred copy…). */
  refusal?: (what: string, error: unknown) => TargetError | undefined;
}

/** Runs `call`; see the module's comment for what becomes of its errors. */
export async function awsCall<T>(
  what: string,
  call: () => Promise<T>,
  { signal, recover, refusal }: AwsCallOptions<T> = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    if (error instanceof TargetError || error instanceof CancelledError) throw error;
    const recovered = recover ? await recover(error) : undefined;
    if (recovered !== undefined) return recovered;
    throw (
      refusal?.(what, error) ?? new TargetError(describeAwsError(what, error), { cause: error })
    );
  }
}
