/**
 * How the snapshots of `ec2-instance` read as backups: each snapshot is one member of a set (the
 * `set-id` tag), and a set is one backup, whose state is that of its weakest member.
 */
import {
  CreateTagsCommand,
  paginateDescribeSnapshots,
  type EC2Client,
  type Snapshot,
  type SnapshotInfo,
} from '@aws-sdk/client-ec2';
import { chunks } from '../chunks.js';
import { awsCall } from './aws-call.js';
import { rawSnapshot } from './ec2.js';
import type { Clock } from '../clock.js';
import { TAG_PREFIX, TAGS } from '../constants.js';
import { MAX_TAGS } from '../plan.js';
import type { Backup, BackupMember, BackupState } from '../model.js';
import { ownedBackup, toAwsTags, type RawBackup } from './tags.js';

/** The tags only the set's members carry, beside those the core decided (3: id, size, device). */
const SET_TAGS = 3;

/** One snapshot of a set, as the listing or a describe read it. */
export interface MemberRecord {
  /** The snapshot id. */
  id: string;
  state: BackupState;
  stateMessage?: string;
  /** The snapshot's own record (ownership tags checked), from which the set's record is made. */
  backup: Backup;
  setId: string;
  /** The `set-size` tag: how many snapshots the set was made with; undefined when untagged. */
  setSize: number | undefined;
  device: string | undefined;
  /** The volume it was made from (a copy's is a placeholder). */
  volumeId: string | undefined;
}

/** The id of the set an instance's snapshots at `createdAt` form: stable, one per instance and run. */
export function setIdOf(instanceId: string, createdAt: string): string {
  return `${instanceId}/${createdAt}`;
}

/**
 * The member record of one snapshot, or undefined for a snapshot that is not the set's: it needs
 * the ownership tags, and a `set-id` that is its own source's at its own `created-at` (so a set id
 * cannot be borrowed by a snapshot of another instance or time).
 */
export function memberOf(
  region: string,
  clock: Clock,
  raw: RawBackup & { volumeId: string | undefined },
): MemberRecord | undefined {
  // The snapshot is made from a volume, not from the instance it names: no `madeFrom` check.
  const backup = ownedBackup('ec2-instance', region, clock, { ...raw, madeFrom: undefined });
  if (!backup) return undefined;
  const setId = backup.tags[TAGS.setId];
  const createdAt = backup.tags[TAGS.createdAt];
  if (!setId || !createdAt || setId !== setIdOf(backup.sourceId, createdAt)) return undefined;
  const size = Number(backup.tags[TAGS.setSize]);
  return {
    id: backup.id,
    state: backup.state,
    ...(backup.stateMessage ? { stateMessage: backup.stateMessage } : {}),
    backup,
    setId,
    setSize: Number.isInteger(size) && size > 0 ? size : undefined,
    device: backup.tags[TAGS.device] || undefined,
    volumeId: raw.volumeId,
  };
}

/**
 * The sets the members form, one backup each. Originals and copies are grouped apart (a copy keeps
 * its original's set id: `copy-of` tells them apart).
 */
export function groupSets(members: readonly MemberRecord[]): Backup[] {
  const groups = new Map<string, MemberRecord[]>();
  for (const member of members) {
    // Within one backup set: two sets' snapshots of one instance never make one backup.
    const key = `${member.backup.set}\u0000${member.setId}\u0000${member.backup.copyOf ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(member);
    else groups.set(key, [member]);
  }
  return [...groups.values()].map((group) => setBackup(group));
}

/**
 * The set of `members` as one backup: the set's id, the tags every member shares (not the device),
 * and the state of its weakest member. `missing` names members known to exist but not read.
 */
export function setBackup(
  members: readonly MemberRecord[],
  missing: readonly string[] = [],
): Backup {
  const sorted = [...members].sort((a, b) => (a.device ?? a.id).localeCompare(b.device ?? b.id));
  const first = sorted[0];
  if (!first) throw new Error('A set has at least one member.');
  const { state, stateMessage } = setState(sorted, missing);
  const tags = { ...first.backup.tags };
  delete tags[TAGS.device];
  const common: Backup = { ...first.backup };
  delete common.stateMessage;
  delete common.encrypted;
  delete common.archived;
  delete common.sizeGiB;
  const sizeGiB = setSizeGiB(sorted);
  return {
    ...common,
    id: first.setId,
    tags,
    state,
    ...(stateMessage ? { stateMessage } : {}),
    ...(sorted.some((member) => member.backup.encrypted) ? { encrypted: true } : {}),
    ...(sorted.some((member) => member.backup.archived) ? { archived: true } : {}),
    ...(sizeGiB !== undefined ? { sizeGiB } : {}),
    members: sorted.map((member) => memberEntry(member)),
  };
}

/**
 * The set's size: the sum of its snapshots' volume sizes (`VolumeSize`, GiB), each volume counted
 * once (two snapshots of one volume, from a retried `CreateSnapshots`, are one volume of the set;
 * a copy's volume id is a placeholder, so its device tells its volume then). Undefined when a
 * member states no size: a part of the sum would understate the set.
 */
export function setSizeGiB(members: readonly MemberRecord[]): number | undefined {
  const sizes = new Map<string, number | undefined>();
  for (const member of members) {
    const volume = member.backup.copyOf ? undefined : member.volumeId;
    sizes.set(volume ?? member.device ?? member.id, member.backup.sizeGiB);
  }
  let sum = 0;
  for (const size of sizes.values()) {
    if (size === undefined) return undefined;
    sum += size;
  }
  return sizes.size > 0 ? sum : undefined;
}

function memberEntry(member: MemberRecord): BackupMember {
  return {
    id: member.id,
    ...(member.device ? { device: member.device } : {}),
    state: member.state,
    ...(member.backup.encrypted !== undefined ? { encrypted: member.backup.encrypted } : {}),
  };
}

/**
 * A set is failed when a member failed or is missing (fewer snapshots than its `set-size`, or one
 * known to have been made that is gone), pending while a member is, else completed. Two snapshots of
 * one volume (a retried `CreateSnapshots`) count once: the better of the two.
 */
export function setState(
  members: readonly MemberRecord[],
  missing: readonly string[] = [],
): { state: BackupState; stateMessage?: string } {
  const best = new Map<string, MemberRecord>();
  const rank = { completed: 0, pending: 1, failed: 2 } as const;
  for (const member of members) {
    const key = member.device ?? member.volumeId ?? member.id;
    const known = best.get(key);
    if (!known || rank[member.state] < rank[known.state]) best.set(key, member);
  }
  const unique = [...best.values()];
  const failed = unique.filter((member) => member.state === 'failed');
  if (failed.length > 0) {
    const named = failed
      .map(
        (m) =>
          `${m.id}${m.device ? ` (${m.device})` : ''}${m.stateMessage ? `: ${m.stateMessage}` : ''}`,
      )
      .join('; ');
    return { state: 'failed', stateMessage: `snapshot ${named} failed` };
  }
  if (unique.some((member) => member.state === 'pending')) return { state: 'pending' };
  if (missing.length > 0) {
    return { state: 'failed', stateMessage: `snapshot ${missing.join(', ')} of the set is gone` };
  }
  const size = members.find((member) => member.setSize !== undefined)?.setSize;
  if (size === undefined) {
    return {
      state: 'failed',
      stateMessage: 'the set does not say how many snapshots it has (no set-size tag)',
    };
  }
  if (unique.length < size) {
    return {
      state: 'failed',
      stateMessage: `only ${unique.length} of the set's ${size} snapshots exist`,
    };
  }
  return { state: 'completed' };
}

/** A snapshot of CreateSnapshots' answer, with the tags it was given. */
export function fromInfo(info: SnapshotInfo, tags: Record<string, string>): Snapshot {
  return {
    SnapshotId: info.SnapshotId,
    VolumeId: info.VolumeId,
    State: info.State ?? 'pending',
    StartTime: info.StartTime,
    Encrypted: info.Encrypted,
    VolumeSize: info.VolumeSize,
    Tags: toAwsTags(tags),
  };
}

/**
 * The core's tags with the set's own, within AWS's 50 tags: the core's tags that are not the
 * action's give way (the last ones first), and are named in a warning. Room is kept for the device.
 */
export function fitTags(
  tags: Readonly<Record<string, string>>,
  set: Record<string, string>,
  warn: ((message: string) => void) | undefined,
): Record<string, string> {
  const entries = Object.entries(tags);
  const room = MAX_TAGS - SET_TAGS;
  const over = entries.length - room;
  if (over <= 0) return { ...tags, ...set };
  const droppable = entries.filter(([key]) => !key.startsWith(TAG_PREFIX)).map(([key]) => key);
  const dropped = droppable.slice(-over);
  warn?.(`Not set on the set's snapshots (AWS allows 50 tags): ${dropped.join(', ')}.`);
  return {
    ...Object.fromEntries(entries.filter(([key]) => !dropped.includes(key))),
    ...set,
  };
}

/** The set's record of one member snapshot, as EC2 describes it; undefined when none of a set's. */
export function memberOfSnapshot(
  region: string,
  clock: Clock,
  snapshot: Snapshot,
): MemberRecord | undefined {
  return memberOf(region, clock, { ...rawSnapshot(snapshot), volumeId: snapshot.VolumeId });
}

/**
 * The member snapshots that still exist among `ids` (a `snapshot-id` filter of ≤200 values);
 * `signal` goes with the calls.
 */
export async function describeMembers(
  ec2: EC2Client,
  region: string,
  clock: Clock,
  ids: string[],
  signal?: AbortSignal,
): Promise<MemberRecord[]> {
  const found: MemberRecord[] = [];
  for (const part of chunks(ids, 200)) {
    const pages = paginateDescribeSnapshots(
      { client: ec2, pageSize: 1000 },
      { OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: part }] },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const snapshot of page.Snapshots ?? []) {
        const member = memberOfSnapshot(region, clock, snapshot);
        if (member) found.push(member);
      }
    }
  }
  return found;
}

/** Names a snapshot's device (and, rarely, the set's true size) once the answer says it. */
export async function tagMember(
  ec2: EC2Client,
  snapshotId: string,
  tags: Record<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  await awsCall(
    `Could not tag snapshot ${snapshotId} with its device`,
    () =>
      ec2.send(new CreateTagsCommand({ Resources: [snapshotId], Tags: toAwsTags(tags) }), {
        abortSignal: signal,
      }),
    { signal },
  );
}
