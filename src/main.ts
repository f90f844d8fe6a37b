/**
 * Orchestration of one run, in one direction: inputs → sources and listing → create (and wait) →
 * list the copy destinations → retention in the source region → copies (and wait) → retention of
 * the copies → deletion budget → delete → report.
 */
import * as core from '@actions/core';
import pLimit from 'p-limit';
import { CALENDAR_UNITS } from './calendar.js';
import { INPUTS } from './constants.js';
import { formatDuration } from './duration.js';
import { CancelledError, InputError, isAbort, TargetError } from './errors.js';
import { readConfig, type Config, type InputLookup } from './inputs.js';
import {
  checkQuota,
  composeTags,
  copyKeyProblem,
  copyOptionGroupProblem,
  deletionBudgetError,
  planCreate,
  planPrune,
} from './plan.js';
import type { RetentionRules } from './retention.js';
import { abortable } from './sleep.js';
import { runStatus, type DeletedEntry, type RunReport } from './report.js';
import { writeReport } from './report-writer.js';
import {
  copyFor,
  enforceCopyQuotas,
  listDestinations,
  pendingCopies,
  planCopyStarts,
} from './copies.js';
import { failedCopiesToReplace } from './failed-copies.js';
import { createAdapter } from './targets/index.js';
import type { Backup, Source, TargetAdapter } from './targets/target.js';
import { addStrays, bySource, ref, type Place, type TargetWork } from './work.js';

export interface RunDependencies {
  input?: InputLookup;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** The adapter in a region: the source region, or a `copy-to-regions` destination. */
  adapterFor?: (config: Config, region: string) => TargetAdapter;
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
  const adapterFor = deps.adapterFor ?? createAdapter;
  const report = await rotate(
    config,
    (region) => adapterFor(config, region),
    deps.now ?? (() => new Date()),
    deps.signal,
  );
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

async function rotate(
  config: Config,
  adapterIn: (region: string) => TargetAdapter,
  now: () => Date,
  signal: AbortSignal | undefined,
): Promise<RunReport> {
  const adapter = adapterIn(config.region);
  const startedAt = now();
  const errors: string[] = [];
  const warnings: string[] = [];
  const limit = pLimit(config.concurrency);
  const works: TargetWork[] = [];
  const resolved: string[] = [];
  const finish = (): RunReport => {
    // A copy that failed fails its target, after the target's own backup and pruning went ahead.
    for (const work of works) {
      if (work.copyErrors.length === 0) continue;
      work.report.ok = false;
      const message = `Copies: ${work.copyErrors.join(' ')}`;
      work.report.message = work.report.message ? `${work.report.message} ${message}` : message;
    }
    return {
      status: runStatus(
        works.map((work) => work.report),
        errors,
      ),
      dryRun: config.dryRun,
      targetType: config.targetType,
      region: config.region,
      backupSet: config.backupSet,
      rules: describeRules(config.rules, config.prune),
      ...(config.copy
        ? {
            copyRegions: config.copy.regions,
            copyRules: describeRules(config.copy.rules, config.prune),
          }
        : {}),
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      resolved,
      targets: works.map((work) => work.report),
      errors,
      warnings,
    };
  };

  // Sources and the set's backups: one lookup and one listing for the whole run.
  let backups: Backup[];
  try {
    const lookup = await core.group('Resolve targets and list backups', async () => {
      const found = await abortable(
        adapter.findSources(config.resourceIds, config.resourceTags),
        signal,
      );
      core.info(`Targets: ${found.found.map((s) => s.id).join(', ') || 'none'}`);
      return found;
    });
    // Targets in the order the user named them, then the ones found by tags.
    const named = new Map(config.resourceIds.map((id, index) => [id, index]));
    const rank = (id: string): number => named.get(id) ?? config.resourceIds.length;
    const ordered = [...lookup.found].sort((a, b) => rank(a.id) - rank(b.id));
    for (const source of ordered) {
      resolved.push(source.id);
      works.push(newWork(source, adapter));
    }
    for (const id of lookup.missing) {
      const work = newWork({ id, tags: {} }, adapter);
      fail(work, `${id} was not found in ${config.region} (or these credentials cannot see it).`);
      works.push(work);
    }
    if (works.length === 0) {
      errors.push(
        `No ${config.targetType} in ${config.region} carries all of the tags in '${INPUTS.resourceTags}'; nothing was backed up.`,
      );
      return finish();
    }
    // Copies that other regions' runs made into this one are theirs to keep and prune.
    backups = (await abortable(adapter.listBackups(config.backupSet), signal)).filter(
      (backup) => !backup.copyOf,
    );
    core.info(
      `Backup set '${config.backupSet}' holds ${backups.length} backups in ${config.region}.`,
    );
  } catch (error) {
    if (isAbort(error)) errors.push(`${new CancelledError().message} Nothing was changed.`);
    else errors.push(error instanceof Error ? error.message : String(error));
    return finish();
  }
  const backupsOf = bySource(backups);
  for (const work of works) work.existing = backupsOf(work.source.id);

  const active = (): TargetWork[] => works.filter((work) => work.report.ok);
  for (const work of active()) {
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
  await enforceQuota(active(), adapter, warnings, signal);
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

  // Copies: one listing per destination region, shared by every target.
  const listed = config.copy
    ? await listDestinations(active(), config, adapterIn, errors, signal)
    : { complete: true, inFlight: new Map<string, number>() };
  if (config.prune) {
    for (const work of active()) {
      decide(work, config.rules, config.dryRun, now(), pendingCopies(work));
    }
  }
  if (config.copy) {
    const copies = config.copy;
    const starts = planCopyStarts(active(), config, listed.inFlight, now());
    try {
      await enforceCopyQuotas(starts, active(), adapterIn, warnings, signal);
    } catch (error) {
      if (!isAbort(error)) throw error;
      errors.push(new CancelledError().message + ' Nothing was deleted.');
      return finish();
    }
    const replaceFailed =
      config.prune &&
      !config.dryRun &&
      listed.complete &&
      failedCopiesToReplace(starts.values()) <= config.maxDeletions;
    await Promise.all(
      active().map((work) =>
        limit(() =>
          copyFor(work, starts.get(work) ?? [], config, startedAt, {
            waitDeadline,
            signal,
            replaceFailed,
          }),
        ),
      ),
    );
    flushLogs(works, 'Copy');
    if (signal?.aborted) {
      errors.push(new CancelledError().message + ' Nothing was deleted.');
      return finish();
    }
    if (config.prune) {
      for (const work of active()) {
        for (const destination of work.destinations) {
          decide(destination, copies.rules, config.dryRun, now());
        }
      }
    }
  }

  if (!config.prune) {
    warnings.push("Pruning is off ('prune: false'): nothing was deleted.");
    return finish();
  }
  const places = active().flatMap((work) => [work, ...work.destinations]);
  if (!listed.complete) {
    errors.push('A destination region could not be listed, so nothing was deleted in this run.');
    for (const place of places)
      for (const item of place.toDelete) item.entry.result = 'not-attempted';
    return finish();
  }
  // Failed copies replaced during the copy phase count too: they are in the report, not in toDelete.
  const wouldDelete = places.reduce((sum, place) => sum + place.report.deleted.length, 0);
  const refusal = deletionBudgetError(wouldDelete, config.maxDeletions);
  if (refusal) {
    errors.push(refusal);
    for (const place of places)
      for (const item of place.toDelete) item.entry.result = 'not-attempted';
    return finish();
  }
  await Promise.all(
    active().map((work) =>
      limit(() =>
        guard(
          work,
          signal,
          async () => {
            const failed: string[] = [];
            const skipped: string[] = [];
            for (const place of [work, ...work.destinations]) {
              const left = await prune(
                place,
                work.log,
                work.report.warnings,
                config.dryRun,
                signal,
              );
              failed.push(...left.failed);
              skipped.push(...left.skipped);
            }
            if (skipped.length > 0) {
              const note = `Left in place, as AWS refused to delete them (see warnings): ${skipped.join(', ')}.`;
              work.report.message = work.report.message ? `${work.report.message} ${note}` : note;
            }
            if (failed.length > 0) {
              throw new TargetError(
                `${failed.length} ${failed.length === 1 ? 'backup' : 'backups'} could not be deleted and ${failed.length === 1 ? 'is' : 'are'} left in place; the other deletions went ahead, and the next run tries again. ${failed.join(' ')}`,
              );
            }
          },
          false,
        ),
      ),
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
  signal: AbortSignal | undefined,
): Promise<void> {
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

function newWork(source: Source, adapter: TargetAdapter): TargetWork {
  return {
    source,
    region: adapter.region,
    adapter,
    report: {
      sourceId: source.id,
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
function fail(work: TargetWork, message: string, backupLost = true): void {
  work.report.ok = false;
  if (backupLost && (work.report.outcome === 'created' || work.report.outcome === 'reused')) {
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
      const standIn: Backup = {
        id: `(new backup of ${work.source.id})`,
        kind: config.targetType,
        region: config.region,
        sourceId: work.source.id,
        set: config.backupSet,
        createdAt,
        state: config.wait ? 'completed' : 'pending',
        tags,
      };
      work.thisRun.push(standIn);
      work.standIns.add(standIn.id);
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
  const decisions = planPrune(place.existing, {
    now,
    rules,
    thisRun: place.thisRun,
    ...(pinned ? { pinned } : {}),
  });
  for (const { backup, keep, reasons } of decisions) {
    if (place.standIns.has(backup.id)) continue;
    if (keep) {
      place.report.kept.push({ ...ref(backup), reasons });
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

function describeRules(rules: RetentionRules, prune: boolean): string {
  if (!prune) return 'pruning off';
  const parts: string[] = [];
  if (rules.generations !== undefined) parts.push(`generations ${rules.generations}`);
  if (rules.keepWithinMs !== undefined)
    parts.push(`keep-within ${formatDuration(rules.keepWithinMs)}`);
  const { calendar } = rules;
  if (calendar) {
    const counts = CALENDAR_UNITS.flatMap((unit) =>
      calendar[unit] !== undefined ? [`${unit} ${calendar[unit]}`] : [],
    );
    parts.push(`${counts.join(', ')} (${calendar.timeZone})`);
  }
  return parts.join(', ');
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
