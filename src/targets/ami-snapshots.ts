/**
 * The EBS snapshots behind an AMI: deregistering an image together with its snapshots, making sure
 * none is left behind, and recognising the snapshots that an interrupted prune did leave behind.
 */
import type { Clock } from '../clock.js';
import {
  CreateTagsCommand,
  DeregisterImageCommand,
  paginateDescribeSnapshots,
  type DeleteSnapshotReturnCode,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { TargetType } from '../constants.js';
import { awsErrorCode, CancelledError, describeAwsError, TargetError } from '../errors.js';
import { sleep as realSleep, type Sleep } from '../sleep.js';
import { deleteSnapshot, listingFilters } from './ec2.js';
import { collectSet, ownedBackup, toAwsTags } from './tags.js';
import type { Backup, DeleteOutcome } from './target.js';

/**
 * How long a snapshot that still answers `InvalidSnapshot.InUse` right after its image was
 * deregistered is tried again: AWS may take a little while to release it (observed, undocumented).
 */
export const IN_USE_RETRY_SECONDS = 60;

export interface DeregisterOptions {
  /** How long `InvalidSnapshot.InUse` is retried after deregistration (default 60 s). */
  inUseRetrySeconds?: number;
  sleep?: Sleep;
  signal?: AbortSignal | undefined;
}

/**
 * Deregisters an image with `DeleteAssociatedSnapshots`, so AWS deletes its snapshots in the same
 * call, then makes sure each one is gone: a snapshot AWS did not delete (its answer says
 * `missing-permissions`, `internal-error`, `client-error`, or names no result at all) is deleted
 * with `DeleteSnapshot`, retrying `InvalidSnapshot.InUse` for a bounded time. A snapshot that
 * another image still uses (`skipped`, or still in use after the retries) is left in place and
 * named in the outcome, never an error; the next run finds it as left behind and tries again.
 *
 * Once the image is gone nothing but the set's tags lists its snapshots again, so every snapshot is
 * tried, even after a cancellation, and those that could not be deleted fail the call together.
 */
export async function deregisterWithSnapshots(
  ec2: EC2Client,
  imageId: string,
  snapshotIds: readonly string[],
  options: DeregisterOptions = {},
): Promise<DeleteOutcome> {
  const { signal } = options;
  let gone = false;
  let results: DeleteSnapshotReturnCode[] = [];
  try {
    const answer = await ec2.send(
      new DeregisterImageCommand({ ImageId: imageId, DeleteAssociatedSnapshots: true }),
      { abortSignal: signal },
    );
    results = answer.DeleteSnapshotResults ?? [];
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    const code = awsErrorCode(error);
    if (code !== 'InvalidAMIID.NotFound' && code !== 'InvalidAMIID.Unavailable') {
      throw new TargetError(describeAwsError(`Could not deregister image ${imageId}`, error), {
        cause: error,
      });
    }
    gone = true;
  }
  const returned = new Map(results.map((result) => [result.SnapshotId, result.ReturnCode]));
  const notes: string[] = [];
  const leftBehind: string[] = [];
  for (const snapshotId of snapshotIds) {
    const code = returned.get(snapshotId);
    if (code === 'success') {
      notes.push(`${snapshotId} deleted`);
      continue;
    }
    if (code === 'skipped') {
      notes.push(`${snapshotId} is still used by another image; left in place`);
      continue;
    }
    try {
      const outcome = await deleteReleased(ec2, snapshotId, options);
      notes.push(
        outcome.result === 'skipped'
          ? outcome.message
          : `${snapshotId} ${outcome.result === 'deleted' ? 'deleted' : 'already gone'}`,
      );
    } catch (error) {
      leftBehind.push(`${snapshotId} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (leftBehind.length > 0) {
    throw new TargetError(
      `Image ${imageId} was deregistered, but these of its snapshots could not be deleted and are left behind (the next run tries again): ${leftBehind.join('; ')}`,
    );
  }
  const message = notes.length > 0 ? `snapshots: ${notes.join('; ')}` : undefined;
  return {
    result: gone ? 'already-gone' : 'deleted',
    ...(message ? { message } : {}),
  };
}

/**
 * Deletes a snapshot whose image was just deregistered, waiting out `InvalidSnapshot.InUse` with
 * doubling pauses (1 s, 2 s, 4 s … at `scale` 1) for at most `inUseRetrySeconds`.
 */
async function deleteReleased(
  ec2: EC2Client,
  snapshotId: string,
  { inUseRetrySeconds = IN_USE_RETRY_SECONDS, sleep = realSleep }: DeregisterOptions,
): Promise<DeleteOutcome> {
  const budgetMs = inUseRetrySeconds * 1000;
  let pauseMs = Math.max(budgetMs / 60, 1);
  let waitedMs = 0;
  for (;;) {
    // No abort signal: a cancelled run still finishes what it started (see above).
    const outcome = await deleteSnapshot(ec2, snapshotId);
    // Only InUse may pass: a locked snapshot stays locked for days.
    const inUse = outcome.result === 'skipped' && outcome.inUse === true;
    if (!inUse || waitedMs + pauseMs > budgetMs) return outcome;
    await sleep(pauseMs);
    waitedMs += pauseMs;
    pauseMs *= 2;
  }
}

/**
 * Tags an image and its snapshots after the fact. Only a recovery: the action tags both at creation
 * (`TagSpecifications` on CreateImage and CopyImage); this serves an image that came back without
 * them, so that no run ever loses track of it. A refusal is a warning: the image still owns its
 * snapshots, and deregistering it deletes them.
 */
export async function recoverImageTags(
  ec2: EC2Client,
  imageId: string,
  snapshotIds: readonly string[],
  tags: Readonly<Record<string, string>>,
  warn: ((message: string) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await ec2.send(
      new CreateTagsCommand({ Resources: [imageId, ...snapshotIds], Tags: toAwsTags(tags) }),
      { abortSignal: signal },
    );
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    warn?.(
      describeAwsError(
        `Image ${imageId} came back without the tags it was created with, and tagging it and its snapshots (${snapshotIds.join(', ') || 'none named yet'}) afterwards failed; no run will count it, so deregister it by hand`,
        error,
      ),
    );
  }
}

/**
 * The image a snapshot was made for, from the description AWS gives it: `Created by
 * CreateImage(i-…) for ami-…`, or for a copied image `Copied for DestinationAmi ami-… from
 * SourceAmi ami-…` (moto: `Auto-created snapshot for AMI ami-…`).
 */
export function imageOfSnapshot(description: string | undefined): string | undefined {
  if (!description) return undefined;
  return (
    /DestinationAmi (ami-[0-9a-zA-Z]+)/.exec(description)?.[1] ??
    /\bfor (?:AMI )?(ami-[0-9a-zA-Z]+)/.exec(description)?.[1]
  );
}

/**
 * The set's snapshots that were made for an image, each as a failed backup whose `stateMessage`
 * names its image (`leftBehind` keeps those whose image is gone). Listed before the images, so that
 * an image registered between the two listings is never taken for gone.
 */
export async function listImageSnapshots(
  ec2: EC2Client,
  kind: TargetType,
  region: string,
  set: string,
  clock: Clock,
  sources?: readonly string[],
): Promise<Backup[]> {
  async function* pages() {
    for (const Filters of listingFilters(set, sources)) {
      const paginator = paginateDescribeSnapshots(
        { client: ec2, pageSize: 1000 },
        { OwnerIds: ['self'], Filters },
      );
      for await (const page of paginator) {
        yield (page.Snapshots ?? []).map((snapshot) => {
          const owned = ownedBackup(kind, region, clock, {
            id: snapshot.SnapshotId,
            tags: snapshot.Tags,
            state: 'failed',
            awsTime: snapshot.StartTime,
          });
          const imageId = imageOfSnapshot(snapshot.Description);
          return owned && imageId ? { ...owned, stateMessage: imageId } : undefined;
        });
      }
    }
  }
  return collectSet(pages(), set, `the snapshots of backup set '${set}' in ${region}`, sources);
}

/**
 * The snapshots whose image is no longer registered: left behind by a prune cut short between
 * deregistering and deleting them. They come back as failed backups, which retention deletes.
 */
export function leftBehind(imageSnapshots: readonly Backup[], images: readonly Backup[]): Backup[] {
  const registered = new Set(images.map((image) => image.id));
  return imageSnapshots
    .filter((snapshot) => !registered.has(snapshot.stateMessage ?? ''))
    .map((snapshot) => ({
      ...snapshot,
      stateMessage: `snapshot left behind by ${snapshot.stateMessage ?? 'an image'}, which is no longer registered (an interrupted prune)`,
    }));
}
