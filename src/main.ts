/**
 * Orchestration of one run, in one direction: inputs → sources and listing → create (and wait) →
 * retention for every target → deletion budget → delete → report.
 */
import { createHash } from 'node:crypto';
import * as core from '@actions/core';
import pLimit from 'p-limit';
import { COPY_LIMITS, INPUTS } from './constants.js';
import { formatDuration } from './duration.js';
import { CancelledError, InputError, isAbort, TargetError } from './errors.js';
import { readConfig, type Config, type InputLookup } from './inputs.js';
import {
  admitCopies,
  checkQuota,
  composeCopyTags,
  composeTags,
  copyKeyProblem,
  deletionBudgetError,
  planCopies,
  planCreate,
  planPrune,
  type CopyRequestSlot,
  type CreateDecision,
} from './plan.js';
import type { RetentionRules } from './retention.js';
import {
  runStatus,
  writeReport,
  type BackupRef,
  type CopyEntry,
  type DeletedEntry,
  type DestinationReport,
  type KeptEntry,
  type RunReport,
  type TargetReport,
} from './report.js';
import { createAdapter } from './targets/index.js';
import type { Backup, Source, TargetAdapter } from './targets/target.js';

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

/** Backups of one source in one region, and what retention decided for them. */
interface Place {
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
interface Destination extends Place {
  report: DestinationReport;
}

/** Per-target state carried between the phases. */
interface TargetWork extends Place {
  source: Source;
  report: TargetReport;
  decision?: CreateDecision;
  destinations: Destination[];
  /** Copies that failed or were not waited for: the target fails once pruning is done. */
  copyErrors: string[];
  log: string[];
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
    backups = (await adapter.listBackups(config.backupSet)).filter((backup) => !backup.copyOf);
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
    if (config.copy) {
      const encrypted =
        work.source.encrypted === true || work.existing.some((backup) => backup.encrypted);
      const problem = copyKeyProblem(config.targetType, encrypted, work.source.id, config.copy);
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

  // Copies: one listing per destination region, shared by every target.
  const listed = config.copy
    ? await listDestinations(active(), config, adapterIn, errors)
    : { complete: true, inFlight: new Map<string, number>() };
  if (config.prune) {
    for (const work of active()) {
      decide(work, config.rules, config.dryRun, now(), pendingCopies(work));
    }
  }
  if (config.copy) {
    const copies = config.copy;
    const starts = planCopyStarts(active(), config, listed.inFlight, now());
    await Promise.all(
      active().map((work) =>
        limit(() =>
          copyFor(work, starts.get(work) ?? [], config, copies.kmsKeyIds, startedAt, {
            waitDeadline,
            signal,
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
  const wouldDelete = places.reduce((sum, place) => sum + place.toDelete.length, 0);
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
        guard(work, signal, async () => {
          for (const place of [work, ...work.destinations]) {
            await prune(place, work.log, work.report.warnings, config.dryRun, signal);
          }
        }),
      ),
    ),
  );
  flushLogs(works, 'Prune');
  if (signal?.aborted) errors.push(new CancelledError().message);
  return finish();
}

/**
 * Lists the set in every destination region once and gives each target its copies there. Only
 * copies made from this source region count: other regions' runs keep and prune their own. A
 * region that cannot be listed gets no copies and stops all deletion for this run.
 */
async function listDestinations(
  works: TargetWork[],
  config: Config,
  adapterIn: (region: string) => TargetAdapter,
  errors: string[],
): Promise<{ complete: boolean; inFlight: Map<string, number> }> {
  let complete = true;
  const inFlight = new Map<string, number>();
  await core.group('List copies in the destination regions', async () => {
    for (const region of config.copy?.regions ?? []) {
      const adapter = adapterIn(region);
      let listing: Backup[];
      try {
        listing = await adapter.listBackups(config.backupSet);
      } catch (error) {
        complete = false;
        errors.push(
          `${error instanceof Error ? error.message : String(error)} No copies were made to ${region}.`,
        );
        continue;
      }
      // Every copy still in flight into the region takes one of its slots, whatever its source.
      inFlight.set(
        region,
        listing
          .filter((backup) => backup.copyOf && backup.state === 'pending')
          .reduce((sum, backup) => sum + adapter.copySlots(backup), 0),
      );
      const copies = listing.filter(
        (backup) => backup.copyOf && backup.sourceRegion === config.region,
      );
      core.info(
        `Backup set '${config.backupSet}' holds ${copies.length} copies from ${config.region} in ${region}.`,
      );
      for (const work of works) {
        work.destinations.push({
          region,
          adapter,
          report: { region, copies: [], kept: [], deleted: [] },
          existing: copies.filter((copy) => copy.sourceId === work.source.id),
          thisRun: [],
          standIns: new Set(),
          toDelete: [],
        });
        work.report.destinations.push(work.destinations.at(-1)?.report as DestinationReport);
      }
    }
  });
  return { complete, inFlight };
}

/** Backups of the source region whose copy is still in flight: deleting them would fail the copy. */
function pendingCopies(work: TargetWork): Map<string, string> {
  const pinned = new Map<string, string>();
  for (const destination of work.destinations) {
    for (const copy of destination.existing) {
      if (copy.state === 'pending' && copy.copyOf) {
        pinned.set(copy.copyOf, `its copy ${copy.id} to ${destination.region} is in progress`);
      }
    }
  }
  return pinned;
}

/** A copy this run starts: which backup, into which destination of which target. */
interface CopyStart {
  destination: Destination;
  original: Backup;
  entry: CopyEntry;
}

/**
 * Decides every copy of the run before any starts: per destination region, the backups that the
 * copy retention wants and no copy holds yet, admitted into the region's in-flight limit (newest
 * backup of each target first). The rest are reported as queued for a later run.
 */
function planCopyStarts(
  works: TargetWork[],
  config: Config,
  inFlight: ReadonlyMap<string, number>,
  now: Date,
): Map<TargetWork, CopyStart[]> {
  const starts = new Map<TargetWork, CopyStart[]>();
  const rules = config.copy?.rules ?? {};
  for (const region of config.copy?.regions ?? []) {
    const requests: CopyRequestSlot<{ work: TargetWork; start: CopyStart }>[] = [];
    for (const work of works) {
      const destination = work.destinations.find((place) => place.region === region);
      if (!destination) continue;
      const deleting = new Set(work.toDelete.map((item) => item.backup.id));
      const originals = [...work.existing, ...work.thisRun].filter((b) => !deleting.has(b.id));
      const { wanted, missing } = planCopies(originals, destination.existing, { now, rules });
      for (const original of wanted) {
        const copy = destination.existing
          .filter((candidate) => candidate.copyOf === original.id && candidate.state !== 'failed')
          .sort((a, b) => (a.state === b.state ? 0 : a.state === 'completed' ? -1 : 1))[0];
        if (copy)
          destination.report.copies.push({ of: original.id, result: 'exists', copy: ref(copy) });
      }
      missing.forEach((original, rank) => {
        const entry: CopyEntry = {
          of: original.id,
          result: config.dryRun ? 'would-copy' : 'copied',
        };
        destination.report.copies.push(entry);
        requests.push({
          item: { work, start: { destination, original, entry } },
          rank,
          slots: work.adapter.copySlots(original),
        });
      });
    }
    const limit = COPY_LIMITS[config.targetType];
    const { admitted, queued } = admitCopies(requests, inFlight.get(region) ?? 0, limit);
    for (const { start } of queued) {
      start.entry.result = 'queued';
      start.entry.message = `${start.original.id} waits for a later run: ${region} takes at most ${limit} copies in flight.`;
    }
    for (const { work, start } of admitted) starts.set(work, [...(starts.get(work) ?? []), start]);
  }
  return starts;
}

/** Starts one target's admitted copies, then (with `wait`) waits for them within the run's budget. */
async function copyFor(
  work: TargetWork,
  starts: CopyStart[],
  config: Config,
  kmsKeyIds: Readonly<Record<string, string>>,
  startedAt: Date,
  { waitDeadline, signal }: { waitDeadline: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const warn = (message: string): void => {
    work.report.warnings.push(message);
    work.log.push(`Warning: ${message}`);
  };
  const failed = (start: CopyStart, message: string): void => {
    start.entry.message = message;
    work.copyErrors.push(message);
    work.log.push(`Failed: ${message}`);
  };
  const started: { start: CopyStart; copy: Backup }[] = [];
  try {
    for (const start of starts) {
      const { destination, original, entry } = start;
      const { tags, dropped } = composeCopyTags(
        original,
        config.runId ? { runId: config.runId } : {},
      );
      if (dropped.length > 0) {
        warn(
          `Not carried onto the copy of ${original.id} (AWS allows 50 tags): ${dropped.join(', ')}.`,
        );
      }
      if (config.dryRun) {
        work.log.push(`Dry run: would copy ${original.id} to ${destination.region}.`);
        const standIn: Backup = {
          ...original,
          id: `(copy of ${original.id})`,
          region: destination.region,
          state: config.wait ? 'completed' : 'pending',
          tags,
          copyOf: original.id,
          sourceRegion: original.region,
        };
        destination.thisRun.push(standIn);
        destination.standIns.add(standIn.id);
        continue;
      }
      if (signal?.aborted) throw new CancelledError();
      try {
        const kmsKeyId = kmsKeyIds[destination.region];
        const copy = await destination.adapter.copy({
          original,
          tags,
          clientToken: createHash('sha256')
            .update(
              `${config.runId ?? startedAt.toISOString()}\u0000${original.id}\u0000${destination.region}`,
            )
            .digest('hex')
            .slice(0, 64),
          warn,
          ...(kmsKeyId ? { kmsKeyId } : {}),
          ...(signal ? { signal } : {}),
        });
        entry.copy = ref(copy);
        destination.thisRun.push(copy);
        started.push({ start, copy });
        work.log.push(
          `Copying ${original.id} to ${destination.region} as ${copy.id} (${copy.state}).`,
        );
      } catch (error) {
        if (isAbort(error) || signal?.aborted) throw new CancelledError();
        entry.result = 'failed';
        failed(start, error instanceof Error ? error.message : String(error));
      }
    }
    if (!config.wait) return;
    for (const item of started) {
      const { start } = item;
      let copy = item.copy;
      if (copy.state === 'pending') {
        const remaining = (waitDeadline - Date.now()) / 1000;
        if (remaining <= 0) {
          failed(
            start,
            `Copy ${copy.id} in ${start.destination.region} was not waited for: the run's wait-timeout (${formatDuration(config.waitTimeoutMs)}) was used up; it is left in place and later runs will count it once it completes.`,
          );
          continue;
        }
        try {
          copy = await start.destination.adapter.waitUntilDone(copy, {
            maxWaitSeconds: remaining,
            warn,
            ...(signal ? { signal } : {}),
          });
        } catch (error) {
          if (isAbort(error) || signal?.aborted) throw new CancelledError();
          failed(start, error instanceof Error ? error.message : String(error));
          continue;
        }
      }
      start.entry.copy = ref(copy);
      const list = start.destination.thisRun;
      list.splice(list.indexOf(item.copy), 1, copy);
      if (copy.state === 'failed') {
        start.entry.result = 'failed';
        failed(
          start,
          `Copy ${copy.id} of ${start.original.id} in ${start.destination.region} ended in a failed state${copy.stateMessage ? `: ${copy.stateMessage}` : ''}.`,
        );
      } else {
        work.log.push(`Copy ${copy.id} in ${start.destination.region} is ${copy.state}.`);
      }
    }
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    work.copyErrors.push('Cancelled before the copies finished.');
  }
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

/** Deletes what retention decided in one place; a failure stops the target's pruning, not the run. */
async function prune(
  place: Place,
  log: string[],
  warnings: string[],
  dryRun: boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (dryRun) {
    for (const { entry } of place.toDelete) {
      log.push(
        `Dry run: would delete ${entry.id} in ${entry.region} (${entry.reasons.join('; ')}).`,
      );
    }
    return;
  }
  // Oldest first, one at a time per target.
  for (const { backup, entry } of [...place.toDelete].reverse()) {
    if (signal?.aborted) throw new CancelledError();
    try {
      const outcome = await place.adapter.delete(backup, signal);
      entry.result = outcome.result;
      if (outcome.message) entry.message = outcome.message;
      if (outcome.result === 'skipped') warnings.push(outcome.message);
      log.push(
        `${outcome.result === 'deleted' ? 'Deleted' : outcome.result} ${backup.id} in ${backup.region} (${entry.reasons.join('; ')})${outcome.message ? `: ${outcome.message}` : ''}.`,
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

function describeRules(rules: RetentionRules, prune: boolean): string {
  if (!prune) return 'pruning off';
  const parts: string[] = [];
  if (rules.generations !== undefined) parts.push(`generations ${rules.generations}`);
  if (rules.keepWithinMs !== undefined)
    parts.push(`keep-within ${formatDuration(rules.keepWithinMs)}`);
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
