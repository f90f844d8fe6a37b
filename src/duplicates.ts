/**
 * Backups that are one backup made twice (a retried request that AWS carried out twice), found by
 * their `created-at` tag; retention keeps one and deletes the others. Pure.
 */
import { TAGS } from './constants.js';
import type { Backup } from './model.js';

/**
 * Backups that are the same backup made twice: the same `created-at` tag (to the millisecond) and
 * `copy-of`, which only a request that AWS carried out twice gives (a retried CreateSnapshot or
 * CopySnapshot, whose API has no idempotency token). Failed backups are left out: retention
 * deletes them anyway. One of each group stays: this run's, else a completed one, else a pending
 * one, lowest id first; the others map to it.
 */
export function duplicates(
  backups: readonly Backup[],
  thisRun: ReadonlySet<string> | undefined,
): Map<Backup, Backup> {
  // Most backups have a `created-at` of their own: one pass finds the tags met twice, with one
  // set operation per backup on the tag's own string (V8 keeps its hash); only if some were is a
  // second pass made, to group the backups that share one. The tags are read once.
  const tags = backups.map((backup) =>
    // Failed backups go anyway; an AMI's snapshots left behind share their image's tags.
    backup.state === 'failed' ? undefined : backup.tags[TAGS.createdAt] || undefined,
  );
  const seen = new Set<string>();
  const again = new Set<string>();
  for (const at of tags) {
    if (at === undefined) continue;
    const size = seen.size;
    if (seen.add(at).size === size) again.add(at);
  }
  const shared = new Map<string, Backup[]>();
  if (again.size > 0) {
    backups.forEach((backup, index) => {
      const at = tags[index];
      if (at === undefined || !again.has(at)) return;
      const group = shared.get(at);
      if (group) group.push(backup);
      else shared.set(at, [backup]);
    });
  }
  const twins = new Map<Backup, Backup>();
  if (shared.size === 0) return twins;
  const rank = (backup: Backup): number =>
    thisRun?.has(backup.id) ? 0 : backup.state === 'completed' ? 1 : 2;
  for (const sameTime of shared.values()) {
    const byCopyOf = new Map<string, Backup[]>();
    for (const backup of sameTime) {
      const key = backup.copyOf ?? '';
      const group = byCopyOf.get(key);
      if (group) group.push(backup);
      else byCopyOf.set(key, [backup]);
    }
    for (const group of byCopyOf.values()) {
      if (group.length < 2) continue;
      const [kept, ...others] = [...group].sort(
        (a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      for (const other of others) if (kept) twins.set(other, kept);
    }
  }
  return twins;
}
