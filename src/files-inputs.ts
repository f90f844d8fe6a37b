/**
 * The inputs of `target-type: files` (file backups to S3), and the refusal of inputs that belong to
 * the other side: snapshot inputs set for files, file inputs set for snapshots. The runner passes
 * every input's default, so an input counts as set only when it differs from its default.
 */
import { DEFAULTS, INPUTS, type TargetType } from './constants.js';
import { InputError } from './errors.js';
import { invalid, readBoolean, readInteger } from './input-values.js';

/** The storage classes a file backup may use, and the restore tiers of the archive ones. */
export const FILE_STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
] as const;
export type FileStorageClass = (typeof FILE_STORAGE_CLASSES)[number];
export const RESTORE_TIERS = ['Expedited', 'Standard', 'Bulk'] as const;
export type RestoreTier = (typeof RESTORE_TIERS)[number];

/** Files below this size are packed together: under 1 MiB, as archive classes bill small objects up. */
const MAX_PACK_THRESHOLD = 1024 * 1024 - 1;
/** S3 bucket names (general purpose buckets): 3–63 lower-case letters, digits, dots and hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface FilesConfig {
  /** The `path` input: newline-separated glob patterns, relative to `workspace` unless absolute. */
  patterns: string;
  workspace: string;
  bucket: string;
  /** Key prefix of every object, ending in `/` (or empty). */
  prefix: string;
  storageClass: FileStorageClass;
  followSymbolicLinks: boolean;
  /** Files smaller than this many bytes are packed into one tar object per run. */
  packThresholdBytes: number;
  /** Delete unreferenced content before its storage class's minimum duration (billed anyway). */
  allowEarlyDelete: boolean;
  /** Restore instead of back up. */
  restore?: RestoreConfig;
}

export interface RestoreConfig {
  /** The directory to restore into (absolute, or relative to the workspace). */
  to: string;
  /** `latest`, or the manifest key (a `backup-id`) to restore. */
  backup: string;
  tier: RestoreTier;
  /** How long restored copies of archived objects stay readable. */
  days: number;
}

/** Inputs of snapshot targets that mean nothing for files, and why. */
const SNAPSHOT_ONLY: readonly { name: string; why: string }[] = [
  { name: INPUTS.resourceTags, why: 'a file set is named by resource-id alone' },
  {
    name: INPUTS.copyToRegions,
    why: 'copy a bucket to other Regions with S3 replication (a replication rule on the bucket or the prefix), not with this action',
  },
  { name: INPUTS.noReboot, why: 'nothing is rebooted to back up files' },
  { name: INPUTS.tags, why: 'a file backup is a manifest object, described by its own contents' },
  { name: INPUTS.wait, why: 'a file backup is complete when the step ends' },
];

/** Inputs of files that mean nothing for snapshots. */
const FILES_ONLY = [
  INPUTS.path,
  INPUTS.bucket,
  INPUTS.prefix,
  INPUTS.storageClass,
  INPUTS.followSymbolicLinks,
  INPUTS.packThreshold,
  INPUTS.allowEarlyDelete,
  INPUTS.restoreTo,
  INPUTS.restoreBackup,
  INPUTS.restoreTier,
  INPUTS.restoreDays,
] as const;

/**
 * The files configuration for `target-type: files`, undefined for the other types; refuses an input
 * of the wrong side. `read` returns an input's value, its default when unset.
 */
export function readFilesConfig(
  read: (name: string) => string,
  targetType: TargetType,
  workspace: string,
): FilesConfig | undefined {
  const isSet = (name: string) => read(name) !== (DEFAULTS[name as keyof typeof DEFAULTS] ?? '');
  if (targetType !== 'files') {
    const name = FILES_ONLY.find(isSet);
    if (name) {
      throw new InputError(
        name,
        `Input '${name}' applies to 'target-type: files' only, not to ${targetType}: remove it.`,
      );
    }
    return undefined;
  }
  const refused = SNAPSHOT_ONLY.find(({ name }) => isSet(name));
  if (refused) {
    throw new InputError(
      refused.name,
      `Input '${refused.name}' does not apply to 'target-type: files': ${refused.why}.`,
    );
  }
  const patterns = read(INPUTS.path);
  if (!patterns.split('\n').some((line) => /^\s*[^\s#!]/.test(line))) {
    throw new InputError(
      INPUTS.path,
      `Input '${INPUTS.path}' is required for 'target-type: files': the files to back up, one glob pattern a line (e.g. /data/** or dumps/*.sql.gz).`,
    );
  }
  const bucket = read(INPUTS.bucket);
  if (bucket === '') {
    throw new InputError(
      INPUTS.bucket,
      `Input '${INPUTS.bucket}' is required for 'target-type: files': the S3 bucket to back up into.`,
    );
  }
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw invalid(
      INPUTS.bucket,
      bucket,
      'an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)',
    );
  }
  const restoreTo = read(INPUTS.restoreTo);
  return {
    patterns,
    workspace,
    bucket,
    prefix: readPrefix(read(INPUTS.prefix)),
    storageClass: oneOf(INPUTS.storageClass, read(INPUTS.storageClass), FILE_STORAGE_CLASSES),
    followSymbolicLinks: readBoolean(INPUTS.followSymbolicLinks, read(INPUTS.followSymbolicLinks)),
    packThresholdBytes: readSize(INPUTS.packThreshold, read(INPUTS.packThreshold)),
    allowEarlyDelete: readBoolean(INPUTS.allowEarlyDelete, read(INPUTS.allowEarlyDelete)),
    ...(restoreTo
      ? {
          restore: {
            to: restoreTo,
            backup: read(INPUTS.restoreBackup),
            tier: oneOf(INPUTS.restoreTier, read(INPUTS.restoreTier), RESTORE_TIERS),
            days: readInteger(INPUTS.restoreDays, read(INPUTS.restoreDays), 1, 365) ?? 7,
          },
        }
      : {}),
  };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (!found) throw invalid(name, value, `one of ${allowed.join(', ')}`);
  return found;
}

/** A key prefix: no leading `/`, no `..` segment, ending in `/` unless empty. */
function readPrefix(value: string): string {
  if (value.startsWith('/') || value.split('/').some((part) => part === '..' || part === '.')) {
    throw invalid(
      INPUTS.prefix,
      value,
      "a key prefix such as 'backups/' (no leading '/', no '.' or '..')",
    );
  }
  if (value === '' || value.endsWith('/')) return value;
  return `${value}/`;
}

/** A size in bytes, with an optional KiB or MiB unit: `65536`, `256KiB`, `0` (pack nothing). */
function readSize(name: string, value: string): number {
  const match = /^(\d+)\s*(KiB|MiB|B)?$/i.exec(value);
  const unit = match?.[2]?.toLowerCase();
  const bytes = match
    ? Number(match[1]) * (unit === 'kib' ? 1024 : unit === 'mib' ? 1024 * 1024 : 1)
    : NaN;
  if (!Number.isSafeInteger(bytes) || bytes > MAX_PACK_THRESHOLD) {
    throw invalid(
      name,
      value,
      'a size under 1MiB in bytes or KiB, such as 256KiB (0 packs nothing)',
    );
  }
  return bytes;
}
