/** The adapter for each target type. */
import { ec2Client, rdsClient, s3Client, ssmClient } from '../aws.js';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../inputs.js';
import { EbsVolumeAdapter } from './ebs-volume.js';
import { Ec2ImageAdapter } from './ec2-image.js';
import { Ec2InstanceAdapter } from './ec2-instance.js';
import { FilesAdapter, type FileScan } from './files.js';
import { S3Store } from './s3-store.js';
import { SsmQuiescer } from './ssm-quiesce.js';
import { rdsClusterAdapter } from './rds-cluster.js';
import { rdsInstanceAdapter } from './rds-instance.js';
import type { TargetAdapter } from './target.js';
import { VISIBILITY_GRACE_SECONDS, type PollingOptions } from './wait.js';
import { IN_USE_RETRY_SECONDS } from './ami-snapshots.js';

/** The delays of every adapter: polling and grace periods, and the EC2 back-offs. */
export interface AdapterDelays extends PollingOptions {
  rateLimitBackoffMs: number;
  inUseRetrySeconds: number;
}

/** The adapter of the run's target type in `region`: the source region, or a copy destination. */
export function createAdapter(
  config: Config,
  region: string = config.region,
  clock: Clock = systemClock,
  files: FilesContext = {},
): TargetAdapter {
  const adapter = adapterOf(config, region, clock, files);
  // Quiescing runs at home only (inputs refuse it for the types without an instance).
  if (config.quiesce && region === config.region) {
    adapter.quiescer = createQuiescer(config, region, clock);
  }
  return adapter;
}

/** The SSM quiescer of a region: the adapter's, and the post step's backstop (`backstop.ts`). */
export function createQuiescer(
  config: Config,
  region: string,
  clock: Clock = systemClock,
): SsmQuiescer {
  return new SsmQuiescer(ssmClient(region), region, { clock, pollMs: 1_000 * config.timeScale });
}

function adapterOf(
  config: Config,
  region: string,
  clock: Clock,
  files: FilesContext,
): TargetAdapter {
  const delays = { ...scaledDelays(config.timeScale), clock };
  switch (config.targetType) {
    case 'ebs-volume':
      return new EbsVolumeAdapter(ec2Client(region), region, delays);
    case 'ec2-image':
      return new Ec2ImageAdapter(ec2Client(region), region, {
        ...delays,
        noReboot: config.noReboot,
      });
    case 'ec2-instance':
      return new Ec2InstanceAdapter(ec2Client(region), region, {
        ...delays,
        ...(config.instance ? { exclude: config.instance } : {}),
      });
    case 'rds-instance':
      return rdsInstanceAdapter(rdsClient(region), region, {
        ...delays,
        quotaClient: rdsClient(region, 2),
      });
    case 'rds-cluster':
      return rdsClusterAdapter(rdsClient(region), region, {
        ...delays,
        quotaClient: rdsClient(region, 2),
      });
    case 'files':
      return filesAdapter(config, region, clock, files);
  }
}

/** What a `files` adapter needs beyond the inputs: the scan of the runner, and a log line. */
export interface FilesContext {
  scan?: FileScan;
  log?: (line: string) => void;
}

function filesAdapter(
  config: Config,
  region: string,
  clock: Clock,
  { scan, log }: FilesContext,
): FilesAdapter {
  const files = config.files;
  const fileSet = config.resourceIds[0];
  if (!files || !fileSet) throw new Error("'target-type: files' needs its inputs read first.");
  return new FilesAdapter(
    new S3Store(s3Client(region), files.bucket),
    region,
    files,
    config.backupSet,
    fileSet,
    scan,
    { clock, concurrency: config.concurrency, log: log ?? (() => {}) },
  );
}

/**
 * Every delay the adapters wait out by themselves, at AWS's pace times `scale` (1 on AWS; lower
 * against an emulator, see `SNAPSHOT_ROTATION_TIME_SCALE`).
 */
export function scaledDelays(scale: number): AdapterDelays {
  return {
    minDelaySeconds: 15 * scale,
    maxDelaySeconds: 120 * scale,
    visibilityGraceSeconds: VISIBILITY_GRACE_SECONDS * scale,
    rateLimitBackoffMs: 15_000 * scale,
    inUseRetrySeconds: IN_USE_RETRY_SECONDS * scale,
  };
}
