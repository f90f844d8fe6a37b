/**
 * The create phase's quiescing of one target (`pre-command` / `quiesce-document`): the instance
 * checked, the pre command run, the backup made, and the post command sent as soon as the create
 * returned — always, once a pre command was sent: after a failed or timed-out pre command, a
 * failed create, and on cancellation; and, when the main step is killed between the two, by the
 * action's post step (`backstop.ts`), from the debt recorded in `run.postLedger`.
 */
import { CancelledError, isAbort, messageOf } from './errors.js';
import type { Backup } from './model.js';
import type { Consistency } from './quiesce-inputs.js';
import { describeOutcome, formatPause, type QuiesceReport } from './quiesce-report.js';
import type { RunContext, TargetWork } from './run-state.js';
import { warnFor } from './work.js';

/** How long the post command's outcome is awaited once the run is cancelled (the runner kills soon). */
const CANCELLED_POST_WAIT_MS = 5_000;

/**
 * Makes the backup with `make` between the pre and post commands, tagged by how it was made;
 * undefined when the pre command failed under `quiesce-failure: skip` (no backup, reported why).
 * Without quiescing, `make()` alone.
 */
export async function quiesced(
  work: TargetWork,
  run: RunContext,
  make: (consistency?: Consistency) => Promise<Backup>,
): Promise<Backup | undefined> {
  const { config, adapter, now, signal } = run;
  const quiesce = config.quiesce;
  const quiescer = adapter.quiescer;
  if (!quiesce || !quiescer) return make();
  const warn = warnFor(work);
  const instanceId = config.targetType === 'ebs-volume' ? work.source.instanceId : work.source.id;
  const report: QuiesceReport = instanceId ? { instanceId } : {};
  work.report.quiesce = report;
  if (!instanceId) {
    // Nothing writes to a detached volume: its snapshot is as consistent as the volume.
    report.note = `${work.source.id} is attached to no instance: nothing to quiesce`;
    report.consistency = 'application-consistent';
    work.log.push(`${report.note}.`);
    return make('application-consistent');
  }

  let pausedFrom: number | undefined;
  const pre = async (): Promise<string | undefined> => {
    try {
      const problem = await quiescer.unavailable(instanceId, signal);
      if (problem) return problem;
      pausedFrom = now().getTime();
      // Recorded before the pre command goes: a killed main step leaves its post step the debt.
      if (quiesce.post) run.postLedger?.owe(instanceId);
      const commandId = await quiescer.send(instanceId, quiesce.pre, signal);
      report.pre = await quiescer.outcome(commandId, instanceId, quiesce.timeoutMs, signal);
      work.log.push(`${instanceId}: ${describeOutcome('pre', report.pre)}.`);
      return report.pre.status === 'Success'
        ? undefined
        : `the pre command on ${instanceId} ended ${report.pre.status}${report.pre.exitCode !== undefined ? ` (exit ${report.pre.exitCode})` : ''}`;
    } catch (error) {
      if (isAbort(error) || error instanceof CancelledError || signal?.aborted) throw error;
      return messageOf(error);
    }
  };

  try {
    const failure = await pre();
    if (failure === undefined) {
      report.consistency = 'application-consistent';
      return await madeAndFixed(make, 'application-consistent', adapter, signal);
    }
    if (quiesce.onFailure === 'skip') {
      report.note = `No backup this run (quiesce-failure: skip): ${failure}`;
      work.report.outcome = 'skipped';
      work.report.message = `Skipped: ${failure} (quiesce-failure: skip).`;
      work.log.push(work.report.message);
      return undefined;
    }
    report.consistency = 'crash-consistent';
    report.note = `Backed up crash-consistent: ${failure}`;
    warn(`${report.note}.`);
    return await madeAndFixed(make, 'crash-consistent', adapter, signal);
  } finally {
    // A pre command was sent (or its SendCommand tried): the post command goes, whatever happened.
    if (pausedFrom !== undefined && quiesce.post) {
      const waitMs = signal?.aborted
        ? Math.min(quiesce.timeoutMs, CANCELLED_POST_WAIT_MS)
        : quiesce.timeoutMs;
      try {
        const commandId = await quiescer.send(instanceId, quiesce.post);
        run.postLedger?.paid(instanceId);
        report.post = await quiescer.outcome(commandId, instanceId, waitMs);
      } catch (error) {
        report.post = { status: 'NotSent', output: messageOf(error) };
      }
      report.pausedMs = now().getTime() - pausedFrom;
      work.log.push(
        `${instanceId}: ${describeOutcome('post', report.post)}; I/O paused at most ${formatPause(report.pausedMs)}.`,
      );
      if (report.post.status !== 'Success') {
        warn(
          `The post command on ${instanceId} ended ${report.post.status}: check the instance (a file system may still be frozen or unmounted).`,
        );
      }
    }
  }
}

/** The backup made, once its point in time is fixed (the adapter says when, after the create). */
async function madeAndFixed(
  make: (consistency?: Consistency) => Promise<Backup>,
  consistency: Consistency,
  adapter: RunContext['adapter'],
  signal: AbortSignal | undefined,
): Promise<Backup> {
  const backup = await make(consistency);
  await adapter.pointInTimeFixed?.(backup, signal);
  return backup;
}
