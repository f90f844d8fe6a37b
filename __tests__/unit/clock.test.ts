// Time comes in as a parameter (src/clock.ts): the run's wait budget and the adapters' visibility
// grace follow the clock they are handed, not the machine's.
import { describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import type { Backup } from '../../src/model.js';
import { waitForBackup } from '../../src/targets/wait.js';
import type { RunContext } from '../../src/run-state.js';
import { waitBudget } from '../../src/work.js';

const START = new Date('2026-11-29T00:00:00Z');

/** A clock that moves only when the test says so. */
function steppedClock() {
  let at = START.getTime();
  return {
    now: () => new Date(at),
    advance: (ms: number) => {
      at += ms;
    },
  };
}

describe('waitBudget', () => {
  const run = (now: () => Date) =>
    ({
      config: { waitTimeoutMs: 60_000 },
      now,
      waitDeadline: START.getTime() + 60_000,
    }) as unknown as RunContext;

  it('counts down by the run’s clock and refuses a wait once the wait-timeout is used up', () => {
    const clock = steppedClock();
    const context = run(clock.now);
    expect(waitBudget(context, 'snap-1')).toBe(60);
    clock.advance(45_000);
    expect(waitBudget(context, 'snap-1')).toBe(15);
    clock.advance(15_000);
    expect(() => waitBudget(context, 'Copy snap-2 in eu-west-1')).toThrow(
      new TargetError(
        "Copy snap-2 in eu-west-1 was not waited for: the run's wait-timeout (1m) was used up; it is left in place and later runs will count it once it completes.",
      ),
    );
  });
});

describe('waitForBackup', () => {
  it('ends the visibility grace by the clock it is handed', async () => {
    const clock = steppedClock();
    const backup: Backup = {
      id: 'snap-1',
      kind: 'ebs-volume',
      region: 'us-east-1',
      sourceId: 'vol-1',
      set: 'default',
      createdAt: START,
      state: 'pending',
      tags: {},
    };
    let polls = 0;
    const error = await waitForBackup(
      backup,
      { maxWaitSeconds: 3600, warn: () => {} },
      {
        // Grace of an hour, polls 10 ms apart: only the clock, not the machine's time, ends it.
        polling: {
          minDelaySeconds: 0.01,
          maxDelaySeconds: 0.01,
          visibilityGraceSeconds: 3600,
          clock: clock.now,
        },
        describe: () => {
          polls += 1;
          if (polls === 3) clock.advance(3600_000);
          return Promise.resolve(undefined);
        },
        label: 'snapshot snap-1',
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toMatch(/has not become visible in 1h/);
    expect(polls).toBe(3);
  });
});
