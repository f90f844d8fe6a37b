/**
 * Pruning each target as soon as its backup is made, while the other targets are still being
 * created: the run's deletions planned before its first create (retention predicted as the dry run
 * decides it, with a stand-in for each new backup) and checked against `max-deletions`; then each
 * target, in its create slot, deletes what retention decides for it now and the plan holds.
 */
import type { AroundCreates } from './create.js';
import { standIn } from './create.js';
import type { Backup } from './model.js';
import { deletionBudgetError } from './plan.js';
import { decideSource, pruneTarget } from './prune.js';
import type { DeletionPlan, RunContext, TargetWork } from './run-state.js';
import { activeWorks, guard, ref } from './work.js';

/** The reason a backup that retention decided to delete, but the run had not planned, is kept. */
export const NOT_PLANNED = "deleted by the next run: not in this run's deletion plan";

/**
 * Early pruning for a real run that prunes, without copies (copy planning pins the backups being
 * copied, and the destinations are listed after the creates) and without content that is
 * collected after all deletions (`files`); undefined otherwise: the run prunes after all creates.
 */
export function earlyPruning(run: RunContext): AroundCreates | undefined {
  const { config } = run;
  if (config.dryRun || !config.prune || config.copy || run.adapter.collectUnreferenced) {
    return undefined;
  }
  return {
    planned: () => {
      run.deletionPlan = planDeletions(run, activeWorks(run));
    },
    made: (work) => pruneEarly(work, run),
  };
}

/**
 * Retention predicted for each target before anything is created, as a dry run decides it: the
 * backup a create decision makes stood for by a stand-in, a reused one as it is listed.
 */
export function planDeletions(run: RunContext, works: readonly TargetWork[]): DeletionPlan {
  const now = run.now();
  const planned = new Map<TargetWork, ReadonlySet<string>>();
  const listed = new Map<TargetWork, ReadonlySet<string>>();
  for (const work of works) {
    listed.set(work, new Set(work.existing.map((backup) => backup.id)));
    const decision = work.decision ?? { action: 'create' };
    const thisRun: Backup[] =
      decision.action === 'create'
        ? [standIn(work, run.config, now)]
        : decision.action === 'reuse'
          ? [decision.backup]
          : [];
    const predicted: TargetWork = {
      ...work,
      report: { ...work.report, kept: [], deleted: [] },
      thisRun,
      standIns: new Set(decision.action === 'create' ? thisRun.map((made) => made.id) : []),
      toDelete: [],
    };
    decideSource(predicted, run, now);
    planned.set(work, new Set(predicted.toDelete.map(({ backup }) => backup.id)));
  }
  const total = [...planned.values()].reduce((sum, ids) => sum + ids.size, 0);
  const over = deletionBudgetError(total, run.config.maxDeletions);
  // Counted before the creates: a resource whose backup then fails still counts, so the number can
  // be larger than the deletions the summary lists as held back.
  const refusal =
    over &&
    `${over} (Counted before the first backup was made, as a dry run counts them, resources whose backup then failed included.)`;
  return {
    planned,
    listed,
    spare: Math.max(run.config.maxDeletions - total, 0),
    ...(refusal ? { refusal } : {}),
    pruned: new Set(),
  };
}

/**
 * One target's retention decided now that its backup is made, and its deletions made: those the
 * plan holds, and a twin that a retried create made (no listing held it) while `max-deletions`
 * leaves room; any other decided but not planned is kept until the next run. Nothing when the
 * plan is over `max-deletions` (the prune phase reports the refusal).
 */
async function pruneEarly(work: TargetWork, run: RunContext): Promise<void> {
  const plan = run.deletionPlan;
  if (!plan || plan.refusal) return;
  plan.pruned.add(work);
  decideSource(work, run);
  const planned = plan.planned.get(work) ?? new Set<string>();
  const listed = plan.listed.get(work) ?? new Set<string>();
  const unplanned = work.toDelete.filter(({ backup }) => {
    if (planned.has(backup.id)) return false;
    if (listed.has(backup.id) || plan.spare === 0) return true;
    plan.spare -= 1;
    return false;
  });
  if (unplanned.length > 0) {
    const held = new Set(unplanned.map(({ entry }) => entry));
    work.toDelete = work.toDelete.filter(({ entry }) => !held.has(entry));
    work.report.deleted = work.report.deleted.filter((entry) => !held.has(entry));
    for (const { backup, entry } of unplanned) {
      work.report.kept.push({
        ...ref(backup),
        reasons: [NOT_PLANNED, ...entry.reasons],
        rules: ['deletion-plan'],
      });
      work.log.push(`Kept ${entry.id} until the next run: it is not in this run's deletion plan.`);
    }
  }
  await guard(work, run.signal, () => pruneTarget(work, run), false);
}
