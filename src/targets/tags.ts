/**
 * Tags as AWS lists them (EC2 and RDS share the `{ Key, Value }` shape) and as the core keeps them,
 * and the ownership check that turns a listed backup into the core's record.
 */
import type { Clock } from '../clock.js';
import { TAGS, type TargetType } from '../constants.js';
import { TargetError } from '../errors.js';
import { awsCall } from './aws-call.js';
import type { Backup, BackupState } from './target.js';

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
export function createdAtOf(
  tagValue: string | undefined,
  awsTime: Date | undefined,
  now: Clock,
): Date {
  const tagged = tagValue ? new Date(tagValue) : undefined;
  // A tag later than AWS's own creation time (a typo, a clock far off) would make the backup look
  // newest forever and stop min-interval from ever creating again: AWS's time wins then.
  const future = tagged && awsTime && tagged.getTime() > awsTime.getTime() + CLOCK_SKEW_MS;
  if (tagged && !Number.isNaN(tagged.getTime()) && !future) return tagged;
  return awsTime ?? now();
}

/** How far a `created-at` tag may run ahead of AWS's creation time (clocks differ a little). */
const CLOCK_SKEW_MS = 15 * 60_000;

/** What an adapter read of one backup, before ownership is checked. */
export interface RawBackup {
  id: string | undefined;
  tags: readonly AwsTag[] | undefined;
  /** Undefined for a backup that no longer counts (deleted, deregistered). */
  state: BackupState | undefined;
  /** AWS's creation time, the age reference when the `created-at` tag is missing. */
  awsTime: Date | undefined;
  stateMessage?: string | undefined;
  encrypted?: boolean | undefined;
  arn?: string | undefined;
  /** The resource AWS says it was made from (volume, instance, DB instance or cluster), if it says. */
  madeFrom?: string | undefined;
  /** The backup AWS says it was copied from, if it is a copy. */
  copiedFrom?: string | undefined;
  /** Stored in an archive tier, from which AWS copies nothing. */
  archived?: boolean | undefined;
  /** Its size in GiB as AWS states it; 0 or absent: AWS gives none. */
  sizeGiB?: number | undefined;
}

/**
 * The normalized record of a backup that carries both ownership tags (DESIGN §4), or undefined for
 * anything else: a backup without them is never counted, so never deleted.
 *
 * Tags can be copied: a person copying one of the set's snapshots (in the console, `CopyImage`
 * with `CopyImageTags`, `CopyDBSnapshot` with `CopyTags`) makes a backup that carries the set's tags
 * but that the action never made. Where AWS says what a backup was made or copied from, that must
 * agree with the tags: made from the tagged source, and not a copy unless the action's own
 * `copy-of` tag says so. Anything else is not the set's, whatever its tags say.
 */
export function ownedBackup(
  kind: TargetType,
  region: string,
  now: Clock,
  raw: RawBackup,
): Backup | undefined {
  const tags = fromAwsTags(raw.tags);
  const sourceId = tags[TAGS.source];
  const set = tags[TAGS.backupSet];
  if (!raw.id || !sourceId || !set || !raw.state) return undefined;
  if (!tags[TAGS.copyOf]) {
    if (raw.copiedFrom) return undefined;
    if (raw.madeFrom && raw.madeFrom.toLowerCase() !== sourceId.toLowerCase()) return undefined;
  }
  return {
    id: raw.id,
    kind,
    region,
    sourceId,
    set,
    createdAt: createdAtOf(tags[TAGS.createdAt], raw.awsTime, now),
    state: raw.state,
    ...(raw.state === 'failed' && raw.stateMessage ? { stateMessage: raw.stateMessage } : {}),
    tags,
    ...(tags[TAGS.copyOf] ? { copyOf: tags[TAGS.copyOf] } : {}),
    ...(tags[TAGS.sourceRegion] ? { sourceRegion: tags[TAGS.sourceRegion] } : {}),
    ...(raw.encrypted !== undefined ? { encrypted: raw.encrypted } : {}),
    ...(raw.arn ? { arn: raw.arn } : {}),
    ...(raw.archived ? { archived: true } : {}),
    ...(raw.sizeGiB !== undefined && raw.sizeGiB > 0 ? { sizeGiB: raw.sizeGiB } : {}),
  };
}

/**
 * The record of a copy that AWS has just accepted: pending, in `region`, owned through the tags it
 * was given (the original's `created-at` is its age). A copy is as large as its original: EC2's copy
 * calls answer with an id alone, so the original's size is the copy's.
 */
export function acceptedCopy(
  kind: TargetType,
  region: string,
  id: string | undefined,
  tags: Readonly<Record<string, string>>,
  original: Pick<Backup, 'encrypted' | 'sizeGiB'>,
  now: Clock,
): Backup {
  const copy = ownedBackup(kind, region, now, {
    id,
    tags: toAwsTags(tags),
    state: 'pending',
    awsTime: undefined,
    encrypted: original.encrypted,
    sizeGiB: original.sizeGiB,
  });
  if (!copy) throw new TargetError(`AWS accepted a copy into ${region} but named no copy id.`);
  return copy;
}

/**
 * Whether a backup found under the name a create or copy asked for is that very backup: the same
 * set, source, `created-at` (to the millisecond) and `copy-of` as the request's tags. Only then is
 * it adopted after `InvalidAMIName.Duplicate` or `…AlreadyExists`.
 */
export function isRequestedBackup(
  backup: Backup | undefined,
  tags: Readonly<Record<string, string>>,
): backup is Backup {
  return (
    backup !== undefined &&
    backup.set === tags[TAGS.backupSet] &&
    backup.sourceId === tags[TAGS.source] &&
    backup.tags[TAGS.createdAt] === tags[TAGS.createdAt] &&
    backup.copyOf === tags[TAGS.copyOf]
  );
}

/**
 * Collects the set's backups from a listing's pages (with `sources`, every set's backups of those
 * sources: `listBackups`); a listing error becomes one sentence.
 */
export async function collectSet(
  pages: AsyncIterable<(Backup | undefined)[]>,
  set: string,
  what: string,
  sources?: readonly string[],
): Promise<Backup[]> {
  const wanted = sources && new Set(sources.map((id) => id.toLowerCase()));
  const listed = (backup: Backup | undefined): backup is Backup =>
    backup !== undefined &&
    (wanted ? wanted.has(backup.sourceId.toLowerCase()) : backup.set === set);
  const backups: Backup[] = [];
  await awsCall(`Could not list ${what}`, async () => {
    for await (const page of pages) {
      for (const backup of page) if (listed(backup)) backups.push(backup);
    }
  });
  return backups;
}
