/**
 * The one interface every target-type adapter implements. The core never sees SDK types: each
 * adapter translates its AWS API into the records of ../model.ts.
 */
import type { TargetType } from '../constants.js';
import type { FilesReport } from '../files-report.js';
import type { Backup, BackupQuota, Source } from '../model.js';
import type { QuiesceCommand } from '../quiesce-inputs.js';
import type { CommandOutcome } from '../quiesce-report.js';

export type { Backup, BackupQuota, BackupState, Source } from '../model.js';

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

/**
 * Runs commands on an EC2 instance around its backup (SSM Run Command, `ssm-quiesce.ts`); the phase
 * (`quiesce.ts`) decides what runs when.
 */
export interface Quiescer {
  /** Why the instance cannot run a command now (not managed, agent not online); undefined if it can. */
  unavailable(instanceId: string, signal?: AbortSignal): Promise<string | undefined>;
  /** Sends a command to the instance; returns the command's id once SSM accepted it. */
  send(instanceId: string, command: QuiesceCommand, signal?: AbortSignal): Promise<string>;
  /**
   * Polls the command's invocation until it ends or `timeoutMs` passed (`TimedOut`); an invocation
   * not visible yet is pending.
   */
  outcome(
    commandId: string,
    instanceId: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<CommandOutcome>;
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
  /**
   * Every backup of the set in the region (one listing, server-side filtered by the set tag). With
   * `sources`, every set's backups of those sources instead, `set`'s among them (one listing,
   * filtered by the source tag; `other-sets.ts` splits it by set): the run's own set and the other
   * sets that hold backups of its sources, at no extra call. An adapter whose other sets would
   * cost another listing (`files`: the set is part of the key prefix) returns the set's only.
   */
  listBackups(set: string, sources?: readonly string[]): Promise<Backup[]>;
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
  /** With `pre-command` or `quiesce-document`: runs them on the source's instance (EC2 types). */
  quiescer?: Quiescer;
  /**
   * Resolves once the new backup's point in time is fixed, where that comes after the create call
   * returns (an AMI: once its snapshots exist); quiescing ends only then.
   */
  pointInTimeFixed?(backup: Backup, signal?: AbortSignal): Promise<void>;
  /** What a `files` run read, stored and collected: shown in the report and summary. */
  readonly files?: FilesReport;
  /**
   * After pruning: deletes what no remaining backup references (a `files` set's content), within
   * what its storage allows; a dry run only reports it.
   */
  collectUnreferenced?(
    remaining: readonly Backup[],
    options: { now: Date; dryRun: boolean; signal?: AbortSignal | undefined },
  ): Promise<void>;
}
