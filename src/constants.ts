/**
 * Names that users and downstream steps depend on (DESIGN.md §2–4), defined once.
 */

/** Tag keys the action puts on every backup and copy it makes. */
export const TAG_PREFIX = 'snapshot-rotation:';
export const TAGS = {
  backupSet: `${TAG_PREFIX}backup-set`,
  source: `${TAG_PREFIX}source`,
  createdAt: `${TAG_PREFIX}created-at`,
  run: `${TAG_PREFIX}run`,
  copyOf: `${TAG_PREFIX}copy-of`,
  sourceRegion: `${TAG_PREFIX}source-region`,
  keep: `${TAG_PREFIX}keep`,
  /** `ec2-instance`: the set a snapshot belongs to (`<instance id>/<created-at>`), its size, its device. */
  setId: `${TAG_PREFIX}set-id`,
  setSize: `${TAG_PREFIX}set-size`,
  device: `${TAG_PREFIX}device`,
  /** With `pre-command` or `quiesce-document`: `application-consistent` or `crash-consistent`. */
  consistency: `${TAG_PREFIX}consistency`,
  /** On GitHub Actions: the repository (`owner/repo`) and workflow file that made the backup or copy. */
  repository: `${TAG_PREFIX}repository`,
  workflow: `${TAG_PREFIX}workflow`,
} as const;

/** Input names, as declared in action.yml. */
export const INPUTS = {
  targetType: 'target-type',
  resourceId: 'resource-id',
  resourceTags: 'resource-tags',
  region: 'region',
  backupSet: 'backup-set',
  generations: 'generations',
  keepWithin: 'keep-within',
  keepHourly: 'keep-hourly',
  keepDaily: 'keep-daily',
  keepWeekly: 'keep-weekly',
  keepMonthly: 'keep-monthly',
  keepYearly: 'keep-yearly',
  timezone: 'timezone',
  prune: 'prune',
  minInterval: 'min-interval',
  tags: 'tags',
  copyTags: 'copy-tags',
  wait: 'wait',
  waitTimeout: 'wait-timeout',
  concurrency: 'concurrency',
  maxDeletions: 'max-deletions',
  dryRun: 'dry-run',
  noReboot: 'no-reboot',
  excludeBootVolume: 'exclude-boot-volume',
  excludeVolumeIds: 'exclude-volume-ids',
  preCommand: 'pre-command',
  postCommand: 'post-command',
  quiesceDocument: 'quiesce-document',
  preCommandTimeout: 'pre-command-timeout',
  quiesceFailure: 'quiesce-failure',
  copyToRegions: 'copy-to-regions',
  copyGenerations: 'copy-generations',
  copyKeepWithin: 'copy-keep-within',
  copyKeepHourly: 'copy-keep-hourly',
  copyKeepDaily: 'copy-keep-daily',
  copyKeepWeekly: 'copy-keep-weekly',
  copyKeepMonthly: 'copy-keep-monthly',
  copyKeepYearly: 'copy-keep-yearly',
  copyKmsKeyId: 'copy-kms-key-id',
  copyOptionGroup: 'copy-option-group',
  path: 'path',
  bucket: 'bucket',
  prefix: 'prefix',
  storageClass: 'storage-class',
  followSymbolicLinks: 'follow-symbolic-links',
  packThreshold: 'pack-threshold',
  allowEarlyDelete: 'allow-early-delete',
  restoreTo: 'restore-to',
  restoreBackup: 'restore-backup',
  restoreTier: 'restore-tier',
  restoreDays: 'restore-days',
} as const;

/**
 * Defaults of the inputs that have one; action.yml declares the same values (a test checks).
 * `backup-set` has none there: its default is derived from the workflow file and job
 * (`defaultBackupSet` in github-run.ts).
 */
export const DEFAULTS = {
  [INPUTS.timezone]: 'UTC',
  [INPUTS.prune]: 'true',
  [INPUTS.copyTags]: 'true',
  [INPUTS.wait]: 'true',
  [INPUTS.waitTimeout]: '60m',
  [INPUTS.concurrency]: '4',
  [INPUTS.maxDeletions]: '50',
  [INPUTS.dryRun]: 'false',
  [INPUTS.noReboot]: 'true',
  [INPUTS.excludeBootVolume]: 'false',
  [INPUTS.preCommandTimeout]: '30s',
  [INPUTS.quiesceFailure]: 'crash-consistent',
  [INPUTS.prefix]: 'snapshot-rotation/',
  [INPUTS.storageClass]: 'GLACIER_IR',
  [INPUTS.followSymbolicLinks]: 'false',
  [INPUTS.packThreshold]: '256KiB',
  [INPUTS.allowEarlyDelete]: 'false',
  [INPUTS.restoreBackup]: 'latest',
  [INPUTS.restoreTier]: 'Standard',
  [INPUTS.restoreDays]: '7',
} as const satisfies Partial<Record<(typeof INPUTS)[keyof typeof INPUTS], string>>;

/** Output names, as declared in action.yml. */
export const OUTPUTS = {
  backupId: 'backup-id',
  backupIds: 'backup-ids',
  copies: 'copies',
  deletedIds: 'deleted-ids',
  deletedCount: 'deleted-count',
  status: 'status',
  targets: 'targets',
  report: 'report',
  restoreState: 'restore-state',
} as const;

/** Target types this version implements. */
export const TARGET_TYPES = [
  'ebs-volume',
  'ec2-image',
  'ec2-instance',
  'rds-instance',
  'rds-cluster',
  'files',
] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const ACTION_NAME = 'aws-snapshot-rotation';
export const ACTION_VERSION = '0.1.0';
