/**
 * The source region's listing of every set's backups of a run's sources, split by set: the run's
 * own set, which it keeps and prunes, and the other sets, which it never touches but names in the
 * report, so that backups a renamed workflow left under its old set are not forgotten. Pure.
 */
import type { Backup } from './model.js';
import type { OtherSet } from './report.js';

/**
 * `own`: the backups of `set` (copies other regions made into this one left out: theirs to keep).
 * `others`: per other set, how many backups it holds of `sources` (copies left out too), of how
 * many of them, and its oldest; by set name.
 */
export function splitSets(
  listing: readonly Backup[],
  set: string,
  sources: readonly string[],
): { own: Backup[]; others: OtherSet[] } {
  const originals = listing.filter((backup) => !backup.copyOf);
  const own = originals.filter((backup) => backup.set === set);
  const wanted = new Set(sources.map((id) => id.toLowerCase()));
  const bySet = new Map<string, Backup[]>();
  for (const backup of originals) {
    if (backup.set === set || !wanted.has(backup.sourceId.toLowerCase())) continue;
    bySet.set(backup.set, [...(bySet.get(backup.set) ?? []), backup]);
  }
  const others = [...bySet]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, backups]) => ({
      set: name,
      backups: backups.length,
      sources: new Set(backups.map((backup) => backup.sourceId.toLowerCase())).size,
      oldest: new Date(
        Math.min(...backups.map((backup) => backup.createdAt.getTime())),
      ).toISOString(),
    }));
  return { own, others };
}
