/**
 * What the core reads of each listed backup (its time, id, state, protection, run and original),
 * read once per listing, in listing order, as the listing is split by source. Pure.
 *
 * A listing mixes the sources, so one source's records lie spread over all of it in memory. Each
 * phase that read them again (the create decision, retention, copy planning, the copies'
 * retention) paid a cache miss for every record it touched: over 100,000 backups, most of the
 * time those phases took. Reading every record once, in the order the records lie in memory, and
 * keeping the facts in one array per fact and source, lets every later phase read arrays instead.
 *
 * The facts of each source's share are remembered per array, with the records they were read
 * from: `factsOf` gives them as long as the array still begins with those very records (a backup
 * appended later, a stray twin, is read then), and reads the records otherwise. Records are never
 * changed once listed, so facts remembered are facts read.
 */
import { TAGS } from './constants.js';
import type { Backup, BackupState } from './model.js';

/** What the core reads of backups, per backup at its index. */
export interface ListedFacts {
  /** `createdAt` in milliseconds. */
  times: readonly number[];
  ids: readonly string[];
  /** A number per id (`idKey`): ids are looked for among a source's backups by it. */
  idKeys: readonly number[];
  states: readonly BackupState[];
  /** It carries `snapshot-rotation:keep=true`. */
  protections: readonly boolean[];
  /** Its `snapshot-rotation:run` tag. */
  runs: readonly (string | undefined)[];
  /** For a copy: the id of its original (`copyOf`). */
  copyOfs: readonly (string | undefined)[];
  /** `idKey` of `copyOf`, or -1 for a backup that is no copy (no `copyOf`, or an empty one). */
  copyOfKeys: readonly number[];
}

/** Facts being gathered: the same arrays, still growing. */
interface Gathered {
  times: number[];
  ids: string[];
  idKeys: number[];
  states: BackupState[];
  protections: boolean[];
  runs: (string | undefined)[];
  copyOfs: (string | undefined)[];
  copyOfKeys: number[];
}

/**
 * The facts of a whole listing, ordered by source: each source's records take one run of indexes,
 * `from` to `to`, in listing order within it. Written in two passes over the listing, in the
 * order the records lie in memory; each source's facts are then one stretch of each array.
 */
type Listing = Gathered;

/** The records an array held when its facts were read, and where those facts are. */
interface Remembered {
  records: readonly Backup[];
  /** Its facts: those given, or the stretch of a listing's, once cut out. */
  facts?: ListedFacts;
  stretch?: { listing: Listing; from: number; to: number };
}

const remembered = new WeakMap<readonly Backup[], Remembered>();

/**
 * A number for an id (FNV-1a over its UTF-16 units, 31 bits): equal ids have equal keys, so ids
 * are looked for among backups by their keys, and only an equal key has its id compared. A
 * string's characters lie wherever the record that holds it does; the keys, read with the
 * listing, lie together.
 */
export function idKey(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) {
    hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  }
  return hash >>> 1;
}

/** True for a `snapshot-rotation:keep` value that protects (`true`, any case and spacing). */
export function isKeepTag(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

function gathered(): Gathered {
  return {
    times: [],
    ids: [],
    idKeys: [],
    states: [],
    protections: [],
    runs: [],
    copyOfs: [],
    copyOfKeys: [],
  };
}

/**
 * Writes the facts of `backup` at `at` of each array. A run, an original and its key are written
 * only when the backup has them: each array holds `undefined`, `undefined` and -1 there already.
 * `runIds` holds one string per run id met: the create decision compares every backup's run with
 * this run's, and strings of their own per record would each be read from wherever they lie.
 */
function write(backup: Backup, into: Gathered, at: number, runIds?: Map<string, string>): void {
  const { tags, copyOf } = backup;
  into.times[at] = backup.createdAt.getTime();
  into.ids[at] = backup.id;
  into.idKeys[at] = idKey(backup.id);
  into.states[at] = backup.state;
  into.protections[at] = isKeepTag(tags[TAGS.keep]);
  const run = tags[TAGS.run];
  if (run !== undefined) {
    let one = runIds?.get(run);
    if (one === undefined) {
      one = run;
      runIds?.set(run, one);
    }
    into.runs[at] = one;
  }
  if (copyOf !== undefined) {
    into.copyOfs[at] = copyOf;
    if (copyOf) into.copyOfKeys[at] = idKey(copyOf);
  }
}

/** Appends the facts of `backup`. */
function read(backup: Backup, into: Gathered): void {
  into.runs.push(undefined);
  into.copyOfs.push(undefined);
  into.copyOfKeys.push(-1);
  write(backup, into, into.times.length);
}

/**
 * One listing split by source (`sourceId`), reading every record's facts in listing order and
 * remembering them with each source's share. The first pass finds each record's source and counts
 * each source's records; the second writes each record's facts into its source's stretch.
 */
export function splitBySource(backups: readonly Backup[]): Map<string, Backup[]> {
  const n = backups.length;
  const slots = new Map<string, number>();
  const slotOf = new Int32Array(n);
  const counts: number[] = [];
  for (let index = 0; index < n; index++) {
    const { sourceId } = backups[index] as Backup;
    let slot = slots.get(sourceId);
    if (slot === undefined) {
      slot = counts.length;
      slots.set(sourceId, slot);
      counts.push(0);
    }
    slotOf[index] = slot;
    counts[slot] = (counts[slot] as number) + 1;
  }
  const starts = new Int32Array(counts.length + 1);
  counts.forEach((count, slot) => {
    starts[slot + 1] = (starts[slot] as number) + count;
  });
  const next = starts.slice(0, counts.length);
  // Made full (not holey) and of the kind they will hold, so that stretches cut from them are too.
  const listing: Listing = {
    times: new Array<number>(n).fill(0.5),
    ids: new Array<string>(n).fill(''),
    idKeys: new Array<number>(n).fill(0),
    states: new Array<BackupState>(n).fill('completed'),
    protections: new Array<boolean>(n).fill(false),
    runs: new Array<string | undefined>(n).fill(undefined),
    copyOfs: new Array<string | undefined>(n).fill(undefined),
    copyOfKeys: new Array<number>(n).fill(-1),
  };
  const records = new Array<Backup>(n);
  const runIds = new Map<string, string>();
  for (let index = 0; index < n; index++) {
    const backup = backups[index] as Backup;
    const slot = slotOf[index] as number;
    const at = next[slot] as number;
    next[slot] = at + 1;
    records[at] = backup;
    write(backup, listing, at, runIds);
  }
  const bySource = new Map<string, Backup[]>();
  for (const [sourceId, slot] of slots) {
    const from = starts[slot] as number;
    const to = starts[slot + 1] as number;
    const share = records.slice(from, to);
    remembered.set(share, { records: records.slice(from, to), stretch: { listing, from, to } });
    bySource.set(sourceId, share);
  }
  return bySource;
}

/**
 * The facts of `backups`: those read with the listing while the array still begins with the
 * records they were read from (any appended since are read now), else read from every record.
 */
export function factsOf(backups: readonly Backup[]): ListedFacts {
  const known = remembered.get(backups);
  if (!known || !startsWith(backups, known.records)) {
    const facts = gathered();
    for (const backup of backups) read(backup, facts);
    return facts;
  }
  if (!known.facts && known.stretch) {
    const { listing, from, to } = known.stretch;
    known.facts = {
      times: listing.times.slice(from, to),
      ids: listing.ids.slice(from, to),
      idKeys: listing.idKeys.slice(from, to),
      states: listing.states.slice(from, to),
      protections: listing.protections.slice(from, to),
      runs: listing.runs.slice(from, to),
      copyOfs: listing.copyOfs.slice(from, to),
      copyOfKeys: listing.copyOfKeys.slice(from, to),
    };
  }
  if (!known.facts) throw new Error('Facts remembered without facts or a stretch of them.');
  if (known.records.length === backups.length) return known.facts;
  const more = gathered();
  for (let index = known.records.length; index < backups.length; index++) {
    read(backups[index] as Backup, more);
  }
  const base = known.facts;
  const facts: ListedFacts = {
    times: base.times.concat(more.times),
    ids: base.ids.concat(more.ids),
    idKeys: base.idKeys.concat(more.idKeys),
    states: base.states.concat(more.states),
    protections: base.protections.concat(more.protections),
    runs: base.runs.concat(more.runs),
    copyOfs: base.copyOfs.concat(more.copyOfs),
    copyOfKeys: base.copyOfKeys.concat(more.copyOfKeys),
  };
  return facts;
}

/**
 * `[...first, ...second]`, with the facts read of `first`'s records remembered for it too: a
 * source's listed backups and this run's, decided together.
 */
export function concatListed(first: readonly Backup[], second: readonly Backup[]): Backup[] {
  const all = [...first, ...second];
  const known = remembered.get(first);
  if (known) remembered.set(all, known);
  return all;
}

/**
 * The backups at `indexes` of `backups`, in that order, with the facts read of them carried along
 * when those of `backups` were read with a listing: what retention keeps, which copy planning
 * reads next.
 */
export function pickListed(
  backups: readonly Backup[],
  indexes: readonly number[],
  /** `factsOf(backups)`, when the caller has them already. */
  read?: ListedFacts,
): Backup[] {
  const picked = indexes.map((index) => backups[index] as Backup);
  if (!remembered.has(backups)) return picked;
  const all = read ?? factsOf(backups);
  const facts = gathered();
  for (const index of indexes) {
    facts.times.push(all.times[index] as number);
    facts.ids.push(all.ids[index] as string);
    facts.idKeys.push(all.idKeys[index] as number);
    facts.states.push(all.states[index] as BackupState);
    facts.protections.push(all.protections[index] as boolean);
    facts.runs.push(all.runs[index]);
    facts.copyOfs.push(all.copyOfs[index]);
    facts.copyOfKeys.push(all.copyOfKeys[index] as number);
  }
  remembered.set(picked, { records: [...picked], facts });
  return picked;
}

function startsWith(backups: readonly Backup[], records: readonly Backup[]): boolean {
  if (records.length > backups.length) return false;
  for (let index = 0; index < records.length; index++) {
    if (backups[index] !== records[index]) return false;
  }
  return true;
}
