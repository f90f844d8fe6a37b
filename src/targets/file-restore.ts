/**
 * Restoring a file set's backup into a directory: every file of the manifest downloaded (from its
 * own object, or a ranged read of its pack), verified against its SHA-256, with its mode and time.
 * Content in GLACIER or DEEP_ARCHIVE is first restored by S3 (RestoreObject): the run then says so
 * and a later run of the same step finishes. Nothing is written to the bucket but restore requests.
 */
import { resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import pLimit from 'p-limit';
import type { RestoreConfig } from '../files-inputs.js';
import type { FilesReport, RestoreState } from '../files-report.js';
import { TargetError } from '../errors.js';
import type { Manifest } from '../manifest.js';
import { writeVerified } from './file-hash.js';
import type { S3Store } from './s3-store.js';

/** How long S3 takes to restore an archived object, by class and tier (the S3 user guide). */
const RESTORE_TIMES: Record<string, Partial<Record<RestoreConfig['tier'], string>>> = {
  GLACIER: { Expedited: '1–5 minutes', Standard: '3–5 hours', Bulk: '5–12 hours' },
  DEEP_ARCHIVE: { Standard: 'within 12 hours', Bulk: 'within 48 hours' },
};

export interface RestoreJob {
  store: S3Store;
  area: string;
  manifest: Manifest;
  backupId: string;
  restore: RestoreConfig;
  workspace: string;
  concurrency: number;
  signal?: AbortSignal | undefined;
}

/** Restores the manifest's files into `restore.to`; returns the report's restore section. */
export async function restoreManifest(
  job: RestoreJob,
): Promise<NonNullable<FilesReport['restore']>> {
  const { store, area, manifest, restore } = job;
  const to = resolve(job.workspace, restore.to);
  const keys = [
    ...new Set(
      manifest.files.map(({ content }) => ('object' in content ? content.object : content.pack)),
    ),
  ];
  // Archived content must be restored by S3 first: ask for every object not readable yet.
  let waiting = 0;
  let requested = false;
  let archivedClass: string | undefined;
  const limit = pLimit(job.concurrency);
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const readable = await store.readability(`${area}${key}`, job.signal);
        if (readable.state === 'readable' || readable.state === 'restored') return;
        archivedClass = readable.storageClass;
        waiting += 1;
        if (readable.state === 'archived') {
          const answer = await store.requestRestore(`${area}${key}`, {
            days: restore.days,
            tier: restore.tier,
            ...(job.signal ? { signal: job.signal } : {}),
          });
          if (answer === 'restored') waiting -= 1;
          else if (answer === 'requested') requested = true;
        }
      }),
    ),
  );
  const base = { to, backupId: job.backupId, files: 0, bytes: 0 };
  if (waiting > 0) {
    const state: RestoreState = requested ? 'requested' : 'in-progress';
    const expected = archivedClass ? RESTORE_TIMES[archivedClass]?.[restore.tier] : undefined;
    return { ...base, state, waiting, ...(expected ? { expected } : {}) };
  }
  let bytes = 0;
  await Promise.all(
    manifest.files.map((file) =>
      limit(async () => {
        const destination = resolve(to, file.path);
        if (!destination.startsWith(to + sep)) {
          throw new TargetError(`${file.path} in ${job.backupId} would be written outside ${to}.`);
        }
        const { content } = file;
        // An empty file has no byte to read: a range of it would be invalid.
        const body =
          file.size === 0
            ? Readable.from([])
            : 'object' in content
              ? await store.download(
                  `${area}${content.object}`,
                  job.signal ? { signal: job.signal } : {},
                )
              : await store.download(`${area}${content.pack}`, {
                  range: { start: content.offset, end: content.offset + content.size - 1 },
                  ...(job.signal ? { signal: job.signal } : {}),
                });
        await writeVerified(body, destination, file);
        bytes += file.size;
      }),
    ),
  );
  return { ...base, state: 'restored', files: manifest.files.length, bytes, waiting: 0 };
}
