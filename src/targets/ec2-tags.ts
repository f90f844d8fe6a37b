/** Conversions between EC2's tag lists and plain records, shared by the EC2-based adapters. */
import type { Filter, Tag } from '@aws-sdk/client-ec2';

export function fromEc2Tags(tags: readonly Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) record[Key] = Value ?? '';
  return record;
}

export function toEc2Tags(record: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

/** Server-side `tag:Key=Value` filters: a resource must carry all of them. */
export function tagFilters(record: Readonly<Record<string, string>>): Filter[] {
  return Object.entries(record).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
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

/** Splits a list into chunks of at most `size` (EC2 takes at most 200 values per filter). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
