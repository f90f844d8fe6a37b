/**
 * `ebs-volume`: EBS snapshots of volumes. Create with tags at creation, wait with the SDK waiter,
 * list the set once with a server-side tag filter, delete one snapshot at a time.
 */
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  waitUntilSnapshotCompleted,
  type EC2Client,
  type Filter,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { TAGS } from '../constants.js';
import { awsErrorCode, CancelledError, describeAwsError, TargetError } from '../errors.js';
import { formatDuration } from '../duration.js';
import { sleep as realSleep, type Sleep } from '../sleep.js';
import { chunks, createdAtOf, fromEc2Tags, tagFilters, toEc2Tags } from './ec2-tags.js';
import type {
  Backup,
  BackupState,
  CreateRequest,
  DeleteOutcome,
  Source,
  SourceLookup,
  TargetAdapter,
  WaitOptions,
} from './target.js';

export interface EbsVolumeOptions {
  /** Waiter polling bounds in seconds (AWS's defaults: 15 to 120). */
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
  sleep?: Sleep;
  /** How long to back off after `SnapshotCreationPerVolumeRateExceeded` (AWS asks for ≥15 s). */
  rateLimitBackoffMs?: number;
}

const RATE_LIMIT_ATTEMPTS = 4;

export class EbsVolumeAdapter implements TargetAdapter {
  readonly type = 'ebs-volume' as const;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly sleep: Sleep;
  private readonly rateLimitBackoffMs: number;

  constructor(
    private readonly ec2: EC2Client,
    readonly region: string,
    options: EbsVolumeOptions = {},
  ) {
    this.minDelay = options.minDelaySeconds ?? 15;
    this.maxDelay = options.maxDelaySeconds ?? 120;
    this.sleep = options.sleep ?? realSleep;
    this.rateLimitBackoffMs = options.rateLimitBackoffMs ?? 15_000;
  }

  async findSources(
    ids: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<SourceLookup> {
    const found = new Map<string, Source>();
    const describe = async (filters: Filter[], what: string): Promise<void> => {
      try {
        for await (const page of paginateDescribeVolumes(
          { client: this.ec2 },
          { Filters: filters },
        )) {
          for (const volume of page.Volumes ?? []) {
            if (volume.VolumeId) {
              found.set(volume.VolumeId, { id: volume.VolumeId, tags: fromEc2Tags(volume.Tags) });
            }
          }
        }
      } catch (error) {
        throw new TargetError(
          describeAwsError(`Could not look up ${what} in ${this.region}`, error),
          {
            cause: error,
          },
        );
      }
    };
    // A filter (unlike VolumeIds) returns the volumes that exist instead of failing on the first missing one.
    for (const part of chunks(ids, 200)) {
      await describe([{ Name: 'volume-id', Values: part }], `volumes ${part.join(', ')}`);
    }
    if (Object.keys(tags).length > 0) await describe(tagFilters(tags), 'volumes by tags');
    return {
      found: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)),
      missing: ids.filter((id) => !found.has(id)),
    };
  }

  async listBackups(set: string): Promise<Backup[]> {
    const backups: Backup[] = [];
    const paginator = paginateDescribeSnapshots(
      { client: this.ec2, pageSize: 1000 },
      { OwnerIds: ['self'], Filters: [{ Name: `tag:${TAGS.backupSet}`, Values: [set] }] },
    );
    try {
      for await (const page of paginator) {
        for (const snapshot of page.Snapshots ?? []) {
          const backup = this.toBackup(snapshot);
          // Only snapshots that carry both ownership tags belong to the set (DESIGN §4).
          if (backup && backup.set === set) backups.push(backup);
        }
      }
    } catch (error) {
      throw new TargetError(
        describeAwsError(
          `Could not list the snapshots of backup set '${set}' in ${this.region}`,
          error,
        ),
        { cause: error },
      );
    }
    return backups;
  }

  async create({ source, set, tags, signal }: CreateRequest): Promise<Backup> {
    const command = new CreateSnapshotCommand({
      VolumeId: source.id,
      Description: `snapshot-rotation backup-set=${set} source=${source.id}`,
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: toEc2Tags(tags) }],
    });
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) throw new CancelledError();
      try {
        const snapshot = await this.ec2.send(command, { abortSignal: signal });
        // The tags were set by this very call; an answer without them still names our snapshot.
        const backup = this.toBackup({
          ...snapshot,
          Tags: snapshot.Tags?.length ? snapshot.Tags : toEc2Tags(tags),
        });
        if (!backup) throw new Error(`CreateSnapshot returned no snapshot id for ${source.id}`);
        return backup;
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        const code = awsErrorCode(error);
        if (code === 'SnapshotCreationPerVolumeRateExceeded' && attempt < RATE_LIMIT_ATTEMPTS) {
          await this.sleep(this.rateLimitBackoffMs, signal);
          continue;
        }
        if (code === 'ConcurrentSnapshotLimitExceeded') {
          throw new TargetError(
            `Could not snapshot ${source.id}: too many snapshots of this volume are in progress (ConcurrentSnapshotLimitExceeded); a later run will try again.`,
            { cause: error },
          );
        }
        throw new TargetError(describeAwsError(`Could not snapshot ${source.id}`, error), {
          cause: error,
        });
      }
    }
  }

  async waitUntilDone(backup: Backup, { maxWaitSeconds, signal }: WaitOptions): Promise<Backup> {
    if (backup.state !== 'pending') return backup;
    try {
      await waitUntilSnapshotCompleted(
        {
          client: this.ec2,
          minDelay: this.minDelay,
          maxDelay: this.maxDelay,
          // The waiter requires its budget to exceed its first delay; the caller's deadline still rules.
          maxWaitTime: Math.max(Math.ceil(maxWaitSeconds), this.minDelay + 1),
          ...(signal ? { abortSignal: signal } : {}),
        },
        { SnapshotIds: [backup.id] },
      );
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      // The waiter retries on any describe error until it times out: ask once more to tell why.
      const current = await this.describe(backup.id, signal).catch((describeError: unknown) => {
        throw new TargetError(
          describeAwsError(
            `Could not read snapshot ${backup.id} while waiting for it`,
            describeError,
          ),
          { cause: describeError },
        );
      });
      if (current?.state === 'failed') return current;
      if (!current) {
        throw new TargetError(
          `Snapshot ${backup.id} of ${backup.sourceId} disappeared while waiting for it.`,
        );
      }
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new TargetError(
          `Snapshot ${backup.id} of ${backup.sourceId} did not complete within ${formatDuration(maxWaitSeconds * 1000)} (wait-timeout); it is left in place and later runs will count it once it completes.`,
        );
      }
      throw new TargetError(describeAwsError(`Waiting for snapshot ${backup.id} failed`, error), {
        cause: error,
      });
    }
    try {
      return (await this.describe(backup.id, signal)) ?? { ...backup, state: 'completed' };
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      throw new TargetError(
        describeAwsError(`Could not read snapshot ${backup.id} after it completed`, error),
        { cause: error },
      );
    }
  }

  async delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome> {
    try {
      await this.ec2.send(new DeleteSnapshotCommand({ SnapshotId: backup.id }), {
        abortSignal: signal,
      });
      return { result: 'deleted' };
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      const code = awsErrorCode(error);
      if (code === 'InvalidSnapshot.NotFound') return { result: 'already-gone' };
      if (code === 'InvalidSnapshot.InUse') {
        return {
          result: 'skipped',
          message: `${backup.id} is still used by an image (InvalidSnapshot.InUse); left in place.`,
        };
      }
      throw new TargetError(describeAwsError(`Could not delete snapshot ${backup.id}`, error), {
        cause: error,
      });
    }
  }

  private async describe(id: string, signal?: AbortSignal): Promise<Backup | undefined> {
    const response = await this.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }), {
      abortSignal: signal,
    });
    const snapshot = response.Snapshots?.[0];
    return snapshot ? this.toBackup(snapshot) : undefined;
  }

  private toBackup(snapshot: Snapshot): Backup | undefined {
    const tags = fromEc2Tags(snapshot.Tags);
    const sourceId = tags[TAGS.source];
    const set = tags[TAGS.backupSet];
    if (!snapshot.SnapshotId || !sourceId || !set) return undefined;
    return {
      id: snapshot.SnapshotId,
      kind: this.type,
      region: this.region,
      sourceId,
      set,
      createdAt: createdAtOf(tags[TAGS.createdAt], snapshot.StartTime),
      state: snapshotState(snapshot.State),
      ...(snapshot.StateMessage ? { stateMessage: snapshot.StateMessage } : {}),
      tags,
    };
  }
}

function snapshotState(state: string | undefined): BackupState {
  if (state === 'completed') return 'completed';
  if (state === 'error') return 'failed';
  return 'pending';
}
