/**
 * What a `files` run did, for the report, the outputs and the job summary: files scanned, changed
 * and uploaded, content reused, stored bytes by class, content deleted or waiting for its class's
 * minimum duration, and a restore's progress. Pure.
 */
import { esc } from './summary-html.js';

export type RestoreState = 'requested' | 'in-progress' | 'restored';

export interface FilesReport {
  bucket: string;
  /** The file set's area: `<prefix><set>/<file set>/`. */
  area: string;
  scanned: number;
  /** Not backed up: symbolic links (without `follow-symbolic-links`), sockets and the like. */
  skipped: number;
  /** Read and hashed this run (new, or size or time changed). */
  changed: number;
  /** Files whose content was uploaded this run (as objects or in the pack), and the bytes sent. */
  uploaded: { files: number; objects: number; bytes: number };
  /** Files whose content was stored already (unchanged, renamed, or identical to another). */
  reused: number;
  /** Files that changed while they were read: left out of this backup, named in the warnings. */
  changedWhileRead: string[];
  /** Bytes of content in the area by storage class, as listed this run. */
  storedBytes: Record<string, number>;
  /** Unreferenced content deleted (or, in a dry run, that would be). */
  contentDeleted: { objects: number; bytes: number };
  /** Unreferenced content kept until its class's minimum duration has passed. */
  deferred: { key: string; freeAt: string; reason: string }[];
  restore?: {
    state: RestoreState;
    to: string;
    backupId: string;
    files: number;
    bytes: number;
    /** Archived objects whose restore S3 is working on, and when to run again. */
    waiting: number;
    expected?: string;
  };
}

export function emptyFilesReport(bucket: string, area: string): FilesReport {
  return {
    bucket,
    area,
    scanned: 0,
    skipped: 0,
    changed: 0,
    uploaded: { files: 0, objects: 0, bytes: 0 },
    reused: 0,
    changedWhileRead: [],
    storedBytes: {},
    contentDeleted: { objects: 0, bytes: 0 },
    deferred: [],
  };
}

/** Bytes as people read them: `0 B`, `12.3 KiB`, `4.0 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(bytes)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The job summary's section for one file set (HTML). */
export function renderFilesSection(sourceId: string, files: FilesReport): string {
  const e = esc;
  const lines = [`<h3>Files: ${e(sourceId)} in s3://${e(files.bucket)}/${e(files.area)}</h3>`];
  if (files.restore) {
    const r = files.restore;
    lines.push(
      `<p>Restore of ${e(r.backupId)} into ${e(r.to)}: <b>${r.state}</b>, ${r.files} files (${formatBytes(r.bytes)}) written${r.waiting > 0 ? `; ${r.waiting} archived objects being restored by S3${r.expected ? ` (expected ${e(r.expected)})` : ''}: run this step again then` : ''}.</p>`,
    );
    return lines.join('\n');
  }
  const stored = Object.entries(files.storedBytes)
    .map(([storageClass, bytes]) => `${e(storageClass)} ${formatBytes(bytes)}`)
    .join(', ');
  lines.push(
    '<table><tr><th>Scanned</th><th>Changed</th><th>Uploaded</th><th>Reused</th><th>Stored</th><th>Content deleted</th></tr>',
    `<tr><td>${files.scanned}${files.skipped ? ` (${files.skipped} skipped)` : ''}</td><td>${files.changed}</td><td>${files.uploaded.files} files, ${files.uploaded.objects} objects, ${formatBytes(files.uploaded.bytes)}</td><td>${files.reused}</td><td>${stored || '–'}</td><td>${files.contentDeleted.objects} (${formatBytes(files.contentDeleted.bytes)})</td></tr></table>`,
  );
  if (files.changedWhileRead.length > 0) {
    lines.push(
      `<p>Changed while read, left out of this backup: ${files.changedWhileRead.map(e).join(', ')}</p>`,
    );
  }
  if (files.deferred.length > 0) {
    lines.push(
      `<details><summary>${files.deferred.length} unreferenced objects wait for their minimum storage duration</summary><ul>`,
      ...files.deferred.map(
        (item) => `<li>${e(item.key)}: free from ${e(item.freeAt)} (${e(item.reason)})</li>`,
      ),
      '</ul></details>',
    );
  }
  return lines.join('\n');
}
