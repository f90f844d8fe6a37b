/**
 * How an `ec2-instance` set is deleted: every snapshot of it, each as an EBS snapshot is deleted
 * (`deleteSnapshot`), the outcomes combined into the set's one outcome.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { CancelledError, TargetError } from '../errors.js';
import type { Backup } from '../model.js';
import { deleteSnapshot } from './ec2.js';
import type { DeleteOutcome } from './target.js';

/**
 * Deletes every snapshot of the set. Gone ones count as done; one AWS refuses for a reason that
 * passes (in use, locked) is skipped and reported, and the others are still deleted. An error
 * fails the deletion after every member was tried.
 */
export async function deleteSet(
  ec2: EC2Client,
  backup: Backup,
  signal?: AbortSignal,
): Promise<DeleteOutcome> {
  const outcomes: DeleteOutcome[] = [];
  let failure: Error | undefined;
  for (const member of backup.members ?? []) {
    if (signal?.aborted) throw new CancelledError();
    try {
      outcomes.push(await deleteSnapshot(ec2, member.id, signal));
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      failure ??=
        error instanceof Error
          ? error
          : new TargetError(`Could not delete set ${backup.id}.`, { cause: error });
    }
  }
  if (failure) throw failure;
  const skipped = outcomes.filter((outcome) => outcome.result === 'skipped');
  if (skipped.length > 0) {
    return {
      result: 'skipped',
      message: `Set ${backup.id} is not deleted whole: ${skipped.map((outcome) => outcome.message).join(' ')}`,
      ...(skipped.every((outcome) => outcome.result === 'skipped' && outcome.inUse)
        ? { inUse: true }
        : {}),
    };
  }
  const gone = outcomes.every((outcome) => outcome.result === 'already-gone');
  return { result: gone ? 'already-gone' : 'deleted' };
}
