/**
 * What retention reads of each backup, read once, and the backups' newest-first order. Pure.
 *
 * Backups come from several adapters, and as copies and stand-ins, in many object shapes; reading
 * their fields again at every step of retention, and an object per backup to hold them, cost more
 * than the decisions themselves. Each fact is read once into one array per fact (`facts.times[i]`
 * is backup i's time), and retention works on indexes into them.
 */
import { TAGS } from './constants.js';
import type { TwinFacts } from './duplicates.js';
import type { Backup, BackupState } from './model.js';
import { newestFirstOrder } from './newest-first.js';

/** What retention reads of backups, per backup at its index in the input. */
export interface Facts extends TwinFacts {
  backups: readonly Backup[];
  /** `createdAt` in milliseconds. */
  times: number[];
  ids: string[];
  states: BackupState[];
  /** It carries `snapshot-rotation:keep=true`. */
  protections: boolean[];
  /** Its id is one of this run's backups. */
  thisRun: boolean[];
}

/** True for a `snapshot-rotation:keep` value that protects (`true`, any case and spacing). */
export function isKeepTag(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

/**
 * The facts of `backups`, and their indexes newest first, with one index per backup id: a backup
 * listed twice (pages that overlap) or given again as one of this run's (`thisRun`, its ids)
 * counts once, as its last record in `backups`.
 */
export function readFacts(
  backups: readonly Backup[],
  thisRun: ReadonlySet<string> | undefined,
): { facts: Facts; order: number[] } {
  const facts: Facts = {
    backups,
    times: [],
    ids: [],
    states: [],
    protections: [],
    thisRun: [],
  };
  const checkThisRun = thisRun !== undefined && thisRun.size > 0;
  let fromThisRun = 0;
  for (const backup of backups) {
    facts.times.push(backup.createdAt.getTime());
    facts.ids.push(backup.id);
    facts.states.push(backup.state);
    facts.protections.push(isKeepTag(backup.tags[TAGS.keep]));
    const ours = checkThisRun && thisRun.has(backup.id);
    facts.thisRun.push(ours);
    if (ours) fromThisRun += 1;
  }
  const order = newestFirstOrder(facts.times, facts.ids);
  return { facts, order: withoutRepeats(order, facts, fromThisRun > (thisRun?.size ?? 0)) };
}

/**
 * `order` with one index per id, the last record's. A backup listed twice has one time, so its
 * records lie side by side (equal times are ordered by id); only equal times are compared by id.
 * One of this run's backups may have been listed with another time (a record read before it was
 * tagged): with `thisRunTwice`, those are matched by id.
 */
function withoutRepeats(order: number[], facts: Facts, thisRunTwice: boolean): number[] {
  const { times, ids } = facts;
  const dropped = new Set<number>();
  if (thisRunTwice) {
    const last = new Map<string, number>();
    facts.thisRun.forEach((ours, index) => {
      if (!ours) return;
      const before = last.get(ids[index] as string);
      if (before !== undefined) dropped.add(before);
      last.set(ids[index] as string, index);
    });
  }
  for (let rank = 1; rank < order.length; rank++) {
    const before = order[rank - 1] as number;
    const index = order[rank] as number;
    if (times[before] !== times[index] || ids[before] !== ids[index]) continue;
    // Equal times and ids are in input order: the one before is the earlier record.
    dropped.add(before);
  }
  return dropped.size === 0 ? order : order.filter((index) => !dropped.has(index));
}

/** Indexes in newest-first order: by time, equal times by id (the greater first). */
export function inNewestFirstOrder(indexes: readonly number[], facts: Facts): number[] {
  const order = newestFirstOrder(
    indexes.map((index) => facts.times[index] as number),
    indexes.map((index) => facts.ids[index] as string),
  );
  return order.map((rank) => indexes[rank] as number);
}
