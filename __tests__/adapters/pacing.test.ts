// Pacing of mutating calls (src/pacing.ts): the token bucket's arithmetic and the pacers with a
// fake clock (a burst, then the refill rate; actions, services and Regions independent; a wait
// cancelled by the call's signal ends at once and gives its token back), and, through the action's
// own clients with the HTTP handler replaced, which calls wait, how often, and with which signal.
import { describe, expect, it, vi } from 'vitest';
import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { ec2Client, rdsClient } from '../../src/aws.js';
import { CancelledError, isAbort } from '../../src/errors.js';
import {
  giveBack,
  isMutating,
  MAX_BURST,
  paceMutations,
  pacer,
  pacers,
  take,
  type Bucket,
  type PaceTime,
} from '../../src/pacing.js';
import { rejectionOf } from './expect.js';
import { answerHttp, ec2ErrorXml } from './fixtures.js';

/**
 * A fake clock: `now` is set by the test; `sleep` records each wait and resolves at once, so the
 * waits of calls made at one instant are their whole schedule.
 */
function fakeTime(): PaceTime & { t: number; waits: number[] } {
  const time = {
    t: 0,
    waits: [] as number[],
    now: () => time.t,
    sleep: (ms: number) => {
      time.waits.push(ms);
      return Promise.resolve();
    },
  };
  return time;
}

/** When each of `count` calls of `command` made at the clock's instant may go (ms from now). */
async function schedule(
  pace: (command: string) => Promise<void>,
  time: ReturnType<typeof fakeTime>,
  command: string,
  count: number,
): Promise<number[]> {
  const before = time.waits.length;
  const zeros: number[] = [];
  const calls = Array.from({ length: count }, () => pace(command));
  await Promise.all(calls);
  // A call that did not wait recorded nothing: calls go in order, so the waits are the tail.
  const waits = time.waits.slice(before);
  for (let i = 0; i < count - waits.length; i += 1) zeros.push(0);
  return [...zeros, ...waits];
}

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('take (a token bucket)', () => {
  const rate = { burst: 3, perSecond: 2 };

  it('lets the burst through at once, then one call per 1/perSecond, in order', () => {
    let bucket: Bucket = { tokens: rate.burst, at: 0 };
    const waits: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const taken = take(rate, bucket, 0);
      bucket = taken.bucket;
      waits.push(taken.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 500, 1000, 1500]);
  });

  it('refills at its rate up to the burst, never beyond', () => {
    let bucket: Bucket = { tokens: 0, at: 0 };
    // 750 ms refill 1.5 tokens: one call goes, the next waits for the half token missing.
    let taken = take(rate, bucket, 750);
    expect(taken.waitMs).toBe(0);
    taken = take(rate, taken.bucket, 750);
    expect(taken.waitMs).toBe(250);
    // An hour idle fills the bucket to its burst only.
    bucket = take(rate, taken.bucket, 3_600_000).bucket;
    expect(bucket.tokens).toBe(rate.burst - 1);
  });

  it('refills nothing when the clock goes back', () => {
    const taken = take(rate, { tokens: 0, at: 10_000 }, 5_000);
    expect(taken.waitMs).toBe(500);
    expect(taken.bucket.at).toBe(10_000);
  });
});

describe('pacer (one service and Region)', () => {
  it(`lets ${MAX_BURST} CreateSnapshot calls go at once, then 5 per second (EC2's refill)`, async () => {
    const time = fakeTime();
    const pace = pacer('ec2', time);
    const waits = await schedule(pace, time, 'CreateSnapshotCommand', MAX_BURST + 10);
    expect(waits).toEqual([...Array<number>(MAX_BURST).fill(0), ...range(200, 2000, 200)]);
  });

  it('refills CopyImage at 1 per second and CreateTags at 10 per second', async () => {
    const time = fakeTime();
    const pace = pacer('ec2', time);
    expect((await schedule(pace, time, 'CopyImageCommand', MAX_BURST + 3)).slice(-3)).toEqual([
      1000, 2000, 3000,
    ]);
    expect((await schedule(pace, time, 'CreateTagsCommand', MAX_BURST + 3)).slice(-3)).toEqual([
      100, 200, 300,
    ]);
  });

  it("gives each action a bucket of its own: deletes don't wait for creates", async () => {
    const time = fakeTime();
    const pace = pacer('ec2', time);
    await schedule(pace, time, 'CreateSnapshotCommand', 100);
    expect(await schedule(pace, time, 'DeleteSnapshotCommand', MAX_BURST)).toEqual(
      Array<number>(MAX_BURST).fill(0),
    );
    // The creates' own bucket is still 100 − MAX_BURST calls behind, at 5 per second.
    expect(await schedule(pace, time, 'CreateSnapshotCommand', 1)).toEqual([
      (100 - MAX_BURST + 1) * 200,
    ]);
  });

  it('refills between calls: a drained bucket is full again after burst / perSecond', async () => {
    const time = fakeTime();
    const pace = pacer('ec2', time);
    await schedule(pace, time, 'DeleteSnapshotCommand', MAX_BURST);
    time.t = 1000;
    expect(await schedule(pace, time, 'DeleteSnapshotCommand', 6)).toEqual([0, 0, 0, 0, 0, 200]);
    time.t = 60_000;
    expect(await schedule(pace, time, 'DeleteSnapshotCommand', MAX_BURST + 1)).toEqual([
      ...Array<number>(MAX_BURST).fill(0),
      200,
    ]);
  });

  it("shares one bucket among RDS's operations, as RDS meters them (10 per second)", async () => {
    const time = fakeTime();
    const pace = pacer('rds', time);
    await schedule(pace, time, 'CreateDBSnapshotCommand', MAX_BURST);
    expect(await schedule(pace, time, 'DeleteDBClusterSnapshotCommand', 2)).toEqual([100, 200]);
  });

  it('paces SSM SendCommand at 5 at once, then 5 per second', async () => {
    const time = fakeTime();
    expect(await schedule(pacer('ssm', time), time, 'SendCommandCommand', 7)).toEqual([
      0, 0, 0, 0, 0, 200, 400,
    ]);
  });
});

/**
 * A fake clock whose sleeps end only when their signal fires (rejecting with the AbortError of
 * Node's timers) or, with `honoursSignal` false, never: a wait that ends is one the pacer ended.
 */
function stalledTime(honoursSignal = true): PaceTime & { t: number; waits: number[] } {
  const time = {
    t: 0,
    waits: [] as number[],
    now: () => time.t,
    sleep: (ms: number, signal?: AbortSignal) => {
      time.waits.push(ms);
      return new Promise<void>((_, reject) => {
        if (!honoursSignal) return;
        signal?.addEventListener('abort', () => {
          reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
        });
      });
    },
  };
  return time;
}

/** Takes the whole burst of CreateSnapshot (no call waits), so that the next call waits. */
async function drain(pace: (command: string) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: MAX_BURST }, () => pace('CreateSnapshotCommand')));
}

describe('pacer: a cancelled wait', () => {
  it.each([
    ['a sleep that ends on the signal', true],
    ['a sleep that ignores the signal', false],
  ])('ends at once when the signal fires, with a CancelledError (%s)', async (_, honoursSignal) => {
    const time = stalledTime(honoursSignal);
    const pace = pacer('ec2', time);
    await drain(pace);
    const controller = new AbortController();

    const waiting = pace('CreateSnapshotCommand', controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(time.waits).toEqual([200]);
    controller.abort();
    const error = await rejectionOf(waiting);

    expect(error).toBeInstanceOf(CancelledError);
    expect(isAbort(error)).toBe(true);
  });

  it('gives its token back: the next call waits as if the cancelled one had never come', async () => {
    const time = stalledTime();
    const pace = pacer('ec2', time);
    await drain(pace);
    const controller = new AbortController();
    const cancelled = pace('CreateSnapshotCommand', controller.signal);
    controller.abort();
    await rejectionOf(cancelled);

    // The burst is spent, so this call waits; for the token after the burst, not the one after.
    void pace('CreateSnapshotCommand');
    await new Promise((resolve) => setImmediate(resolve));

    expect(time.waits).toEqual([200, 200]);
  });

  it('takes no token for a call whose signal has already fired', async () => {
    const time = stalledTime();
    const pace = pacer('ec2', time);
    await drain(pace);
    const controller = new AbortController();
    controller.abort();

    expect(await rejectionOf(pace('CreateSnapshotCommand', controller.signal))).toBeInstanceOf(
      CancelledError,
    );
    void pace('CreateSnapshotCommand');
    await new Promise((resolve) => setImmediate(resolve));

    expect(time.waits).toEqual([200]);
  });

  it('keeps the waits of the calls queued behind the cancelled one (never faster than the rate)', async () => {
    const time = stalledTime();
    const pace = pacer('ec2', time);
    await drain(pace);
    const controller = new AbortController();
    const cancelled = pace('CreateSnapshotCommand', controller.signal);
    void pace('CreateSnapshotCommand');
    controller.abort();
    await rejectionOf(cancelled);
    void pace('CreateSnapshotCommand');
    await new Promise((resolve) => setImmediate(resolve));

    // The queued call keeps its 400 ms; the one after takes the token given back, at 400 too.
    expect(time.waits).toEqual([200, 400, 400]);
  });

  it('gives back at most up to the burst', () => {
    const rate = { burst: 3, perSecond: 2 };
    expect(giveBack(rate, { tokens: -2, at: 10 })).toEqual({ tokens: -1, at: 10 });
    expect(giveBack(rate, { tokens: 3, at: 10 })).toEqual({ tokens: 3, at: 10 });
  });
});

describe('pacers (a run: services and Regions)', () => {
  it('keeps one pacer per service and Region: Regions and services never wait on each other', async () => {
    const time = fakeTime();
    const paceOf = pacers(time);
    expect(paceOf('ec2', 'eu-west-1')).toBe(paceOf('ec2', 'eu-west-1'));
    await schedule(paceOf('ec2', 'eu-west-1'), time, 'CreateSnapshotCommand', MAX_BURST);
    expect(
      await schedule(paceOf('ec2', 'eu-west-2'), time, 'CreateSnapshotCommand', MAX_BURST),
    ).toEqual(Array<number>(MAX_BURST).fill(0));
    expect(await schedule(paceOf('ec2', 'eu-west-1'), time, 'CreateSnapshotCommand', 1)).toEqual([
      200,
    ]);
    expect(await schedule(paceOf('ssm', 'eu-west-1'), time, 'SendCommandCommand', 1)).toEqual([0]);
  });
});

describe('isMutating', () => {
  it.each([
    ['CreateSnapshotCommand', true],
    ['DeleteSnapshotCommand', true],
    ['CopyImageCommand', true],
    ['DeregisterImageCommand', true],
    ['CreateTagsCommand', true],
    ['CreateDBSnapshotCommand', true],
    ['SendCommandCommand', true],
    ['DescribeSnapshotsCommand', false],
    ['DescribeAccountAttributesCommand', false],
    ['ListTagsForResourceCommand', false],
    ['GetSnapshotBlockPublicAccessStateCommand', false],
    ['GetCommandInvocationCommand', false],
  ])('%s → %s', (name, expected) => {
    expect(isMutating(name)).toBe(expected);
  });
});

describe('paced clients (HTTP handler replaced)', () => {
  const ok = (action: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
    `<requestId>req</requestId><return>true</return></${action}Response>`;
  const throttled = ec2ErrorXml('RequestLimitExceeded', 'Request limit exceeded.');

  it('paces mutating commands once each (not their SDK retries), by name, and never reads', async () => {
    const client = new EC2Client({ region: 'us-east-1', maxAttempts: 3 });
    const pace = vi.fn((_command: string) => Promise.resolve());
    paceMutations(client.middlewareStack, pace);
    let first = true;
    const sent = answerHttp(client, (body) => {
      if (body.includes('Action=DescribeSnapshots')) {
        return { status: 200, body: ok('DescribeSnapshots').replace('<return>true</return>', '') };
      }
      if (first) {
        first = false;
        return { status: 503, body: throttled };
      }
      return { status: 200, body: ok('CreateTags') };
    });

    await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(pace).not.toHaveBeenCalled();

    await client.send(new CreateTagsCommand({ Resources: ['snap-1'], Tags: [] }));
    expect(sent.filter((s) => s.body.includes('Action=CreateTags'))).toHaveLength(2);
    expect(pace.mock.calls).toEqual([['CreateTagsCommand', undefined]]);
  });

  it("hands the call's abort signal to the pace: a cancelled call stops waiting and sends nothing", async () => {
    const client = new EC2Client({ region: 'us-east-1' });
    const time = stalledTime();
    const pace = pacer('ec2', time);
    paceMutations(client.middlewareStack, pace);
    const sent = answerHttp(client, () => ({ status: 200, body: ok('DeleteSnapshot') }));
    await Promise.all(
      Array.from({ length: MAX_BURST }, (_, i) =>
        client.send(new DeleteSnapshotCommand({ SnapshotId: `snap-${i}` })),
      ),
    );
    const controller = new AbortController();

    const waiting = client.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-late' }), {
      abortSignal: controller.signal,
    });
    while (time.waits.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await rejectionOf(waiting);

    expect(error).toBeInstanceOf(CancelledError);
    expect(time.waits).toEqual([200]);
    expect(sent).toHaveLength(MAX_BURST);
    expect(sent.some((s) => s.body.includes('snap-late'))).toBe(false);
  });

  // Real timers (fake timers stall the SDK's send path). The bounds are lower ones: a busy machine
  // only makes the later calls later, so these cannot flake the other way.
  it(
    "holds the action's EC2 client to the action's bucket: the burst, then 5 per second",
    { timeout: 10_000 },
    async () => {
      const client = ec2Client('eu-south-2');
      const sent = answerHttp(client, () => ({ status: 200, body: ok('DeleteSnapshot') }));

      await Promise.all(
        Array.from({ length: MAX_BURST + 3 }, (_, i) =>
          client.send(new DeleteSnapshotCommand({ SnapshotId: `snap-${i}` })),
        ),
      );

      expect(sent).toHaveLength(MAX_BURST + 3);
      // The three past the burst go 200, 400 and 600 ms after the first.
      expect(sent[MAX_BURST + 2]!.at - sent[0]!.at).toBeGreaterThanOrEqual(550);
    },
  );

  it("paces the action's RDS client too", { timeout: 10_000 }, async () => {
    const client = rdsClient('eu-south-2');
    const sent = answerHttp(client, (body) => {
      const action = /Action=(\w+)/.exec(body)?.[1] ?? 'Unknown';
      return {
        status: 200,
        body:
          `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/">` +
          `<${action}Result></${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
      };
    });

    await Promise.all(
      Array.from({ length: MAX_BURST + 3 }, (_, i) =>
        client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `s-${i}` })),
      ),
    );

    const deletes = sent.filter((s) => s.body.includes('Action=DeleteDBSnapshot'));
    expect(deletes).toHaveLength(MAX_BURST + 3);
    // 10 per second: the three past the burst go 100, 200 and 300 ms after the first.
    expect(deletes[MAX_BURST + 2]!.at - deletes[0]!.at).toBeGreaterThanOrEqual(250);
  });
});
