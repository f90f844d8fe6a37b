/**
 * Reads and validates every input into a typed Config before anything touches AWS. Pure: the raw
 * values come from a lookup function, so tests need no environment.
 */
import {
  CALENDAR_UNITS,
  canonicalTimeZone,
  type CalendarRules,
  type CalendarUnit,
} from './calendar.js';
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
// AWS allows 50 tags on a backup; the action sets up to 6 of its own (4, and 2 more on copies).
const MAX_USER_TAGS = 44;
const ID_PATTERNS: Record<TargetType, { pattern: RegExp; example: string }> = {
  'ebs-volume': { pattern: /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: 'vol-0123456789abcdef0' },
  'ec2-image': { pattern: /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: 'i-0123456789abcdef0' },
  // RDS identifiers: 1–63 letters, digits or hyphens, a letter first, no `--`, no trailing hyphen.
  'rds-instance': { pattern: /^[A-Za-z](?:-?[A-Za-z0-9]){0,62}$/, example: 'prod-db' },
  'rds-cluster': { pattern: /^[A-Za-z](?:-?[A-Za-z0-9]){0,62}$/, example: 'prod-aurora' },
};
/**
 * Region names of each AWS partition, as the SDK's partitions define them (`us-east-1`,
 * `cn-north-1`, `us-gov-west-1`, `eusc-de-east-1`…). A name of no partition is a typo.
 */
const PARTITIONS: readonly { name: string; regions: RegExp }[] = [
  { name: 'aws', regions: /^(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d{1,2}$/ },
  { name: 'aws-cn', regions: /^cn-[a-z]+-\d{1,2}$/ },
  { name: 'aws-us-gov', regions: /^us-gov-[a-z]+-\d{1,2}$/ },
  { name: 'aws-iso', regions: /^us-iso-[a-z]+-\d{1,2}$/ },
  { name: 'aws-iso-b', regions: /^us-isob-[a-z]+-\d{1,2}$/ },
  { name: 'aws-iso-e', regions: /^eu-isoe-[a-z]+-\d{1,2}$/ },
  { name: 'aws-iso-f', regions: /^us-isof-[a-z]+-\d{1,2}$/ },
  { name: 'aws-eusc', regions: /^eusc-de-[a-z]+-\d{1,2}$/ },
];
/** The shape of a region name inside other values (a KMS ARN, a `region=key` line). */
const REGION_SHAPE = '[a-z]{2,4}(?:-[a-z0-9]+)+-\\d{1,2}';
const BACKUP_SET = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** AWS resources carry at most 50 tags: more `resource-tags` than that can match nothing. */
const MAX_RESOURCE_TAGS = 50;
/** The characters RDS allows in tag keys and values (its API reference's pattern). */
const RDS_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** EC2 resource ids, which a DB identifier could spell but never is: a wrong `target-type`. */
const EC2_ID = /^(?:vol|i|snap|ami)-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

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

  const backupSet = read(INPUTS.backupSet);
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

  const copy = readCopyConfig(read, region, rules, timeZone, targetType);
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
    tags: readUserTags(read(INPUTS.tags), targetType),
    copyTags: readBoolean(INPUTS.copyTags, read(INPUTS.copyTags)),
    wait: readBoolean(INPUTS.wait, read(INPUTS.wait)),
    waitTimeoutMs,
    concurrency: readInteger(INPUTS.concurrency, read(INPUTS.concurrency), 1, 32) ?? 4,
    maxDeletions: readInteger(INPUTS.maxDeletions, read(INPUTS.maxDeletions), 0, 10_000) ?? 50,
    dryRun: readBoolean(INPUTS.dryRun, read(INPUTS.dryRun)),
    noReboot: readNoReboot(read(INPUTS.noReboot), targetType),
    ...(runId ? { runId } : {}),
    ...(copy ? { copy } : {}),
    timeScale: readTimeScale(env[TIME_SCALE_VARIABLE]),
  };
}

/** The environment variable that scales the action's own delays (for tests against emulators). */
export const TIME_SCALE_VARIABLE = 'SNAPSHOT_ROTATION_TIME_SCALE';

function readTimeScale(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new InputError(
      TIME_SCALE_VARIABLE,
      `Environment variable '${TIME_SCALE_VARIABLE}' has an invalid value '${value}': expected a number above 0 and at most 1 (1, the default, waits as AWS needs).`,
    );
  }
  return scale;
}

/** A KMS key id, alias or ARN (of a key or an alias). */
const KMS_KEY = new RegExp(
  `^(?:arn:aws[a-z-]*:kms:(${REGION_SHAPE}):\\d{12}:(?:key|alias)/[A-Za-z0-9/_+=.@-]+|alias/[A-Za-z0-9/_-]+|(?:mrk-)?[0-9a-f]{32}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})$`,
);
/** A `region=key` line of `copy-kms-key-id`, as opposed to a single key. */
const REGION_LINE = new RegExp(`^${REGION_SHAPE}\\s*=`);

/** The `copy-*` inputs; undefined when `copy-to-regions` is empty (the others must be too). */
function readCopyConfig(
  read: (name: string) => string,
  region: string,
  sourceRules: RetentionRules,
  timeZone: string,
  targetType: TargetType,
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
    const copyOnly = [
      INPUTS.copyGenerations,
      INPUTS.copyKeepWithin,
      ...Object.values(COPY_CALENDAR_INPUTS),
    ];
    for (const name of [...copyOnly, INPUTS.copyKmsKeyId, INPUTS.copyOptionGroup]) {
      if (read(name) !== '') {
        throw new InputError(
          name,
          `Input '${name}' is set but '${INPUTS.copyToRegions}' is empty: name the regions to copy to, or remove '${name}'.`,
        );
      }
    }
    return undefined;
  }
  const sourcePartition = partitionOf(region);
  for (const destination of regions) {
    const partition = partitionOf(destination);
    if (partition === undefined) {
      throw invalid(INPUTS.copyToRegions, destination, 'region names such as us-east-1');
    }
    if (partition !== sourcePartition) {
      throw invalid(
        INPUTS.copyToRegions,
        destination,
        `regions of the source region's partition (${region} is in ${sourcePartition}, ${destination} in ${partition}; AWS copies no backup across partitions)`,
      );
    }
    if (destination === region) {
      throw invalid(
        INPUTS.copyToRegions,
        destination,
        `regions other than the source region ${region} (a copy in the same region is no disaster recovery)`,
      );
    }
  }
  const copyCalendar = readCalendarRules(read, COPY_CALENDAR_INPUTS, timeZone);
  const copyRules: RetentionRules = {
    generations: readInteger(INPUTS.copyGenerations, read(INPUTS.copyGenerations), 1, 1000),
    keepWithinMs: readDuration(INPUTS.copyKeepWithin, read(INPUTS.copyKeepWithin)),
    ...(copyCalendar ? { calendar: copyCalendar } : {}),
  };
  const own = hasKeepRule(copyRules);
  return {
    regions,
    rules: own ? copyRules : { ...sourceRules },
    kmsKeyIds: readKmsKeys(read(INPUTS.copyKmsKeyId), regions),
    optionGroups: readOptionGroups(read(INPUTS.copyOptionGroup), regions, targetType),
  };
}

/** The calendar rules' inputs, by unit. */
const CALENDAR_INPUTS: Record<CalendarUnit, string> = {
  hourly: INPUTS.keepHourly,
  daily: INPUTS.keepDaily,
  weekly: INPUTS.keepWeekly,
  monthly: INPUTS.keepMonthly,
  yearly: INPUTS.keepYearly,
};
const COPY_CALENDAR_INPUTS: Record<CalendarUnit, string> = {
  hourly: INPUTS.copyKeepHourly,
  daily: INPUTS.copyKeepDaily,
  weekly: INPUTS.copyKeepWeekly,
  monthly: INPUTS.copyKeepMonthly,
  yearly: INPUTS.copyKeepYearly,
};

/** `keep-hourly` … `keep-yearly` (or their `copy-` forms), 1–1000 each; undefined when none is set. */
function readCalendarRules(
  read: (name: string) => string,
  names: Record<CalendarUnit, string>,
  timeZone: string,
): CalendarRules | undefined {
  const rules: CalendarRules = { timeZone };
  for (const unit of CALENDAR_UNITS) {
    const count = readInteger(names[unit], read(names[unit]), 1, 1000);
    if (count !== undefined) rules[unit] = count;
  }
  return CALENDAR_UNITS.some((unit) => rules[unit] !== undefined) ? rules : undefined;
}

/** `timezone`: an IANA zone name, kept in its canonical spelling (`asia/tokyo` → `Asia/Tokyo`). */
function readTimeZone(value: string): string {
  const zone = canonicalTimeZone(value);
  if (zone === undefined) {
    throw invalid(
      INPUTS.timezone,
      value,
      'an IANA time zone name such as UTC, Asia/Tokyo or America/New_York (for a fixed offset, Etc/GMT-9 is UTC+9)',
    );
  }
  return zone;
}

/** True when any rule keeps backups: without one, pruning would delete all but the newest. */
function hasKeepRule(rules: RetentionRules): boolean {
  return (
    rules.generations !== undefined ||
    rules.keepWithinMs !== undefined ||
    rules.calendar !== undefined
  );
}

/** `copy-kms-key-id`: one key for every destination, or `region=key` lines. */
function readKmsKeys(value: string, regions: readonly string[]): Record<string, string> {
  const name = INPUTS.copyKmsKeyId;
  return readPerRegion(name, value, regions, (destination, key, line) => {
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
  });
}

/** An RDS option group name: a letter first, letters, digits and single hyphens, ≤255. */
const OPTION_GROUP = /^[A-Za-z](?:-?[A-Za-z0-9]){0,254}$/;

/**
 * `copy-option-group`: the option group each DB snapshot copy is given in its destination (one
 * name for every destination, or `region=name` lines). Option groups belong to one region, so a
 * snapshot of an instance with a non-default option group needs one named for each destination.
 */
function readOptionGroups(
  value: string,
  regions: readonly string[],
  targetType: TargetType,
): Record<string, string> {
  const name = INPUTS.copyOptionGroup;
  if (value !== '' && targetType !== 'rds-instance') {
    throw new InputError(
      name,
      `Input '${name}' applies to 'target-type: rds-instance' only (DB cluster snapshot copies take no option group); remove it.`,
    );
  }
  return readPerRegion(name, value, regions, (_destination, group, line) => {
    if (!OPTION_GROUP.test(group)) {
      throw invalid(
        name,
        line,
        'an option group name (letters, digits and single hyphens, a letter first), or region=name lines',
      );
    }
  });
}

/**
 * A per-destination input: one value for every region of `copy-to-regions`, or `region=value`
 * lines, each region listed there at most once. `check` refuses a value that cannot serve its region.
 */
function readPerRegion(
  name: string,
  value: string,
  regions: readonly string[],
  check: (destination: string, value: string, line: string) => void,
): Record<string, string> {
  const lines = value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const values: Record<string, string> = {};
  if (lines.length === 1 && !REGION_LINE.test(lines[0] ?? '')) {
    for (const destination of regions) {
      check(destination, lines[0] ?? '', lines[0] ?? '');
      values[destination] = lines[0] ?? '';
    }
    return values;
  }
  for (const line of lines) {
    const eq = line.indexOf('=');
    const destination = eq > 0 ? line.slice(0, eq).trim() : '';
    const item = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (destination === '' || item === '') {
      throw invalid(
        name,
        line,
        "one value for every region, or one 'region=value' line per region",
      );
    }
    if (!regions.includes(destination)) {
      throw invalid(
        name,
        line,
        `regions listed in '${INPUTS.copyToRegions}' (${regions.join(', ')})`,
      );
    }
    if (destination in values) throw invalid(name, line, 'each region at most once');
    check(destination, item, line);
    values[destination] = item;
  }
  return values;
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
    if (targetType.startsWith('rds-') && EC2_ID.test(id)) {
      throw invalid(
        INPUTS.resourceId,
        id,
        `ids of ${targetType} resources such as ${example} (this is an EC2 id: check 'target-type')`,
      );
    }
  }
  return ids;
}

/** `Key=Value` lines, one pair a line (a value may hold `=`, but not `, Key=` of a second pair). */
function readKeyValueLines(name: string, value: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of value.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    const tagValue = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (key === '') throw invalid(name, line, 'one Key=Value pair per line');
    // `A=1, B=2` on one line would be one tag A with the value `1, B=2`: surely two tags meant.
    if (/,\s*[^\s,=][^,=]*=/.test(tagValue)) {
      throw invalid(
        name,
        line,
        'one Key=Value pair per line (separate pairs by newlines, not commas)',
      );
    }
    if (key.length > 128 || tagValue.length > 256) {
      throw invalid(name, line, 'tag keys of at most 128 and values of at most 256 characters');
    }
    if (key in result) throw invalid(name, line, 'each key at most once');
    result[key] = tagValue;
  }
  return result;
}

/**
 * `tags`: Key=Value lines without the reserved `aws:` and `snapshot-rotation:` keys (in any case),
 * at most MAX_USER_TAGS, and for RDS within what RDS tags can carry.
 */
function readUserTags(value: string, targetType: TargetType): Record<string, string> {
  const name = INPUTS.tags;
  const tags = readKeyValueLines(name, value);
  const rds = targetType.startsWith('rds-');
  for (const [key, tagValue] of Object.entries(tags)) {
    const line = `${key}=${tagValue}`;
    const lower = key.toLowerCase();
    if (lower.startsWith('aws:') || lower.startsWith(TAG_PREFIX)) {
      throw invalid(name, line, `keys that do not start with 'aws:' or '${TAG_PREFIX}' (reserved)`);
    }
    if (!rds) continue;
    if (!RDS_TAG_TEXT.test(key) || !RDS_TAG_TEXT.test(tagValue)) {
      throw invalid(
        name,
        line,
        `only letters, digits, spaces and _ . : / = + - @ for target-type ${targetType} (all that RDS tags can carry)`,
      );
    }
    if ([key, tagValue].some((text) => /^(?:aws|rds):/i.test(text))) {
      throw invalid(
        name,
        line,
        `keys and values that do not start with 'aws:' or 'rds:' for target-type ${targetType} (RDS reserves them)`,
      );
    }
  }
  if (Object.keys(tags).length > MAX_USER_TAGS) {
    throw invalid(name, `${Object.keys(tags).length} tags`, `at most ${MAX_USER_TAGS} tags`);
  }
  return tags;
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

/** `no-reboot`: only an AMI can reboot its instance, so `false` for another target-type is a mistake. */
function readNoReboot(value: string, targetType: TargetType): boolean {
  const noReboot = readBoolean(INPUTS.noReboot, value);
  if (!noReboot && targetType !== 'ec2-image') {
    throw new InputError(
      INPUTS.noReboot,
      `Input '${INPUTS.noReboot}' is false, but only target-type ec2-image reboots (for a file-system-consistent image); target-type ${targetType} never reboots anything: remove '${INPUTS.noReboot}'.`,
    );
  }
  return noReboot;
}

function partitionOf(region: string): string | undefined {
  return PARTITIONS.find((partition) => partition.regions.test(region))?.name;
}

function readBoolean(name: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw invalid(name, value, 'true or false');
}
