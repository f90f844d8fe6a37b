/**
 * The `copy-*` inputs: the destination regions, the copies' retention, and what each destination
 * needs (a KMS key for encrypted backups, an option group for DB snapshots).
 */
import { KMS_KEY, OPTION_GROUP, partitionOf } from './aws-names.js';
import { INPUTS, type TargetType } from './constants.js';
import { InputError } from './errors.js';
import { invalid, readDuration, readInteger, readPerRegion } from './input-values.js';
import type { CopyConfig } from './inputs.js';
import type { RetentionRules } from './retention.js';
import { COPY_CALENDAR_INPUTS, hasKeepRule, readCalendarRules } from './retention-inputs.js';
import { TARGET_TYPE_FACTS } from './target-types.js';

/** The `copy-*` inputs; undefined when `copy-to-regions` is empty (the others must be too). */
export function readCopyConfig(
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
  if (value !== '' && !TARGET_TYPE_FACTS[targetType].optionGroups) {
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
