/**
 * `files`: files on the runner backed up to S3. A backup is a manifest object (its key is the
 * backup id) listing every file and where its content is; content is stored once by SHA-256 in
 * the file set's area, small files packed together. Pruning deletes manifests; content no kept
 * manifest references goes afterwards, once its storage class's minimum duration has passed.
 */
import type { Clock } from '../clock.js';
import { TAGS } from '../constants.js';
import { TargetError } from '../errors.js';
import { areaPrefix, manifestBackup, manifestKey, packKey } from '../file-keys.js';
import { planContent, planHashing, storedContent } from '../file-plan.js';
import type { FilesConfig, RestoreConfig } from '../files-inputs.js';
import { emptyFilesReport, type FilesReport } from '../files-report.js';
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  parseManifest,
  serializeManifest,
  type Manifest,
} from '../manifest.js';
import pLimit from 'p-limit';
import { MAX_GRACE_MS } from '../content-retention.js';
import { collectContent, DataListing } from './file-collect.js';
import { restoreManifest } from './file-restore.js';
import { hashFiles } from './file-hash.js';
import { uploadObjects, uploadPack, type ContentUpload, type LocalFile } from './file-upload.js';
import type { S3Store } from './s3-store.js';
import type {
  Backup,
  CreateRequest,
  DeleteOutcome,
  SourceLookup,
  TargetAdapter,
} from './target.js';

/** What a scan of the runner's paths found (file-scan.ts). */
export interface FileScan {
  root: string;
  files: LocalFile[];
  skipped: { path: string; reason: string }[];
}

export interface FilesAdapterOptions {
  clock: Clock;
  /** Files hashed and uploaded at once. */
  concurrency: number;
  log: (line: string) => void;
  /** Unreferenced content younger than this is left alone: a run may still be writing it. */
  graceMs?: number;
}

export class FilesAdapter implements TargetAdapter {
  readonly type = 'files' as const;
  readonly files: FilesReport;
  private readonly manifests = new Map<string, Manifest>();
  private listed: Backup[] | undefined; // the resolve phase's listing, reused by create()
  private readonly area: string;
  /** The area's `data/` objects, listed once a run: by the create, or else by the clean-up. */
  private readonly data: DataListing;

  constructor(
    private readonly store: S3Store,
    readonly region: string,
    private readonly config: FilesConfig,
    private readonly set: string,
    private readonly fileSet: string,
    private readonly scan: FileScan | undefined,
    private readonly options: FilesAdapterOptions,
  ) {
    this.area = areaPrefix(config.prefix, set, fileSet);
    this.data = new DataListing(store, this.area);
    this.files = emptyFilesReport(config.bucket, this.area);
    if (scan) {
      this.files.scanned = scan.files.length;
      this.files.skipped = scan.skipped.length;
    }
  }

  /** The file set was found by the scan, before any AWS call. */
  findSources(ids: readonly string[]): Promise<SourceLookup> {
    return Promise.resolve({ found: ids.map((id) => ({ id, tags: {} })), missing: [] });
  }

  /**
   * The file set's manifests: only keys of exactly the action's shape count. Other sets are under
   * other prefixes and would cost listings of their own: never listed (no `sources` here).
   */
  async listBackups(set: string): Promise<Backup[]> {
    if (set !== this.set) return [];
    const backups: Backup[] = [];
    for await (const page of this.store.list(`${this.area}manifests/`)) {
      for (const object of page) {
        const backup = this.backupOf(object.key);
        if (backup) backups.push(backup);
      }
    }
    this.listed = backups;
    return backups;
  }

  /**
   * Scans, hashes what changed, stores new content, then writes the manifest (If-None-Match: a
   * manifest is never overwritten). The backup is complete when this returns.
   */
  async create({ tags, signal, warn }: CreateRequest): Promise<Backup> {
    const scan = this.scan;
    if (!scan) throw new TargetError('No scan of the files to back up.');
    const createdAt = new Date(tags[TAGS.createdAt] ?? '');
    const runId = tags[TAGS.run];
    const kept = await this.readManifests(
      this.listed ?? (await this.listBackups(this.set)),
      signal,
    );
    const previous = kept.at(-1);
    const local = new Map(scan.files.map((file) => [file.path, file]));
    const { known, toHash } = planHashing(scan.files, previous);
    const changed: string[] = [];
    const hashed = await hashFiles(
      toHash.map((file) => local.get(file.path)!),
      this.options.concurrency,
      changed,
    );
    this.files.changed = toHash.length;
    const dataKeys = (await this.data.read(signal)).map((object) => object.key);
    const plan = planContent(hashed, storedContent(dataKeys, kept), this.config.packThresholdBytes);
    const job: ContentUpload = {
      store: this.store,
      area: this.area,
      storageClass: this.config.storageClass,
      concurrency: this.options.concurrency,
      local,
      log: this.options.log,
      signal,
      mtimeSeconds: Math.floor(createdAt.getTime() / 1000),
      clock: this.options.clock,
    };
    let objects: Awaited<ReturnType<typeof uploadObjects>>, pack: typeof objects;
    try {
      objects = await uploadObjects(plan.uploads, job);
      pack = await uploadPack(plan.packed, packKey(createdAt, runId), job);
    } catch (error) {
      this.data.forget(); // what was stored before the failure is not in the listing
      throw error;
    }
    // The clean-up reuses the listing: the content stored since is in it, as new.
    this.data.stored(objects.files, this.config.storageClass, this.options.clock());
    changed.push(...objects.changed, ...pack.changed);
    for (const path of changed) {
      warn?.(`${path} changed while it was read; it is left out of this backup.`);
    }
    this.files.changedWhileRead = changed;
    const stored = [...objects.files, ...pack.files];
    this.files.uploaded = {
      files: stored.length,
      objects: objects.objects + pack.objects,
      bytes: objects.bytes + pack.bytes,
    };
    this.files.reused = known.length + plan.reused.length;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      set: this.set,
      fileSet: this.fileSet,
      createdAt: createdAt.toISOString(),
      ...(runId ? { runId } : {}),
      root: scan.root,
      storageClass: this.config.storageClass,
      files: [...known, ...plan.reused, ...stored],
    };
    const key = manifestKey(this.area, createdAt, runId);
    const written = await this.store.putIfAbsent(key, serializeManifest(manifest), {
      storageClass: 'STANDARD',
      contentType: 'application/json',
      ...(signal ? { signal } : {}),
    });
    if (written === 'exists') {
      throw new TargetError(`The manifest ${key} exists already; it was left as it is.`);
    }
    this.manifests.set(key, manifest);
    const backup = this.backupOf(key);
    if (!backup) throw new TargetError(`The manifest key ${key} does not read back.`);
    return backup;
  }

  /** Never called: `copy-to-regions` is refused for files (S3 replication copies buckets). */
  copy(): Promise<Backup> {
    return Promise.reject(
      new TargetError('File backups are not copied across Regions: use S3 replication.'),
    );
  }

  copySlots(): number {
    return 1;
  }

  waitUntilDone(backup: Backup): Promise<Backup> {
    return Promise.resolve(backup);
  }

  async delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome> {
    const { failed } = await this.store.deleteKeys([backup.id], signal);
    const refusal = failed[0];
    if (refusal) {
      throw new TargetError(
        `Could not delete s3://${this.config.bucket}/${backup.id}: ${refusal.code}: ${refusal.message}`,
      );
    }
    return { result: 'deleted' };
  }

  /**
   * Deletes the content that none of `remaining` (the manifests left after pruning) references,
   * once its class's minimum duration has passed; reports what waits, with the date it is free.
   */
  async collectUnreferenced(
    remaining: readonly Backup[],
    options: { now: Date; dryRun: boolean; signal?: AbortSignal | undefined },
  ): Promise<void> {
    await collectContent(
      {
        store: this.store,
        area: this.area,
        data: this.data,
        remaining: await this.readManifests(remaining, options.signal),
        now: options.now,
        dryRun: options.dryRun,
        allowEarlyDelete: this.config.allowEarlyDelete,
        graceMs: this.options.graceMs ?? MAX_GRACE_MS,
        signal: options.signal,
      },
      this.files,
    );
  }

  /**
   * Restores the backup `restore.backup` names (`latest`: the newest manifest) into `restore.to`;
   * archived content is asked back from S3 first, and a later run finishes.
   */
  async restore(
    restore: RestoreConfig,
    workspace: string,
    signal?: AbortSignal,
  ): Promise<NonNullable<FilesReport['restore']>> {
    const backups = await this.listBackups(this.set);
    const chosen =
      restore.backup === 'latest'
        ? backups.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1)
        : backups.find((backup) => backup.id === restore.backup);
    if (!chosen) {
      throw new TargetError(
        restore.backup === 'latest'
          ? `File set ${this.fileSet} has no backup in s3://${this.config.bucket}/${this.area} to restore.`
          : `${restore.backup} is no backup of file set ${this.fileSet} in s3://${this.config.bucket}/${this.area}: give a backup-id the action reported, or 'latest'.`,
      );
    }
    const [manifest] = await this.readManifests([chosen], signal);
    this.files.restore = await restoreManifest({
      store: this.store,
      area: this.area,
      manifest: manifest!,
      backupId: chosen.id,
      restore,
      workspace,
      concurrency: this.options.concurrency,
      signal,
    });
    return this.files.restore;
  }

  /** The manifests of `backups`, read once each, oldest first. */
  private async readManifests(
    backups: readonly Backup[],
    signal: AbortSignal | undefined,
  ): Promise<Manifest[]> {
    const sorted = [...backups].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const limit = pLimit(8);
    return Promise.all(
      sorted.map((backup) =>
        limit(async () => {
          const known = this.manifests.get(backup.id);
          if (known) return known;
          const manifest = parseManifest(await this.store.getText(backup.id, signal), backup.id);
          this.manifests.set(backup.id, manifest);
          return manifest;
        }),
      ),
    );
  }

  private backupOf(key: string): Backup | undefined {
    const { area, region, set, fileSet } = this;
    return manifestBackup(key, { area, region, set, fileSet });
  }
}
