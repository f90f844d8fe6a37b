// The waits shared by every adapter (src/targets/wait.ts): the batched describe behind the EC2
// adapters' waits (every backup being waited for is read by one call, whatever the number of
// waiters), the grace for a backup that AWS accepted but does not show yet, and findWithin.
import { describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { CancelledError, TargetError } from '../../src/errors.js';
import type { Sleep } from '../../src/sleep.js';
import { EbsVolumeAdapter } from '../../src/targets/ebs-volume.js';
import type { Backup } from '../../src/targets/target.js';
import {
  BatchedDescribe,
  findWithin,
  freshFor,
  VISIBILITY_GRACE_SECONDS,
  waitForBackup,
} from '../../src/targets/wait.js';
import { rejectionOf } from './expect.js';
import { awsTags, backupOf, ec2TestClient, ownershipTags, REGION } from './fixtures.js';

/** A backup of vol-<id>, as the waits see it. */
function backup(id: string, state: Backup['state'] = 'pending'): Backup {
  return backupOf('ebs-volume', id, `vol-${id}`, { state, tags: {} });
}

/** A describeMany that records each call's ids and answers from `states`. */
function recorder(states: Map<string, Backup['state'] | 'gone'>) {
  const calls: string[][] = [];
  const describeMany = (ids: string[]): Promise<Backup[]> => {
    calls.push([...ids].sort());
    return Promise.resolve(
      ids.flatMap((id) => {
        const state = states.get(id);
        return state === 'gone' || state === undefined ? [] : [backup(id, state)];
      }),
    );
  };
  return { calls, describeMany };
}

describe('BatchedDescribe', () => {
  it('reads every backup asked for at once in one call', async () => {
    const states = new Map<string, Backup['state'] | 'gone'>([
      ['snap-1', 'pending'],
      ['snap-2', 'completed'],
      ['snap-3', 'gone'],
    ]);
    const { calls, describeMany } = recorder(states);
    let now = 0;
    const batch = new BatchedDescribe(describeMany, 5000, () => now);

    const answers = await Promise.all(
      ['snap-1', 'snap-2', 'snap-3'].map((id) => batch.describe(id)),
    );

    expect(answers.map((answer) => answer?.state)).toEqual(['pending', 'completed', undefined]);
    expect(calls).toEqual([['snap-1', 'snap-2', 'snap-3']]);
    now = 1000;
    // Fresh enough: the next poll within the window reads nothing.
    expect((await batch.describe('snap-1'))?.state).toBe('pending');
    expect(calls).toHaveLength(1);
  });

  it('reads again after the window, only what is still pending', async () => {
    const states = new Map<string, Backup['state'] | 'gone'>([
      ['snap-1', 'pending'],
      ['snap-2', 'completed'],
    ]);
    const { calls, describeMany } = recorder(states);
    let now = 0;
    const batch = new BatchedDescribe(describeMany, 5000, () => now);
    await Promise.all([batch.describe('snap-1'), batch.describe('snap-2')]);

    now = 6000;
    states.set('snap-1', 'completed');
    expect((await batch.describe('snap-1'))?.state).toBe('completed');

    expect(calls).toEqual([['snap-1', 'snap-2'], ['snap-1']]);
  });

  it('reads again for a backup asked for while a read that did not include it was under way', async () => {
    const states = new Map<string, Backup['state'] | 'gone'>([
      ['snap-1', 'pending'],
      ['snap-2', 'pending'],
    ]);
    const calls: string[][] = [];
    let release: () => void = () => {};
    const describeMany = async (ids: string[]): Promise<Backup[]> => {
      calls.push([...ids]);
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return ids.map((id) => backup(id, states.get(id) as Backup['state']));
    };
    const batch = new BatchedDescribe(describeMany, 5000, () => 0);

    const first = batch.describe('snap-1');
    // The read for snap-1 is sent (and held) before snap-2 is asked for.
    while (calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = batch.describe('snap-2');
    release();

    expect((await first)?.id).toBe('snap-1');
    expect((await second)?.id).toBe('snap-2');
    expect(calls).toEqual([['snap-1'], ['snap-1', 'snap-2']]);
  });

  it('reads a watched backup again for a waiter that asked while a read that found it done was under way', async () => {
    // snap-2 is watched from its create on: the read held here includes it and finds it done, so
    // it stops being watched, but began before snap-2's waiter asked and cannot answer it.
    const calls: string[][] = [];
    let release: () => void = () => {};
    let now = 0;
    const describeMany = async (ids: string[]): Promise<Backup[]> => {
      calls.push([...ids]);
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return ids.map((id) => backup(id, 'completed'));
    };
    const batch = new BatchedDescribe(describeMany, 5000, () => now);
    batch.watch('snap-2');

    const first = batch.describe('snap-1');
    while (calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    now = 1;
    const second = batch.describe('snap-2');
    release();

    expect((await first)?.state).toBe('completed');
    expect((await second)?.state).toBe('completed');
    expect(calls).toEqual([['snap-2', 'snap-1'], ['snap-2']]);
  });

  it('hands a failed read to every waiter that shared it, and reads again on the next poll', async () => {
    let fail = true;
    const describeMany = (ids: string[]): Promise<Backup[]> =>
      fail
        ? Promise.reject(new Error('Rate exceeded'))
        : Promise.resolve(ids.map((id) => backup(id)));
    const batch = new BatchedDescribe(describeMany, 5000, () => 0);

    const results = await Promise.allSettled([batch.describe('snap-1'), batch.describe('snap-2')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);

    fail = false;
    expect((await batch.describe('snap-1'))?.id).toBe('snap-1');
  });

  /** A describeMany that hangs until its signal fires, recording the signal of each call. */
  function hanging() {
    const signals: (AbortSignal | undefined)[] = [];
    const describeMany = (_: string[], signal?: AbortSignal): Promise<Backup[]> => {
      signals.push(signal);
      return new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(abortError()));
      });
    };
    return { signals, describeMany };
  }
  const abortError = () =>
    Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
  const sent = async (signals: unknown[], count: number) => {
    while (signals.length < count) await new Promise((resolve) => setImmediate(resolve));
  };

  it('sends its read with a signal, and stops a waiter at once when the waiter’s signal fires', async () => {
    const { signals, describeMany } = hanging();
    const batch = new BatchedDescribe(describeMany, 5000, () => 0);
    const controller = new AbortController();

    const waiting = batch.describe('snap-1', controller.signal);
    await sent(signals, 1);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]?.aborted).toBe(false);
    controller.abort();

    expect(await rejectionOf(waiting)).toBeInstanceOf(CancelledError);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('aborts a shared read only once every waiter awaiting it has given up', async () => {
    const { signals, describeMany } = hanging();
    const batch = new BatchedDescribe(describeMany, 5000, () => 0);
    const [a, b] = [new AbortController(), new AbortController()];

    const first = batch.describe('snap-1', a.signal);
    const second = batch.describe('snap-2', b.signal);
    await sent(signals, 1);
    a.abort();
    expect(await rejectionOf(first)).toBeInstanceOf(CancelledError);
    // snap-2's waiter still waits for the read: it goes on.
    expect(signals[0]?.aborted).toBe(false);
    b.abort();

    expect(await rejectionOf(second)).toBeInstanceOf(CancelledError);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals).toHaveLength(1);
  });

  it('never aborts a read that a waiter without a signal awaits', async () => {
    const { signals, describeMany } = hanging();
    const batch = new BatchedDescribe(describeMany, 5000, () => 0);
    const controller = new AbortController();

    const cancelled = batch.describe('snap-1', controller.signal);
    void batch.describe('snap-2');
    await sent(signals, 1);
    controller.abort();

    expect(await rejectionOf(cancelled)).toBeInstanceOf(CancelledError);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('reads nothing for a waiter whose signal has already fired', async () => {
    const { calls, describeMany } = recorder(new Map([['snap-1', 'pending']]));
    const batch = new BatchedDescribe(describeMany, 5000, () => 0);
    const controller = new AbortController();
    controller.abort();

    expect(await rejectionOf(batch.describe('snap-1', controller.signal))).toBeInstanceOf(
      CancelledError,
    );
    expect(calls).toEqual([]);
  });

  it('starts a read of its own for a waiter that comes while an abandoned read is being aborted', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    let settle: (() => void) | undefined;
    const describeMany = (ids: string[], signal?: AbortSignal): Promise<Backup[]> => {
      signals.push(signal);
      // The first read's answer is held past its abort, as a call in flight may be.
      if (signals.length === 1) {
        return new Promise((_resolve, reject) => (settle = () => reject(abortError())));
      }
      return Promise.resolve(ids.map((id) => backup(id, 'completed')));
    };
    const batch = new BatchedDescribe(describeMany, 5000, () => 0);
    const controller = new AbortController();

    const abandoned = batch.describe('snap-1', controller.signal);
    await sent(signals, 1);
    controller.abort();
    await rejectionOf(abandoned);
    const later = batch.describe('snap-2');

    expect((await later)?.state).toBe('completed');
    expect(signals).toHaveLength(2);
    expect(signals[1]?.aborted).toBe(false);
    settle?.();
  });

  it('lets an answer stand for a third of the shortest polling delay', () => {
    expect(freshFor({})).toBe(5000);
    expect(freshFor({ minDelaySeconds: 3 })).toBe(1000);
  });
});

describe('EbsVolumeAdapter waits', () => {
  it('waits for many snapshots with describe calls that each read all of them, not one per snapshot', async () => {
    const client = ec2TestClient();
    const ec2 = mockClient(client);
    const ids = Array.from({ length: 30 }, (_, i) => `snap-${i}`);
    let polls = 0;
    ec2.on(DescribeSnapshotsCommand).callsFake(() => {
      polls += 1;
      return {
        Snapshots: ids.map((id) => ({
          SnapshotId: id,
          VolumeId: `vol-${id}`,
          State: polls >= 2 ? 'completed' : 'pending',
          Tags: awsTags(ownershipTags(`vol-${id}`)),
        })),
      };
    });
    const adapter = new EbsVolumeAdapter(client, REGION, {
      minDelaySeconds: 0.3,
      maxDelaySeconds: 0.3,
    });

    const done = await Promise.all(
      ids.map((id) => adapter.waitUntilDone(backup(id), { maxWaitSeconds: 30 })),
    );

    expect(done.every((b) => b.state === 'completed')).toBe(true);
    // Thirty waiters, two or three reads (a poll may land just past a read's freshness).
    const calls = ec2.commandCalls(DescribeSnapshotsCommand);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(calls[0]?.args[0].input.Filters?.[0]?.Values).toHaveLength(30);
    ec2.restore();
  });
});

/** A pending backup of vol-1, as create() hands it to the wait. */
const accepted = backup('snap-new');

/** Answers the wait's describe calls from `answers` in turn (the last one repeats), counting them. */
function answering(...answers: (Backup['state'] | 'unseen' | 'gone')[]) {
  let calls = 0;
  const describe = (): Promise<Backup | undefined> => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    return Promise.resolve(
      answer === 'unseen' || answer === 'gone' ? undefined : backup('snap-new', answer),
    );
  };
  return { describe, calls: () => calls };
}

const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.05 } as const;

/** Waits for `accepted` through `read`, polling fast, with this wait-timeout and grace. */
function waitWith(
  read: () => Promise<Backup | undefined>,
  maxWaitSeconds: number,
  visibilityGraceSeconds?: number,
): Promise<Backup> {
  return waitForBackup(
    accepted,
    { maxWaitSeconds },
    {
      polling: {
        ...FAST,
        ...(visibilityGraceSeconds !== undefined ? { visibilityGraceSeconds } : {}),
      },
      describe: read,
      label: 'snapshot snap-new',
    },
  );
}

describe('waitForBackup', () => {
  it('reads first after the first delay, never at once, and a backup absent then is one not visible yet', async () => {
    const read = answering('unseen', 'completed');
    const waiting = waitForBackup(
      accepted,
      { maxWaitSeconds: 30 },
      {
        polling: { minDelaySeconds: 0.3, maxDelaySeconds: 0.3 },
        describe: read.describe,
        label: 'snapshot snap-new',
      },
    );
    // AWS has just answered it pending: nothing is read until the first delay.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(read.calls()).toBe(0);

    const done = await waiting;

    expect(done.state).toBe('completed');
    expect(read.calls()).toBe(2);
  });

  it('polls a backup that describe calls do not show yet until it appears, then until it completes', async () => {
    const { describe: read, calls } = answering('unseen', 'unseen', 'pending', 'completed');

    const done = await waitWith(read, 30, 10);

    expect(done.state).toBe('completed');
    expect(calls()).toBe(4);
  });

  it('fails at once, saying it disappeared, when a backup it has seen is gone', async () => {
    const { describe: read, calls } = answering('pending', 'gone');
    const started = performance.now();

    const error = await rejectionOf(waitWith(read, 600, 600));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(
      'Snapshot snap-new of vol-snap-new disappeared while waiting for it.',
    );
    expect(calls()).toBe(2);
    // Neither the 600 s grace nor the 600 s wait-timeout is waited out.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('gives up on a backup never shown once the visibility grace has passed, before the wait-timeout', async () => {
    const { describe: read, calls } = answering('unseen');
    const started = performance.now();

    const error = await rejectionOf(waitWith(read, 600, 0.3));

    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      /^Snapshot snap-new of vol-snap-new was accepted by AWS but has not become visible in \S+; it is left in place \(if it exists\) and later runs will count it\.$/,
    );
    expect(error.message).not.toMatch(/disappeared|wait-timeout/);
    // Polled for the whole grace, not given up at the first not-found answer.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(5_000);
    expect(calls()).toBeGreaterThan(2);
  });

  it('says the backup did not become visible within the wait-timeout when that comes first', async () => {
    const { describe: read } = answering('unseen');

    const error = await rejectionOf(waitWith(read, 0.01, 600));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      /^Snapshot snap-new of vol-snap-new was accepted by AWS but did not become visible within \S+ \(wait-timeout\); it is left in place \(if it exists\) and later runs will count it\.$/,
    );
  });

  it('gives a backup not visible yet a grace of 300 s by default', async () => {
    // A wait-timeout of about a second ends the wait long before the default grace.
    const { describe: read } = answering('unseen');

    const error = await rejectionOf(waitWith(read, 0.01));

    expect(error.message).toMatch(/did not become visible within .* \(wait-timeout\)/);
    expect(VISIBILITY_GRACE_SECONDS).toBe(300);
  });

  it('says a backup disappeared when it is gone after it showed, even when it showed late', async () => {
    const { describe: read } = answering('unseen', 'pending', 'gone');

    const error = await rejectionOf(waitWith(read, 600, 600));

    expect(error.message).toMatch(/disappeared while waiting/);
  });
});

describe('findWithin', () => {
  it('returns what the first read finds without pausing', async () => {
    const sleep = vi.fn<Sleep>(() => Promise.resolve());
    const find = vi.fn(() => Promise.resolve('ami-1'));

    expect(await findWithin(find, 60, sleep)).toBe('ami-1');
    expect(find).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('reads again after pauses that double from a sixtieth of the grace, and returns what shows', async () => {
    const sleep = vi.fn<Sleep>(() => Promise.resolve());
    const answers = [undefined, undefined, 'ami-1'];
    const find = vi.fn(() => Promise.resolve(answers.shift()));

    expect(await findWithin(find, 60, sleep)).toBe('ami-1');
    expect(find).toHaveBeenCalledTimes(3);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000]);
  });

  it('gives up with undefined once the next pause would go beyond the grace', async () => {
    const sleep = vi.fn<Sleep>(() => Promise.resolve());
    const find = vi.fn(() => Promise.resolve(undefined));

    expect(await findWithin(find, 60, sleep)).toBeUndefined();
    // 1 + 2 + 4 + 8 + 16 = 31 s waited; 31 + 32 would pass 60 s.
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(find).toHaveBeenCalledTimes(6);
  });

  it('passes the signal to the pauses and stops with a CancelledError once it fires', async () => {
    const controller = new AbortController();
    const sleep = vi.fn<Sleep>(() => {
      controller.abort();
      return Promise.resolve();
    });
    const find = vi.fn(() => Promise.resolve(undefined));

    const error = await rejectionOf(findWithin(find, 60, sleep, controller.signal));

    expect(error).toBeInstanceOf(CancelledError);
    expect(sleep.mock.calls[0]?.[1]).toBe(controller.signal);
    expect(find).toHaveBeenCalledTimes(1);
  });
});
