/**
 * The run report and its step outputs, rendered by pure functions (report → strings); the job
 * summary is summary.ts's, and report-writer.ts hands both to the runner.
 */
import type { FilesReport } from './files-report.js';
import type { QuiesceReport } from './quiesce-report.js';
import { OUTPUTS } from './constants.js';
import type { BackupState } from './model.js';

export { renderSummary } from './summary.js';

export type RunStatus = 'success' | 'partial' | 'failed';

export interface BackupRef {
  id: string;
  region: string;
  createdAt: string;
  state: BackupState;
  /** The snapshots of a backup made of several (`ec2-instance`), with their devices. */
  members?: { id: string; device?: string }[];
  /** Its size in GiB, where AWS gives one (the volume size of a snapshot, an AMI's volumes, RDS allocated storage). */
  sizeGiB?: number;
}

export interface KeptEntry extends BackupRef {
  reasons: string[];
  /**
   * Short names of what keeps it, for the summary: `newest`, `generations`, `keep-within`,
   * `hourly` … `yearly`, `protected`, `this-run`, `pending`, `pinned`, `deletion-plan` (due, but
   * outside the run's deletion plan: the next run deletes it).
   */
  rules?: string[];
}

export type DeleteResult =
  'deleted' | 'would-delete' | 'already-gone' | 'skipped' | 'failed' | 'not-attempted';

export interface DeletedEntry extends BackupRef {
  reasons: string[];
  result: DeleteResult;
  message?: string;
}

export type CreateOutcome =
  | 'created'
  | 'reused'
  | 'skipped'
  | 'would-create'
  | 'failed'
  /** A `files` step that restores instead of backing up. */
  | 'restore';

/**
 * What became of one backup that the copy retention wants in a destination region: `copied` (this
 * run started the copy), `exists` (a copy was already there), `queued` (the destination's in-flight
 * limit was reached; a later run copies it), `skipped` (AWS cannot copy it as it is: an archived
 * snapshot), `would-copy` (dry run) or `failed`.
 */
export type CopyResult = 'copied' | 'exists' | 'queued' | 'skipped' | 'would-copy' | 'failed';

export interface CopyEntry {
  /** The backup in the source region. */
  of: string;
  result: CopyResult;
  /** The copy in the destination, when there is one. */
  copy?: BackupRef;
  message?: string;
}

/** One target's copies in one destination region, and their retention there. */
export interface DestinationReport {
  region: string;
  copies: CopyEntry[];
  kept: KeptEntry[];
  deleted: DeletedEntry[];
}

export interface TargetReport {
  sourceId: string;
  /** The source's `Name` tag, when it has one. */
  name?: string;
  region: string;
  outcome: CreateOutcome;
  /** The backup created, reused, or (when skipped) the recent one that made the skip. */
  backup?: BackupRef;
  /** Why it was reused or skipped, or what failed. */
  message?: string;
  ok: boolean;
  kept: KeptEntry[];
  deleted: DeletedEntry[];
  /** One entry per `copy-to-regions` region (empty without copies). */
  destinations: DestinationReport[];
  warnings: string[];
  /** `files`: what was scanned, stored, collected or restored. */
  files?: FilesReport;
  /** With `pre-command` or `quiesce-document`: what ran on the instance around the backup. */
  quiesce?: QuiesceReport;
}

export interface RunReport {
  status: RunStatus;
  dryRun: boolean;
  targetType: string;
  region: string;
  backupSet: string;
  rules: string;
  /** Destination regions and the copies' retention there (absent without copies). */
  copyRegions?: string[];
  copyRules?: string;
  startedAt: string;
  finishedAt: string;
  /** The `timezone` input: the summary shows times in it. */
  timeZone: string;
  /** The workflow run that made the backups (absent outside GitHub Actions). */
  run?: RunLink;
  /** Other backup sets that also hold backups of this run's sources, in the source region. */
  otherSets?: OtherSet[];
  /**
   * Source ids that were found (by id or by tags), in target order. The `targets` output is not
   * this list but every target's id (`targets[].sourceId`), the ones not found included.
   */
  resolved: string[];
  targets: TargetReport[];
  /** Failures of the run as a whole (listing, max-deletions, cancellation). */
  errors: string[];
  warnings: string[];
}

/** Where a run came from: its provenance, also tagged on every backup it makes. */
export interface RunLink {
  /** `<server>/<owner>/<repo>/actions/runs/<id>` (with `/attempts/<n>` after the first attempt). */
  url: string;
  /** `owner/repo`. */
  repository: string;
  /** The workflow file (`.github/workflows/backup.yml`), or the workflow's name when the file is unknown. */
  workflow: string;
  /** The job id. */
  job: string;
}

/** Another backup set's backups of this run's sources: never pruned by this run, named so none is forgotten. */
export interface OtherSet {
  set: string;
  /** How many backups it holds of this run's sources, and of how many of them. */
  backups: number;
  sources: number;
  /** Its oldest backup's creation time (ISO). */
  oldest: string;
}

/** `success` when every target succeeded, `partial` when some did, else `failed`. */
export function runStatus(
  targets: readonly TargetReport[],
  runErrors: readonly string[],
): RunStatus {
  if (runErrors.length > 0 || targets.length === 0) return 'failed';
  const good = targets.filter((target) => target.ok).length;
  if (good === targets.length) return 'success';
  return good > 0 ? 'partial' : 'failed';
}

/** Every step output, as the strings the runner stores. */
export function renderOutputs(report: RunReport): Record<string, string> {
  const made = (target: TargetReport): string | undefined =>
    target.outcome === 'created' || target.outcome === 'reused' ? target.backup?.id : undefined;
  const deleted = report.targets.flatMap((target) =>
    [target, ...target.destinations].flatMap((place) =>
      place.deleted.filter(removed).map((entry) => ({ region: entry.region, id: entry.id })),
    ),
  );
  const copies = report.targets.flatMap((target) =>
    target.destinations.flatMap((destination) =>
      destination.copies.flatMap((entry) =>
        entry.copy && (entry.result === 'copied' || entry.result === 'exists')
          ? [{ region: destination.region, id: entry.copy.id, 'source-id': entry.of }]
          : [],
      ),
    ),
  );
  const first = report.targets[0];
  return {
    [OUTPUTS.backupId]: (first && made(first)) ?? '',
    [OUTPUTS.backupIds]: JSON.stringify(report.targets.map(made).filter((id) => id !== undefined)),
    [OUTPUTS.copies]: JSON.stringify(copies),
    [OUTPUTS.deletedIds]: JSON.stringify(deleted),
    [OUTPUTS.deletedCount]: String(deleted.length),
    [OUTPUTS.status]: report.status,
    // Every target, failed ones included (not found, wrong state…), in the order of
    // `report.targets`, where each one's status is: a fan-out matrix runs over all of them.
    [OUTPUTS.targets]: JSON.stringify(report.targets.map((target) => target.sourceId)),
    [OUTPUTS.report]: JSON.stringify(report),
    [OUTPUTS.restoreState]: first?.files?.restore?.state ?? '',
  };
}

/** Deleted, or would be in a dry run: what `deleted-ids` lists and the summary counts. */
function removed(entry: DeletedEntry): boolean {
  return entry.result === 'deleted' || entry.result === 'would-delete';
}
