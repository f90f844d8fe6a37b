/**
 * Orchestration of one run, in one direction: inputs → sources and listing → create (and wait) →
 * retention for every target → deletion budget → delete → report.
 */
import * as core from '@actions/core';
import pLimit from 'p-limit';
import { INPUTS } from './constants.js';
import { formatDuration } from './duration.js';
import { CancelledError, InputError, isAbort, TargetError } from './errors.js';
import { readConfig, type Config, type InputLookup } from './inputs.js';
import {
  checkQuota,
  composeTags,
  deletionBudgetError,
  planCreate,
  planPrune,
  type CreateDecision,
} from './plan.js';
import {
  runStatus,
  writeReport,
  type BackupRef,
  type DeletedEntry,
  type RunReport,
  type TargetReport,
} from './report.js';
import { createAdapter } from './targets/index.js';
import type { Backup, Source, TargetAdapter } from './targets/target.js';

export interface RunDependencies {
  input?: InputLookup;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  adapterFor?: (config: Config) => TargetAdapter;
  /** Fires on SIGINT/SIGTERM: stop waiting, make no new change, still report. */
  signal?: AbortSignal;
  report?: (report: RunReport) => Promise<void>;
}

/** Runs the action; resolves with the report (undefined when the inputs were invalid). */
export async function run(deps: RunDependencies = {}): Promise<RunReport | undefined> {
  const env = deps.env ?? process.env;
  let config: Config;
  try {
    config = readConfig(deps.input ?? ((name) => core.getInput(name)), env);
  } catch (error) {
    if (error instanceof InputError) {
      core.setFailed(error.message);
      return undefined;
    }
    throw error;
  }
  const adapter = (deps.adapterFor ?? createAdapter)(config);
  const report = await rotate(config, adapter, deps.now ?? (() => new Date()), deps.signal);
  await (deps.report ?? writeReport)(report);
  if (report.status !== 'success') {
    const failed = report.targets.filter((target) => !target.ok);
    // One line that names each failed target and why (the first three; the summary has them all).
    const named = failed
      .slice(0, 3)
      .map((target) => `${target.sourceId}: ${target.message ?? 'failed'}`)
      .join(' ');
    const more = failed.length > 3 ? ` …and ${failed.length - 3} more; see the job summary.` : '';
    const what =
      report.errors[0] ??
      `${failed.length} of ${report.targets.length} targets failed. ${named}${more}`;
    core.setFailed(`Backup run ${report.status}: ${what}`);
  }
  return report;
}

/** Per-target state carried between the phases. */
interface TargetWork {
  source: Source;
  report: TargetReport;
  existing: Backup[];
  decision?: CreateDecision;
  thisRun: Backup[];
  toDelete: { backup: Backup; entry: DeletedEntry }[];
  log: string[];
}

async function rotate(
  config: Config,
  adapter: TargetAdapter,
  now: () => Date,
  signal: AbortSignal | undefined,
): Promise<RunReport> {
  const startedAt = now();
  const errors: string[] = [];
  const warnings: string[] = [];
  const limit = pLimit(config.concurrency);
  const works: TargetWork[] = [];
  const resolved: string[] = [];
  const finish = (): RunReport => ({
    status: runStatus(
      works.map((work) => work.report),
      errors,
    ),
    dryRun: config.dryRun,
    targetType: config.targetType,
    region: config.region,
    backupSet: config.backupSet,
    rules: describeRules(config),
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    resolved,
    targets: works.map((work) => work.report),
    errors,
    warnings,
  });

  // Sources and the set's backups: one lookup and one listing for the whole run.
  let backups: Backup[];
  try {
    const lookup = await core.group('Resolve targets and list backups', async () => {
      const found = await adapter.findSources(config.resourceIds, config.resourceTags);
      core.info(`Targets: ${found.found.map((s) => s.id).join(', ') || 'none'}`);
      return found;
    });
    // Targets in the order the user named them, then the ones found by tags.
    const rank = (id: string): number => {
      const index = config.resourceIds.indexOf(id);
      return index === -1 ? config.resourceIds.length : index;
    };
    const ordered = [...lookup.found].sort((a, b) => rank(a.id) - rank(b.id));
    for (const source of ordered) {
      resolved.push(source.id);
      works.push(newWork(source, config.region));
    }
    for (const id of lookup.missing) {
      const work = newWork({ id, tags: {} }, config.region);
      fail(work, `${id} was not found in ${config.region} (or these credentials cannot see it).`);
      works.push(work);
    }
    if (works.length === 0) {
      errors.push(
        `No ${config.targetType} in ${config.region} carries all of the tags in '${INPUTS.resourceTags}'; nothing was backed up.`,
      );
      return finish();
    }
    backups = await adapter.listBackups(config.backupSet);
    core.info(
      `Backup set '${config.backupSet}' holds ${backups.length} backups in ${config.region}.`,
    );
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
    return finish();
  }
  for (const work of works) {
    work.existing = backups.filter((backup) => backup.sourceId === work.source.id);
  }

  const active = (): TargetWork[] => works.filter((work) => work.report.ok);
  for (const work of active()) {
    if (work.source.problem) {
      fail(work, work.source.problem);
      continue;
    }
    work.decision = planCreate(work.existing, {
      now: now(),
      ...(config.runId ? { runId: config.runId } : {}),
      ...(config.minIntervalMs !== undefined ? { minIntervalMs: config.minIntervalMs } : {}),
    });
  }
  await enforceQuota(active(), adapter, warnings);
  const waitDeadline = Date.now() + config.waitTimeoutMs;
  await Promise.all(
    active().map((work) =>
      limit(() =>
        guard(work, signal, () => backUp(work, config, adapter, now, waitDeadline, signal)),
      ),
    ),
  );
  flushLogs(works, 'Back up');
  if (signal?.aborted) {
    errors.push(new CancelledError().message + ' Nothing was deleted.');
    return finish();
  }

  if (!config.prune) {
    warnings.push("Pruning is off ('prune: false'): nothing was deleted.");
    return finish();
  }
  for (const work of active()) decide(work, config, now());
  const wouldDelete = active().reduce((sum, work) => sum + work.toDelete.length, 0);
  const refusal = deletionBudgetError(wouldDelete, config.maxDeletions);
  if (refusal) {
    errors.push(refusal);
    for (const work of active())
      for (const item of work.toDelete) item.entry.result = 'not-attempted';
    return finish();
  }
  await Promise.all(
    active().map((work) =>
      limit(() => guard(work, signal, () => prune(work, config, adapter, signal))),
    ),
  );
  flushLogs(works, 'Prune');
  if (signal?.aborted) errors.push(new CancelledError().message);
  return finish();
}

/**
 * Fails the creating targets that the account's backup quota has no room for (RDS: 100 manual
 * snapshots by default), before anything is created, in target order.
 */
async function enforceQuota(
  works: TargetWork[],
  adapter: TargetAdapter,
  warnings: string[],
): Promise<void> {
  const creating = works.filter((work) => work.decision?.action === 'create');
  if (!adapter.quota || creating.length === 0) return;
  let check;
  try {
    check = checkQuota(creating.length, await adapter.quota());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const work of creating) fail(work, message);
    return;
  }
  if (check.warning) warnings.push(check.warning);
  for (const work of creating.slice(check.allowed)) fail(work, check.refusal ?? 'Quota exceeded.');
}

function newWork(source: Source, region: string): TargetWork {
  return {
    source,
    report: {
      sourceId: source.id,
      region,
      outcome: 'failed',
      ok: true,
      kept: [],
      deleted: [],
      warnings: [],
    },
    existing: [],
    thisRun: [],
    toDelete: [],
    log: [],
  };
}

function fail(work: TargetWork, message: string): void {
  work.report.ok = false;
  // A backup that timed out or ended failed is no output of the run (it stays in the report).
  if (work.report.outcome === 'created' || work.report.outcome === 'reused') {
    work.report.outcome = 'failed';
  }
  work.report.message = work.report.message ? `${work.report.message} ${message}` : message;
  work.log.push(`Failed: ${message}`);
}

/** Runs one phase of one target; an error fails that target only. */
async function guard(
  work: TargetWork,
  signal: AbortSignal | undefined,
  phase: () => Promise<void>,
): Promise<void> {
  try {
    if (signal?.aborted) throw new CancelledError();
    await phase();
  } catch (error) {
    if (isAbort(error) || signal?.aborted) {
      fail(work, 'Cancelled before it finished.');
    } else {
      fail(work, error instanceof Error ? error.message : String(error));
    }
  }
}

async function backUp(
  work: TargetWork,
  config: Config,
  adapter: TargetAdapter,
  now: () => Date,
  waitDeadline: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const warn = (message: string): void => {
    work.report.warnings.push(message);
    work.log.push(`Warning: ${message}`);
  };
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
    const createdAt = now();
    const { tags, dropped } = composeTags(work.source, {
      set: config.backupSet,
      createdAt,
      userTags: config.tags,
      copyTags: config.copyTags,
      ...(config.runId ? { runId: config.runId } : {}),
    });
    if (dropped.length > 0) {
      work.report.warnings.push(
        `Not copied from the source (AWS allows 50 tags): ${dropped.join(', ')}.`,
      );
    }
    if (config.dryRun) {
      work.report.outcome = 'would-create';
      work.log.push(`Dry run: would create a backup of ${work.source.id}.`);
      // Stands for the backup a real run would make, so that retention counts it.
      work.thisRun.push({
        id: `(new backup of ${work.source.id})`,
        kind: config.targetType,
        region: config.region,
        sourceId: work.source.id,
        set: config.backupSet,
        createdAt,
        state: config.wait ? 'completed' : 'pending',
        tags,
      });
      return;
    }
    backup = await adapter.create({
      source: work.source,
      set: config.backupSet,
      tags,
      warn,
      ...(signal ? { signal } : {}),
    });
    work.report.outcome = 'created';
  }
  work.report.backup = ref(backup);
  work.thisRun.push(backup);
  work.log.push(
    `${work.report.outcome === 'created' ? 'Created' : 'Reusing'} ${backup.id} (${backup.state}).`,
  );

  if (config.wait && !config.dryRun && backup.state === 'pending') {
    const remaining = (waitDeadline - Date.now()) / 1000;
    if (remaining <= 0) {
      throw new TargetError(
        `${backup.id} was not waited for: the run's wait-timeout (${formatDuration(config.waitTimeoutMs)}) was used up by other targets; it is left in place and later runs will count it once it completes.`,
      );
    }
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
  if (backup.state === 'failed') {
    fail(
      work,
      `${backup.id} ended in a failed state${backup.stateMessage ? `: ${backup.stateMessage}` : ''}.`,
    );
  } else {
    work.log.push(`${backup.id} is ${backup.state}.`);
  }
}

/** Retention for one target: fills the report's kept list and the deletions to make. */
function decide(work: TargetWork, config: Config, now: Date): void {
  const decisions = planPrune(work.existing, { now, rules: config.rules, thisRun: work.thisRun });
  // In a dry run, this run's only backup is the stand-in for the one a real run would make.
  const standIn = work.report.outcome === 'would-create' ? work.thisRun[0]?.id : undefined;
  for (const { backup, keep, reasons } of decisions) {
    if (backup.id === standIn) continue;
    if (keep) {
      work.report.kept.push({ ...ref(backup), reasons });
    } else {
      const entry: DeletedEntry = {
        ...ref(backup),
        reasons,
        result: config.dryRun ? 'would-delete' : 'not-attempted',
      };
      work.report.deleted.push(entry);
      work.toDelete.push({ backup, entry });
    }
  }
}

async function prune(
  work: TargetWork,
  config: Config,
  adapter: TargetAdapter,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (config.dryRun) {
    for (const { entry } of work.toDelete)
      work.log.push(`Dry run: would delete ${entry.id} (${entry.reasons.join('; ')}).`);
    return;
  }
  // Oldest first, one at a time per target; a failure stops this target's pruning, not the run.
  for (const { backup, entry } of [...work.toDelete].reverse()) {
    if (signal?.aborted) throw new CancelledError();
    try {
      const outcome = await adapter.delete(backup, signal);
      entry.result = outcome.result;
      if (outcome.message) entry.message = outcome.message;
      if (outcome.result === 'skipped') work.report.warnings.push(outcome.message);
      work.log.push(
        `${outcome.result === 'deleted' ? 'Deleted' : outcome.result} ${backup.id} (${entry.reasons.join('; ')})${outcome.message ? `: ${outcome.message}` : ''}.`,
      );
    } catch (error) {
      entry.result = 'failed';
      entry.message = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }
}

function ref(backup: Backup): BackupRef {
  return {
    id: backup.id,
    region: backup.region,
    createdAt: backup.createdAt.toISOString(),
    state: backup.state,
  };
}

function describeRules(config: Config): string {
  const rules: string[] = [];
  if (config.rules.generations !== undefined) rules.push(`generations ${config.rules.generations}`);
  if (config.rules.keepWithinMs !== undefined) {
    rules.push(`keep-within ${formatDuration(config.rules.keepWithinMs)}`);
  }
  if (!config.prune) return 'pruning off';
  return rules.join(', ');
}

/** Prints each target's buffered log in its own group, so concurrent targets do not interleave. */
function flushLogs(works: TargetWork[], phase: string): void {
  for (const work of works) {
    if (work.log.length === 0) continue;
    core.startGroup(`${phase} ${work.source.id}`);
    for (const line of work.log) core.info(line);
    core.endGroup();
    work.log = [];
  }
}
