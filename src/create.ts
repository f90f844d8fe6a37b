/**
 * The create phase of a run: each source checked (its state, what its copies need), the create
 * decision (create, reuse on a re-run, skip by `min-interval`), the quota, then the backups made
 * and waited for, within the run's `wait-timeout`.
 */
import { formatDuration } from './duration.js';
import { CancelledError, isAbort } from './errors.js';
import { abortable } from './sleep.js';
import { checkQuota, composeTags, planCreate } from './plan.js';
import { copyKeyProblem, copyOptionGroupProblem } from './copy-rules.js';
import type { Config } from './inputs.js';
import type { Backup } from './model.js';
import type { Consistency } from './quiesce-inputs.js';
import { quiesced } from './quiesce.js';
import type { RunContext, TargetWork } from './run-state.js';
import {
  activeWorks,
  addStrays,
  fail,
  flushLogs,
  guard,
  ref,
  warnFor,
  waitBudget,
} from './work.js';

/**
 * Makes (or reuses) every active target's backup and waits for it within the run's wait budget; false when
 * the run was cancelled, and nothing more may change.
 */
export async function createBackups(run: RunContext, around?: AroundCreates): Promise<boolean> {
  const { config, now, signal } = run;
  for (const work of activeWorks(run)) {
    if (work.source.problem) {
      fail(work, work.source.problem);
      continue;
    }
    if (config.copy) {
      const encrypted =
        work.source.encrypted === true || work.existing.some((backup) => backup.encrypted);
      const problem =
        copyKeyProblem(config.targetType, encrypted, work.source.id, config.copy) ??
        copyOptionGroupProblem(
          config.targetType,
          work.source.optionGroup,
          work.source.id,
          config.copy,
        );
      if (problem) {
        fail(work, problem);
        continue;
      }
    }
    work.decision = planCreate(work.existing, {
      now: now(),
      ...(config.runId ? { runId: config.runId } : {}),
      ...(config.minIntervalMs !== undefined ? { minIntervalMs: config.minIntervalMs } : {}),
    });
  }
  await enforceQuota(activeWorks(run), run);
  around?.planned();
  await Promise.all(
    activeWorks(run).map((work) =>
      run.limit(async () => {
        await guard(work, signal, () => backUp(work, run));
        if (around && work.report.ok && !signal?.aborted) await around.made(work);
      }),
    ),
  );
  flushLogs(run.works, 'Back up');
  if (signal?.aborted) {
    const deleted = run.works.some((work) =>
      work.report.deleted.some((entry) => entry.result === 'deleted'),
    );
    run.errors.push(
      new CancelledError().message +
        (deleted ? ' What was deleted before is in the report.' : ' Nothing was deleted.'),
    );
    return false;
  }
  return true;
}

/** What a run does in step with its creates: pruning each target early (`early-prune.ts`). */
export interface AroundCreates {
  /** Before the first create, once every create decision and the quota are known. */
  planned(): void;
  /** In the target's slot, once its backup is made (and complete when waited for). */
  made(work: TargetWork): Promise<void>;
}

/**
 * Fails the creating targets that the account's backup quota has no room for (RDS: 100 manual
 * snapshots by default), before anything is created, in target order.
 */
async function enforceQuota(works: TargetWork[], run: RunContext): Promise<void> {
  const { adapter, warnings, signal } = run;
  const creating = works.filter((work) => work.decision?.action === 'create');
  if (!adapter.quota || creating.length === 0) return;
  let check;
  try {
    check = checkQuota(creating.length, await abortable(adapter.quota(), signal));
  } catch (error) {
    if (isAbort(error)) {
      for (const work of creating) fail(work, 'Cancelled before it finished.');
      return;
    }
    // Never a guessed quota: AWS's own SnapshotQuotaExceeded refuses a create beyond the real one.
    warnings.push(
      `The snapshot quota in ${adapter.region} could not be read, so backups were started without checking it (AWS refuses one beyond the quota): ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  if (check.warning) warnings.push(check.warning);
  for (const work of creating.slice(check.allowed)) fail(work, check.refusal ?? 'Quota exceeded.');
}

/** One target's backup: created (or reused, or skipped), then waited for. */
async function backUp(work: TargetWork, run: RunContext): Promise<void> {
  const { config, adapter, now, signal } = run;
  const warn = warnFor(work);
  const decision = work.decision ?? { action: 'create' };
  let backup: Backup;
  if (decision.action === 'skip') {
    work.report.outcome = 'skipped';
    work.report.backup = ref(decision.backup);
    work.report.message = `Skipped: ${decision.reason}.`;
    work.log.push(work.report.message);
    return;
  }
  if (decision.action === 'reuse') {
    backup = decision.backup;
    work.report.outcome = 'reused';
    work.report.message = `Reused: ${decision.reason}.`;
  } else {
    const tagsAt = (createdAt: Date, consistency?: Consistency) => {
      const { tags, dropped } = newTags(work, config, createdAt, consistency);
      if (dropped.length > 0) {
        work.report.warnings.push(
          `Not copied from the source (AWS allows 50 tags): ${dropped.join(', ')}.`,
        );
      }
      return tags;
    };
    if (config.dryRun) {
      const createdAt = now();
      work.report.outcome = 'would-create';
      work.log.push(`Dry run: would create a backup of ${work.source.id}.`);
      // Stands for the backup a real run would make, so that retention counts it.
      const made = standIn(work, config, createdAt, tagsAt(createdAt));
      work.thisRun.push(made);
      work.standIns.add(made.id);
      return;
    }
    // Between the pre and post commands when quiescing (`quiesce.ts`).
    const made = await quiesced(work, run, (consistency) =>
      adapter.create({
        source: work.source,
        set: config.backupSet,
        tags: tagsAt(now(), consistency),
        warn,
        ...(signal ? { signal } : {}),
      }),
    );
    if (!made) return;
    backup = made;
    work.report.outcome = 'created';
  }
  work.report.backup = ref(backup);
  work.thisRun.push(backup);
  work.log.push(
    `${work.report.outcome === 'created' ? 'Created' : 'Reusing'} ${backup.id} (${backup.state}).`,
  );

  if (config.wait && !config.dryRun && backup.state === 'pending') {
    const remaining = waitBudget(run, backup.id);
    work.log.push(
      `Waiting up to ${formatDuration(remaining * 1000)} for ${backup.id} to complete…`,
    );
    backup = await adapter.waitUntilDone(backup, {
      maxWaitSeconds: remaining,
      warn,
      ...(signal ? { signal } : {}),
    });
    work.thisRun = [backup];
    work.report.backup = ref(backup);
  }
  // A retried create may have made the backup twice: retention deletes the other one.
  await addStrays(work, backup, work.log, warn, signal);
  if (backup.state === 'failed') {
    fail(
      work,
      `${backup.id} ended in a failed state${backup.stateMessage ? `: ${backup.stateMessage}` : ''}.`,
    );
  } else {
    work.log.push(`${backup.id} is ${backup.state}.`);
  }
}

/** The tags of a new backup of the work's source made at `createdAt`, and the source tags dropped. */
function newTags(
  work: TargetWork,
  config: Config,
  createdAt: Date,
  consistency?: Consistency,
): { tags: Record<string, string>; dropped: string[] } {
  return composeTags(work.source, {
    set: config.backupSet,
    createdAt,
    userTags: config.tags,
    copyTags: config.copyTags,
    ...(config.runId ? { runId: config.runId } : {}),
    ...(config.provenance ? { provenance: config.provenance } : {}),
    ...(consistency ? { consistency } : {}),
  });
}

/**
 * Stands for the backup a real run would make of the work's source, so that retention counts it:
 * the dry run's would-create, and the deletion plan made before a real run's creates
 * (`early-prune.ts`).
 */
export function standIn(
  work: TargetWork,
  config: Config,
  createdAt: Date,
  tags = newTags(work, config, createdAt).tags,
): Backup {
  return {
    id: `(new backup of ${work.source.id})`,
    kind: config.targetType,
    region: config.region,
    sourceId: work.source.id,
    set: config.backupSet,
    createdAt,
    state: config.wait ? 'completed' : 'pending',
    tags,
  };
}
