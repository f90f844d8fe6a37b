/**
 * The adapter for each target type. Each type's adapter and its AWS SDK client are loaded on
 * demand (`import()`; separate chunks of the bundle), so a run loads only its own type's: an
 * `ebs-volume` run never loads the RDS, S3 or SSM clients. This table is itself loaded on demand
 * (main.ts, post-step.ts): a run that exits on an input error loads none of it.
 */
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../inputs.js';
import type { FileScan } from './files.js';
import type { SsmQuiescer } from './ssm-quiesce.js';
import type { TargetAdapter } from './target.js';
import { VISIBILITY_GRACE_SECONDS, type PollingOptions } from './wait.js';

/** The delays of every adapter: polling and grace periods, and the EC2 back-off. */
export interface AdapterDelays extends PollingOptions {
  rateLimitBackoffMs: number;
}

/** The adapters of one run, its modules loaded: the source region's, or a copy destination's. */
export type AdapterFactory = (region: string) => TargetAdapter;

/**
 * Loads the modules of the run's target type (its adapter and SDK client, and SSM's when the
 * inputs quiesce) and resolves with the maker of its adapters, which makes them without waiting.
 */
export async function loadAdapterFactory(
  config: Config,
  clock: Clock = systemClock,
  files: FilesContext = {},
): Promise<AdapterFactory> {
  const [adapterIn, quiescerIn] = await Promise.all([
    adapterMaker(config, clock, files),
    // Quiescing runs at home only (inputs refuse it for the types without an instance).
    config.quiesce ? quiescerMaker(config, clock) : undefined,
  ]);
  return (region) => {
    const adapter = adapterIn(region);
    if (quiescerIn && region === config.region) adapter.quiescer = quiescerIn(region);
    return adapter;
  };
}

/** The adapter of the run's target type in `region`: the source region, or a copy destination. */
export async function createAdapter(
  config: Config,
  region: string = config.region,
  clock: Clock = systemClock,
  files: FilesContext = {},
): Promise<TargetAdapter> {
  return (await loadAdapterFactory(config, clock, files))(region);
}

/** The SSM quiescer of a region: the adapter's, and the post step's backstop (`backstop.ts`). */
export async function createQuiescer(
  config: Config,
  region: string,
  clock: Clock = systemClock,
): Promise<SsmQuiescer> {
  return (await quiescerMaker(config, clock))(region);
}

async function quiescerMaker(
  config: Config,
  clock: Clock,
): Promise<(region: string) => SsmQuiescer> {
  const [{ ssmClient }, { SsmQuiescer }] = await Promise.all([
    import('../aws-ssm.js'),
    import('./ssm-quiesce.js'),
  ]);
  return (region) =>
    new SsmQuiescer(ssmClient(region), region, { clock, pollMs: 1_000 * config.timeScale });
}

async function adapterMaker(
  config: Config,
  clock: Clock,
  files: FilesContext,
): Promise<AdapterFactory> {
  const delays = { ...scaledDelays(config.timeScale), clock };
  switch (config.targetType) {
    case 'ebs-volume': {
      const [{ ec2Client }, { EbsVolumeAdapter }] = await Promise.all([
        import('../aws-ec2.js'),
        import('./ebs-volume.js'),
      ]);
      return (region) => new EbsVolumeAdapter(ec2Client(region), region, delays);
    }
    case 'ec2-image': {
      const [{ ec2Client }, { Ec2ImageAdapter }, { IN_USE_RETRY_SECONDS }] = await Promise.all([
        import('../aws-ec2.js'),
        import('./ec2-image.js'),
        import('./ami-snapshots.js'),
      ]);
      return (region) =>
        new Ec2ImageAdapter(ec2Client(region), region, {
          ...delays,
          inUseRetrySeconds: IN_USE_RETRY_SECONDS * config.timeScale,
          noReboot: config.noReboot,
        });
    }
    case 'ec2-instance': {
      const [{ ec2Client }, { Ec2InstanceAdapter }] = await Promise.all([
        import('../aws-ec2.js'),
        import('./ec2-instance.js'),
      ]);
      return (region) =>
        new Ec2InstanceAdapter(ec2Client(region), region, {
          ...delays,
          ...(config.instance ? { exclude: config.instance } : {}),
        });
    }
    case 'rds-instance': {
      const [{ rdsClient }, { rdsInstanceAdapter }] = await Promise.all([
        import('../aws-rds.js'),
        import('./rds-instance.js'),
      ]);
      return (region) =>
        rdsInstanceAdapter(rdsClient(region), region, {
          ...delays,
          quotaClient: rdsClient(region, 2),
        });
    }
    case 'rds-cluster': {
      const [{ rdsClient }, { rdsClusterAdapter }] = await Promise.all([
        import('../aws-rds.js'),
        import('./rds-cluster.js'),
      ]);
      return (region) =>
        rdsClusterAdapter(rdsClient(region), region, {
          ...delays,
          quotaClient: rdsClient(region, 2),
        });
    }
    case 'files':
      return filesMaker(config, clock, files);
  }
}

/** What a `files` adapter needs beyond the inputs: the scan of the runner, and a log line. */
export interface FilesContext {
  scan?: FileScan;
  log?: (line: string) => void;
}

async function filesMaker(
  config: Config,
  clock: Clock,
  { scan, log }: FilesContext,
): Promise<AdapterFactory> {
  const files = config.files;
  const fileSet = config.resourceIds[0];
  if (!files || !fileSet) throw new Error("'target-type: files' needs its inputs read first.");
  const [{ s3Client }, { FilesAdapter }, { S3Store }] = await Promise.all([
    import('../aws-s3.js'),
    import('./files.js'),
    import('./s3-store.js'),
  ]);
  return (region) =>
    new FilesAdapter(
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
 * against an emulator, see `SNAPSHOT_ROTATION_TIME_SCALE`). The AMI adapter's wait for a snapshot
 * still in use is scaled where that adapter is loaded.
 */
export function scaledDelays(scale: number): AdapterDelays {
  return {
    minDelaySeconds: 15 * scale,
    maxDelaySeconds: 120 * scale,
    visibilityGraceSeconds: VISIBILITY_GRACE_SECONDS * scale,
    rateLimitBackoffMs: 15_000 * scale,
  };
}
