/** Tags as AWS lists them (EC2 and RDS share the `{ Key, Value }` shape) and as the core keeps them. */

interface AwsTag {
  Key?: string | undefined;
  Value?: string | undefined;
}

export function fromAwsTags(tags: readonly AwsTag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) record[Key] = Value ?? '';
  return record;
}

export function toAwsTags(
  record: Readonly<Record<string, string>>,
): { Key: string; Value: string }[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * The age reference of a backup: the `created-at` tag when valid, else AWS's time. With neither
 * (AWS always sends one) it counts as brand new, so that an unknown age never gets a backup deleted.
 */
export function createdAtOf(tagValue: string | undefined, awsTime: Date | undefined): Date {
  const tagged = tagValue ? new Date(tagValue) : undefined;
  if (tagged && !Number.isNaN(tagged.getTime())) return tagged;
  return awsTime ?? new Date();
}
