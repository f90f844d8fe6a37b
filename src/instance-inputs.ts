/**
 * The inputs of `target-type: ec2-instance`: which of an instance's volumes stay out of its set of
 * snapshots. Pure: refused by name for the other target types.
 */
import { INPUTS, type TargetType } from './constants.js';
import { InputError } from './errors.js';
import { invalid, readBoolean } from './input-values.js';
import { TARGET_TYPE_FACTS } from './target-types.js';

export /** `ec2-instance`: the volumes left out of each instance's set of snapshots. */
interface InstanceConfig {
  excludeBootVolume: boolean;
  excludeVolumeIds: string[];
}

/**
 * `exclude-boot-volume` and `exclude-volume-ids`: only an `ec2-instance` set has volumes to leave
 * out, so a non-default value for another target-type is a mistake, refused by name.
 */
export function readInstanceConfig(
  read: (name: string) => string,
  targetType: TargetType,
): InstanceConfig | undefined {
  const excludeBootVolume = readBoolean(INPUTS.excludeBootVolume, read(INPUTS.excludeBootVolume));
  const raw = read(INPUTS.excludeVolumeIds);
  const excludeVolumeIds = [
    ...new Set(
      raw
        .split(/[\n,]/)
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
  for (const id of excludeVolumeIds) {
    if (!TARGET_TYPE_FACTS['ebs-volume'].idPattern.test(id)) {
      throw invalid(INPUTS.excludeVolumeIds, id, 'EBS volume ids such as vol-0123456789abcdef0');
    }
  }
  if (targetType === 'ec2-instance') return { excludeBootVolume, excludeVolumeIds };
  const set = excludeBootVolume
    ? INPUTS.excludeBootVolume
    : excludeVolumeIds.length > 0
      ? INPUTS.excludeVolumeIds
      : undefined;
  if (set) {
    throw new InputError(
      set,
      `Input '${set}' applies only to target-type ec2-instance (the volumes left out of an instance's set of snapshots); target-type ${targetType} backs up no set of volumes: remove '${set}'.`,
    );
  }
  return undefined;
}
