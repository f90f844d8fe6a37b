/**
 * What the phases do to the run's state (run-state.ts): a target's work begun, failed, guarded and
 * logged; the twins of a retried request added; the run's wait budget; a listing split by source.
 */
import * as core from '@actions/core';
import { formatDuration } from './duration.js';
import { CancelledError, isAbort, TargetError } from './errors.js';
import { splitBySource } from './listing-facts.js';
import type { Backup, Source } from './model.js';
import type { BackupRef } from './report.js';
import type { Place, RunContext, TargetWork } from './run-state.js';
import type { TargetAdapter } from './targets/target.js';

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
    ...(backup.members
      ? {
          members: backup.members.map(({ id, device }) => ({ id, ...(device ? { device } : {}) })),
        }
      : {}),
    ...(backup.sizeGiB !== undefined ? { sizeGiB: backup.sizeGiB } : {}),
  };
}

/**
 * One listing split by source, in one pass: each target takes its own share without scanning the
 * whole listing (1,000 targets over 100,000 backups would otherwise take tens of seconds), and the
 * facts the core reads of each backup are read on the way (listing-facts.ts).
 */
export function bySource(backups: readonly Backup[]): (sourceId: string) => Backup[] {
  const groups = splitBySource(backups);
  return (sourceId) => groups.get(sourceId) ?? [];
}

/**
 * Seconds left of the run's `wait-timeout` for waiting on `what` (`snap-1`, `Copy snap-2 in
 * eu-west-1`); a TargetError when other waits used it up: the backup is left to later runs.
 */
export function waitBudget(run: RunContext, what: string): number {
  const remaining = (run.waitDeadline - run.now().getTime()) / 1000;
  if (remaining > 0) return remaining;
  throw new TargetError(
    `${what} was not waited for: the run's wait-timeout (${formatDuration(run.config.waitTimeoutMs)}) was used up; it is left in place and later runs will count it once it completes.`,
  );
}

/** The targets still going: none of their phases has failed them. */
export function activeWorks(run: RunContext): TargetWork[] {
  return run.works.filter((work) => work.report.ok);
}

/** The warning channel of one target: its report and its log. */
export function warnFor(work: TargetWork): (message: string) => void {
  return (message) => {
    work.report.warnings.push(message);
    work.log.push(`Warning: ${message}`);
  };
}

export function newWork(source: Source, adapter: TargetAdapter): TargetWork {
  return {
    source,
    region: adapter.region,
    adapter,
    report: {
      sourceId: source.id,
      // The source's `Name` tag (EC2 volumes and instances, RDS's TagList): the summary's name for it.
      ...(source.tags.Name ? { name: source.tags.Name } : {}),
      region: adapter.region,
      outcome: 'failed',
      ok: true,
      kept: [],
      deleted: [],
      destinations: [],
      warnings: [],
    },
    existing: [],
    thisRun: [],
    standIns: new Set(),
    toDelete: [],
    destinations: [],
    copyErrors: [],
    log: [],
  };
}

/**
 * Fails a target. `backupLost` (the default) says the failure is its backup's own (not created, timed
 * out, ended failed): such a backup is no output of the run (it stays in the report). A failure
 * after the backup was made (pruning) leaves it an output: it was made and completed.
 */
export function fail(work: TargetWork, message: string, backupLost = true): void {
  work.report.ok = false;
  if (backupLost && (work.report.outcome === 'created' || work.report.outcome === 'reused')) {
    work.report.outcome = 'failed';
  }
  work.report.message = work.report.message ? `${work.report.message} ${message}` : message;
  work.log.push(`Failed: ${message}`);
}

/** Runs one phase of one target; an error fails that target only. */
export async function guard(
  work: TargetWork,
  signal: AbortSignal | undefined,
  phase: () => Promise<void>,
  backupLost = true,
): Promise<void> {
  try {
    if (signal?.aborted) throw new CancelledError();
    await phase();
  } catch (error) {
    if (isAbort(error) || signal?.aborted) {
      fail(work, 'Cancelled before it finished.', backupLost);
    } else {
      fail(work, error instanceof Error ? error.message : String(error), backupLost);
    }
  }
}

/** Prints each target's buffered log in its own group, so concurrent targets do not interleave. */
export function flushLogs(works: TargetWork[], phase: string): void {
  for (const work of works) {
    if (work.log.length === 0) continue;
    core.startGroup(`${phase} ${work.source.id}`);
    for (const line of work.log) core.info(line);
    core.endGroup();
    work.log = [];
  }
}
