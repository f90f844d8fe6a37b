/**
 * `ec2-instance`: all EBS volumes of an instance as one crash-consistent set of snapshots
 * (`CreateSnapshots` with an instance specification). The set is one backup: its id is the
 * `set-id` tag its snapshots share; it is kept, copied and deleted whole.
 */
import {
  CopySnapshotCommand,
  CreateSnapshotsCommand,
  paginateDescribeSnapshots,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { systemClock, type Clock } from '../clock.js';
import { TAGS } from '../constants.js';
import { copySlotsRefusal, TargetError, CancelledError } from '../errors.js';
import type { InstanceConfig } from '../instance-inputs.js';
import { awsCall } from './aws-call.js';
import { listingFilters } from './ec2.js';
import { deleteSet } from './set-delete.js';
import { attachedVolumes, INSTANCES, type Attached } from './ec2-instances.js';
import { findEc2Sources } from './ec2-sources.js';
import {
  fitTags,
  fromInfo,
  describeMembers,
  groupSets,
  memberOfSnapshot,
  setBackup,
  setIdOf,
  tagMember,
  type MemberRecord,
} from './instance-sets.js';
import { toAwsTags } from './tags.js';
import {
  batchedWaits,
  type BatchedDescribe,
  VISIBILITY_GRACE_SECONDS,
  waitForBackup,
  type PollingOptions,
} from './wait.js';
import type {
  Backup,
  BackupState,
  CopyRequest,
  CreateRequest,
  DeleteOutcome,
  SourceLookup,
  TargetAdapter,
  WaitOptions,
} from './target.js';

export interface Ec2InstanceOptions extends PollingOptions {
  /** The volumes left out of each set (`exclude-boot-volume`, `exclude-volume-ids`). */
  exclude?: InstanceConfig;
}

/** A volume of the instance, as its block device mapping names it. */
export class Ec2InstanceAdapter implements TargetAdapter {
  readonly type = 'ec2-instance' as const;
  private readonly polling: PollingOptions;
  private readonly clock: Clock;
  private readonly exclude: InstanceConfig;
  private readonly waits: BatchedDescribe<MemberRecord>;

  constructor(
    private readonly ec2: EC2Client,
    readonly region: string,
    options: Ec2InstanceOptions = {},
  ) {
    this.polling = options;
    this.clock = options.clock ?? systemClock;
    this.exclude = options.exclude ?? { excludeBootVolume: false, excludeVolumeIds: [] };
    this.waits = batchedWaits(
      (ids, signal) => describeMembers(this.ec2, this.region, this.clock, ids, signal),
      options,
      this.clock,
    );
  }

  findSources(
    ids: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<SourceLookup> {
    return findEc2Sources(this.ec2, this.region, INSTANCES, ids, tags);
  }

  /**
   * Every snapshot of the set in one listing (server-side tag filters), grouped into sets; with
   * `sources`, every set's snapshots of those instances (`TargetAdapter.listBackups`).
   */
  async listBackups(set: string, sources?: readonly string[]): Promise<Backup[]> {
    const members: MemberRecord[] = [];
    const wanted = sources && new Set(sources.map((id) => id.toLowerCase()));
    const listed = (member: MemberRecord | undefined): member is MemberRecord =>
      member !== undefined &&
      (wanted ? wanted.has(member.backup.sourceId.toLowerCase()) : member.backup.set === set);
    await awsCall(
      `Could not list the snapshots of backup set '${set}' in ${this.region}`,
      async () => {
        for (const filters of listingFilters(set, sources)) {
          const pages = paginateDescribeSnapshots(
            { client: this.ec2, pageSize: 1000 },
            {
              OwnerIds: ['self'],
              Filters: [...filters, { Name: 'tag-key', Values: [TAGS.setId] }],
            },
          );
          for await (const page of pages) {
            for (const snapshot of page.Snapshots ?? []) {
              const member = memberOfSnapshot(this.region, this.clock, snapshot);
              if (listed(member)) members.push(member);
            }
          }
        }
      },
    );
    return groupSets(members);
  }

  /**
   * One `CreateSnapshots` for the instance: every volume at one point in time, tagged as the set
   * by the call itself. The device of each snapshot is known only from the answer (each names its
   * volume), so it is tagged after, with one `CreateTags` per snapshot.
   */
  async create({ source, tags, signal, warn }: CreateRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const what = `Could not snapshot the volumes of ${source.id}`;
    const createdAt = tags[TAGS.createdAt];
    if (!createdAt)
      throw new Error(`The tags of a new backup of ${source.id} carry no created-at.`);
    const attached = await attachedVolumes(this.ec2, this.region, source.id, signal);
    const included = attached.filter((volume) => !this.excluded(volume));
    if (included.length === 0) {
      throw new TargetError(
        `${what}: no volume is left to snapshot (${attached.length === 0 ? 'it has no EBS volume attached' : "all are excluded by 'exclude-boot-volume' or 'exclude-volume-ids'"}).`,
      );
    }
    const setId = setIdOf(source.id, createdAt);
    const setTags = fitTags(
      tags,
      { [TAGS.setId]: setId, [TAGS.setSize]: String(included.length) },
      warn,
    );
    const boot = attached.find((volume) => volume.boot);
    const excludeBoot = boot !== undefined && this.excluded(boot);
    const excludeData = attached
      .filter((volume) => !volume.boot && this.excluded(volume))
      .map((volume) => volume.volumeId);
    const answer = await awsCall(
      what,
      () =>
        this.ec2.send(
          new CreateSnapshotsCommand({
            InstanceSpecification: {
              InstanceId: source.id,
              ...(excludeBoot ? { ExcludeBootVolume: true } : {}),
              ...(excludeData.length > 0 ? { ExcludeDataVolumeIds: excludeData } : {}),
            },
            Description: `snapshot-rotation backup-set=${tags[TAGS.backupSet]} source=${source.id} set=${setId}`,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: toAwsTags(setTags) }],
          }),
          { abortSignal: signal },
        ),
      { signal },
    );
    const snapshots = answer.Snapshots ?? [];
    if (snapshots.length === 0) throw new TargetError(`${what}: CreateSnapshots made no snapshot.`);
    const deviceOf = new Map(attached.map((volume) => [volume.volumeId, volume.device]));
    const members: MemberRecord[] = [];
    for (const snapshot of snapshots) {
      const device = snapshot.VolumeId ? deviceOf.get(snapshot.VolumeId) : undefined;
      const extra: Record<string, string> = device ? { [TAGS.device]: device } : {};
      // The instance's volumes changed between the describe and the create: the answer counts.
      if (snapshots.length !== included.length) extra[TAGS.setSize] = String(snapshots.length);
      const memberTags = { ...setTags, ...extra };
      if (snapshot.SnapshotId && Object.keys(extra).length > 0) {
        await tagMember(this.ec2, snapshot.SnapshotId, extra, signal).catch((error: unknown) => {
          if (signal?.aborted) throw new CancelledError();
          warn?.(
            `${error instanceof Error ? error.message : String(error)} The snapshot is in the set; its device (${device ?? 'unknown'}) is named by its volume ${snapshot.VolumeId ?? ''}.`,
          );
        });
      }
      const member = memberOfSnapshot(this.region, this.clock, fromInfo(snapshot, memberTags));
      if (member) members.push(member);
    }
    if (members.length === 0) throw new TargetError(`${what}: CreateSnapshots named no snapshot.`);
    return setBackup(members);
  }

  /** Copies each snapshot of the set: a set of the same id, tagged `copy-of` it, of its size. */
  async copy({ original, tags, kmsKeyId, signal, warn }: CopyRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const members = original.members ?? [];
    if (members.length === 0) {
      throw new TargetError(`Could not copy set ${original.id}: it names no snapshot.`);
    }
    const setTags = fitTags(
      tags,
      {
        [TAGS.setId]: original.id,
        [TAGS.setSize]: original.tags[TAGS.setSize] ?? String(members.length),
      },
      warn,
    );
    const copies: MemberRecord[] = [];
    for (const member of members) {
      const memberTags = { ...setTags, ...(member.device ? { [TAGS.device]: member.device } : {}) };
      const what = `Could not copy snapshot ${member.id} of set ${original.id} to ${this.region}`;
      const answer = await awsCall(
        what,
        () =>
          this.ec2.send(
            new CopySnapshotCommand({
              SourceRegion: original.region,
              SourceSnapshotId: member.id,
              Description: `snapshot-rotation copy of ${member.id} (set ${original.id}) from ${original.region}`,
              ...(member.encrypted && kmsKeyId ? { Encrypted: true, KmsKeyId: kmsKeyId } : {}),
              TagSpecifications: [{ ResourceType: 'snapshot', Tags: toAwsTags(memberTags) }],
            }),
            { abortSignal: signal },
          ),
        { signal, refusal: copySlotsRefusal },
      );
      const copy = memberOfSnapshot(this.region, this.clock, {
        SnapshotId: answer.SnapshotId,
        State: 'pending',
        Tags: toAwsTags(memberTags),
        ...(member.encrypted !== undefined ? { Encrypted: member.encrypted } : {}),
      });
      if (!copy) throw new TargetError(`${what}: AWS accepted the copy but named no snapshot id.`);
      copies.push(copy);
    }
    const copied = setBackup(copies);
    return original.sizeGiB !== undefined ? { ...copied, sizeGiB: original.sizeGiB } : copied;
  }

  /** Each snapshot of a set takes one of the destination's in-flight copy slots. */
  copySlots(backup: Backup): number {
    return Math.max(backup.members?.length ?? 1, 1);
  }

  /**
   * Waits through one describe shared by every snapshot of every set this adapter waits for, the
   * first after the first delay. A member not visible yet is pending within the visibility grace;
   * after it, the set has lost it.
   */
  waitUntilDone(backup: Backup, options: WaitOptions): Promise<Backup> {
    const members = backup.members ?? [];
    if (backup.state === 'pending') for (const member of members) this.waits.watch(member.id);
    const started = this.clock().getTime();
    const graceMs = (this.polling.visibilityGraceSeconds ?? VISIBILITY_GRACE_SECONDS) * 1000;
    return waitForBackup(backup, options, {
      polling: this.polling,
      describe: async () => {
        const read = await Promise.all(
          members.map((member) => this.waits.describe(member.id, options.signal)),
        );
        const found = read.filter((member): member is MemberRecord => member !== undefined);
        if (found.length === 0) return undefined;
        const missing = members.filter((_, index) => !read[index]).map((member) => member.id);
        if (missing.length > 0 && this.clock().getTime() - started < graceMs) {
          return { ...setBackup(found), state: 'pending' as BackupState };
        }
        return setBackup(found, missing);
      },
      label: `snapshot set ${backup.id}`,
    });
  }

  /** Deletes every snapshot of the set (`deleteSet`). */
  delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome> {
    return deleteSet(this.ec2, backup, signal);
  }

  private excluded(volume: Attached): boolean {
    return (
      (volume.boot && this.exclude.excludeBootVolume) ||
      this.exclude.excludeVolumeIds.includes(volume.volumeId)
    );
  }
}
