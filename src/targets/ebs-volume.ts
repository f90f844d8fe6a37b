/**
 * `ebs-volume`: EBS snapshots of volumes. Create with tags at creation, wait with the SDK waiter,
 * list the set once with a server-side tag filter, delete one snapshot at a time.
 */
import { systemClock, type Clock } from '../clock.js';
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  type EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { TAGS } from '../constants.js';
import {
  awsErrorCode,
  CancelledError,
  copySlotsRefusal,
  describeAwsError,
  TargetError,
} from '../errors.js';
import { sleep as realSleep, type Sleep } from '../sleep.js';
import { awsCall } from './aws-call.js';
import { chunks } from '../chunks.js';
import { deleteSnapshot, listingFilters, rawSnapshot } from './ec2.js';
import { findEc2Sources, type Ec2SourceKind } from './ec2-sources.js';
import { acceptedCopy, collectSet, ownedBackup, toAwsTags } from './tags.js';
import { batchedWaits, type BatchedDescribe, waitForBackup, type PollingOptions } from './wait.js';
import type {
  Backup,
  CopyRequest,
  CreateRequest,
  DeleteOutcome,
  SourceLookup,
  TargetAdapter,
  WaitOptions,
} from './target.js';

export interface EbsVolumeOptions extends PollingOptions {
  sleep?: Sleep;
  /**
   * The first back-off after `SnapshotCreationPerVolumeRateExceeded` or
   * `ConcurrentSnapshotLimitExceeded` (AWS asks for ≥15 s); each next one is longer by as much.
   */
  rateLimitBackoffMs?: number;
}

const RATE_LIMIT_ATTEMPTS = 4;

export class EbsVolumeAdapter implements TargetAdapter {
  readonly type = 'ebs-volume' as const;
  private readonly polling: PollingOptions;
  private readonly sleep: Sleep;
  private readonly clock: Clock;
  private readonly rateLimitBackoffMs: number;
  private readonly waits: BatchedDescribe;
  /** Snapshots whose CreateSnapshot the SDK sent more than once (a lost answer, then a retry). */
  private readonly retried = new Set<string>();

  constructor(
    private readonly ec2: EC2Client,
    readonly region: string,
    options: EbsVolumeOptions = {},
  ) {
    this.polling = options;
    this.sleep = options.sleep ?? realSleep;
    this.rateLimitBackoffMs = options.rateLimitBackoffMs ?? 15_000;
    this.clock = options.clock ?? systemClock;
    this.waits = batchedWaits((ids, signal) => this.describeMany(ids, signal), options, this.clock);
  }

  findSources(
    ids: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<SourceLookup> {
    return findEc2Sources(this.ec2, this.region, VOLUMES, ids, tags);
  }

  listBackups(set: string, sources?: readonly string[]): Promise<Backup[]> {
    const ec2 = this.ec2;
    const toBackup = (snapshot: Snapshot) => this.toBackup(snapshot);
    async function* pages() {
      for (const Filters of listingFilters(set, sources)) {
        const paginator = paginateDescribeSnapshots(
          { client: ec2, pageSize: 1000 },
          { OwnerIds: ['self'], Filters },
        );
        for await (const page of paginator) yield (page.Snapshots ?? []).map(toBackup);
      }
    }
    return collectSet(
      pages(),
      set,
      `the snapshots of backup set '${set}' in ${this.region}`,
      sources,
    );
  }

  async create({ source, set, tags, signal }: CreateRequest): Promise<Backup> {
    const command = new CreateSnapshotCommand({
      VolumeId: source.id,
      Description: `snapshot-rotation backup-set=${set} source=${source.id}`,
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: toAwsTags(tags) }],
    });
    let waitedMs = 0;
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) throw new CancelledError();
      try {
        const snapshot = await this.ec2.send(command, { abortSignal: signal });
        // The tags were set by this very call; an answer without them still names our snapshot.
        const backup = this.toBackup({
          ...snapshot,
          Tags: snapshot.Tags?.length ? snapshot.Tags : toAwsTags(tags),
        });
        if (!backup) throw new Error(`CreateSnapshot returned no snapshot id for ${source.id}`);
        // CreateSnapshot takes no idempotency token: an attempt whose answer was lost may have
        // made a snapshot too, found by strays() once this one is done.
        if ((snapshot.$metadata?.attempts ?? 1) > 1) this.retried.add(backup.id);
        return backup;
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        const code = awsErrorCode(error);
        // Per-volume limits, which the SDK does not retry: waited out a few times, then this
        // volume alone is reported (its earlier snapshots may take hours to finish).
        const perVolume =
          code === 'SnapshotCreationPerVolumeRateExceeded' ||
          code === 'ConcurrentSnapshotLimitExceeded';
        if (perVolume && attempt < RATE_LIMIT_ATTEMPTS) {
          await this.sleep(this.rateLimitBackoffMs * attempt, signal);
          waitedMs += this.rateLimitBackoffMs * attempt;
          continue;
        }
        if (code === 'ConcurrentSnapshotLimitExceeded') {
          throw new TargetError(
            `Could not snapshot ${source.id}: too many snapshots of this volume are still in progress (ConcurrentSnapshotLimitExceeded, after waiting ${Math.round(waitedMs / 1000)} s); a later run will try again.`,
            { cause: error },
          );
        }
        throw new TargetError(describeAwsError(`Could not snapshot ${source.id}`, error), {
          cause: error,
        });
      }
    }
  }

  /**
   * CopySnapshot, called in this (the destination) region; the SDK presigns the request for the
   * source region. An encrypted snapshot is copied with the given key, else the region's default.
   */
  async copy({ original, tags, kmsKeyId, signal }: CopyRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const encrypted = original.encrypted === true;
    const what = `Could not copy snapshot ${original.id} to ${this.region}`;
    return awsCall(
      what,
      async () => {
        const answer = await this.ec2.send(
          new CopySnapshotCommand({
            SourceRegion: original.region,
            SourceSnapshotId: original.id,
            Description: `snapshot-rotation copy of ${original.id} from ${original.region} (source=${original.sourceId})`,
            ...(encrypted && kmsKeyId ? { Encrypted: true, KmsKeyId: kmsKeyId } : {}),
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: toAwsTags(tags) }],
          }),
          { abortSignal: signal },
        );
        const copy = acceptedCopy(
          this.type,
          this.region,
          answer.SnapshotId,
          tags,
          original,
          this.clock,
        );
        // CopySnapshot takes no idempotency token either: see strays().
        if ((answer.$metadata?.attempts ?? 1) > 1) this.retried.add(copy.id);
        return copy;
      },
      { signal, refusal: copySlotsRefusal },
    );
  }

  copySlots(): number {
    return 1;
  }

  /**
   * Waits through one describe shared by every snapshot this adapter waits for (new or copied),
   * the first after the first delay: snapshots made within it are read together from then on.
   */
  waitUntilDone(backup: Backup, options: WaitOptions): Promise<Backup> {
    if (backup.state === 'pending') this.waits.watch(backup.id);
    return waitForBackup(backup, options, {
      polling: this.polling,
      describe: () => this.waits.describe(backup.id, options.signal),
      label: `snapshot ${backup.id}`,
    });
  }

  /** The snapshots that still exist among `ids`, read by a `snapshot-id` filter of ≤200 values. */
  private async describeMany(ids: string[], signal?: AbortSignal): Promise<Backup[]> {
    const found: Backup[] = [];
    for (const part of chunks(ids, 200)) {
      const pages = paginateDescribeSnapshots(
        { client: this.ec2, pageSize: 1000 },
        { OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: part }] },
        { abortSignal: signal },
      );
      for await (const page of pages) {
        for (const snapshot of page.Snapshots ?? []) {
          const backup = this.toBackup(snapshot);
          if (backup) found.push(backup);
        }
      }
    }
    return found;
  }

  delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome> {
    return deleteSnapshot(this.ec2, backup.id, signal);
  }

  /**
   * The other snapshots a retried CreateSnapshot (or CopySnapshot) made: same set, source,
   * `created-at` and `copy-of` tags (the retry sends the very same tags), another id. No call at all
   * unless the request was sent more than once.
   */
  async strays(backup: Backup, signal?: AbortSignal): Promise<Backup[]> {
    const createdAt = backup.tags[TAGS.createdAt];
    if (!this.retried.has(backup.id) || !createdAt) return [];
    const found: Backup[] = [];
    const retried = backup.copyOf ? 'copy' : 'create';
    await awsCall(
      `Could not look for duplicates of ${backup.id} after a retried ${retried}`,
      async () => {
        const pages = paginateDescribeSnapshots(
          { client: this.ec2, pageSize: 1000 },
          {
            OwnerIds: ['self'],
            Filters: [
              { Name: `tag:${TAGS.backupSet}`, Values: [backup.set] },
              { Name: `tag:${TAGS.createdAt}`, Values: [createdAt] },
            ],
          },
          { abortSignal: signal },
        );
        for await (const page of pages) {
          for (const snapshot of page.Snapshots ?? []) {
            const other = this.toBackup(snapshot);
            // A twin of a backup is no copy; a twin of a copy is a copy of the same original.
            const twin =
              other &&
              other.id !== backup.id &&
              other.sourceId === backup.sourceId &&
              other.copyOf === backup.copyOf;
            if (twin) found.push(other);
          }
        }
      },
      { signal },
    );
    return found;
  }

  private toBackup(snapshot: Snapshot): Backup | undefined {
    return ownedBackup(this.type, this.region, this.clock, {
      ...rawSnapshot(snapshot),
      // A copy's VolumeId is a placeholder (vol-ffffffff): a copy is only the set's by `copy-of`.
      madeFrom: snapshot.VolumeId,
    });
  }
}

export const VOLUMES: Ec2SourceKind = {
  idFilter: 'volume-id',
  noun: 'volumes',
  async *pages(ec2, filters) {
    for await (const page of paginateDescribeVolumes({ client: ec2 }, { Filters: filters })) {
      yield (page.Volumes ?? []).map((volume) => ({
        id: volume.VolumeId,
        tags: volume.Tags,
        // Where a quiesce command runs (a Multi-Attach volume: its first instance).
        instanceId: volume.Attachments?.find((a) => a.State === 'attached')?.InstanceId,
      }));
    }
  },
};
