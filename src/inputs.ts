/**
 * Reads and validates every input into a typed Config before anything touches AWS. Pure: the raw
 * values come from a lookup function, so tests need no environment.
 */
import { EC2_ID, partitionOf } from './aws-names.js';
import { DEFAULTS, INPUTS, TARGET_TYPES, type TargetType } from './constants.js';
import { readCopyConfig } from './copy-inputs.js';
import { InputError } from './errors.js';
import { readFilesConfig, type FilesConfig } from './files-inputs.js';
import { defaultBackupSet, provenanceTags, readGithubRun, type GithubRun } from './github-run.js';
import { readInstanceConfig, type InstanceConfig } from './instance-inputs.js';
import { readQuiesceConfig, type QuiesceConfig } from './quiesce-inputs.js';
import {
  invalid,
  readBoolean,
  readDuration,
  readInteger,
  readKeyValueLines,
  readTimeScale,
  TIME_SCALE_VARIABLE,
} from './input-values.js';
import type { RetentionRules } from './retention.js';
import { readUserTags } from './tag-inputs.js';
import {
  CALENDAR_INPUTS,
  hasKeepRule,
  readCalendarRules,
  readTimeZone,
} from './retention-inputs.js';
import { TARGET_TYPE_FACTS } from './target-types.js';

export interface Config {
  targetType: TargetType;
  resourceIds: string[];
  resourceTags: Record<string, string>;
  region: string;
  backupSet: string;
  rules: RetentionRules;
  /** `timezone`: the calendar rules' zone, and the zone the summary shows times in. */
  timeZone: string;
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
  /** `ec2-instance` only: which of the instance's volumes stay out of its set. */
  instance?: InstanceConfig;
  /** `pre-command` / `quiesce-document`: run on the instance around its backup (EC2 types). */
  quiesce?: QuiesceConfig;
  /** `GITHUB_RUN_ID`, used for the run tag and re-run idempotency. */
  runId?: string;
  /** The GitHub Actions run (workflow, job, repository…); absent outside GitHub Actions. */
  github?: GithubRun;
  /** `snapshot-rotation:repository` and `:workflow` for every backup and copy, where known. */
  provenance?: Record<string, string>;
  /** Disaster-recovery copies; absent when `copy-to-regions` is empty. */
  copy?: CopyConfig;
  /** `target-type: files`: what to back up to which bucket, or what to restore. */
  files?: FilesConfig;
  /**
   * Factor on every delay the action waits out by itself (polling, grace periods, back-offs): 1 on
   * AWS. `SNAPSHOT_ROTATION_TIME_SCALE` lowers it against an emulator whose backups complete in
   * seconds, so tests need not sleep AWS's minutes.
   */
  timeScale: number;
}

/** Where each backup is copied and how long the copies are kept there. */
export interface CopyConfig {
  regions: string[];
  /**
   * Retention in each destination region: `copy-generations`, `copy-keep-within` and
   * `copy-keep-hourly` … `copy-keep-yearly` when any is set, else the source's.
   */
  rules: RetentionRules;
  /** KMS key per destination region for encrypted backups; a region without one uses AWS's default. */
  kmsKeyIds: Record<string, string>;
  /** `rds-instance`: the option group of the DB snapshot copies, per destination region. */
  optionGroups: Record<string, string>;
}

/** Returns the raw value of an input ('' when unset), as `core.getInput` does. */
export type InputLookup = (name: string) => string;

const MAX_WAIT_TIMEOUT_MS = 6 * 3_600_000;
const BACKUP_SET = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** AWS resources carry at most 50 tags: more `resource-tags` than that can match nothing. */
const MAX_RESOURCE_TAGS = 50;
/** Reads all inputs; throws one InputError naming the first invalid input. */
export function readConfig(input: InputLookup, env: NodeJS.ProcessEnv): Config {
  const read = (name: string): string => {
    const value = input(name).trim();
    return value === '' ? (DEFAULTS[name as keyof typeof DEFAULTS] ?? '') : value;
  };

  const targetType = readTargetType(read(INPUTS.targetType));
  const resourceIds = readResourceIds(read(INPUTS.resourceId), targetType);
  const resourceTags = readKeyValueLines(INPUTS.resourceTags, read(INPUTS.resourceTags));
  if (Object.keys(resourceTags).length > MAX_RESOURCE_TAGS) {
    throw invalid(
      INPUTS.resourceTags,
      `${Object.keys(resourceTags).length} tags`,
      `at most ${MAX_RESOURCE_TAGS} tags (no resource carries more, so none would match)`,
    );
  }
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
  if (partitionOf(region) === undefined) {
    const from =
      read(INPUTS.region) !== ''
        ? ''
        : env.AWS_REGION?.trim()
          ? ' (from AWS_REGION)'
          : ' (from AWS_DEFAULT_REGION)';
    throw new InputError(
      INPUTS.region,
      `Input '${INPUTS.region}' has an invalid value '${region}'${from}: expected a region name such as us-east-1 or ap-northeast-1.`,
    );
  }

  // Unnamed, the set is the step's workflow file and job: two workflows share one only by name.
  const github = readGithubRun(env);
  const backupSet = read(INPUTS.backupSet) || defaultBackupSet(github);
  if (!BACKUP_SET.test(backupSet)) {
    throw invalid(
      INPUTS.backupSet,
      backupSet,
      'up to 64 letters, digits, hyphens, underscores or dots, starting with a letter or digit',
    );
  }

  const timeZone = readTimeZone(read(INPUTS.timezone));
  const calendar = readCalendarRules(read, CALENDAR_INPUTS, timeZone);
  const rules: RetentionRules = {
    generations: readInteger(INPUTS.generations, read(INPUTS.generations), 1, 1000),
    keepWithinMs: readDuration(INPUTS.keepWithin, read(INPUTS.keepWithin)),
    ...(calendar ? { calendar } : {}),
  };
  const prune = readBoolean(INPUTS.prune, read(INPUTS.prune));
  if (prune && !hasKeepRule(rules)) {
    throw new InputError(
      INPUTS.prune,
      `Input '${INPUTS.prune}' is true but no keep rule is set: set '${INPUTS.generations}', '${INPUTS.keepWithin}' or a calendar rule ('${INPUTS.keepDaily}' and the like), or set '${INPUTS.prune}: false' to never delete.`,
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

  const files = readFilesConfig(read, targetType, env.GITHUB_WORKSPACE?.trim() || '.');
  const copy = readCopyConfig(read, region, rules, timeZone, targetType);
  const instance = readInstanceConfig(read, targetType);
  const quiesce = readQuiesceConfig(read, targetType);
  const runId = env.GITHUB_RUN_ID?.trim();
  const provenance = provenanceTags(github, TARGET_TYPE_FACTS[targetType].tagText);
  return {
    targetType,
    resourceIds,
    resourceTags,
    region,
    backupSet,
    rules,
    timeZone,
    prune,
    minIntervalMs: readDuration(INPUTS.minInterval, read(INPUTS.minInterval)),
    tags: readUserTags(read(INPUTS.tags), targetType),
    copyTags: readBoolean(INPUTS.copyTags, read(INPUTS.copyTags)),
    wait: readBoolean(INPUTS.wait, read(INPUTS.wait)),
    waitTimeoutMs,
    concurrency: readInteger(INPUTS.concurrency, read(INPUTS.concurrency), 1, 32) ?? 4,
    maxDeletions: readInteger(INPUTS.maxDeletions, read(INPUTS.maxDeletions), 0, 10_000) ?? 50,
    dryRun: readBoolean(INPUTS.dryRun, read(INPUTS.dryRun)),
    noReboot: readNoReboot(read(INPUTS.noReboot), targetType),
    ...(instance ? { instance } : {}),
    ...(quiesce ? { quiesce } : {}),
    ...(runId ? { runId } : {}),
    ...(github ? { github } : {}),
    ...(Object.keys(provenance).length > 0 ? { provenance } : {}),
    ...(copy ? { copy } : {}),
    ...(files ? { files } : {}),
    timeScale: readTimeScale(env[TIME_SCALE_VARIABLE]),
  };
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
  const facts = TARGET_TYPE_FACTS[targetType];
  // RDS keeps identifiers in lower case and matches them regardless of case.
  const normalize = facts.lowerCaseIds ? (id: string) => id.toLowerCase() : (id: string) => id;
  const ids = [
    ...new Set(
      value
        .split(/[\n,]/)
        .map((id) => normalize(id.trim()))
        .filter((id) => id !== ''),
    ),
  ];
  const example = facts.idExample;
  if (facts.singleSource && ids.length > 1) {
    throw invalid(
      INPUTS.resourceId,
      value,
      `one name for a ${targetType} target, such as ${example} (one file set a step)`,
    );
  }
  for (const id of ids) {
    if (!facts.idPattern.test(id)) {
      throw invalid(INPUTS.resourceId, id, `ids of ${targetType} resources such as ${example}`);
    }
    if (facts.lowerCaseIds && EC2_ID.test(id)) {
      throw invalid(
        INPUTS.resourceId,
        id,
        `ids of ${targetType} resources such as ${example} (this is an EC2 id: check 'target-type')`,
      );
    }
  }
  return ids;
}

/** `no-reboot`: only an AMI can reboot its instance, so `false` for another target-type is a mistake. */
function readNoReboot(value: string, targetType: TargetType): boolean {
  const noReboot = readBoolean(INPUTS.noReboot, value);
  if (!noReboot && !TARGET_TYPE_FACTS[targetType].reboots) {
    throw new InputError(
      INPUTS.noReboot,
      `Input '${INPUTS.noReboot}' is false, but only target-type ec2-image reboots (for a file-system-consistent image); target-type ${targetType} never reboots anything: remove '${INPUTS.noReboot}'.`,
    );
  }
  return noReboot;
}
