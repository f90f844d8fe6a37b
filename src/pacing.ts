/**
 * Pacing of the calls that change something. EC2 meters each account and region with token
 * buckets; the mutating actions a backup run makes (CreateSnapshot, DeleteSnapshot, CopySnapshot,
 * CreateImage, DeregisterImage, CreateTags …) refill at 5 tokens per second. A fleet run that fired
 * hundreds of them at once would drain those buckets, and every other tool of the account (deploys,
 * autoscaling, other backups) would get `RequestLimitExceeded` until they refill. So every client
 * sends at most 5 mutating calls per second per service and region; reads (Describe, List, Get) are
 * not paced: they have their own, larger buckets, and the listings are few (one per set and region).
 *
 * The pacing sits before the SDK's retry loop: a call waits for its turn once, and a throttled
 * attempt is retried by the adaptive retry strategy (which slows down on throttling by itself).
 */
import type { MiddlewareStack } from '@smithy/types';
import pThrottle from 'p-throttle';

/** EC2's refill rate for the mutating actions a run makes, per account and region. */
export const MUTATIONS_PER_SECOND = 5;

/** Resolves when the next mutating call may be sent. */
export type Pace = () => Promise<void>;

/** At most `perSecond` calls in any one-second window (strict: no burst across window edges). */
export function pacer(perSecond: number = MUTATIONS_PER_SECOND): Pace {
  const throttle = pThrottle({ limit: perSecond, interval: 1000, strict: true });
  return throttle(() => Promise.resolve());
}

/** Reads are not paced; everything else changes state and is. */
export function isMutating(commandName: string | undefined): boolean {
  return !/^(Describe|List|Get)/.test(commandName ?? '');
}

/** One pacer per service and region, shared by every client the run makes for them. */
const pacers = new Map<string, Pace>();

export function sharedPacer(service: string, region: string): Pace {
  const key = `${service} ${region}`;
  let pace = pacers.get(key);
  if (!pace) {
    pace = pacer();
    pacers.set(key, pace);
  }
  return pace;
}

/** Makes every mutating command sent through `stack` (a client's) wait for `pace` first. */
export function paceMutations<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
  pace: Pace,
): void {
  stack.add(
    (next, context) => async (args) => {
      if (isMutating(context.commandName)) await pace();
      return next(args);
    },
    { step: 'initialize', name: 'paceMutations', override: true },
  );
}
