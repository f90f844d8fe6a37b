/**
 * Reads and validates every input into a typed Config before anything touches AWS. Pure: the raw
 * values come from a lookup function, so tests need no environment.
 */
import { DEFAULTS, INPUTS, TAG_PREFIX, TARGET_TYPES, type TargetType } from './constants.js';
import { DURATION_HELP, parseDuration } from './duration.js';
import { InputError } from './errors.js';
import type { RetentionRules } from './retention.js';

export interface Config {
  targetType: TargetType;
  resourceIds: string[];
  resourceTags: Record<string, string>;
  region: string;
  backupSet: string;
  rules: RetentionRules;
  prune: boolean;
  minIntervalMs?: number;
  tags: Record<string, string>;
  copyTags: boolean;
  wait: boolean;
  waitTimeoutMs: number;
  concurrency: number;
  maxDeletions: number;
  dryRun: boolean;
  /** `ec2-image` only: create the image without rebooting the instance. */
  noReboot: boolean;
  /** `GITHUB_RUN_ID`, used for the run tag and re-run idempotency. */
  runId?: string;
  /** Disaster-recovery copies; absent when `copy-to-regions` is empty. */
  copy?: CopyConfig;
}

/** Where each backup is copied and how long the copies are kept there. */
export interface CopyConfig {
  regions: string[];
  /** Retention in each destination region: `copy-generations` / `copy-keep-within`, else the source's. */
  rules: RetentionRules;
  /** KMS key per destination region for encrypted backups; a region without one uses AWS's default. */
  kmsKeyIds: Record<string, string>;
}

/** Returns the raw value of an input ('' when unset), as `core.getInput` does. */
export type InputLookup = (name: string) => string;

const MAX_WAIT_TIMEOUT_MS = 6 * 3_600_000;
// AWS allows 50 tags on a backup; the action sets up to 6 of its own (4, and 2 more on copies).
const MAX_USER_TAGS = 44;
const ID_PATTERNS: Record<TargetType, { pattern: RegExp; example: string }> = {
  'ebs-volume': { pattern: /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: 'vol-0123456789abcdef0' },
  'ec2-image': { pattern: /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: 'i-0123456789abcdef0' },
  // RDS identifiers: 1–63 letters, digits or hyphens, a letter first, no `--`, no trailing hyphen.
  'rds-instance': { pattern: /^[A-Za-z](?:-?[A-Za-z0-9]){0,62}$/, example: 'prod-db' },
  'rds-cluster': { pattern: /^[A-Za-z](?:-?[A-Za-z0-9]){0,62}$/, example: 'prod-aurora' },
};
const REGION = /^[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}$/;
const BACKUP_SET = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Reads all inputs; throws one InputError naming the first invalid input. */
export function readConfig(input: InputLookup, env: NodeJS.ProcessEnv): Config {
  const read = (name: string): string => {
    const value = input(name).trim();
    return value === '' ? (DEFAULTS[name as keyof typeof DEFAULTS] ?? '') : value;
  };

  const targetType = readTargetType(read(INPUTS.targetType));
  const resourceIds = readResourceIds(read(INPUTS.resourceId), targetType);
  const resourceTags = readKeyValueLines(INPUTS.resourceTags, read(INPUTS.resourceTags), false);
  if (resourceIds.length === 0 && Object.keys(resourceTags).length === 0) {
    throw new InputError(
      INPUTS.resourceId,
      `Input '${INPUTS.resourceId}' or '${INPUTS.resourceTags}' is required: name the resources to back up by id or by tags.`,
    );
  }

  const region =
    read(INPUTS.region) || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
  if (region === '') {
    throw new InputError(
      INPUTS.region,
      `Input '${INPUTS.region}' is required when AWS_REGION is not set (for example set 'aws-region' on aws-actions/configure-aws-credentials).`,
    );
  }
  if (!REGION.test(region)) {
    throw invalid(INPUTS.region, region, 'a region name such as us-east-1 or ap-northeast-1');
  }

  const backupSet = read(INPUTS.backupSet);
  if (!BACKUP_SET.test(backupSet)) {
    throw invalid(
      INPUTS.backupSet,
      backupSet,
      'up to 64 letters, digits, hyphens, underscores or dots, starting with a letter or digit',
    );
  }

  const rules: RetentionRules = {
    generations: readInteger(INPUTS.generations, read(INPUTS.generations), 1, 1000),
    keepWithinMs: readDuration(INPUTS.keepWithin, read(INPUTS.keepWithin)),
  };
  const prune = readBoolean(INPUTS.prune, read(INPUTS.prune));
  if (prune && rules.generations === undefined && rules.keepWithinMs === undefined) {
    throw new InputError(
      INPUTS.prune,
      `Input '${INPUTS.prune}' is true but no keep rule is set: set '${INPUTS.generations}' or '${INPUTS.keepWithin}', or set '${INPUTS.prune}: false' to never delete.`,
    );
  }

  const waitTimeoutMs = readDuration(INPUTS.waitTimeout, read(INPUTS.waitTimeout)) ?? 0;
  if (waitTimeoutMs > MAX_WAIT_TIMEOUT_MS) {
    throw invalid(
      INPUTS.waitTimeout,
      read(INPUTS.waitTimeout),
      'a duration of at most 6h (the longest a GitHub-hosted job runs)',
    );
  }

  const copy = readCopyConfig(read, region, rules);
  const runId = env.GITHUB_RUN_ID?.trim();
  return {
    targetType,
    resourceIds,
    resourceTags,
    region,
    backupSet,
    rules,
    prune,
    minIntervalMs: readDuration(INPUTS.minInterval, read(INPUTS.minInterval)),
    tags: readKeyValueLines(INPUTS.tags, read(INPUTS.tags), true),
    copyTags: readBoolean(INPUTS.copyTags, read(INPUTS.copyTags)),
    wait: readBoolean(INPUTS.wait, read(INPUTS.wait)),
    waitTimeoutMs,
    concurrency: readInteger(INPUTS.concurrency, read(INPUTS.concurrency), 1, 32) ?? 4,
    maxDeletions: readInteger(INPUTS.maxDeletions, read(INPUTS.maxDeletions), 0, 10_000) ?? 50,
    dryRun: readBoolean(INPUTS.dryRun, read(INPUTS.dryRun)),
    noReboot: readBoolean(INPUTS.noReboot, read(INPUTS.noReboot)),
    ...(runId ? { runId } : {}),
    ...(copy ? { copy } : {}),
  };
}

/** A KMS key id, alias or ARN (of a key or an alias). */
const KMS_KEY =
  /^(?:arn:aws[a-z-]*:kms:([a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}):\d{12}:(?:key|alias)\/[A-Za-z0-9/_+=.@-]+|alias\/[A-Za-z0-9/_-]+|(?:mrk-)?[0-9a-f]{32}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})$/;

/** The `copy-*` inputs; undefined when `copy-to-regions` is empty (the others must be too). */
function readCopyConfig(
  read: (name: string) => string,
  region: string,
  sourceRules: RetentionRules,
): CopyConfig | undefined {
  const regions = [
    ...new Set(
      read(INPUTS.copyToRegions)
        .split(/[\n,]/)
        .map((value) => value.trim())
        .filter((value) => value !== ''),
    ),
  ];
  if (regions.length === 0) {
    for (const name of [INPUTS.copyGenerations, INPUTS.copyKeepWithin, INPUTS.copyKmsKeyId]) {
      if (read(name) !== '') {
        throw new InputError(
          name,
          `Input '${name}' is set but '${INPUTS.copyToRegions}' is empty: name the regions to copy to, or remove '${name}'.`,
        );
      }
    }
    return undefined;
  }
  for (const destination of regions) {
    if (!REGION.test(destination)) {
      throw invalid(INPUTS.copyToRegions, destination, 'region names such as us-east-1');
    }
    if (destination === region) {
      throw invalid(
        INPUTS.copyToRegions,
        destination,
        `regions other than the source region ${region} (a copy in the same region is no disaster recovery)`,
      );
    }
  }
  const copyRules: RetentionRules = {
    generations: readInteger(INPUTS.copyGenerations, read(INPUTS.copyGenerations), 1, 1000),
    keepWithinMs: readDuration(INPUTS.copyKeepWithin, read(INPUTS.copyKeepWithin)),
  };
  const own = copyRules.generations !== undefined || copyRules.keepWithinMs !== undefined;
  return {
    regions,
    rules: own ? copyRules : { ...sourceRules },
    kmsKeyIds: readKmsKeys(read(INPUTS.copyKmsKeyId), regions),
  };
}

/** `copy-kms-key-id`: one key for every destination, or `region=key` lines. */
function readKmsKeys(value: string, regions: readonly string[]): Record<string, string> {
  const name = INPUTS.copyKmsKeyId;
  const lines = value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const keys: Record<string, string> = {};
  const check = (destination: string, key: string, line: string): void => {
    if (!KMS_KEY.test(key)) {
      throw invalid(name, line, 'a KMS key id, key ARN, alias/NAME or alias ARN');
    }
    // A key lives in one region: an ARN of another region cannot encrypt a copy in this one.
    const keyRegion = KMS_KEY.exec(key)?.[1];
    if (keyRegion && keyRegion !== destination) {
      throw invalid(
        name,
        line,
        `a key of the destination region ${destination} (this ARN is of ${keyRegion}); use 'region=key' lines for several regions`,
      );
    }
    keys[destination] = key;
  };
  if (lines.length === 1 && !/^[a-z]{2}(?:-[a-z0-9]+)+-\d{1,2}\s*=/.test(lines[0] ?? '')) {
    for (const destination of regions) check(destination, lines[0] ?? '', lines[0] ?? '');
    return keys;
  }
  for (const line of lines) {
    const eq = line.indexOf('=');
    const destination = eq > 0 ? line.slice(0, eq).trim() : '';
    const key = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (destination === '' || key === '') {
      throw invalid(name, line, "one key for every region, or one 'region=key' line per region");
    }
    if (!regions.includes(destination)) {
      throw invalid(
        name,
        line,
        `regions listed in '${INPUTS.copyToRegions}' (${regions.join(', ')})`,
      );
    }
    if (destination in keys) throw invalid(name, line, 'each region at most once');
    check(destination, key, line);
  }
  return keys;
}

function invalid(name: string, value: string, allowed: string): InputError {
  return new InputError(
    name,
    `Input '${name}' has an invalid value '${value}': expected ${allowed}.`,
  );
}

function readTargetType(value: string): TargetType {
  if ((TARGET_TYPES as readonly string[]).includes(value)) return value as TargetType;
  if (value === '') {
    throw new InputError(
      INPUTS.targetType,
      `Input '${INPUTS.targetType}' is required: one of ${TARGET_TYPES.join(', ')}.`,
    );
  }
  throw invalid(INPUTS.targetType, value, `one of ${TARGET_TYPES.join(', ')}`);
}

function readResourceIds(value: string, targetType: TargetType): string[] {
  // RDS keeps identifiers in lower case and matches them regardless of case.
  const normalize = targetType.startsWith('rds-')
    ? (id: string) => id.toLowerCase()
    : (id: string) => id;
  const ids = [
    ...new Set(
      value
        .split(/[\n,]/)
        .map((id) => normalize(id.trim()))
        .filter((id) => id !== ''),
    ),
  ];
  const { pattern, example } = ID_PATTERNS[targetType];
  for (const id of ids) {
    if (!pattern.test(id)) {
      throw invalid(INPUTS.resourceId, id, `ids of ${targetType} resources such as ${example}`);
    }
  }
  return ids;
}

/** `Key=Value` lines; `userTags` also refuses the reserved `aws:` and `snapshot-rotation:` keys. */
function readKeyValueLines(name: string, value: string, userTags: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of value.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    const tagValue = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (key === '') throw invalid(name, line, 'one Key=Value pair per line');
    if (key.length > 128 || tagValue.length > 256) {
      throw invalid(name, line, 'tag keys of at most 128 and values of at most 256 characters');
    }
    if (userTags && (key.toLowerCase().startsWith('aws:') || key.startsWith(TAG_PREFIX))) {
      throw invalid(name, line, `keys that do not start with 'aws:' or '${TAG_PREFIX}' (reserved)`);
    }
    if (key in result) throw invalid(name, line, 'each key at most once');
    result[key] = tagValue;
  }
  if (userTags && Object.keys(result).length > MAX_USER_TAGS) {
    throw invalid(name, `${Object.keys(result).length} tags`, `at most ${MAX_USER_TAGS} tags`);
  }
  return result;
}

function readInteger(name: string, value: string, min: number, max: number): number | undefined {
  if (value === '') return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw invalid(name, value, `a whole number from ${min} to ${max}`);
  }
  return number;
}

function readDuration(name: string, value: string): number | undefined {
  if (value === '') return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw invalid(name, value, DURATION_HELP);
  return ms;
}

function readBoolean(name: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw invalid(name, value, 'true or false');
}
