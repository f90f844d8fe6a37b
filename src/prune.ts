/**
 * The prune phase of a run: where retention decides each place's backups (the source region and
 * each copy destination), the deletion budget, and the deletions.
 */
import { CancelledError, isAbort, TargetError } from './errors.js';
import { deletionBudgetError, planPruneKeeping } from './plan.js';
import type { DeletedEntry } from './report.js';
import type { RetentionRules } from './retention.js';
import { pendingCopies } from './copy-plan.js';
import type { Place, RunContext, TargetWork } from './run-state.js';
import { activeWorks, flushLogs, guard, ref } from './work.js';

/** Retention in the source region, before copies: a backup whose copy is in flight is pinned. */
export function decideSources(run: RunContext): void {
  if (!run.config.prune) return;
  for (const work of activeWorks(run)) {
    if (!run.deletionPlan?.pruned.has(work)) decideSource(work, run);
  }
}

/** Retention of one target in its source region: its report's kept and deleted, its deletions. */
export function decideSource(work: TargetWork, run: RunContext, now = run.now()): void {
  decide(work, run.config.rules, run.config.dryRun, now, pendingCopies(work));
}

/** Retention of the copies in each destination, once this run's copies are made. */
export function decideCopies(run: RunContext): void {
  const { config, now } = run;
  if (!config.prune || !config.copy) return;
  for (const work of activeWorks(run)) {
    for (const destination of work.destinations) {
      decide(destination, config.copy.rules, config.dryRun, now());
    }
  }
}

/**
 * Deletes what retention decided, everywhere, unless pruning is off, a destination could not be
 * listed, or the run would delete more than `max-deletions`: then nothing at all.
 */
export async function pruneBackups(run: RunContext, destinationsListed: boolean): Promise<void> {
  const { config, errors, warnings, signal } = run;
  if (!config.prune) {
    warnings.push("Pruning is off ('prune: false'): nothing was deleted.");
    return;
  }
  const plan = run.deletionPlan;
  const waiting = activeWorks(run).filter((work) => !plan?.pruned.has(work));
  const places = waiting.flatMap((work) => [work, ...work.destinations]);
  const refuseAll = (why: string): void => {
    errors.push(why);
    for (const place of places)
      for (const item of place.toDelete) item.entry.result = 'not-attempted';
  };
  if (!destinationsListed) {
    refuseAll('A destination region could not be listed, so nothing was deleted in this run.');
    return;
  }
  if (plan?.refusal) {
    refuseAll(plan.refusal);
    return;
  }
  // Failed copies replaced during the copy phase count too: they are in the report, not in toDelete.
  // So do the deletions of the targets pruned early.
  const wouldDelete = activeWorks(run)
    .flatMap((work) => [work, ...work.destinations])
    .reduce((sum, place) => sum + place.report.deleted.length, 0);
  const refusal = deletionBudgetError(wouldDelete, config.maxDeletions);
  if (refusal) {
    refuseAll(refusal);
    return;
  }
  await Promise.all(
    waiting.map((work) =>
      run.limit(() => guard(work, signal, () => pruneTarget(work, run), false)),
    ),
  );
  flushLogs(run.works, 'Prune');
  if (signal?.aborted) errors.push(new CancelledError().message);
}

/**
 * Deletes what retention decided for one target, at home and in each destination, then what its
 * adapter stores that no remaining backup references. A refused deletion fails the target at the
 * end (a TargetError); the others go ahead.
 */
export async function pruneTarget(work: TargetWork, run: RunContext): Promise<void> {
  const { config, signal } = run;
  const failed: string[] = [];
  const skipped: string[] = [];
  for (const place of [work, ...work.destinations]) {
    const left = await prune(place, work.log, work.report.warnings, config.dryRun, signal);
    failed.push(...left.failed);
    skipped.push(...left.skipped);
  }
  await collectUnreferenced(work, run);
  if (skipped.length > 0) {
    const note = `Left in place, as AWS refused to delete them (see warnings): ${skipped.join(', ')}.`;
    work.report.message = work.report.message ? `${work.report.message} ${note}` : note;
  }
  if (failed.length > 0) {
    throw new TargetError(
      `${failed.length} ${failed.length === 1 ? 'backup' : 'backups'} could not be deleted and ${failed.length === 1 ? 'is' : 'are'} left in place; the other deletions went ahead, and the next run tries again. ${failed.join(' ')}`,
    );
  }
}

/**
 * What the adapter stores beside the backups and no remaining backup references (a file set's
 * content) goes once the backups are pruned; a backup whose deletion failed still counts.
 */
async function collectUnreferenced(work: TargetWork, run: RunContext): Promise<void> {
  if (!work.adapter.collectUnreferenced) return;
  const gone = new Set(
    work.report.deleted
      .filter((entry) => ['deleted', 'already-gone', 'would-delete'].includes(entry.result))
      .map((entry) => entry.id),
  );
  const remaining = [...work.existing, ...work.thisRun].filter(
    (backup) => !gone.has(backup.id) && !work.standIns.has(backup.id),
  );
  await work.adapter.collectUnreferenced(remaining, {
    now: run.now(),
    dryRun: run.config.dryRun,
    signal: run.signal,
  });
}

/**
 * Retention for one source's backups in one place (its own region or a copy destination): fills
 * the report's kept and deleted lists and the deletions to make.
 */
function decide(
  place: Place,
  rules: RetentionRules,
  dryRun: boolean,
  now: Date,
  pinned?: ReadonlyMap<string, string>,
): void {
  const { decisions, kept } = planPruneKeeping(place.existing, {
    now,
    rules,
    thisRun: place.thisRun,
    ...(pinned ? { pinned } : {}),
  });
  place.kept = kept;
  for (const { backup, keep, reasons, rules: keptBy } of decisions) {
    if (place.standIns.has(backup.id)) continue;
    if (keep) {
      place.report.kept.push({ ...ref(backup), reasons, rules: keptBy });
    } else {
      const entry: DeletedEntry = {
        ...ref(backup),
        reasons,
        result: dryRun ? 'would-delete' : 'not-attempted',
      };
      place.report.deleted.push(entry);
      place.toDelete.push({ backup, entry });
    }
  }
}

/**
 * Deletes what retention decided in one place. A deletion that AWS refuses is recorded and the
 * others go ahead; returns what was left in place and why, as sentences: `failed` (the target
 * fails) and `skipped` (AWS protects it: locked, in use; the target stays green).
 */
async function prune(
  place: Place,
  log: string[],
  warnings: string[],
  dryRun: boolean,
  signal: AbortSignal | undefined,
): Promise<{ failed: string[]; skipped: string[] }> {
  const left = { failed: [] as string[], skipped: [] as string[] };
  if (dryRun) {
    for (const { entry } of place.toDelete) {
      log.push(
        `Dry run: would delete ${entry.id} in ${entry.region} (${entry.reasons.join('; ')}).`,
      );
    }
    return left;
  }
  // Oldest first, one at a time per target.
  for (const { backup, entry } of [...place.toDelete].reverse()) {
    if (signal?.aborted) throw new CancelledError();
    try {
      const outcome = await place.adapter.delete(backup, signal);
      entry.result = outcome.result;
      if (outcome.message) entry.message = outcome.message;
      if (outcome.result === 'skipped') {
        warnings.push(outcome.message);
        left.skipped.push(`${backup.id} in ${backup.region}`);
      }
      log.push(
        `${outcome.result === 'deleted' ? 'Deleted' : outcome.result} ${backup.id} in ${backup.region} (${entry.reasons.join('; ')})${outcome.message ? `: ${outcome.message}` : ''}.`,
      );
    } catch (error) {
      if (isAbort(error) || signal?.aborted) throw error;
      entry.result = 'failed';
      entry.message = error instanceof Error ? error.message : String(error);
      left.failed.push(entry.message);
      log.push(`Could not delete ${backup.id} in ${backup.region}: ${entry.message}`);
    }
  }
  return left;
}
