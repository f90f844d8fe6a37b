/**
 * Storing a run's new content in the file set's area: each large content once as `data/<sha256>`
 * (skipped when another run stored it meanwhile), the small ones together in the run's tar pack.
 * Every byte sent is read through `verifiedStream`, so a file that changes while it is read fails
 * its upload instead of being stored torn.
 */
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import { formatBytes } from '../files-report.js';
import { packLayout, uploadedFiles, type PlannedContent } from '../file-plan.js';
import { contentKey } from '../file-keys.js';
import type { ManifestFile } from '../manifest.js';
import { TAR_END, tarHeader, tarPadding } from '../tar.js';
import { FileChangedError, verifiedStream } from './file-hash.js';
import type { S3Store } from './s3-store.js';

/** A scanned file, with where it is on the runner. */
export interface LocalFile {
  path: string;
  absolutePath: string;
  size: number;
  mtimeMs: number;
  mode: number;
}

export interface ContentUpload {
  store: S3Store;
  area: string;
  storageClass: string;
  concurrency: number;
  /** Where each scanned path is on the runner. */
  local: ReadonlyMap<string, LocalFile>;
  log: (line: string) => void;
  signal?: AbortSignal | undefined;
  /** The run's time, for the pack members' times. */
  mtimeSeconds: number;
  clock: Clock;
}

export interface StoredResult {
  files: ManifestFile[];
  objects: number;
  bytes: number;
  /** Paths whose content changed while it was read: left out. */
  changed: string[];
}

/** Uploads each content of `uploads` as an object of its own. */
export async function uploadObjects(
  uploads: readonly PlannedContent[],
  job: ContentUpload,
): Promise<StoredResult> {
  const result: StoredResult = { files: [], objects: 0, bytes: 0, changed: [] };
  const limit = pLimit(job.concurrency);
  await Promise.all(
    uploads.map((content) =>
      limit(async () => {
        const key = `${job.area}${contentKey(content.sha256)}`;
        // Multipart uploads meet If-None-Match only at their end: look first, send nothing twice.
        if (!(await job.store.exists(key, job.signal))) {
          const outcome = await sendVerified(job, key, content);
          if (outcome === 'changed') {
            result.changed.push(...content.files.map((file) => file.path));
            return;
          }
          if (outcome === 'created') {
            result.objects += 1;
            result.bytes += content.size;
          }
        }
        result.files.push(...uploadedFiles(content));
      }),
    ),
  );
  return result;
}

/**
 * Uploads the small contents as one ustar archive at `packKey` (relative to the area), each
 * member named by its SHA-256. A member whose file changed while read fails the whole pack: it is
 * then uploaded again without the files that changed.
 */
export async function uploadPack(
  packed: readonly PlannedContent[],
  packKey: string,
  job: ContentUpload,
): Promise<StoredResult> {
  const changed: string[] = [];
  let members = [...packed];
  for (;;) {
    if (members.length === 0) return { files: [], objects: 0, bytes: 0, changed };
    const layout = packLayout(members, packKey);
    try {
      const body = packStream(members, job);
      const outcome = await job.store.upload(`${job.area}${packKey}`, body, {
        storageClass: job.storageClass,
        contentLength: layout.size,
        ...(job.signal ? { signal: job.signal } : {}),
        onProgress: progress(job, packKey, layout.size),
      });
      if (outcome === 'exists') {
        throw new Error(`The pack ${packKey} exists already: another run wrote it.`);
      }
      return { files: layout.files, objects: 1, bytes: layout.size, changed };
    } catch (error) {
      if (!(error instanceof FileChangedError)) throw error;
      const path = error.path;
      const torn = members.find((content) =>
        content.files.some((file) => job.local.get(file.path)?.absolutePath === path),
      );
      if (!torn) throw error;
      changed.push(...torn.files.map((file) => file.path));
      members = members.filter((content) => content !== torn);
    }
  }
}

/** The pack's bytes: a header, the verified file, its padding, per member; two zero blocks. */
function packStream(members: readonly PlannedContent[], job: ContentUpload): Readable {
  const out = new PassThrough();
  void (async () => {
    for (const content of members) {
      const file = job.local.get(content.files[0]!.path)!;
      out.write(tarHeader(content.sha256, content.size, job.mtimeSeconds));
      await pipeline(verifiedStream(file.absolutePath, { ...file, sha256: content.sha256 }), out, {
        end: false,
      });
      out.write(new Uint8Array(tarPadding(content.size)));
    }
    out.end(new Uint8Array(TAR_END));
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

async function sendVerified(
  job: ContentUpload,
  key: string,
  content: PlannedContent,
): Promise<'created' | 'exists' | 'changed'> {
  const file = job.local.get(content.files[0]!.path)!;
  try {
    return await job.store.upload(
      key,
      verifiedStream(file.absolutePath, { ...file, sha256: content.sha256 }),
      {
        storageClass: job.storageClass,
        contentLength: content.size,
        ...(job.signal ? { signal: job.signal } : {}),
        onProgress: progress(job, file.path, content.size),
      },
    );
  } catch (error) {
    if (error instanceof FileChangedError) return 'changed';
    throw error;
  }
}

/** Logs a long upload's progress (64 MiB and more), every tenth of it: bytes sent and rate. */
function progress(job: ContentUpload, what: string, total: number): (loaded: number) => void {
  const started = job.clock().getTime();
  let next = 0.1;
  return (loaded) => {
    if (total < 64 * 1024 * 1024 || loaded / total < next) return;
    const seconds = Math.max((job.clock().getTime() - started) / 1000, 0.001);
    job.log(
      `Uploading ${what}: ${formatBytes(loaded)} of ${formatBytes(total)} (${formatBytes(loaded / seconds)}/s).`,
    );
    next = Math.floor((loaded / total) * 10) / 10 + 0.1;
  };
}
