/**
 * `ec2-image`: AMIs of instances, without reboot by default. The image and its snapshots are tagged
 * at creation (`TagSpecifications` for `image` and `snapshot`, on CreateImage and CopyImage alike).
 * Pruning deregisters the image together with its snapshots (ami-snapshots.ts).
 */
import { systemClock, type Clock } from '../clock.js';
import { CopyImageCommand, CreateImageCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { TAGS } from '../constants.js';
import { imageName } from '../naming.js';
import { CancelledError, copySlotsRefusal, hasAwsCode, TargetError } from '../errors.js';
import { sleep as realSleep, type Sleep } from '../sleep.js';
import { awsCall } from './aws-call.js';
import {
  deregisterWithSnapshots,
  leftBehind,
  listImageSnapshots,
  recoverImageTags,
} from './ami-snapshots.js';
import { deleteSnapshot, listingFilters } from './ec2.js';
import { findEc2Sources } from './ec2-sources.js';
import { INSTANCES } from './ec2-instances.js';
import { ImageRecords } from './image-records.js';
import { acceptedCopy, collectSet, createdAtOf, toAwsTags } from './tags.js';
import type {
  Backup,
  CopyRequest,
  CreateRequest,
  DeleteOutcome,
  SourceLookup,
  TargetAdapter,
  WaitOptions,
} from './target.js';
import {
  adoptRequested,
  batchedWaits,
  findWithin,
  type BatchedDescribe,
  VISIBILITY_GRACE_SECONDS,
  waitForBackup,
  type PollingOptions,
} from './wait.js';

export interface Ec2ImageOptions extends PollingOptions {
  /** `no-reboot`: true leaves the instance running (crash-consistent image). */
  noReboot: boolean;
  /** How long `InvalidSnapshot.InUse` is retried after deregistering an image. */
  inUseRetrySeconds?: number;
  sleep?: Sleep;
}

export class Ec2ImageAdapter implements TargetAdapter {
  readonly type = 'ec2-image' as const;
  private readonly images: ImageRecords;
  private readonly waits: BatchedDescribe;
  private readonly sleep: Sleep;
  private readonly clock: Clock;

  constructor(
    private readonly ec2: EC2Client,
    readonly region: string,
    private readonly options: Ec2ImageOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.images = new ImageRecords(ec2, region, this.clock);
    this.waits = batchedWaits(
      (ids, signal) => this.images.describeMany(ids, signal),
      options,
      this.clock,
    );
    this.sleep = options.sleep ?? realSleep;
  }

  findSources(
    ids: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<SourceLookup> {
    return findEc2Sources(this.ec2, this.region, INSTANCES, ids, tags);
  }

  /**
   * The set's images, and the snapshots that an interrupted prune left behind: a run killed between
   * deregistering an image and deleting its snapshots leaves them tagged with the set and pointing
   * at an image that no longer exists. They come back as failed backups, which retention deletes.
   * The snapshots are listed before the images (ami-snapshots.ts), so that an image registered
   * between the two listings is never taken for gone (its snapshots come into being with it); a
   * snapshot still used by some image is refused by AWS (`InvalidSnapshot.InUse`) and left in place.
   */
  async listBackups(set: string, sources?: readonly string[]): Promise<Backup[]> {
    const what = `the images of backup set '${set}' in ${this.region}`;
    const imageSnapshots = await listImageSnapshots(
      this.ec2,
      this.type,
      this.region,
      set,
      this.clock,
      sources,
    );
    const images = this.images;
    async function* pages() {
      for (const filters of listingFilters(set, sources)) yield* images.pages(filters);
    }
    const listed = await collectSet(pages(), set, what, sources);
    return [...listed, ...leftBehind(imageSnapshots, listed)];
  }

  /**
   * CreateImage, tagged at creation. The name is derived from set, source and time, so a request
   * that the SDK sent again after a lost answer meets `InvalidAMIName.Duplicate`: the image of that
   * name is then adopted when its tags say it is this very backup, never a second one made.
   */
  async create({ source, set, tags, signal }: CreateRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const createdAt = createdAtOf(tags[TAGS.createdAt], undefined, this.clock);
    const name = imageName(set, source.id, createdAt);
    const made = await awsCall<string | Backup | undefined>(
      `Could not create an image of ${source.id}`,
      async () => {
        const response = await this.ec2.send(
          new CreateImageCommand({
            InstanceId: source.id,
            Name: name,
            Description: `snapshot-rotation backup-set=${set} source=${source.id}`,
            NoReboot: this.options.noReboot,
            TagSpecifications: imageAndSnapshotTags(tags),
          }),
          { abortSignal: signal },
        );
        return response.ImageId;
      },
      {
        signal,
        recover: (error) =>
          hasAwsCode(error, 'InvalidAMIName.Duplicate')
            ? adoptRequested(() => this.images.byName(name, signal), tags, this.options, signal)
            : undefined,
      },
    );
    if (typeof made === 'object') return made;
    const imageId = made;
    if (!imageId) throw new TargetError(`CreateImage returned no image id for ${source.id}.`);
    this.images.gave(imageId, tags);
    return {
      id: imageId,
      kind: this.type,
      region: this.region,
      sourceId: source.id,
      set,
      createdAt,
      state: 'pending',
      tags: { ...tags },
    };
  }

  /**
   * CopyImage, called in this (the destination) region, the copy and its snapshots tagged at
   * creation. The ClientToken makes a request the SDK sends again return the same copy.
   */
  async copy({ original, tags, kmsKeyId, clientToken, signal }: CopyRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const encrypted = original.encrypted === true;
    const imageId = await awsCall(
      `Could not copy image ${original.id} to ${this.region}`,
      async () => {
        const answer = await this.ec2.send(
          new CopyImageCommand({
            SourceRegion: original.region,
            SourceImageId: original.id,
            Name: imageName(original.set, original.sourceId, original.createdAt),
            Description: `snapshot-rotation copy of ${original.id} from ${original.region} (source=${original.sourceId})`,
            ClientToken: clientToken,
            ...(encrypted && kmsKeyId ? { Encrypted: true, KmsKeyId: kmsKeyId } : {}),
            TagSpecifications: imageAndSnapshotTags(tags),
          }),
          { abortSignal: signal },
        );
        return answer.ImageId;
      },
      { signal, refusal: copySlotsRefusal },
    );
    const copy = acceptedCopy(this.type, this.region, imageId, tags, original, this.clock);
    this.images.gave(copy.id, tags);
    return copy;
  }

  /**
   * With `no-reboot`, EC2 starts an image's snapshots after CreateImage returns: the image's point
   * in time is fixed once DescribeImages names its snapshots (read within the visibility grace).
   */
  async pointInTimeFixed(backup: Backup, signal?: AbortSignal): Promise<void> {
    const named = await findWithin(
      async () =>
        (await this.images.read(backup.id, signal))?.snapshotIds.length ? true : undefined,
      this.options.visibilityGraceSeconds ?? VISIBILITY_GRACE_SECONDS,
      this.sleep,
      signal,
    );
    if (!named) {
      throw new TargetError(
        `Image ${backup.id} named no snapshot within the visibility grace; its point in time is unknown.`,
      );
    }
  }

  copySlots(backup: Backup): number {
    return Math.max(this.images.known(backup.id)?.snapshotIds.length ?? 1, 1);
  }

  async waitUntilDone(backup: Backup, options: WaitOptions): Promise<Backup> {
    if (backup.state === 'pending') this.waits.watch(backup.id);
    const done = await waitForBackup(backup, options, {
      polling: this.options,
      // One describe shared by every image this adapter waits for (new or copied), the first
      // after the first delay: images made within it are read together from then on.
      describe: () => this.waits.describe(backup.id, options.signal),
      label: `image ${backup.id}`,
    });
    const lostTags = done.state === 'completed' ? this.images.tagsToRecover(done) : undefined;
    if (lostTags) {
      await recoverImageTags(
        this.ec2,
        done.id,
        this.images.known(done.id)?.snapshotIds ?? [],
        lostTags,
        options.warn,
        options.signal,
      );
    }
    return done;
  }

  async delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome> {
    // A snapshot left behind by an interrupted prune: only it is left to delete.
    if (backup.id.startsWith('snap-')) return deleteSnapshot(this.ec2, backup.id, signal);
    // A listing made while the image was pending may not name its snapshots yet: read it again then.
    const known = this.images.known(backup.id);
    const details = known?.snapshotIds.length ? known : await this.images.read(backup.id, signal);
    if (details?.deregistrationProtected) {
      return {
        result: 'skipped',
        message: `${backup.id} has deregistration protection on; left in place (turn it off to let pruning remove it).`,
      };
    }
    return deregisterWithSnapshots(this.ec2, backup.id, details?.snapshotIds ?? [], {
      signal,
      sleep: this.sleep,
      ...(this.options.inUseRetrySeconds !== undefined
        ? { inUseRetrySeconds: this.options.inUseRetrySeconds }
        : {}),
    });
  }
}

/** The tags of a new image and of its snapshots, applied by the create or copy call itself. */
function imageAndSnapshotTags(tags: Readonly<Record<string, string>>) {
  const list = toAwsTags(tags);
  return [
    { ResourceType: 'image' as const, Tags: list },
    { ResourceType: 'snapshot' as const, Tags: list },
  ];
}
