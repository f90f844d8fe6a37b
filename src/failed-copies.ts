/**
 * Failed copies in a destination region, replaced before the same backup is copied again: RDS names
 * a copy after its original, so a failed copy holds the name a new one needs; elsewhere a failed
 * copy would only linger beside the new one until pruning.
 */
import { CancelledError, isAbort } from './errors.js';
import type { CopyStart } from './copy-plan.js';
import type { DeletedEntry } from './report.js';
import type { Backup } from './model.js';
import type { Destination, TargetWork } from './run-state.js';
import { ref } from './work.js';

/**
 * The failed copies that stand in the way of the copies to start: a copy of the same backup in the
 * same destination that ended failed. RDS names a copy after its original, so a failed one must go
 * before the same backup is copied again; elsewhere it would only linger beside the new copy.
 */
export function failedCopiesToReplace(starts: Iterable<readonly CopyStart[]>): number {
  let count = 0;
  for (const list of starts) {
    for (const { destination, original } of list)
      count += failedCopiesOf(destination, original).length;
  }
  return count;
}

export function failedCopiesOf(destination: Destination, original: Backup): Backup[] {
  return destination.existing.filter(
    (copy) => copy.copyOf === original.id && copy.state === 'failed',
  );
}

/**
 * Deletes the failed copies of `original` in the destination before it is copied again, reported
 * among the destination's deletions (and so taken out of the destination's retention); false when
 * one could not be deleted.
 */
export async function replaceFailedCopies(
  { destination, original }: CopyStart,
  work: TargetWork,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  for (const failed of failedCopiesOf(destination, original)) {
    // Tried once in this run, whatever the outcome: retention does not decide it a second time.
    destination.existing.splice(destination.existing.indexOf(failed), 1);
    const entry: DeletedEntry = {
      ...ref(failed),
      reasons: [`failed copy of ${original.id}, replaced by a new copy`],
      result: 'not-attempted',
    };
    destination.report.deleted.push(entry);
    try {
      const outcome = await destination.adapter.delete(failed, signal);
      entry.result = outcome.result;
      if (outcome.message) entry.message = outcome.message;
      if (outcome.result === 'skipped') return false;
    } catch (error) {
      if (isAbort(error) || signal?.aborted) throw new CancelledError();
      entry.result = 'failed';
      entry.message = error instanceof Error ? error.message : String(error);
      // A refused deletion fails the target, as in pruning.
      work.copyErrors.push(entry.message);
      return false;
    }
    work.log.push(
      `Deleted the failed copy ${failed.id} in ${destination.region} before copying ${original.id} again.`,
    );
  }
  return true;
}
