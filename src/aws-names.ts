/**
 * The shapes of AWS names that inputs are checked against: regions and their partitions, KMS
 * keys, EC2 ids, RDS option groups.
 */

/**
 * Region names of each AWS partition, as the SDK's partitions define them (`us-east-1`,
 * `cn-north-1`, `us-gov-west-1`, `eusc-de-east-1`…). A name of no partition is a typo.
 */
export const PARTITIONS: readonly { name: string; regions: RegExp }[] = [
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
export const REGION_SHAPE = '[a-z]{2,4}(?:-[a-z0-9]+)+-\\d{1,2}';
/** EC2 resource ids, which a DB identifier could spell but never is: a wrong `target-type`. */
export const EC2_ID = /^(?:vol|i|snap|ami)-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** A KMS key id, alias or ARN (of a key or an alias). */
export const KMS_KEY = new RegExp(
  `^(?:arn:aws[a-z-]*:kms:(${REGION_SHAPE}):\\d{12}:(?:key|alias)/[A-Za-z0-9/_+=.@-]+|alias/[A-Za-z0-9/_-]+|(?:mrk-)?[0-9a-f]{32}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})$`,
);
/** A `region=key` line of `copy-kms-key-id`, as opposed to a single key. */
export const REGION_LINE = new RegExp(`^${REGION_SHAPE}\\s*=`);

/** An RDS option group name: a letter first, letters, digits and single hyphens, ≤255. */
export const OPTION_GROUP = /^[A-Za-z](?:-?[A-Za-z0-9]){0,254}$/;

/** The partition of a region name; undefined for a name of no partition (a typo). */
export function partitionOf(region: string): string | undefined {
  return PARTITIONS.find((partition) => partition.regions.test(region))?.name;
}
