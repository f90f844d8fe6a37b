// The batched describe behind the EC2 adapters' waits (src/targets/wait.ts): every backup being
// waited for is read by one call, whatever the number of waiters.
import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { TAGS } from '../../src/constants.js';
import { EbsVolumeAdapter } from '../../src/targets/ebs-volume.js';
import type { Backup } from '../../src/targets/target.js';
import { BatchedDescribe, freshFor } from '../../src/targets/wait.js';

function backup(id: string, state: Backup['state'] = 'pending'): Backup {
  return {
    id,
    kind: 'ebs-volume',
    region: 'us-east-1',
    sourceId: `vol-${id}`,
    set: 'default',
    createdAt: new Date('2026-11-25T00:00:00Z'),
    state,
    tags: {},
  };
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

  it('lets an answer stand for a third of the shortest polling delay', () => {
    expect(freshFor({})).toBe(5000);
    expect(freshFor({ minDelaySeconds: 3 })).toBe(1000);
  });
});

describe('EbsVolumeAdapter waits', () => {
  it('waits for many snapshots with describe calls that each read all of them, not one per snapshot', async () => {
    const client = new EC2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
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
          Tags: [
            { Key: TAGS.backupSet, Value: 'default' },
            { Key: TAGS.source, Value: `vol-${id}` },
          ],
        })),
      };
    });
    const adapter = new EbsVolumeAdapter(client, 'us-east-1', {
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
