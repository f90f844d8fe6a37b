/**
 * Pacing of the calls that change something, per API action and Region, the way AWS meters them.
 *
 * EC2 throttles each account and Region with a token bucket per API action ("Request throttling
 * for the Amazon EC2 API", https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html,
 * tables "Request token bucket sizes and refill rates"): every request takes a token, an empty
 * bucket answers `RequestLimitExceeded`, and each bucket refills at its own rate, so `CreateSnapshot`
 * and `DeleteSnapshot` never wait on each other. Every other tool of the account (deploys,
 * autoscaling, other backups) draws on the same buckets, so a run keeps a bucket of its own per
 * action and Region, with half of AWS's burst (at most `MAX_BURST`) and AWS's refill rate: it
 * never takes more than that half ahead of the refill, so the other half stays for the account's
 * other tools, and a drained account bucket is left to the adaptive retry (src/aws.ts), which
 * slows down on throttling by itself. (Half, not less: 200 snapshots then take 30 s, (200 − 50) / 5,
 * where AWS's whole bucket would allow 20 s and a fifth of it 36 s.)
 *
 * Reads (Describe, List, Get) are not paced: EC2's non-mutating bucket holds 100 and refills 20
 * per second, and a run's listings are few, filtered and read in pages (so they draw on that bucket,
 * not on the 50-token one of unfiltered describes read whole); the waits poll in one describe
 * for many backups.
 *
 * The pacing sits in the initialize step, before the SDK's retry loop: a call takes its token
 * once, and a throttled attempt is retried by the adaptive retry strategy.
 */
import { SMITHY_CONTEXT_KEY, type MiddlewareStack } from '@smithy/types';
import { systemClock } from './clock.js';
import { CancelledError } from './errors.js';
import { abortable, sleep, type Sleep } from './sleep.js';

/** A bucket: how many calls may go at once, and how many more per second after that. */
export interface Rate {
  readonly burst: number;
  readonly perSecond: number;
}

/** The services whose mutating calls are paced; S3 is not (see `s3Client` in src/aws.ts). */
export type PacedService = 'ec2' | 'rds' | 'ssm';

/** The largest burst a run takes from any of AWS's buckets. */
export const MAX_BURST = 50;

/** Our share of one of AWS's buckets: half its capacity (at most `MAX_BURST`), its refill. */
export function shareOf(aws: Rate): Rate {
  return {
    burst: Math.max(1, Math.min(MAX_BURST, Math.floor(aws.burst / 2))),
    perSecond: aws.perSecond,
  };
}

/**
 * How a mutating action is paced: AWS's documented bucket for it (`aws`, when AWS documents one),
 * ours (`rate`), and the bucket it shares (`bucket`: actions that AWS meters together share ours
 * too; by default each action has its own).
 */
export interface ActionMeter {
  readonly aws?: Rate;
  readonly rate: Rate;
  readonly bucket?: string;
}

/** An action with a bucket of its own at AWS: ours is a share of it. */
const own = (burst: number, perSecond: number): ActionMeter => ({
  aws: { burst, perSecond },
  rate: shareOf({ burst, perSecond }),
});

/** EC2's "Mutating actions" category: every mutating action without a bucket of its own. */
const EC2_MUTATING = own(50, 5);

/**
 * Amazon RDS meters an account and Region in one bucket for all its API operations: "up to 300
 * requests in a burst and a sustained 12 requests per second" ("Request throttling for the Amazon
 * RDS API", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html).
 * Reads draw on it too, so the run's RDS mutations share one bucket of ours that refills at 10 per
 * second, leaving 2 per second of AWS's refill to the run's own describes (the waits' polls).
 */
const RDS_ALL: ActionMeter = {
  aws: { burst: 300, perSecond: 12 },
  rate: { burst: MAX_BURST, perSecond: 10 },
  bucket: 'all operations',
};

/**
 * Systems Manager's API reference documents no rate for `SendCommand` (a throttled call answers
 * `ThrottlingException`). A run sends at most two commands per instance (pre and post), so it
 * keeps the pace it had before: 5 per second, 5 at once.
 */
const SSM_UNDOCUMENTED: ActionMeter = { rate: { burst: 5, perSecond: 5 } };

/**
 * The meter of each mutating action the adapters send (src/targets: each `…Command` constructed). A test reads
 * the adapters and fails for a mutating call missing here. EC2's figures are its "Uncategorized
 * actions" table (actions with a bucket of their own) and its "Mutating actions" category.
 */
export const METERS: { readonly [S in PacedService]: Readonly<Record<string, ActionMeter>> } = {
  ec2: {
    CreateSnapshot: own(100, 5),
    CreateSnapshots: own(100, 5),
    DeleteSnapshot: own(100, 5),
    DeregisterImage: own(100, 5),
    CopyImage: own(100, 1),
    CreateTags: own(100, 10),
    CreateImage: EC2_MUTATING,
    CopySnapshot: EC2_MUTATING,
  },
  rds: {
    CreateDBSnapshot: RDS_ALL,
    CreateDBClusterSnapshot: RDS_ALL,
    CopyDBSnapshot: RDS_ALL,
    CopyDBClusterSnapshot: RDS_ALL,
    DeleteDBSnapshot: RDS_ALL,
    DeleteDBClusterSnapshot: RDS_ALL,
  },
  ssm: { SendCommand: SSM_UNDOCUMENTED },
};

/** The meter of an action: its own entry, else its service's default. */
export function meterOf(service: PacedService, action: string): ActionMeter {
  const listed = METERS[service][action];
  if (listed) return listed;
  return service === 'ec2' ? EC2_MUTATING : service === 'rds' ? RDS_ALL : SSM_UNDOCUMENTED;
}

/** A bucket's tokens at a time (ms); below zero when calls have reserved tokens not yet refilled. */
export interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

/**
 * Takes one token from `bucket` at `now` (ms): the bucket after, and how long the call waits
 * first. The bucket refills continuously up to its burst; a call that finds it empty reserves the
 * next token (the count goes below zero) and waits until that token has refilled, so callers go in
 * the order they came, `1 / perSecond` apart. A clock that went back refills nothing.
 */
export function take(rate: Rate, bucket: Bucket, now: number): { bucket: Bucket; waitMs: number } {
  const elapsed = Math.max(0, now - bucket.at);
  const refilled = Math.min(rate.burst, bucket.tokens + (elapsed * rate.perSecond) / 1000);
  const tokens = refilled - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / rate.perSecond);
  return { bucket: { tokens, at: Math.max(now, bucket.at) }, waitMs };
}

/**
 * The token a call took and did not use (its wait was cancelled) given back: the calls queued
 * behind it keep the waits they were given, so the bucket only ever errs on the slow side.
 */
export function giveBack(rate: Rate, bucket: Bucket): Bucket {
  return { tokens: Math.min(rate.burst, bucket.tokens + 1), at: bucket.at };
}

/**
 * Resolves when a mutating call of the command (`CreateSnapshotCommand`, or its action) may go;
 * rejects with a CancelledError, at once, when `signal` (the call's) fires first.
 */
export type Pace = (commandName: string, signal?: AbortSignal) => Promise<void>;

/** Where a pacer reads the time (ms) and how it waits; tests pass a fake clock. */
export interface PaceTime {
  readonly now: () => number;
  /** Waits `ms`; ends early (rejects) when the signal fires. */
  readonly sleep: Sleep;
}

const systemTime: PaceTime = { now: () => systemClock().getTime(), sleep };

/**
 * The buckets of one service and Region: one per action, or per shared AWS bucket. A call whose
 * signal fires while it waits for its token stops waiting at once and gives the token back.
 */
export function pacer(service: PacedService, time: PaceTime = systemTime): Pace {
  const buckets = new Map<string, Bucket>();
  return async (commandName, signal) => {
    if (signal?.aborted) throw new CancelledError();
    const action = commandName.replace(/Command$/, '');
    const { rate, bucket = action } = meterOf(service, action);
    const now = time.now();
    const taken = take(rate, buckets.get(bucket) ?? { tokens: rate.burst, at: now }, now);
    buckets.set(bucket, taken.bucket);
    if (taken.waitMs <= 0) return;
    try {
      // Raced with the signal too, so that no sleep, however injected, holds a cancelled call.
      await abortable(time.sleep(taken.waitMs, signal), signal);
    } catch (error) {
      const current = buckets.get(bucket);
      if (current) buckets.set(bucket, giveBack(rate, current));
      throw signal?.aborted ? new CancelledError() : error;
    }
  };
}

/** Reads are not paced; everything else changes state and is. */
export function isMutating(commandName: string | undefined): boolean {
  return !/^(Describe|List|Get)/.test(commandName ?? '');
}

/** The pacers of a run: one per service and Region, made on first use with `time`. */
export function pacers(
  time: PaceTime = systemTime,
): (service: PacedService, region: string) => Pace {
  const made = new Map<string, Pace>();
  return (service, region) => {
    const key = `${service} ${region}`;
    let pace = made.get(key);
    if (!pace) {
      pace = pacer(service, time);
      made.set(key, pace);
    }
    return pace;
  };
}

/** The process's pacer of a service and Region, shared by every client the run makes for them. */
export const sharedPacer = pacers();

/**
 * Makes every mutating command sent through `stack` (a client's) wait for `pace` first; the call's
 * abort signal (`send(command, { abortSignal })`, which the SDK hands its middleware in the
 * context) ends that wait too.
 */
export function paceMutations<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
  pace: Pace,
): void {
  stack.add(
    (next, context) => async (args) => {
      if (isMutating(context.commandName)) {
        const signal = context[SMITHY_CONTEXT_KEY]?.abortSignal;
        await pace(context.commandName ?? '', signal instanceof AbortSignal ? signal : undefined);
      }
      return next(args);
    },
    { step: 'initialize', name: 'paceMutations', override: true },
  );
}
