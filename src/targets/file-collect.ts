/**
 * After a `files` set's manifests are pruned: the content (objects and packs) that no remaining
 * manifest references is deleted in batches, unless younger than the grace or within its storage
 * class's minimum duration (content-retention.ts decides); the report says what went and what waits.
 */
import { decideContent, deleteBatches, referencedContent } from '../content-retention.js';
import { TargetError } from '../errors.js';
import type { FilesReport } from '../files-report.js';
import type { Manifest, ManifestFile } from '../manifest.js';
import type { StoredObjectInfo } from './s3-answers.js';
import type { S3Store } from './s3-store.js';

/**
 * The area's `data/` objects, listed once per run: the create plans its uploads on the listing and
 * the clean-up after pruning reuses it, with the content the create stored in between added.
 */
export class DataListing {
  private objects: StoredObjectInfo[] | undefined;

  constructor(
    private readonly store: S3Store,
    private readonly area: string,
  ) {}

  /** The `data/` objects, keys relative to the area; listed by the first call only. */
  async read(signal: AbortSignal | undefined): Promise<readonly StoredObjectInfo[]> {
    this.objects ??= await listFolder(this.store, this.area, 'data/', signal);
    return this.objects;
  }

  /**
   * Content the run stored (or found stored by another run) after the listing, as just written:
   * younger than any grace, so the clean-up keeps it even were no manifest to reference it.
   */
  stored(files: readonly ManifestFile[], storageClass: string, at: Date): void {
    if (!this.objects) return;
    const listed = new Set(this.objects.map((object) => object.key));
    for (const file of files) {
      if (!('object' in file.content)) continue;
      const key = file.content.object;
      if (listed.has(key)) continue;
      listed.add(key);
      this.objects.push({ key, size: file.size, lastModified: at, storageClass });
    }
  }

  /** Forgets the listing (a create that failed midway stored what it does not know): listed again. */
  forget(): void {
    this.objects = undefined;
  }
}

/** Every object under `area` + `folder`, keys relative to the area. */
async function listFolder(
  store: S3Store,
  area: string,
  folder: string,
  signal: AbortSignal | undefined,
): Promise<StoredObjectInfo[]> {
  const objects: StoredObjectInfo[] = [];
  for await (const page of store.list(`${area}${folder}`, signal)) {
    objects.push(...page.map((object) => ({ ...object, key: object.key.slice(area.length) })));
  }
  return objects;
}

export interface Collection {
  store: S3Store;
  /** The file set's area, ending in `/`. */
  area: string;
  /** The area's `data/` listing, shared with the run's create. */
  data: DataListing;
  /** The manifests left after pruning (a failed deletion's included). */
  remaining: readonly Manifest[];
  now: Date;
  dryRun: boolean;
  allowEarlyDelete: boolean;
  graceMs: number;
  signal?: AbortSignal | undefined;
}

/** Collects the area's unreferenced content; fills the report's stored, deleted and deferred parts. */
export async function collectContent(job: Collection, report: FilesReport): Promise<void> {
  const objects = [
    ...(await job.data.read(job.signal)),
    ...(await listFolder(job.store, job.area, 'packs/', job.signal)),
  ];
  report.storedBytes = {};
  for (const object of objects) {
    report.storedBytes[object.storageClass] =
      (report.storedBytes[object.storageClass] ?? 0) + object.size;
  }
  const decision = decideContent(objects, referencedContent(job.remaining), job);
  report.deferred = decision.deferred.map(({ object, freeAt, reason }) => ({
    key: object.key,
    freeAt: freeAt.toISOString(),
    reason,
  }));
  const bytes = decision.delete.reduce((sum, object) => sum + object.size, 0);
  report.contentDeleted = { objects: decision.delete.length, bytes };
  if (job.dryRun) return;
  const failed: string[] = [];
  for (const batch of deleteBatches(decision.delete, job.area)) {
    const answer = await job.store.deleteKeys(batch, job.signal);
    failed.push(...answer.failed.map((item) => `${item.key} (${item.code})`));
  }
  if (failed.length > 0) {
    report.contentDeleted.objects -= failed.length;
    throw new TargetError(
      `${failed.length} unreferenced objects could not be deleted and are left for the next run: ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ' …' : ''}.`,
    );
  }
}
