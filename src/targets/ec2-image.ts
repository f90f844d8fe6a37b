/**
 * `ec2-image`: AMIs of instances, without reboot by default. The image and its snapshots are tagged
 * at creation (`TagSpecifications` for `image` and `snapshot`, on CreateImage and CopyImage alike).
 * Pruning deregisters the image together with its snapshots (ami-snapshots.ts).
 */
import { systemClock, type Clock } from '../clock.js';
import {
  CopyImageCommand,
  CreateImageCommand,
  DescribeImagesCommand,
  paginateDescribeImages,
  paginateDescribeInstances,
  type EC2Client,
  type Filter,
  type Image,
} from '@aws-sdk/client-ec2';
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
import { chunks, deleteSnapshot, findEc2Sources } from './ec2.js';
import {
  acceptedCopy,
  collectSet,
  createdAtOf,
  isRequestedBackup,
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
import {
  BatchedDescribe,
  findWithin,
  freshFor,
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
  /** The tags each image this adapter made or copied was given, by image id. */
  private readonly given = new Map<string, Record<string, string>>();
  /** Images that came back without the tags they were given: tagged again once they complete. */
  private readonly untagged = new Set<string>();
  private readonly waits: BatchedDescribe;
  private readonly sleep: Sleep;
  private readonly clock: Clock;

  constructor(
    private readonly ec2: EC2Client,
    readonly region: string,
    private readonly options: Ec2ImageOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.waits = new BatchedDescribe(
      (ids) => this.describeMany(ids),
      freshFor(options),
      () => this.clock().getTime(),
    );
    this.sleep = options.sleep ?? realSleep;
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
   * The snapshots are listed before the images (ami-snapshots.ts), so that an image registered
   * between the two listings is never taken for gone (its snapshots come into being with it); a
   * snapshot still used by some image is refused by AWS (`InvalidSnapshot.InUse`) and left in place.
   */
  async listBackups(set: string): Promise<Backup[]> {
    const ec2 = this.ec2;
    const what = `the images of backup set '${set}' in ${this.region}`;
    const imageSnapshots = await listImageSnapshots(ec2, this.type, this.region, set, this.clock);
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
    return [...images, ...leftBehind(imageSnapshots, images)];
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
            ? this.adopt(name, tags, signal)
            : undefined,
      },
    );
    if (typeof made === 'object') return made;
    const imageId = made;
    if (!imageId) throw new TargetError(`CreateImage returned no image id for ${source.id}.`);
    this.given.set(imageId, { ...tags });
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
    const copy = acceptedCopy(
      this.type,
      this.region,
      imageId,
      tags,
      original.encrypted,
      this.clock,
    );
    this.given.set(copy.id, { ...tags });
    return copy;
  }

  /** The image named `name`, when its tags say it is the backup with these tags; else undefined. */
  private async adopt(
    name: string,
    tags: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): Promise<Backup | undefined> {
    // Any image of that name ends the search: one that is not this backup is reported at once.
    const find = async (): Promise<{ backup: Backup | undefined } | undefined> => {
      const answer = await this.ec2.send(
        new DescribeImagesCommand({
          Owners: ['self'],
          IncludeDisabled: true,
          IncludeDeprecated: true,
          Filters: [{ Name: 'name', Values: [name] }],
        }),
        { abortSignal: signal },
      );
      const image = answer.Images?.[0];
      return image ? { backup: this.toBackup(image) } : undefined;
    };
    const found = await findWithin(
      find,
      this.options.visibilityGraceSeconds ?? VISIBILITY_GRACE_SECONDS,
      this.sleep,
      signal,
    ).catch(() => undefined);
    return isRequestedBackup(found?.backup, tags) ? found?.backup : undefined;
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
    if (done.state === 'completed' && this.untagged.has(done.id)) {
      await recoverImageTags(
        this.ec2,
        done.id,
        this.details.get(done.id)?.snapshotIds ?? [],
        this.given.get(done.id) ?? done.tags,
        options.warn,
        options.signal,
      );
      this.untagged.delete(done.id);
    }
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
    return deregisterWithSnapshots(this.ec2, backup.id, details?.snapshotIds ?? [], {
      signal,
      sleep: this.sleep,
      ...(this.options.inUseRetrySeconds !== undefined
        ? { inUseRetrySeconds: this.options.inUseRetrySeconds }
        : {}),
    });
  }

  private async readDetails(id: string, signal?: AbortSignal): Promise<ImageDetails | undefined> {
    await awsCall(`Could not read image ${id}`, () => this.describe(id, signal), { signal });
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
    // An image this adapter made is its own even when the endpoint dropped its tags: it is tagged
    // again once complete (recoverImageTags), instead of being lost to every later run.
    const given = image.ImageId ? this.given.get(image.ImageId) : undefined;
    const tagged = image.Tags?.some((tag) => tag.Key === TAGS.backupSet);
    if (given && !tagged) this.untagged.add(image.ImageId ?? '');
    const backup = ownedBackup(this.type, this.region, this.clock, {
      id: image.ImageId,
      tags: given && !tagged ? toAwsTags(given) : image.Tags,
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

/** The tags of a new image and of its snapshots, applied by the create or copy call itself. */
function imageAndSnapshotTags(tags: Readonly<Record<string, string>>) {
  const list = toAwsTags(tags);
  return [
    { ResourceType: 'image' as const, Tags: list },
    { ResourceType: 'snapshot' as const, Tags: list },
  ];
}
