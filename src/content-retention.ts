/**
 * Which stored content goes once manifests are pruned: what no kept manifest references, old
 * enough that no run may still be writing it, and past its storage class's minimum duration
 * (deleting sooner bills the rest of it) unless early deletion is allowed. Pure.
 */
import { chunks } from './chunks.js';
import { isContentKey } from './file-keys.js';
import type { Manifest } from './manifest.js';

const DAY = 24 * 3_600_000;

/**
 * The days S3 bills an object of each class for at least, whenever it is deleted
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html).
 */
export const MIN_STORAGE_DAYS: Readonly<Record<string, number>> = {
  STANDARD: 0,
  REDUCED_REDUNDANCY: 0,
  INTELLIGENT_TIERING: 0,
  STANDARD_IA: 30,
  ONEZONE_IA: 30,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

/** A class S3 may add later is taken to bill as long as the longest known: never deleted early. */
export const UNKNOWN_CLASS_MIN_DAYS = 180;

/** The grace is at most a day: no run writes an object for longer before its manifest. */
export const MAX_GRACE_MS = DAY;

/** `DeleteObjects` takes at most 1,000 keys. */
export const DELETE_BATCH = 1000;

/** An object of the area's data or packs, as listed; `key` relative to the area. */
export interface StoredObject {
  key: string;
  size: number;
  lastModified: Date;
  storageClass: string;
}

export interface ContentDecision {
  delete: StoredObject[];
  /** Unreferenced, but within its class's minimum duration: free (deleted by a run) from `freeAt`. */
  deferred: { object: StoredObject; freeAt: Date; reason: string }[];
  /** Objects that stay and need no word: referenced, too young, or not of a content key's shape. */
  kept: number;
}

/** The minimum storage duration of a class, in days (the longest known for a class not known). */
export function minStorageDays(storageClass: string): number {
  return Object.hasOwn(MIN_STORAGE_DAYS, storageClass)
    ? MIN_STORAGE_DAYS[storageClass]!
    : UNKNOWN_CLASS_MIN_DAYS;
}

function billing(storageClass: string, days: number): string {
  return Object.hasOwn(MIN_STORAGE_DAYS, storageClass)
    ? `${storageClass} bills ${days} days at least`
    : `${storageClass} is a storage class this action does not know, kept ${days} days as the longest known minimum`;
}

/** The content keys (objects and packs, relative to the area) the manifests reference. */
export function referencedContent(manifests: readonly Manifest[]): Set<string> {
  const keys = new Set<string>();
  for (const manifest of manifests) {
    for (const { content } of manifest.files) {
      keys.add('object' in content ? content.object : content.pack);
    }
  }
  return keys;
}

/**
 * What becomes of each stored object: kept when referenced, younger than the grace (another run
 * may be writing it, its manifest not yet written; capped at a day) or not of a content key's
 * shape; deferred to the date it is free while within its class's minimum duration, unless
 * `allowEarlyDelete`; deleted otherwise. A time that is not a time keeps the object.
 */
export function decideContent(
  objects: readonly StoredObject[],
  referenced: ReadonlySet<string>,
  options: { now: Date; allowEarlyDelete: boolean; graceMs: number },
): ContentDecision {
  if (Number.isNaN(options.graceMs)) throw new RangeError('The grace period is not a number.');
  const grace = Math.min(Math.max(options.graceMs, 0), MAX_GRACE_MS);
  const decision: ContentDecision = { delete: [], deferred: [], kept: 0 };
  for (const object of objects) {
    const age = options.now.getTime() - object.lastModified.getTime();
    if (referenced.has(object.key) || !isContentKey(object.key) || !(age >= grace)) {
      decision.kept++;
      continue;
    }
    const days = minStorageDays(object.storageClass);
    if (!options.allowEarlyDelete && age < days * DAY) {
      const freeAt = new Date(object.lastModified.getTime() + days * DAY);
      decision.deferred.push({
        object,
        freeAt,
        reason: `${billing(object.storageClass, days)}: deleted from ${freeAt.toISOString()} (allow-early-delete: true deletes it now and pays the rest)`,
      });
    } else {
      decision.delete.push(object);
    }
  }
  return decision;
}

/** The full keys to delete (`area` before each), in `DeleteObjects` batches of at most 1,000. */
export function deleteBatches(objects: readonly StoredObject[], area: string): string[][] {
  return chunks(
    objects.map((object) => `${area}${object.key}`),
    DELETE_BATCH,
  );
}
