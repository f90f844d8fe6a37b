/**
 * Waiting for a new backup with an SDK waiter, shared by every adapter: the waiter polls, and when it
 * gives up this tells why (failed state, gone, timeout, cancellation) in a sentence.
 */
import { formatDuration } from '../duration.js';
import { CancelledError, describeAwsError, TargetError } from '../errors.js';
import type { Backup, WaitOptions } from './target.js';

/** Waiter polling bounds in seconds; AWS's waiters default to 15 and 120. */
export interface PollingOptions {
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/** The SDK waiter configuration for one wait. */
export interface WaiterParams<Client> {
  client: Client;
  minDelay: number;
  maxDelay: number;
  maxWaitTime: number;
  abortSignal?: AbortSignal;
}

export interface BackupWait<Client> {
  client: Client;
  polling: PollingOptions;
  /** Runs the SDK waiter (`waitUntilSnapshotCompleted` …) with the given parameters. */
  waiter: (params: WaiterParams<Client>) => Promise<unknown>;
  /** Reads the backup's current state; undefined when it no longer exists. */
  describe: () => Promise<Backup | undefined>;
  /** How the backup is called in messages, mid-sentence: `snapshot snap-1`. */
  label: string;
}

/** Waits until the backup is completed or failed; throws a TargetError on timeout or a lost backup. */
export async function waitForBackup<Client>(
  backup: Backup,
  { maxWaitSeconds, signal }: WaitOptions,
  wait: BackupWait<Client>,
): Promise<Backup> {
  if (backup.state !== 'pending') return backup;
  const minDelay = wait.polling.minDelaySeconds ?? 15;
  try {
    await wait.waiter({
      client: wait.client,
      minDelay,
      maxDelay: wait.polling.maxDelaySeconds ?? 120,
      // The waiter requires its budget to exceed its first delay; the caller's deadline still rules.
      maxWaitTime: Math.max(Math.ceil(maxWaitSeconds), minDelay + 1),
      ...(signal ? { abortSignal: signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    // The waiter retries on any describe error until it times out: ask once more to tell why.
    const current = await wait.describe().catch((describeError: unknown) => {
      if (signal?.aborted) throw new CancelledError();
      throw new TargetError(
        describeAwsError(`Could not read ${wait.label} while waiting for it`, describeError),
        { cause: describeError },
      );
    });
    if (current?.state === 'failed') return current;
    const subject = `${wait.label.charAt(0).toUpperCase()}${wait.label.slice(1)} of ${backup.sourceId}`;
    if (!current) throw new TargetError(`${subject} disappeared while waiting for it.`);
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new TargetError(
        `${subject} did not complete within ${formatDuration(maxWaitSeconds * 1000)} (wait-timeout); it is left in place and later runs will count it once it completes.`,
      );
    }
    throw new TargetError(describeAwsError(`Waiting for ${wait.label} failed`, error), {
      cause: error,
    });
  }
  try {
    return (await wait.describe()) ?? { ...backup, state: 'completed' };
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw new TargetError(
      describeAwsError(`Could not read ${wait.label} after it completed`, error),
      {
        cause: error,
      },
    );
  }
}
