/**
 * Backups that are one backup made twice (a retried request that AWS carried out twice), found by
 * their `created-at` tag; retention keeps one and deletes the others. Pure.
 */
import { TAGS } from './constants.js';
import type { Backup, BackupState } from './model.js';

/** What tells backups' twins, per backup at its index: read once from each by retention. */
export interface TwinFacts {
  backups: readonly Backup[];
  /** `createdAt` in milliseconds. */
  times: readonly number[];
  ids: readonly string[];
  states: readonly BackupState[];
}

/**
 * Backups that are the same backup made twice: the same `created-at` tag (to the millisecond) and
 * `copy-of`, which only a request that AWS carried out twice gives (a retried CreateSnapshot or
 * CopySnapshot, whose API has no idempotency token). A backup's time is its `created-at` tag, so
 * twins have one time: only backups of equal times are compared, and their tags read (a tag that
 * AWS's own time overrode, one far in the future, makes no twin). Failed backups are left out:
 * retention deletes them anyway. One of each group stays: this run's, else a completed one, else a
 * pending one, lowest id first; the others map to it. Backups are named by their index in
 * `facts`; `order` is the indexes looked at, newest first.
 */
export function duplicates(
  order: readonly number[],
  facts: TwinFacts,
  thisRun: ReadonlySet<string> | undefined,
): Map<number, number> {
  const { backups, times, ids, states } = facts;
  const twins = new Map<number, number>();
  let start = 0;
  for (let end = 1; end <= order.length; end++) {
    const time = times[order[start] as number];
    if (end < order.length && times[order[end] as number] === time) continue;
    if (end - start > 1) {
      const sameTime = order.slice(start, end).filter((index) => states[index] !== 'failed');
      findTwins(sameTime, backups, ids, states, thisRun, twins);
    }
    start = end;
  }
  return twins;
}

/** Among backups of one time, those of one `created-at` tag and `copy-of`, into `twins`. */
function findTwins(
  sameTime: readonly number[],
  backups: readonly Backup[],
  ids: readonly string[],
  states: readonly BackupState[],
  thisRun: ReadonlySet<string> | undefined,
  twins: Map<number, number>,
): void {
  const groups = new Map<string, number[]>();
  for (const index of sameTime) {
    const backup = backups[index] as Backup;
    // An AMI's snapshots left behind share their image's tags; a backup without one is no twin.
    const createdAt = backup.tags[TAGS.createdAt];
    if (!createdAt) continue;
    const key = `${createdAt}\n${backup.copyOf ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  }
  const rank = (index: number): number =>
    thisRun?.has(ids[index] as string) ? 0 : states[index] === 'completed' ? 1 : 2;
  const byId = (a: number, b: number): number => {
    const [idA, idB] = [ids[a] as string, ids[b] as string];
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [kept, ...others] = [...group].sort((a, b) => rank(a) - rank(b) || byId(a, b));
    for (const other of others) if (kept !== undefined) twins.set(other, kept);
  }
}
