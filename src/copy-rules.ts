/**
 * Pure planning of copies (DESIGN §5): which backups a destination needs, how many copies start at
 * once, the tags a copy carries, and what a source's copies need before anything is created (a KMS
 * key, an option group in each destination).
 */
import { TAG_PREFIX, TAGS } from './constants.js';
import type { CopyConfig } from './inputs.js';
import type { Backup } from './model.js';
import { MAX_TAGS } from './plan.js';
import { factsOf } from './listing-facts.js';
import { keptIndexes, type RetentionRules } from './retention.js';
import { TARGET_TYPE_FACTS } from './target-types.js';

/**
 * Which of a source's backups need a copy in one destination region, newest first: those that the
 * copy retention keeps and that have no live copy there yet (a failed copy does not count, so the
 * next run copies again).
 *
 * The retention is decided over what the destination would hold: every completed original plus, as
 * stand-ins, the originals of its copies that are gone from the source region. It is the same
 * decision that the copy retention makes over the copies themselves (same ages, same rules, no
 * `keep` protection, which copies do not carry), so a copy that retention deletes is never wanted
 * again by the next run. Archived originals are set apart: AWS copies them only once restored.
 */
export function planCopies(
  originals: readonly Backup[],
  copies: readonly Backup[],
  context: { now: Date; rules: RetentionRules },
): {
  wanted: Backup[];
  missing: Backup[];
  archived: Backup[];
  /** The wanted backups that have a live copy already, with it (a completed one first). */
  copied: { original: Backup; copy: Backup }[];
} {
  // Read from the facts read with the listings (listing-facts.ts), not the records: this runs for
  // every source on every run. Ids are matched by their keys, and compared only on an equal key.
  const home = factsOf(originals);
  const held = factsOf(copies);
  const { copyOfKeys, copyOfs, states: copyStates, times: copyTimes } = held;
  const live: { index: number; of: string; key: number }[] = [];
  // A copy's key tells it is one (-1: not), without reading its string from wherever it lies.
  copyOfKeys.forEach((key, index) => {
    const of = copyOfs[index];
    if (key !== -1 && of !== undefined && copyStates[index] !== 'failed') {
      live.push({ index, of, key });
    }
  });
  const view = new View();
  // Every completed original, unprotected: the last record of an id stands for it.
  const { ids, idKeys, times } = home;
  home.states.forEach((state, index) => {
    if (state !== 'completed') return;
    const id = ids[index] as string;
    const key = idKeys[index] as number;
    const entry = {
      backup: originals[index] as Backup,
      time: times[index] as number,
      original: index,
    };
    const slot = view.find(key, id);
    if (slot === undefined) view.add(key, id, entry);
    else view.entries[slot] = entry;
  });
  // A copy whose original is gone stands for it: the destination holds it still.
  for (const { index, of, key } of live) {
    if (view.find(key, of) !== undefined) continue;
    view.add(key, of, {
      backup: copies[index] as Backup,
      time: copyTimes[index] as number,
      original: -1,
    });
  }
  const kept = keptIndexes(
    {
      backups: view.entries.map((entry) => entry.backup),
      times: view.entries.map((entry) => entry.time),
      ids: view.ids,
      idKeys: view.keys,
      states: view.ids.map(() => 'completed'),
      protections: view.ids.map(() => false),
    },
    context.rules,
    context.now,
  );
  const copiedKeys = new Set(live.map(({ key }) => key));
  const wanted: Backup[] = [];
  const uncopied: Backup[] = [];
  const copied: { original: Backup; copy: Backup }[] = [];
  for (const slot of kept) {
    const { original } = view.entries[slot] as ViewEntry;
    if (original < 0) continue;
    const backup = originals[original] as Backup;
    wanted.push(backup);
    const key = view.keys[slot] as number;
    const id = view.ids[slot] as string;
    const its = copiedKeys.has(key) ? live.filter((c) => c.key === key && c.of === id) : [];
    const best = its.find((c) => copyStates[c.index] === 'completed') ?? its[0];
    if (best) copied.push({ original: backup, copy: copies[best.index] as Backup });
    else uncopied.push(backup);
  }
  // AWS copies no archived snapshot: it stays wanted (the same decision), but is never started.
  return {
    wanted,
    missing: uncopied.filter((backup) => !backup.archived),
    archived: uncopied.filter((backup) => backup.archived),
    copied,
  };
}

/** One backup of what a destination would hold: an original, or a copy standing for one gone. */
interface ViewEntry {
  backup: Backup;
  time: number;
  /** The original's index, or -1 for a copy standing for it. */
  original: number;
}

/** What a destination would hold, one entry per id, found by the id's key. */
class View {
  readonly ids: string[] = [];
  readonly keys: number[] = [];
  readonly entries: ViewEntry[] = [];
  /** The first entry of each key, and the next entry of the same key after each entry (or -1). */
  private readonly first = new Map<number, number>();
  private readonly next: number[] = [];

  find(key: number, id: string): number | undefined {
    for (let slot = this.first.get(key) ?? -1; slot >= 0; slot = this.next[slot] as number) {
      if (this.ids[slot] === id) return slot;
    }
    return undefined;
  }

  add(key: number, id: string, entry: ViewEntry): void {
    const slot = this.ids.length;
    this.next.push(this.first.get(key) ?? -1);
    this.first.set(key, slot);
    this.ids.push(id);
    this.keys.push(key);
    this.entries.push(entry);
  }
}

/** One copy that a target wants to start in a destination region. */
export interface CopyRequestSlot<T> {
  item: T;
  /** 0 for a target's newest backup, 1 for the next…: every target's newest goes first. */
  rank: number;
  /** In-flight slots it takes (an AMI's snapshots each take one). */
  slots: number;
}

/**
 * Admits copies into a destination's in-flight limit (DESIGN §5): every target's newest backup
 * first, then the older ones, in target order; from the first that does not fit on, the rest wait
 * for a later run.
 */
export function admitCopies<T>(
  requests: readonly CopyRequestSlot<T>[],
  inFlight: number,
  limit: number,
): { admitted: T[]; queued: T[] } {
  const ordered = requests
    .map((request, index) => ({ request, index }))
    .sort((a, b) => a.request.rank - b.request.rank || a.index - b.index);
  const admitted: T[] = [];
  const queued: T[] = [];
  let used = inFlight;
  for (const { request } of ordered) {
    if (queued.length === 0 && used + request.slots <= limit) {
      admitted.push(request.item);
      used += request.slots;
    } else {
      queued.push(request.item);
    }
  }
  return { admitted, queued };
}

/**
 * The tag set of a copy: the original's tags (so user and source tags travel with it), its
 * `created-at` (a copy is as old as its original), `copy-of` and `source-region`, and this run
 * (its id and, on GitHub Actions, its repository and workflow).
 * The original's `keep` protection is not carried: copies follow the copy retention. Within AWS's
 * 50 tags, the original's own tags give way first and are named in `dropped`.
 */
export function composeCopyTags(
  original: Backup,
  context: { runId?: string; provenance?: Readonly<Record<string, string>> },
): { tags: Record<string, string>; dropped: string[] } {
  const ownership: Record<string, string> = {
    [TAGS.backupSet]: original.set,
    [TAGS.source]: original.sourceId,
    [TAGS.createdAt]: original.createdAt.toISOString(),
    [TAGS.copyOf]: original.id,
    [TAGS.sourceRegion]: original.region,
    ...(context.runId ? { [TAGS.run]: context.runId } : {}),
    ...context.provenance,
  };
  const carried = Object.entries(original.tags).filter(
    ([key]) => !key.startsWith(TAG_PREFIX) && !key.toLowerCase().startsWith('aws:'),
  );
  const room = Math.max(MAX_TAGS - Object.keys(ownership).length, 0);
  return {
    tags: { ...Object.fromEntries(carried.slice(0, room)), ...ownership },
    dropped: carried.slice(room).map(([key]) => key),
  };
}

/**
 * Why a source's backups cannot be copied as configured, found before anything is created: an
 * encrypted RDS snapshot crosses regions only with a KMS key of the destination region.
 */
export function copyKeyProblem(
  kind: Backup['kind'],
  encrypted: boolean,
  sourceId: string,
  copy: CopyConfig,
): string | undefined {
  if (!TARGET_TYPE_FACTS[kind].copyNeedsKey || !encrypted) return undefined;
  const missing = copy.regions.filter((region) => !copy.kmsKeyIds[region]);
  if (missing.length === 0) return undefined;
  return `${sourceId} is encrypted, and RDS copies an encrypted snapshot to another region only with a KMS key of that region: set 'copy-kms-key-id' for ${missing.join(', ')} (one key, or 'region=key' lines). Nothing was created or copied for it.`;
}

/** True for the option groups RDS makes itself (`default:mysql-8-0`), which every region has. */
export function isDefaultOptionGroup(name: string): boolean {
  return name.toLowerCase().startsWith('default:');
}

/**
 * Why a DB instance's snapshots cannot be copied as configured, found before anything is created:
 * an option group belongs to one region, so a copy of a snapshot with a non-default one needs an
 * option group named for its destination (`OptionGroupName` of CopyDBSnapshot).
 */
export function copyOptionGroupProblem(
  kind: Backup['kind'],
  optionGroup: string | undefined,
  sourceId: string,
  copy: CopyConfig,
): string | undefined {
  if (!TARGET_TYPE_FACTS[kind].optionGroups || !optionGroup || isDefaultOptionGroup(optionGroup)) {
    return undefined;
  }
  const missing = copy.regions.filter((region) => !copy.optionGroups[region]);
  if (missing.length === 0) return undefined;
  return `${sourceId} uses the option group '${optionGroup}', which exists in its own region only, and RDS copies a DB snapshot with a non-default option group to another region only with an option group of that region: set 'copy-option-group' for ${missing.join(', ')} (one name, or 'region=name' lines). Nothing was created or copied for it.`;
}
