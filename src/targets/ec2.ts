/** What the EC2-based adapters share: tag filters (a listing's among them), snapshot deletion. */
import {
  DeleteSnapshotCommand,
  type EC2Client,
  type Filter,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { chunks } from '../chunks.js';
import { TAGS } from '../constants.js';
import type { RawBackup } from './tags.js';
import { awsErrorCode } from '../errors.js';
import { awsCall } from './aws-call.js';
import type { BackupState, DeleteOutcome } from './target.js';

/** Server-side `tag:Key=Value` filters: a resource must carry all of them. */
export function tagFilters(record: Readonly<Record<string, string>>): Filter[] {
  return Object.entries(record).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}

/**
 * The EC2 filters of one listing (`listBackups`): the set's tag, or with `sources` the source tag
 * of at most 200 of them a call (EC2's limit of values per filter), one call per batch.
 */
export function listingFilters(
  set: string,
  sources: readonly string[] | undefined,
): { Name: string; Values: string[] }[][] {
  if (!sources) return [[{ Name: `tag:${TAGS.backupSet}`, Values: [set] }]];
  return chunks([...new Set(sources)], 200).map((part) => [
    { Name: `tag:${TAGS.source}`, Values: part },
  ]);
}

/**
 * Deletes one EBS snapshot. Already gone counts as done; a snapshot still used by an image
 * (`InvalidSnapshot.InUse`) is left in place and reported, never an error that stops the run.
 */
export async function deleteSnapshot(
  ec2: EC2Client,
  snapshotId: string,
  signal?: AbortSignal,
): Promise<DeleteOutcome> {
  return awsCall<DeleteOutcome>(
    `Could not delete snapshot ${snapshotId}`,
    async () => {
      await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }), {
        abortSignal: signal,
      });
      return { result: 'deleted' };
    },
    {
      signal,
      recover: (error) => {
        const code = awsErrorCode(error);
        if (code === 'InvalidSnapshot.NotFound') return { result: 'already-gone' };
        if (code === 'InvalidSnapshot.InUse') {
          return {
            result: 'skipped',
            message: `${snapshotId} is still used by an image (InvalidSnapshot.InUse); left in place.`,
            inUse: true,
          };
        }
        // EBS snapshot lock refuses deletion until the lock expires; AWS documents no error code
        // for it, so the refusal is known by what it says.
        if (isLockRefusal(error)) {
          return {
            result: 'skipped',
            message: `${snapshotId} is locked (EBS snapshot lock), and AWS refuses to delete it until the lock expires; left in place: ${error instanceof Error ? error.message : String(error)}`,
          };
        }
        return undefined;
      },
    },
  );
}

/** A refusal whose message says the snapshot is locked (EBS snapshot lock). */
function isLockRefusal(error: unknown): boolean {
  return error instanceof Error && /\block(ed)?\b/i.test(error.message);
}

/** EBS snapshot states as the core sees them: the Recycle Bin's snapshots are no backup of the set now. */
export function snapshotState(state: string | undefined): BackupState | undefined {
  switch (state) {
    case 'completed':
      return 'completed';
    case 'error':
      return 'failed';
    case 'recoverable':
    case 'recovering':
      return undefined;
    default:
      return 'pending';
  }
}

/** What an EBS snapshot says of itself, before ownership is checked (snapshots of sets included). */
export function rawSnapshot(snapshot: Snapshot): RawBackup {
  return {
    id: snapshot.SnapshotId,
    tags: snapshot.Tags,
    state: snapshotState(snapshot.State),
    awsTime: snapshot.StartTime,
    stateMessage: snapshot.StateMessage,
    encrypted: snapshot.Encrypted,
    archived: snapshot.StorageTier === 'archive',
    // The size of the volume it was made from (a copy: of its original's volume).
    sizeGiB: snapshot.VolumeSize,
  };
}
