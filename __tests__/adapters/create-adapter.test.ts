// The adapters as the run makes them (src/targets/index.ts): every delay they wait out by themselves
// is AWS's pace times SNAPSHOT_ROTATION_TIME_SCALE, so tests against an emulator need not sleep
// AWS's minutes.
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { TAGS } from '../../src/constants.js';
import { readConfig } from '../../src/inputs.js';
import { createAdapter, scaledDelays } from '../../src/targets/index.js';
import type { Backup } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';

const VOLUME = 'vol-0123456789abcdef0';
const ec2 = mockClient(EC2Client);

afterEach(() => {
  ec2.reset();
});

describe('scaledDelays', () => {
  it('waits at AWS’s pace at scale 1', () => {
    expect(scaledDelays(1)).toEqual({
      minDelaySeconds: 15,
      maxDelaySeconds: 120,
      visibilityGraceSeconds: 300,
      rateLimitBackoffMs: 15_000,
      inUseRetrySeconds: 60,
    });
  });

  it('scales every delay by the same factor', () => {
    expect(scaledDelays(0.01)).toEqual({
      minDelaySeconds: 0.15,
      maxDelaySeconds: 1.2,
      visibilityGraceSeconds: 3,
      rateLimitBackoffMs: 150,
      inUseRetrySeconds: 0.6,
    });
  });
});

describe('createAdapter', () => {
  it('gives the adapter the visibility grace scaled by SNAPSHOT_ROTATION_TIME_SCALE', async () => {
    const config = readConfig(
      (name) =>
        ({ 'target-type': 'ebs-volume', 'resource-id': VOLUME, generations: '1' })[name] ?? '',
      { AWS_REGION: 'us-east-1', SNAPSHOT_ROTATION_TIME_SCALE: '0.001' },
    );
    // Never visible: the wait ends once the scaled grace (300 s × 0.001) has passed.
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const pending: Backup = {
      id: 'snap-new',
      kind: 'ebs-volume',
      region: 'us-east-1',
      sourceId: VOLUME,
      set: 'default',
      createdAt: new Date('2026-11-22T12:00:00Z'),
      state: 'pending',
      tags: { [TAGS.backupSet]: 'default', [TAGS.source]: VOLUME },
    };
    const started = performance.now();

    const error = await rejectionOf(
      createAdapter(config).waitUntilDone(pending, { maxWaitSeconds: 600 }),
    );

    expect(error.message).toMatch(/was accepted by AWS but has not become visible/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(ec2.commandCalls(DescribeSnapshotsCommand).length).toBeGreaterThan(1);
  });
});
