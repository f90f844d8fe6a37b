/**
 * How an AMI reads as a backup: DescribeImages answers turned into the set's records, with what
 * pruning needs beyond them (the image's snapshots, deregistration protection) and the tags each
 * image of this run was given, for an endpoint that answers without them.
 */
import {
  DescribeImagesCommand,
  paginateDescribeImages,
  type EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import type { Clock } from '../clock.js';
import { TAGS } from '../constants.js';
import { hasAwsCode } from '../errors.js';
import { awsCall } from './aws-call.js';
import { chunks } from '../chunks.js';
import { ownedBackup, toAwsTags } from './tags.js';
import type { Backup, BackupState } from './target.js';

/** What pruning needs to know of an image beyond the normalized record. */
export interface ImageDetails {
  snapshotIds: string[];
  deregistrationProtected: boolean;
}

/** Disabled and deprecated images still hold snapshots: every read includes them. */
const ALL_IMAGES = { Owners: ['self'], IncludeDisabled: true, IncludeDeprecated: true };

export class ImageRecords {
  private readonly details = new Map<string, ImageDetails>();
  /** The tags each image this adapter made or copied was given, by image id. */
  private readonly given = new Map<string, Record<string, string>>();
  /** Images that came back without the tags they were given: tagged again once they complete. */
  private readonly untagged = new Set<string>();
  /**
   * Images tagged again already: once only, though a later read may still show them without (EC2's
   * describe calls are eventually consistent for tags too).
   */
  private readonly retagged = new Set<string>();

  constructor(
    private readonly ec2: EC2Client,
    private readonly region: string,
    private readonly clock: Clock,
  ) {}

  /** Remembers the tags a new image or copy was given. */
  gave(imageId: string, tags: Readonly<Record<string, string>>): void {
    this.given.set(imageId, { ...tags });
  }

  /** The tags to put back on an image that completed without them; undefined when it has its own. */
  tagsToRecover(backup: Backup): Record<string, string> | undefined {
    if (!this.untagged.has(backup.id)) return undefined;
    this.untagged.delete(backup.id);
    this.retagged.add(backup.id);
    return this.given.get(backup.id) ?? backup.tags;
  }

  /** What the last read of the image said beyond the record; undefined when not read yet. */
  known(id: string): ImageDetails | undefined {
    return this.details.get(id);
  }

  /** The image's details, read again (a listing made while it was pending may lack its snapshots). */
  async read(id: string, signal?: AbortSignal): Promise<ImageDetails | undefined> {
    await awsCall(`Could not read image ${id}`, () => this.describe(id, signal), { signal });
    return this.details.get(id);
  }

  /** The set's record of the image `id`; undefined when it is gone or none of the set's. */
  async describe(id: string, signal?: AbortSignal): Promise<Backup | undefined> {
    try {
      const answer = await this.ec2.send(
        new DescribeImagesCommand({
          ImageIds: [id],
          IncludeDisabled: true,
          IncludeDeprecated: true,
        }),
        { abortSignal: signal },
      );
      const image = answer.Images?.[0];
      return image ? this.toBackup(image) : undefined;
    } catch (error) {
      if (hasAwsCode(error, 'InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable')) return undefined;
      throw error;
    }
  }

  /** The image of that name, if any: `{ backup }`, undefined in it when it is none of the set's. */
  async byName(
    name: string,
    signal: AbortSignal | undefined,
  ): Promise<{ backup: Backup | undefined } | undefined> {
    const answer = await this.ec2.send(
      new DescribeImagesCommand({ ...ALL_IMAGES, Filters: [{ Name: 'name', Values: [name] }] }),
      { abortSignal: signal },
    );
    const image = answer.Images?.[0];
    return image ? { backup: this.toBackup(image) } : undefined;
  }

  /** The images that still exist among `ids`, read by an `image-id` filter of ≤200 values. */
  async describeMany(ids: string[], signal?: AbortSignal): Promise<Backup[]> {
    const found: Backup[] = [];
    for (const part of chunks(ids, 200)) {
      for await (const page of this.pages([{ Name: 'image-id', Values: part }], signal)) {
        for (const backup of page) if (backup) found.push(backup);
      }
    }
    return found;
  }

  /** The images that `filters` select, page by page, as the set's records; `signal` goes with the calls. */
  async *pages(filters: { Name: string; Values: string[] }[], signal?: AbortSignal) {
    const pages = paginateDescribeImages(
      { client: this.ec2, pageSize: 1000 },
      { ...ALL_IMAGES, Filters: filters },
      { abortSignal: signal },
    );
    for await (const page of pages) yield (page.Images ?? []).map((image) => this.toBackup(image));
  }

  private toBackup(image: Image): Backup | undefined {
    // An image this adapter made is its own even when the endpoint dropped its tags: it is tagged
    // again once complete (recoverImageTags), instead of being lost to every later run.
    const given = image.ImageId ? this.given.get(image.ImageId) : undefined;
    const tagged = image.Tags?.some((tag) => tag.Key === TAGS.backupSet);
    if (given && !tagged && !this.retagged.has(image.ImageId ?? '')) {
      this.untagged.add(image.ImageId ?? '');
    }
    const backup = ownedBackup('ec2-image', this.region, this.clock, {
      id: image.ImageId,
      tags: given && !tagged ? toAwsTags(given) : image.Tags,
      state: imageState(image.State),
      awsTime: image.CreationDate ? new Date(image.CreationDate) : undefined,
      stateMessage: image.StateReason?.Message,
      encrypted: imageEncrypted(image),
      sizeGiB: imageSizeGiB(image),
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

/**
 * The sum of the image's EBS volume sizes (`BlockDeviceMappings[].Ebs.VolumeSize`, GiB); instance
 * store mappings have none. Undefined when no EBS mapping is named yet (a pending image) or one of
 * them states no size: a part of the sum would understate the image.
 */
export function imageSizeGiB(image: Image): number | undefined {
  const ebs = (image.BlockDeviceMappings ?? []).flatMap((mapping) =>
    mapping.Ebs ? [mapping.Ebs] : [],
  );
  if (ebs.length === 0 || ebs.some((volume) => volume.VolumeSize === undefined)) return undefined;
  return ebs.reduce((sum, volume) => sum + (volume.VolumeSize ?? 0), 0);
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
