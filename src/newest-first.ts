/**
 * The one order retention, planning and reports put backups in: newest first, ties of time broken
 * by id (the greater first), so the same listing always gives the same order. Pure.
 */
import type { Backup } from './model.js';

/** Newest first; ties broken by id so the same input always gives the same order. */
export function newestFirst(a: Backup, b: Backup): number {
  const diff = b.createdAt.getTime() - a.createdAt.getTime();
  return diff !== 0 ? diff : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The indexes of items in `newestFirst` order, given each one's time in milliseconds and id:
 * newest first, equal times by id (the greater first), equal both in input order.
 *
 * When the times' span times the count fits in a double's 53-bit integers, which it does for any
 * real listing (100,000 backups over 2,800 years), each item is one number, `(newest − time) × n
 * + index`, and the numbers are sorted by the engine's numeric sort without a comparator called
 * from JavaScript: retention sorts every target's backups, and a comparator sort took twice as
 * long. Only runs of equal times are then ordered by id. Other inputs (invalid dates, spans beyond
 * that) take the comparator sort.
 */
export function newestFirstOrder(times: readonly number[], ids: readonly string[]): number[] {
  const n = times.length;
  let newest = -Infinity;
  let oldest = Infinity;
  let invalid = false;
  for (const time of times) {
    if (time > newest) newest = time;
    if (time < oldest) oldest = time;
    if (Number.isNaN(time)) invalid = true;
  }
  // Already newest first, equal times by id (what retention keeps, listings that come so).
  let sorted = true;
  for (let index = 1; index < n && sorted; index++) {
    const before = times[index - 1] as number;
    const time = times[index] as number;
    if (
      before < time ||
      (before === time && !((ids[index - 1] as string) > (ids[index] as string)))
    ) {
      sorted = false;
    }
  }
  if (sorted && !invalid) return Array.from({ length: n }, (_, index) => index);
  const byId = (a: number, b: number): number => {
    const [idA, idB] = [ids[a] as string, ids[b] as string];
    return idA < idB ? 1 : idA > idB ? -1 : a - b;
  };
  if (invalid || !((newest - oldest + 1) * n <= Number.MAX_SAFE_INTEGER)) {
    return times
      .map((_, index) => index)
      .sort((a, b) => {
        const diff = (times[b] as number) - (times[a] as number);
        return diff !== 0 ? diff : byId(a, b);
      });
  }
  // One buffer, grown as needed, for every sort: a new one per source cost a third of the sort.
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const keys = scratch.subarray(0, n);
  for (let index = 0; index < n; index++)
    keys[index] = (newest - (times[index] as number)) * n + index;
  keys.sort();
  const order = new Array<number>(n);
  let ties = false;
  let previous = NaN;
  for (let rank = 0; rank < n; rank++) {
    const key = keys[rank] as number;
    const index = key - Math.floor(key / n) * n;
    order[rank] = index;
    if (times[index] === previous) ties = true;
    previous = times[index] as number;
  }
  if (!ties) return order;
  // Runs of equal times: ordered by id, each run on its own.
  let start = 0;
  for (let end = 1; end <= n; end++) {
    if (end < n && times[order[end] as number] === times[order[start] as number]) continue;
    if (end - start > 1) order.splice(start, end - start, ...order.slice(start, end).sort(byId));
    start = end;
  }
  return order;
}

/** The keys' buffer (`newestFirstOrder`), reused by every call. */
let scratch = new Float64Array(1_024);
