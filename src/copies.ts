/**
 * The copy phase of a run (DESIGN §5): the copies planned (copy-plan.ts) are started and, with
 * `wait`, waited for; then the copies' own retention is decided (prune.ts).
 */
import { createHash } from 'node:crypto';
import { CancelledError, DeferredError, isAbort } from './errors.js';
import { composeCopyTags } from './copy-rules.js';
import type { Backup } from './targets/target.js';
import { enforceCopyQuotas, planCopyStarts, type CopyStart } from './copy-plan.js';
import { failedCopiesOf, failedCopiesToReplace, replaceFailedCopies } from './failed-copies.js';
import { decideCopies } from './prune.js';
import type { RunContext, TargetWork } from './run-state.js';
import { activeWorks, addStrays, flushLogs, ref, warnFor, waitBudget } from './work.js';

/**
 * Starts and waits for every copy the run plans, within the run's wait budget, then decides the copies'
 * retention; false when the run was cancelled, and nothing more may change.
 */
export async function copyBackups(
  run: RunContext,
  inFlight: ReadonlyMap<string, number>,
  destinationsListed: boolean,
): Promise<boolean> {
  const { config, signal } = run;
  if (!config.copy) return true;
  const starts = planCopyStarts(activeWorks(run), config, inFlight, run.now());
  try {
    await enforceCopyQuotas(starts, activeWorks(run), run.adapterIn, run.warnings, signal);
  } catch (error) {
    if (!isAbort(error)) throw error;
    run.errors.push(new CancelledError().message + ' Nothing was deleted.');
    return false;
  }
  const replaceFailed =
    config.prune &&
    !config.dryRun &&
    destinationsListed &&
    failedCopiesToReplace(starts.values()) <= config.maxDeletions;
  await Promise.all(
    activeWorks(run).map((work) =>
      run.limit(() => copyFor(work, starts.get(work) ?? [], run, replaceFailed)),
    ),
  );
  flushLogs(run.works, 'Copy');
  if (signal?.aborted) {
    run.errors.push(new CancelledError().message + ' Nothing was deleted.');
    return false;
  }
  decideCopies(run);
  return true;
}

/**
 * Starts one target's admitted copies, then (with `wait`) waits for them within the run's budget.
 * `replaceFailed`: failed copies may be deleted to make room for new ones (the run prunes, is no
 * dry run, and its deletion budget holds them).
 */
async function copyFor(
  work: TargetWork,
  starts: CopyStart[],
  run: RunContext,
  replaceFailed: boolean,
): Promise<void> {
  const { config, startedAt, signal } = run;
  const copies = config.copy;
  if (!copies) return;
  const warn = warnFor(work);
  const failed = (start: CopyStart, message: string): void => {
    start.entry.message = message;
    work.copyErrors.push(message);
    work.log.push(`Failed: ${message}`);
  };
  const started: { start: CopyStart; copy: Backup }[] = [];
  try {
    for (const start of starts) {
      const { destination, original, entry } = start;
      const { tags, dropped } = composeCopyTags(original, {
        ...(config.runId ? { runId: config.runId } : {}),
        ...(config.provenance ? { provenance: config.provenance } : {}),
      });
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
      if (failedCopiesOf(destination, original).length > 0) {
        const cleared = replaceFailed && (await replaceFailedCopies(start, work, signal));
        // EC2 copies get ids of their own: one is made beside a failed copy that stays.
        if (!cleared && destination.adapter.copiesNamedAfterOriginal) {
          entry.result = 'queued';
          entry.message = `${original.id} is copied again once its failed copy in ${destination.region} is deleted${replaceFailed ? ' (that deletion failed; see the deletions)' : " (this run deletes nothing: dry run, 'prune: false' or max-deletions)"}.`;
          continue;
        }
      }
      try {
        const kmsKeyId = copies.kmsKeyIds[destination.region];
        const optionGroup = copies.optionGroups[destination.region];
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
          ...(optionGroup ? { optionGroup } : {}),
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
        if (error instanceof DeferredError) {
          entry.result = 'queued';
          entry.message = error.message;
          work.log.push(`Queued: ${error.message}`);
          continue;
        }
        entry.result = 'failed';
        failed(start, error instanceof Error ? error.message : String(error));
      }
    }
    if (!config.wait) {
      for (const { start, copy } of started) {
        await addStrays(start.destination, copy, work.log, warn, signal);
      }
      return;
    }
    for (const item of started) {
      const { start } = item;
      let copy = item.copy;
      if (copy.state === 'pending') {
        try {
          copy = await start.destination.adapter.waitUntilDone(copy, {
            maxWaitSeconds: waitBudget(run, `Copy ${copy.id} in ${start.destination.region}`),
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
        // A retried copy may have made the copy twice: retention deletes the other one.
        await addStrays(start.destination, copy, work.log, warn, signal);
      }
    }
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    work.copyErrors.push('Cancelled before the copies finished.');
  }
}
