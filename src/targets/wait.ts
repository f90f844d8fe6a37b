/**
 * Waiting for a new backup, shared by every adapter. The SDK's waiter engine does the polling
 * (backoff with jitter, deadline, abort signal); the acceptor is the adapter's own describe, so a
 * backup that fails or disappears ends the wait at once instead of at the timeout, as the SDK's
 * prebuilt waiters would (they retry on every describe error, not-found included). Every adapter
 * reads through one batched describe (`BatchedDescribe`), watching its backups from the start.
 */
import { createWaiter, WaiterState, type WaiterResult } from '@smithy/core/client';
import { systemClock, type Clock } from '../clock.js';
import { formatDuration } from '../duration.js';
import { CancelledError, describeAwsError, TargetError } from '../errors.js';
import { abortable, sleep as realSleep, SharedSignal, type Sleep } from '../sleep.js';
import { isRequestedBackup } from './tags.js';
import type { Backup, WaitOptions } from './target.js';

/** Polling bounds in seconds; AWS's waiters default to 15 and 120. */
export interface PollingOptions {
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
  /**
   * How long a backup that AWS has just accepted may stay invisible to describe calls (EC2 and RDS
   * are eventually consistent: a new resource can answer not-found for a while). Default 300.
   */
  visibilityGraceSeconds?: number;
  /** Where the adapter's time comes from (the run's clock); the system's by default. */
  clock?: Clock;
}

/** AWS documents no bound for eventual consistency; minutes would already be far out of the ordinary. */
export const VISIBILITY_GRACE_SECONDS = 300;

export interface BackupWait {
  polling: PollingOptions;
  /** Reads the backup's current state; undefined when it no longer exists. */
  describe: () => Promise<Backup | undefined>;
  /** How the backup is called in messages, mid-sentence: `snapshot snap-1`. */
  label: string;
}

/**
 * Waits until the backup is completed or failed; throws a TargetError on timeout or a lost backup.
 * The first read comes after the first delay, not at once: AWS has just answered the backup
 * pending (its create or copy, or the listing, read it so), a read at once would only say so again
 * or, EC2 and RDS being eventually consistent, not find it yet; and a batched describe then reads
 * together every backup that its adapter has begun to wait for within that delay.
 */
export async function waitForBackup(
  backup: Backup,
  { maxWaitSeconds, signal }: WaitOptions,
  wait: BackupWait,
): Promise<Backup> {
  if (backup.state !== 'pending') return backup;
  const minDelay = wait.polling.minDelaySeconds ?? 15;
  const graceMs = (wait.polling.visibilityGraceSeconds ?? VISIBILITY_GRACE_SECONDS) * 1000;
  const clock = wait.polling.clock ?? systemClock;
  const started = clock().getTime();
  let last: Backup | undefined = backup;
  let lastError: unknown;
  // Until a describe has shown it once, a missing backup is one not visible yet, not one deleted.
  let seen = false;
  let unseenTooLong = false;
  let skip = true;
  const result: WaiterResult = await createWaiter(
    {
      client: undefined,
      minDelay,
      maxDelay: wait.polling.maxDelaySeconds ?? 120,
      // The engine requires its budget to exceed its first delay; the caller's deadline still rules.
      maxWaitTime: Math.max(Math.ceil(maxWaitSeconds), minDelay + 1),
      ...(signal ? { abortSignal: signal } : {}),
    },
    undefined,
    async () => {
      if (skip) {
        skip = false;
        return { state: WaiterState.RETRY };
      }
      try {
        last = await wait.describe();
        lastError = undefined;
      } catch (error) {
        // A passing describe error (throttling beyond retries, a network blip) is polled again.
        lastError = error;
        return { state: WaiterState.RETRY };
      }
      if (!last) {
        if (seen) return { state: WaiterState.FAILURE };
        unseenTooLong = clock().getTime() - started >= graceMs;
        return { state: unseenTooLong ? WaiterState.FAILURE : WaiterState.RETRY };
      }
      seen = true;
      if (last.state === 'failed') return { state: WaiterState.FAILURE };
      return { state: last.state === 'completed' ? WaiterState.SUCCESS : WaiterState.RETRY };
    },
  );
  if (signal?.aborted || result.state === WaiterState.ABORTED) throw new CancelledError();
  const subject = `${wait.label.charAt(0).toUpperCase()}${wait.label.slice(1)} of ${backup.sourceId}`;
  switch (result.state) {
    case WaiterState.SUCCESS:
      return last ?? { ...backup, state: 'completed' };
    case WaiterState.FAILURE:
      if (last) return last;
      if (unseenTooLong) {
        throw new TargetError(
          `${subject} was accepted by AWS but has not become visible in ${formatDuration(graceMs)}; it is left in place (if it exists) and later runs will count it.`,
        );
      }
      throw new TargetError(`${subject} disappeared while waiting for it.`);
    default:
      if (!seen && !lastError) {
        throw new TargetError(
          `${subject} was accepted by AWS but did not become visible within ${formatDuration(maxWaitSeconds * 1000)} (wait-timeout); it is left in place (if it exists) and later runs will count it.`,
        );
      }
      if (lastError !== undefined) {
        throw new TargetError(
          describeAwsError(`Could not read ${wait.label} while waiting for it`, lastError),
          { cause: lastError },
        );
      }
      throw new TargetError(
        `${subject} did not complete within ${formatDuration(maxWaitSeconds * 1000)} (wait-timeout); it is left in place and later runs will count it once it completes.`,
      );
  }
}

/**
 * How long one batched answer stands for the next poll of the same backup: a third of the shortest
 * polling delay, so that no waiter is ever handed the answer its previous poll already saw.
 */
export function freshFor(polling: PollingOptions): number {
  return ((polling.minDelaySeconds ?? 15) * 1000) / 3;
}

/**
 * Reads the given backups, those it omits no longer existing; `signal` goes with its AWS calls
 * (`send(command, { abortSignal })`), so that a cancelled run's read stops at once.
 */
export type DescribeMany<T> = (ids: string[], signal?: AbortSignal) => Promise<T[]>;

/**
 * The batched describe of an adapter's waits, polled on its `polling` schedule and timed by its
 * clock (every EC2 and RDS adapter builds one).
 */
export function batchedWaits<T extends { id: string; state: string }>(
  describeMany: DescribeMany<T>,
  polling: PollingOptions,
  clock: Clock,
): BatchedDescribe<T> {
  return new BatchedDescribe(describeMany, freshFor(polling), () => clock().getTime());
}

/** A batched read under way, and the signal of its calls, shared by the waiters that await it. */
interface Refresh {
  done: Promise<void>;
  shared: SharedSignal;
}

/**
 * One describe for every backup an adapter is waiting for, instead of one per backup: a fleet's
 * waits cost describe calls in proportion to the time spent waiting, not to the fleet's size. Each
 * waiter keeps the SDK waiter engine's own schedule; when it polls, a result read for it less than
 * `freshMs` ago is reused, else one batched describe reads every backup still being waited for.
 * A waiter whose signal fires stops waiting for the read at once; the read's own calls are
 * aborted once every waiter awaiting it has stopped (a waiter without a signal keeps them going).
 */
export class BatchedDescribe<T extends { id: string; state: string } = Backup> {
  private readonly watched = new Set<string>();
  private readonly seen = new Map<string, { at: number; backup: T | undefined }>();
  private refreshing: Refresh | undefined;

  /**
   * @param describeMany reads the given backups (those it omits no longer exist)
   * @param freshMs how long a result stands for the next poll of the same backup
   */
  constructor(
    private readonly describeMany: DescribeMany<T>,
    private readonly freshMs = 5_000,
    private readonly clock: () => number = () => systemClock().getTime(),
  ) {}

  /** Reads `id` in every refresh from now on, before its waiter first asks for it. */
  watch(id: string): void {
    this.watched.add(id);
  }

  /**
   * The backup's current state; undefined when it no longer exists. Rejects with a CancelledError
   * as soon as `signal` (the waiter's) fires.
   */
  async describe(id: string, signal?: AbortSignal): Promise<T | undefined> {
    if (signal?.aborted) throw new CancelledError();
    const asked = this.clock();
    const known = this.seen.get(id);
    if (known && known.at >= asked - this.freshMs) return known.backup;
    for (;;) {
      // Watched again each time: a read under way when it was asked for may have found it finished
      // and stopped watching it, and only a read that began since answers.
      this.watched.add(id);
      // A read whose waiters all gave up is being aborted: a waiter still waiting starts another.
      if (!this.refreshing || this.refreshing.shared.signal.aborted) this.refreshing = this.start();
      const { done, shared } = this.refreshing;
      const leave = shared.join(signal);
      try {
        await abortable(done, signal);
      } finally {
        leave();
      }
      // Only a refresh that read this backup, and began once it was asked for, answers; one that
      // was under way before may not have included it, and the loop starts another.
      const read = this.seen.get(id);
      if (read && read.at >= asked) return read.backup;
    }
  }

  private start(): Refresh {
    const shared = new SharedSignal();
    const made: Refresh = {
      shared,
      done: this.refresh(shared.signal).finally(() => {
        if (this.refreshing === made) this.refreshing = undefined;
      }),
    };
    return made;
  }

  private async refresh(signal: AbortSignal): Promise<void> {
    // Let every waiter polling in this same turn join the read before it is sent.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) throw new CancelledError();
    const at = this.clock();
    const ids = [...this.watched];
    const found = new Map(
      (await this.describeMany(ids, signal)).map((backup) => [backup.id, backup]),
    );
    for (const id of ids) {
      const backup = found.get(id);
      this.seen.set(id, { at, backup });
      // A finished (or vanished) backup is not read again: its waiter stops at this answer.
      if (!backup || backup.state !== 'pending') this.watched.delete(id);
    }
  }
}

/**
 * Reads until `find` names the backup, for at most `graceSeconds`: a backup that AWS says exists
 * (`InvalidAMIName.Duplicate`, `DBSnapshotAlreadyExists`) may not be visible to describe calls yet.
 * Pauses double from a sixtieth of the grace. Undefined when it never showed.
 */
export async function findWithin<T>(
  find: () => Promise<T | undefined>,
  graceSeconds: number,
  sleep: Sleep,
  signal?: AbortSignal,
): Promise<T | undefined> {
  const budgetMs = graceSeconds * 1000;
  let pauseMs = Math.max(budgetMs / 60, 1);
  let waitedMs = 0;
  for (;;) {
    if (signal?.aborted) throw new CancelledError();
    const found = await find();
    if (found !== undefined || waitedMs + pauseMs > budgetMs) return found;
    await sleep(pauseMs, signal);
    waitedMs += pauseMs;
    pauseMs *= 2;
  }
}

/**
 * The backup that a retried request already made, adopted instead of made twice. `read` looks up
 * the resource of the request's name or identifier: `{ backup }` when one exists (the set's record
 * of it, or undefined when it is none of the set's), undefined while none is visible; it is read
 * within the visibility grace. Adopted only when its tags say it is this very request.
 */
export async function adoptRequested(
  read: () => Promise<{ backup: Backup | undefined } | undefined>,
  tags: Readonly<Record<string, string>>,
  options: PollingOptions & { sleep?: Sleep | undefined },
  signal: AbortSignal | undefined,
): Promise<Backup | undefined> {
  const found = await findWithin(
    read,
    options.visibilityGraceSeconds ?? VISIBILITY_GRACE_SECONDS,
    options.sleep ?? realSleep,
    signal,
  ).catch(() => undefined);
  return isRequestedBackup(found?.backup, tags) ? found.backup : undefined;
}
