/**
 * The one interface every target-type adapter implements, and the normalized records the pure core
 * works on. The core never sees SDK types: each adapter translates its AWS API into these.
 */
import type { TargetType } from '../constants.js';

/** Where a backup is in its life: only `completed` backups count as generations. */
export type BackupState = 'pending' | 'completed' | 'failed';

/** One backup (snapshot, image, DB snapshot) as the core sees it. */
export interface Backup {
  id: string;
  kind: TargetType;
  region: string;
  /** Source resource id from the `snapshot-rotation:source` tag. */
  sourceId: string;
  /** Backup set from the `snapshot-rotation:backup-set` tag. */
  set: string;
  /** Age reference: the `created-at` tag, else the AWS creation time. */
  createdAt: Date;
  state: BackupState;
  /** AWS's own explanation of a failed state, when it gives one. */
  stateMessage?: string;
  tags: Record<string, string>;
  /** For a copy: the backup it was copied from (`copy-of` tag) and that backup's region. */
  copyOf?: string;
  sourceRegion?: string;
  /** Whether AWS stores it encrypted; undefined when the answer does not say. */
  encrypted?: boolean;
  /** The ARN, where the service names backups by ARN across regions (RDS). */
  arn?: string;
  /** In an archive storage tier (EBS `StorageTier: archive`): AWS copies it only once restored. */
  archived?: boolean;
}

/** A source resource that was found and can be backed up. */
export interface Source {
  id: string;
  /** The resource's own tags (copied onto the backup when `copy-tags` is on). */
  tags: Record<string, string>;
  /** Why this resource cannot be backed up now (wrong state, wrong target type); fails the target. */
  problem?: string;
  /** Whether its storage is encrypted (RDS says so; EC2 sources leave it undefined). */
  encrypted?: boolean;
  /** The option group it uses (RDS DB instances); copies across regions need one there too. */
  optionGroup?: string;
}

/** An account quota on the number of backups, as the service reports it. */
export interface BackupQuota {
  /** The quota's name, for messages: `ManualSnapshots`. */
  name: string;
  used: number;
  max: number;
}

/** What the adapter needs to create one backup; every tag is decided by the caller. */
export interface CreateRequest {
  source: Source;
  set: string;
  /** Complete tag set for the new backup (its `created-at` included), applied at creation. */
  tags: Record<string, string>;
  signal?: AbortSignal;
  /** Reports a problem that does not fail the backup (shown in the summary). */
  warn?: (message: string) => void;
}

/** What the destination region's adapter needs to copy one backup from another region into it. */
export interface CopyRequest {
  /** A completed backup in another region. */
  original: Backup;
  /** Complete tag set for the copy (`copy-of`, `source-region` and the original `created-at`). */
  tags: Record<string, string>;
  /** KMS key in the destination for an encrypted original; AWS's default key when absent. */
  kmsKeyId?: string;
  /** Option group of the copy in the destination (RDS DB snapshots); the default when absent. */
  optionGroup?: string;
  /** Makes a repeated request (a retry, a re-run) return the same copy where the API allows. */
  clientToken: string;
  signal?: AbortSignal;
  warn?: (message: string) => void;
}

export interface WaitOptions {
  /** Longest time to wait for this backup, in seconds. */
  maxWaitSeconds: number;
  signal?: AbortSignal;
  /** Reports a problem that does not fail the backup (shown in the summary). */
  warn?: (message: string) => void;
}

/** Outcome of one deletion; `skipped` leaves the backup in place with a reason (e.g. still in use). */
export type DeleteOutcome =
  | { result: 'deleted' | 'already-gone'; message?: string }
  | {
      result: 'skipped';
      message: string;
      /** Skipped as still in use (`InvalidSnapshot.InUse`), which may pass within moments. */
      inUse?: boolean;
    };

/** Resolution of the requested sources: which exist, which do not. */
export interface SourceLookup {
  found: Source[];
  /** Requested ids that do not exist (or are not visible) in the region. */
  missing: string[];
}

/** One adapter per target type and region. */
export interface TargetAdapter {
  readonly type: TargetType;
  readonly region: string;
  /** Looks up the given ids and discovers resources carrying all `tags` (when given). */
  findSources(
    ids: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<SourceLookup>;
  /** Every backup of the set in the region (one listing, server-side filtered by the set tag). */
  listBackups(set: string): Promise<Backup[]>;
  /** Requests a new backup; returns it as soon as AWS has accepted it (usually `pending`). */
  create(request: CreateRequest): Promise<Backup>;
  /** Waits until the backup is completed or failed; throws on timeout or abort. */
  waitUntilDone(backup: Backup, options: WaitOptions): Promise<Backup>;
  /** Deletes one backup. Throws on errors that should fail the target. */
  delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome>;
  /**
   * Backups that a retried create or copy of `backup` made besides it (an API without idempotency
   * token, whose first answer was lost: EBS CreateSnapshot, CopySnapshot). Retention deletes them
   * as duplicates.
   */
  strays?(backup: Backup, signal?: AbortSignal): Promise<Backup[]>;
  /** The quota new backups count against, for services that have one (RDS manual snapshots). */
  quota?(): Promise<BackupQuota>;
  /** Starts a copy of a backup of another region into this adapter's region. */
  copy(request: CopyRequest): Promise<Backup>;
  /**
   * How many of the destination's in-flight copy slots a copy of this backup takes: an AMI's
   * snapshots each count; anything else is 1.
   */
  copySlots(backup: Backup): number;
  /**
   * True when a copy takes its original's name in the destination (RDS identifiers): a failed copy
   * there blocks the next one until it is deleted. EC2 copies get ids of their own.
   */
  readonly copiesNamedAfterOriginal?: boolean;
}
