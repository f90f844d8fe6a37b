/**
 * `ec2-image`: AMIs of instances, without reboot by default. The image is tagged at creation; its
 * snapshots get the same tags in one CreateTags call once the image names them. Pruning deregisters
 * the image, then deletes the snapshots that backed it.
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  type EC2Client,
  type Filter,
  type Image,
} from '@aws-sdk/client-ec2';
import { TAGS } from '../constants.js';
import { imageName } from '../naming.js';
import {
  awsErrorCode,
  CancelledError,
  describeAwsError,
  hasAwsCode,
  TargetError,
} from '../errors.js';
import { chunks, deleteSnapshot, findEc2Sources } from './ec2.js';
import {
  acceptedCopy,
  collectSet,
  createdAtOf,
  fromAwsTags,
  ownedBackup,
  toAwsTags,
} from './tags.js';
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
import { BatchedDescribe, freshFor, waitForBackup, type PollingOptions } from './wait.js';

export interface Ec2ImageOptions extends PollingOptions {
  /** `no-reboot`: true leaves the instance running (crash-consistent image). */
  noReboot: boolean;
}

/** What pruning needs to know of an image beyond the normalized record. */
interface ImageDetails {
  snapshotIds: string[];
  deregistrationProtected: boolean;
}

/** Instances that can be imaged; terminated ones linger in describe answers for a while. */
const LIVE_INSTANCES: Filter = {
  Name: 'instance-state-name',
  Values: ['pending', 'running', 'stopping', 'stopped'],
};

export class Ec2ImageAdapter implements TargetAdapter {
  readonly type = 'ec2-image' as const;
  private readonly details = new Map<string, ImageDetails>();
  private readonly snapshotsTagged = new Set<string>();
  private readonly waits: BatchedDescribe;

  constructor(
    private readonly ec2: EC2Client,
    readonly region: string,
    private readonly options: Ec2ImageOptions,
  ) {
    this.waits = new BatchedDescribe((ids) => this.describeMany(ids), freshFor(options));
  }

  findSources(
    ids: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<SourceLookup> {
    return findEc2Sources(ids, tags, {
      idFilter: 'instance-id',
      noun: 'instances',
      region: this.region,
      pages: (filters) => instancePages(this.ec2, [...filters, LIVE_INSTANCES]),
    });
  }

  /**
   * The set's images, and the snapshots that an interrupted prune left behind: a run killed between
   * deregistering an image and deleting its snapshots leaves them tagged with the set and pointing
   * at an image that no longer exists. They come back as failed backups, which retention deletes.
   * The snapshots are listed before the images, so that an image registered between the two
   * listings is never taken for gone (its snapshots are tagged only once it exists); a snapshot
   * still used by some image is refused by AWS (`InvalidSnapshot.InUse`) and left in place.
   */
  async listBackups(set: string): Promise<Backup[]> {
    const ec2 = this.ec2;
    const what = `the images of backup set '${set}' in ${this.region}`;
    const region = this.region;
    const kind = this.type;
    async function* snapshotPages() {
      const paginator = paginateDescribeSnapshots(
        { client: ec2, pageSize: 1000 },
        { OwnerIds: ['self'], Filters: [{ Name: `tag:${TAGS.backupSet}`, Values: [set] }] },
      );
      for await (const page of paginator) {
        yield (page.Snapshots ?? []).map((snapshot) => {
          const owned = ownedBackup(kind, region, {
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
    const imageSnapshots = await collectSet(
      snapshotPages(),
      set,
      `the snapshots of backup set '${set}' in ${this.region}`,
    );
    const toBackup = (image: Image) => this.toBackup(image);
    async function* pages() {
      const paginator = paginateDescribeImages(
        { client: ec2, pageSize: 1000 },
        {
          Owners: ['self'],
          // Disabled and deprecated images still hold snapshots: list them so none is orphaned.
          IncludeDisabled: true,
          IncludeDeprecated: true,
          Filters: [{ Name: `tag:${TAGS.backupSet}`, Values: [set] }],
        },
      );
      for await (const page of paginator) yield (page.Images ?? []).map(toBackup);
    }
    const images = await collectSet(pages(), set, what);
    const registered = new Set(images.map((image) => image.id));
    const leftBehind = imageSnapshots
      .filter((snapshot) => !registered.has(snapshot.stateMessage ?? ''))
      .map((snapshot) => ({
        ...snapshot,
        stateMessage: `snapshot left behind by ${snapshot.stateMessage ?? 'an image'}, which is no longer registered (an interrupted prune)`,
      }));
    return [...images, ...leftBehind];
  }

  async create({ source, set, tags, signal, warn }: CreateRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const createdAt = createdAtOf(tags[TAGS.createdAt], undefined);
    let imageId: string | undefined;
    try {
      const response = await this.ec2.send(
        new CreateImageCommand({
          InstanceId: source.id,
          Name: imageName(set, source.id, createdAt),
          Description: `snapshot-rotation backup-set=${set} source=${source.id}`,
          NoReboot: this.options.noReboot,
          TagSpecifications: [{ ResourceType: 'image', Tags: toAwsTags(tags) }],
        }),
        { abortSignal: signal },
      );
      imageId = response.ImageId;
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      throw new TargetError(describeAwsError(`Could not create an image of ${source.id}`, error), {
        cause: error,
      });
    }
    if (!imageId) throw new TargetError(`CreateImage returned no image id for ${source.id}.`);
    const backup: Backup = {
      id: imageId,
      kind: this.type,
      region: this.region,
      sourceId: source.id,
      set,
      createdAt,
      state: 'pending',
      tags: { ...tags },
    };
    // The image may already name its snapshots; if not, they are tagged once it is available.
    const current = await this.describe(imageId, signal).catch(() => undefined);
    if (current) await this.tagSnapshots(current, warn, signal);
    return current ?? backup;
  }

  /**
   * CopyImage, called in this (the destination) region, tagged at creation. An endpoint that drops
   * the image's tags (moto does) gets them in a CreateTags call at once, so the copy is never
   * unowned; its snapshots are tagged like those of a new image.
   */
  async copy({
    original,
    tags,
    kmsKeyId,
    clientToken,
    signal,
    warn,
  }: CopyRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const encrypted = original.encrypted === true;
    let imageId: string | undefined;
    try {
      const answer = await this.ec2.send(
        new CopyImageCommand({
          SourceRegion: original.region,
          SourceImageId: original.id,
          Name: imageName(original.set, original.sourceId, original.createdAt),
          Description: `snapshot-rotation copy of ${original.id} from ${original.region} (source=${original.sourceId})`,
          ClientToken: clientToken,
          ...(encrypted && kmsKeyId ? { Encrypted: true, KmsKeyId: kmsKeyId } : {}),
          TagSpecifications: [{ ResourceType: 'image', Tags: toAwsTags(tags) }],
        }),
        { abortSignal: signal },
      );
      imageId = answer.ImageId;
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      throw new TargetError(
        describeAwsError(`Could not copy image ${original.id} to ${this.region}`, error),
        { cause: error },
      );
    }
    const copy = acceptedCopy(this.type, this.region, imageId, tags, original.encrypted);
    const image = await this.describeImage(copy.id, signal).catch(() => undefined);
    if (image && !this.toBackup(image)) {
      try {
        await this.ec2.send(
          new CreateTagsCommand({ Resources: [copy.id], Tags: toAwsTags(tags) }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        throw new TargetError(
          describeAwsError(
            `Image ${copy.id} (a copy of ${original.id} in ${this.region}) came without its tags and could not be tagged, so no run will count it; deregister it by hand`,
            error,
          ),
          { cause: error },
        );
      }
    }
    const current = image
      ? this.toBackup({ ...image, Tags: toAwsTags({ ...fromAwsTags(image.Tags), ...tags }) })
      : undefined;
    if (current) await this.tagSnapshots(current, warn, signal);
    return current ?? copy;
  }

  copySlots(backup: Backup): number {
    return Math.max(this.details.get(backup.id)?.snapshotIds.length ?? 1, 1);
  }

  async waitUntilDone(backup: Backup, options: WaitOptions): Promise<Backup> {
    const done = await waitForBackup(backup, options, {
      polling: this.options,
      // One describe shared by every image this adapter waits for (new or copied).
      describe: () => this.waits.describe(backup.id),
      label: `image ${backup.id}`,
    });
    if (done.state === 'completed') await this.tagSnapshots(done, options.warn, options.signal);
    return done;
  }

  async delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome> {
    // A snapshot left behind by an interrupted prune: only it is left to delete.
    if (backup.id.startsWith('snap-')) return deleteSnapshot(this.ec2, backup.id, signal);
    // A listing made while the image was pending may not name its snapshots yet: read it again then.
    const known = this.details.get(backup.id);
    const details = known?.snapshotIds.length ? known : await this.readDetails(backup.id, signal);
    if (details?.deregistrationProtected) {
      return {
        result: 'skipped',
        message: `${backup.id} has deregistration protection on; left in place (turn it off to let pruning remove it).`,
      };
    }
    let gone = false;
    try {
      await this.ec2.send(new DeregisterImageCommand({ ImageId: backup.id }), {
        abortSignal: signal,
      });
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      const code = awsErrorCode(error);
      if (code !== 'InvalidAMIID.NotFound' && code !== 'InvalidAMIID.Unavailable') {
        throw new TargetError(describeAwsError(`Could not deregister image ${backup.id}`, error), {
          cause: error,
        });
      }
      gone = true;
    }
    // Deregistering never removes the snapshots behind the image: delete them, or they stay forever.
    // Once the image is gone nothing lists them again, so every one is tried, even after a
    // cancellation (no abort signal here), and the failures are reported together.
    const notes: string[] = [];
    const leftBehind: string[] = [];
    for (const snapshotId of details?.snapshotIds ?? []) {
      try {
        const outcome = await deleteSnapshot(this.ec2, snapshotId);
        if (outcome.result === 'skipped') notes.push(outcome.message);
        else
          notes.push(`${snapshotId} ${outcome.result === 'deleted' ? 'deleted' : 'already gone'}`);
      } catch (error) {
        leftBehind.push(
          `${snapshotId} (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
    if (leftBehind.length > 0) {
      throw new TargetError(
        `Image ${backup.id} was deregistered, but these of its snapshots could not be deleted and are left behind; delete them by hand: ${leftBehind.join('; ')}`,
      );
    }
    const message = notes.length > 0 ? `snapshots: ${notes.join('; ')}` : undefined;
    return gone
      ? { result: 'already-gone', ...(message ? { message } : {}) }
      : { result: 'deleted', ...(message ? { message } : {}) };
  }

  /** Tags the image's snapshots like the image, once; a failure is a warning, never an orphan. */
  private async tagSnapshots(
    image: Backup,
    warn: ((message: string) => void) | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const snapshotIds = this.details.get(image.id)?.snapshotIds ?? [];
    if (snapshotIds.length === 0 || this.snapshotsTagged.has(image.id)) return;
    try {
      await this.ec2.send(
        new CreateTagsCommand({ Resources: snapshotIds, Tags: toAwsTags(image.tags) }),
        { abortSignal: signal },
      );
      this.snapshotsTagged.add(image.id);
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      warn?.(
        describeAwsError(
          `Could not tag the snapshots of ${image.id} (${snapshotIds.join(', ')}); the image still owns them and pruning will delete them with it`,
          error,
        ),
      );
    }
  }

  private async readDetails(id: string, signal?: AbortSignal): Promise<ImageDetails | undefined> {
    try {
      await this.describe(id, signal);
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      throw new TargetError(describeAwsError(`Could not read image ${id}`, error), {
        cause: error,
      });
    }
    return this.details.get(id);
  }

  /** The images that still exist among `ids`, read by an `image-id` filter of ≤200 values. */
  private async describeMany(ids: string[]): Promise<Backup[]> {
    const found: Backup[] = [];
    for (const part of chunks(ids, 200)) {
      const pages = paginateDescribeImages(
        { client: this.ec2, pageSize: 1000 },
        {
          Owners: ['self'],
          IncludeDisabled: true,
          IncludeDeprecated: true,
          Filters: [{ Name: 'image-id', Values: part }],
        },
      );
      for await (const page of pages) {
        for (const image of page.Images ?? []) {
          const backup = this.toBackup(image);
          if (backup) found.push(backup);
        }
      }
    }
    return found;
  }

  private async describe(id: string, signal?: AbortSignal): Promise<Backup | undefined> {
    const image = await this.describeImage(id, signal);
    return image ? this.toBackup(image) : undefined;
  }

  private async describeImage(id: string, signal?: AbortSignal): Promise<Image | undefined> {
    try {
      const response = await this.ec2.send(
        new DescribeImagesCommand({
          ImageIds: [id],
          IncludeDisabled: true,
          IncludeDeprecated: true,
        }),
        { abortSignal: signal },
      );
      return response.Images?.[0];
    } catch (error) {
      if (hasAwsCode(error, 'InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable')) return undefined;
      throw error;
    }
  }

  private toBackup(image: Image): Backup | undefined {
    const backup = ownedBackup(this.type, this.region, {
      id: image.ImageId,
      tags: image.Tags,
      state: imageState(image.State),
      awsTime: image.CreationDate ? new Date(image.CreationDate) : undefined,
      stateMessage: image.StateReason?.Message,
      encrypted: imageEncrypted(image),
      madeFrom: image.SourceInstanceId,
      copiedFrom: image.SourceImageId,
    });
    if (backup) {
      this.details.set(backup.id, {
        snapshotIds: (image.BlockDeviceMappings ?? [])
          .map((mapping) => mapping.Ebs?.SnapshotId)
          .filter((snapshotId): snapshotId is string => Boolean(snapshotId)),
        // Anything but a plain `disabled` (e.g. a cooldown still running) may refuse deregistration.
        deregistrationProtected:
          image.DeregistrationProtection !== undefined &&
          image.DeregistrationProtection !== 'disabled',
      });
    }
    return backup;
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

/** True when any of the image's snapshots is encrypted; undefined when no mapping says. */
function imageEncrypted(image: Image): boolean | undefined {
  const flags = (image.BlockDeviceMappings ?? [])
    .map((mapping) => mapping.Ebs?.Encrypted)
    .filter((flag): flag is boolean => flag !== undefined);
  return flags.length > 0 ? flags.includes(true) : undefined;
}

/** Image states as the core sees them; deregistered images no longer count at all. */
function imageState(state: string | undefined): BackupState | undefined {
  switch (state) {
    case 'available':
    case 'disabled':
      return 'completed';
    case 'failed':
    case 'invalid':
    case 'error':
      return 'failed';
    case 'deregistered':
      return undefined;
    default:
      return 'pending';
  }
}

async function* instancePages(ec2: EC2Client, filters: Filter[]) {
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters })) {
    yield (page.Reservations ?? [])
      .flatMap((reservation) => reservation.Instances ?? [])
      .map((instance) => ({ id: instance.InstanceId, tags: instance.Tags }));
  }
}
