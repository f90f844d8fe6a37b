/**
 * After a `files` set's manifests are pruned: the content (objects and packs) that no remaining
 * manifest references is deleted in batches, unless younger than the grace or within its storage
 * class's minimum duration (content-retention.ts decides); the report says what went and what waits.
 */
import { decideContent, deleteBatches, referencedContent } from '../content-retention.js';
import { TargetError } from '../errors.js';
import type { FilesReport } from '../files-report.js';
import type { Manifest } from '../manifest.js';
import type { StoredObjectInfo } from './s3-answers.js';
import type { S3Store } from './s3-store.js';

export interface Collection {
  store: S3Store;
  /** The file set's area, ending in `/`. */
  area: string;
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
  const objects: StoredObjectInfo[] = [];
  for (const folder of ['data/', 'packs/']) {
    for await (const page of job.store.list(`${job.area}${folder}`, job.signal)) {
      objects.push(
        ...page.map((object) => ({ ...object, key: object.key.slice(job.area.length) })),
      );
    }
  }
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
