// The adapters as the run makes them (src/targets/index.ts): every delay they wait out by themselves
// is AWS's pace times SNAPSHOT_ROTATION_TIME_SCALE, so tests against an emulator need not sleep
// AWS's minutes.
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { readConfig } from '../../src/inputs.js';
import { createAdapter, loadAdapterFactory, scaledDelays } from '../../src/targets/index.js';
import { EbsVolumeAdapter } from '../../src/targets/ebs-volume.js';
import { Ec2ImageAdapter } from '../../src/targets/ec2-image.js';
import { Ec2InstanceAdapter } from '../../src/targets/ec2-instance.js';
import { FilesAdapter } from '../../src/targets/files.js';
import { RdsAdapter } from '../../src/targets/rds.js';
import { SsmQuiescer } from '../../src/targets/ssm-quiesce.js';
import { rejectionOf } from './expect.js';
import { backupOf, REGION } from './fixtures.js';

const VOLUME = 'vol-0123456789abcdef0';
const ec2 = mockClient(EC2Client);

afterEach(() => {
  ec2.reset();
});

describe('scaledDelays', () => {
  it.each([
    [
      'waits at AWS’s pace at scale 1',
      1,
      {
        minDelaySeconds: 15,
        maxDelaySeconds: 120,
        visibilityGraceSeconds: 300,
        rateLimitBackoffMs: 15_000,
      },
    ],
    [
      'scales every delay by the same factor',
      0.01,
      {
        minDelaySeconds: 0.15,
        maxDelaySeconds: 1.2,
        visibilityGraceSeconds: 3,
        rateLimitBackoffMs: 150,
      },
    ],
  ])('%s', (_, scale, delays) => {
    expect(scaledDelays(scale)).toEqual(delays);
  });
});

describe('createAdapter', () => {
  it('gives the adapter the visibility grace scaled by SNAPSHOT_ROTATION_TIME_SCALE', async () => {
    const config = readConfig(
      (name) =>
        ({ 'target-type': 'ebs-volume', 'resource-id': VOLUME, generations: '1' })[name] ?? '',
      { AWS_REGION: REGION, SNAPSHOT_ROTATION_TIME_SCALE: '0.001' },
    );
    // Never visible: the wait ends once the scaled grace (300 s × 0.001) has passed.
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const pending = backupOf('ebs-volume', 'snap-new', VOLUME);
    const started = performance.now();

    const error = await rejectionOf(
      (await createAdapter(config)).waitUntilDone(pending, { maxWaitSeconds: 600 }),
    );

    expect(error.message).toMatch(/was accepted by AWS but has not become visible/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(ec2.commandCalls(DescribeSnapshotsCommand).length).toBeGreaterThan(1);
  });
});

describe('loadAdapterFactory', () => {
  const configOf = (inputs: Record<string, string>) =>
    readConfig((name) => ({ generations: '1', ...inputs })[name] ?? '', { AWS_REGION: REGION });

  it.each([
    ['ebs-volume', { 'resource-id': VOLUME }, EbsVolumeAdapter],
    ['ec2-image', { 'resource-id': 'i-0123456789abcdef0' }, Ec2ImageAdapter],
    ['ec2-instance', { 'resource-id': 'i-0123456789abcdef0' }, Ec2InstanceAdapter],
    ['rds-instance', { 'resource-id': 'db-1' }, RdsAdapter],
    ['rds-cluster', { 'resource-id': 'cluster-1' }, RdsAdapter],
    ['files', { 'resource-id': 'site', path: 'src/**', bucket: 'backups-bucket' }, FilesAdapter],
  ] as const)('loads the %s adapter and makes one per region', async (type, inputs, kind) => {
    const adapterIn = await loadAdapterFactory(configOf({ 'target-type': type, ...inputs }));

    const home = adapterIn(REGION);
    const away = adapterIn('eu-west-1');

    expect(home).toBeInstanceOf(kind);
    expect(away).toBeInstanceOf(kind);
    expect(away).not.toBe(home);
    expect(home.quiescer).toBeUndefined();
  });

  it('gives the home adapter an SSM quiescer when the inputs quiesce, and a copy destination none', async () => {
    const adapterIn = await loadAdapterFactory(
      configOf({
        'target-type': 'ebs-volume',
        'resource-id': VOLUME,
        'pre-command': 'sync',
        'post-command': 'true',
      }),
    );

    expect(adapterIn(REGION).quiescer).toBeInstanceOf(SsmQuiescer);
    expect(adapterIn('eu-west-1').quiescer).toBeUndefined();
  });
});
