/**
 * Orchestration of one run, in one direction: inputs → sources and listing → create (and wait;
 * without copies, each target pruned once its backup is made, within a plan made before) →
 * list the copy destinations → retention in the source region → copies (and wait) → retention of
 * the copies → deletion budget → delete → report.
 */
import * as core from '@actions/core';
import pLimit from 'p-limit';
import { systemClock, type Clock } from './clock.js';
import { OWED_STATE, postLedger } from './backstop.js';
import { copyBackups } from './copies.js';
import { listDestinations } from './copy-plan.js';
import { createBackups } from './create.js';
import { earlyPruning } from './early-prune.js';
import { InputError } from './errors.js';
import { readConfig, type Config, type InputLookup } from './inputs.js';
import { decideSources, pruneBackups } from './prune.js';
import type { RunReport } from './report.js';
import { writeReport } from './report-writer.js';
import { resolveTargets } from './resolve.js';
import { finishRun } from './run-report.js';
import { restoreFiles } from './restore.js';
import type { Scan } from './targets/file-scan.js';
import type { TargetAdapter } from './targets/target.js';
import type { RunContext } from './run-state.js';
import { activeWorks } from './work.js';

export interface RunDependencies {
  input?: InputLookup;
  env?: NodeJS.ProcessEnv;
  now?: Clock;
  /** The adapter in a region: the source region, or a `copy-to-regions` destination. */
  adapterFor?: (config: Config, region: string) => TargetAdapter;
  /** Fires on SIGINT/SIGTERM: stop waiting, make no new change, still report. */
  signal?: AbortSignal;
  report?: (report: RunReport) => Promise<void>;
  /** Saves the action's state for its post step (`core.saveState`). */
  saveState?: (name: string, value: string) => void;
}

/** Runs the action; resolves with the report (undefined when the inputs were invalid). */
export async function run(deps: RunDependencies = {}): Promise<RunReport | undefined> {
  const env = deps.env ?? process.env;
  let config: Config;
  let scan: Scan | undefined;
  try {
    config = readConfig(deps.input ?? ((name) => core.getInput(name)), env);
    // A file set is scanned before any AWS call: a pattern that matches nothing is an input error.
    // The scanner (and @actions/glob) loads only for a file set, like each type's adapter.
    if (config.files && !config.files.restore) {
      const { scanFiles } = await import('./targets/file-scan.js');
      scan = await scanFiles(config.files);
    }
  } catch (error) {
    if (error instanceof InputError) {
      core.setFailed(error.message);
      return undefined;
    }
    throw error;
  }
  const now = deps.now ?? systemClock;
  const files = { ...(scan ? { scan } : {}), log: (line: string) => core.info(line) };
  // Only now, the inputs valid, are the target type's adapter and AWS client loaded.
  const { adapterFor } = deps;
  const adapterIn = adapterFor
    ? (region: string) => adapterFor(config, region)
    : await (await import('./targets/index.js')).loadAdapterFactory(config, now, files);
  const report = config.files?.restore
    ? await restoreFiles(config, adapterIn(config.region), now, deps.signal)
    : await rotate(config, adapterIn, now, deps.signal, deps.saveState ?? core.saveState);
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

/**
 * One run, phase after phase; a phase that says the run cannot go on (nothing found, a listing
 * failed, a cancellation) ends it with the report of what was done.
 */
async function rotate(
  config: Config,
  adapterIn: (region: string) => TargetAdapter,
  now: Clock,
  signal: AbortSignal | undefined,
  saveState: (name: string, value: string) => void,
): Promise<RunReport> {
  const run: RunContext = {
    config,
    adapter: adapterIn(config.region),
    adapterIn,
    now,
    startedAt: now(),
    waitDeadline: Number.POSITIVE_INFINITY,
    signal,
    limit: pLimit(config.concurrency),
    works: [],
    resolved: [],
    errors: [],
    warnings: [],
    ...(config.quiesce?.post
      ? { postLedger: postLedger(config.region, (value) => saveState(OWED_STATE, value)) }
      : {}),
  };
  if (!(await resolveTargets(run))) return finishRun(run);
  run.waitDeadline = now().getTime() + config.waitTimeoutMs;
  // Without copies, each target is pruned as soon as its backup is made (early-prune.ts).
  if (!(await createBackups(run, earlyPruning(run)))) return finishRun(run);
  const listed = config.copy
    ? await listDestinations(activeWorks(run), config, adapterIn, run.errors, signal)
    : { complete: true, inFlight: new Map<string, number>() };
  decideSources(run);
  if (!(await copyBackups(run, listed.inFlight, listed.complete))) {
    return finishRun(run);
  }
  await pruneBackups(run, listed.complete);
  return finishRun(run);
}
