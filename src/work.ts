/**
 * The state of one run carried between its phases: per target, its backups in the source region
 * and in each copy destination, and what retention decided for them.
 */
import type {
  DeletedEntry,
  BackupRef,
  DestinationReport,
  KeptEntry,
  TargetReport,
} from './report.js';
import { CancelledError, isAbort } from './errors.js';
import type { CreateDecision } from './plan.js';
import type { Backup, Source, TargetAdapter } from './targets/target.js';

/** Backups of one source in one region, and what retention decided for them. */
export interface Place {
  region: string;
  adapter: TargetAdapter;
  report: { kept: KeptEntry[]; deleted: DeletedEntry[] };
  /** The source's backups that the region held at the start of the run. */
  existing: Backup[];
  /** Made in this run (kept whatever the rules say); in a dry run, stand-ins for them. */
  thisRun: Backup[];
  /** Ids of the dry run's stand-ins, which are reported as would-create or would-copy only. */
  standIns: Set<string>;
  toDelete: { backup: Backup; entry: DeletedEntry }[];
}

/** One target's copies in one destination region. */
export interface Destination extends Place {
  report: DestinationReport;
}

/** Per-target state carried between the phases. */
export interface TargetWork extends Place {
  source: Source;
  report: TargetReport;
  decision?: CreateDecision;
  destinations: Destination[];
  /** Copies that failed or were not waited for: the target fails once pruning is done. */
  copyErrors: string[];
  log: string[];
}

/**
 * Adds to the place's backups the twins that a retried create or copy of `backup` made, so that
 * retention deletes them as duplicates. A failed look only warns: any later run's listing finds
 * them too.
 */
export async function addStrays(
  place: Place,
  backup: Backup,
  log: string[],
  warn: (message: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    const strays = (await place.adapter.strays?.(backup, signal)) ?? [];
    for (const stray of strays) {
      log.push(
        `${stray.id} duplicates ${backup.id} in ${place.region} (a request that AWS carried out twice).`,
      );
    }
    place.existing.push(...strays);
  } catch (error) {
    if (isAbort(error) || signal?.aborted) throw new CancelledError();
    warn(
      `${error instanceof Error ? error.message : String(error)} A later run finds and deletes any duplicate.`,
    );
  }
}

/** The reference to a backup that reports and outputs carry. */
export function ref(backup: Backup): BackupRef {
  return {
    id: backup.id,
    region: backup.region,
    createdAt: backup.createdAt.toISOString(),
    state: backup.state,
  };
}

/**
 * One listing split by source, in one pass: each target takes its own share without scanning the
 * whole listing (1,000 targets over 100,000 backups would otherwise take tens of seconds).
 */
export function bySource(backups: readonly Backup[]): (sourceId: string) => Backup[] {
  const groups = new Map<string, Backup[]>();
  for (const backup of backups) {
    const group = groups.get(backup.sourceId);
    if (group) group.push(backup);
    else groups.set(backup.sourceId, [backup]);
  }
  return (sourceId) => groups.get(sourceId) ?? [];
}
