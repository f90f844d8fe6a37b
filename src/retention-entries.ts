/**
 * What retention reads of each backup, read once, and the backups' newest-first order. Pure.
 *
 * Backups come from several adapters, and as copies and stand-ins, in many object shapes; reading
 * their fields again at every step of retention, and an object per backup to hold them, cost more
 * than the decisions themselves. Each fact is read once into one array per fact (`facts.times[i]`
 * is backup i's time; listing-facts.ts), and retention works on indexes into them.
 */
import type { TwinFacts } from './duplicates.js';
import { factsOf, idKey, type ListedFacts } from './listing-facts.js';
import type { Backup } from './model.js';
import { newestFirstOrder } from './newest-first.js';

/** What retention reads of backups, per backup at its index in the input. */
export interface Facts extends TwinFacts {
  backups: readonly Backup[];
  /** `idKey` of each id (listing-facts.ts). */
  idKeys: readonly number[];
  /** It carries `snapshot-rotation:keep=true`. */
  protections: readonly boolean[];
  /** Its id is one of this run's backups. */
  thisRun: readonly boolean[];
}

/** Facts given by the caller: retention finds which are this run's. */
export type GivenFacts = Omit<Facts, 'thisRun'>;

/**
 * The facts of `backups` (listing-facts.ts: read once per listing where the listing was split by
 * source, and given back as `listed`), and their indexes newest first, with one index per backup id: a backup listed twice
 * (pages that overlap) or given again as one of this run's (`thisRun`, its ids) counts once, as
 * its last record in `backups`.
 */
export function readFacts(
  backups: readonly Backup[],
  thisRun: ReadonlySet<string> | undefined,
): { facts: Facts; order: number[]; listed: ListedFacts } {
  const listed = factsOf(backups);
  const { times, ids, idKeys, states, protections } = listed;
  const { facts, order } = withOrder({ backups, times, ids, idKeys, states, protections }, thisRun);
  return { facts, order, listed };
}

/** `readFacts` over facts the caller has read or made (copy planning's view of a destination). */
export function withOrder(
  given: GivenFacts,
  thisRun: ReadonlySet<string> | undefined,
): { facts: Facts; order: number[] } {
  const { backups, times, ids, idKeys, states, protections } = given;
  const ours: boolean[] = new Array<boolean>(ids.length).fill(false);
  let fromThisRun = 0;
  if (thisRun !== undefined && thisRun.size > 0) {
    // By the ids' keys first: only an equal key has its id compared.
    const keys = [...thisRun].map(idKey);
    for (let index = 0; index < ids.length; index++) {
      if (!keys.includes(idKeys[index] as number) || !thisRun.has(ids[index] as string)) continue;
      ours[index] = true;
      fromThisRun += 1;
    }
  }
  const facts: Facts = { backups, times, ids, idKeys, states, protections, thisRun: ours };
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
