/**
 * Benchmark of the pure core (`npm run bench`, part a): retention and planning over one big listing,
 * done the way a run of src/main.ts and src/copies.ts does them. No AWS SDK, no network.
 *
 * From a fixed seed it makes N sources × M backups (default 1,000 × 100 = 100,000 EBS snapshots of
 * one set, spread over two years, a few pending, failed or protected, in no particular order, like
 * one listing), and a copy destination holding copies of each source's newest backups, listed
 * after the source region. Each record is made as an adapter makes it, by `ownedBackup` from an
 * AWS-shaped answer (tags as a Key/Value list), so that records have a run's shapes and lie in
 * memory as a run's do. It then times each phase of a run over them, once to warm up and then 5
 * times:
 *
 * - group: the listings of the source region and the destination split per target, as the run
 *   does it (`bySource`, one pass each);
 * - planCreate: each target's create decision;
 * - planPrune: each target's retention in the source region (its in-flight copies pinned), with
 *   generations 7, keep-within 30d and keep-daily/weekly/monthly/yearly 7/4/12/2 in Asia/Tokyo;
 * - planCopies: the backups each target copies, then their admission into the in-flight limit;
 * - copy retention: each target's copies in the destination.
 *
 * It prints the median of each phase, the median and max of the total, how many backups were kept
 * and deleted (so a reader can tell the work was real).
 *
 * Options: `--sources`, `--per-source`; `--repetitions` (5 unless given); `--zone` and `--hourly` (a keep-hourly count) change the
 * calendar rules; `--layout by-source` makes the records in per-source order, so that each target's
 * backups lie together in memory (a listing never comes so: it shows what reading records spread
 * over memory costs); `--digest` prints a SHA-256 of every decision of one run instead of timing,
 * so that a change to the core can be shown to decide exactly as before.
 *
 *   npx ncc build bench/core.ts -o /tmp/bench-core && node /tmp/bench-core/index.js
 *   node /tmp/bench-core/index.js --sources 100 --per-source 1000
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TAGS } from '../src/constants.js';
import { TARGET_TYPE_FACTS } from '../src/target-types.js';
import { admitCopies, planCopies, type CopyRequestSlot } from '../src/copy-rules.js';
import { factsOf } from '../src/listing-facts.js';
import { planCreate, planPrune, planPruneKeeping } from '../src/plan.js';
import type { RetentionRules } from '../src/retention.js';
import { ownedBackup } from '../src/targets/tags.js';
import type { Backup, BackupState } from '../src/targets/target.js';
import { bySource } from '../src/work.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NOW = new Date('2025-06-01T00:00:00Z');
const SET = 'nightly';
const REGION = 'us-east-1';
const DESTINATION = 'eu-west-1';
const RUN_ID = '9000000001';
// Calendar rules as an operator sets them (restic-style), in a time zone with no DST. Their periods
// come from the zone's offsets, read through Intl once per UTC hour met (src/zone-formats.ts): the
// warm-up run reads them, as a run reads them once.
const { values } = parseArgs({
  options: {
    sources: { type: 'string', default: '1000' },
    'per-source': { type: 'string', default: '100' },
    zone: { type: 'string', default: 'Asia/Tokyo' },
    hourly: { type: 'string', default: '0' },
    layout: { type: 'string', default: 'listing' },
    digest: { type: 'boolean', default: false },
    repetitions: { type: 'string', default: '5' },
  },
});
const RULES: RetentionRules = {
  generations: 7,
  keepWithinMs: 30 * DAY,
  calendar: {
    daily: 7,
    weekly: 4,
    monthly: 12,
    yearly: 2,
    timeZone: values.zone,
    ...(values.hourly !== '0' ? { hourly: Number(values.hourly) } : {}),
  },
};
const COPY_RULES: RetentionRules = { generations: 3, keepWithinMs: 7 * DAY };
/** The destination holds copies of this many of each source's newest backups. */
const COPIED = 20;

if (!['listing', 'by-source'].includes(values.layout)) {
  throw new Error(`--layout takes listing or by-source, not '${values.layout}'.`);
}
const sources = count('sources', values.sources);
const perSource = count('per-source', values['per-source']);
const REPETITIONS = count('repetitions', values.repetitions);

function count(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} takes a whole number of at least 1, not '${text}'.`);
  }
  return value;
}

/** mulberry32: a small seeded PRNG, so every run benchmarks the same data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Data {
  sourceIds: string[];
  /** One listing of the set in the source region. */
  listing: Backup[];
  /** One listing of the set in the destination: copies of part of the backups. */
  destination: Backup[];
  /** The backup this run makes of each source (completed, as after `wait`). */
  made: Map<string, Backup>;
}

function generate(): Data {
  const random = prng(20250601);
  // Ids are flat strings (`join`), and each answer carries its own copy of every string, as when
  // the listing and the sources' lookup are parsed from different responses: comparing them then
  // reads their characters, as the run does.
  const id = (prefix: string): string =>
    [prefix, ...Array.from({ length: 17 }, () => Math.floor(random() * 16).toString(16))].join('');
  const own = (text: string): string => [...text].join('');
  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };
  const clock = (): Date => NOW;
  /**
   * A backup as an adapter makes it: AWS's answer (its tags a Key/Value list), made into a record
   * by the adapters' own `ownedBackup`, so that records have the shapes a run's have.
   */
  const record = (
    region: string,
    sourceId: string,
    createdAt: Date,
    state: BackupState,
    run: number,
    more: Record<string, string> = {},
    drawn = id('snap-'),
  ): Backup => {
    const tags = {
      Name: `data of ${sourceId}`,
      team: 'storage',
      [TAGS.backupSet]: SET,
      [TAGS.source]: sourceId,
      [TAGS.createdAt]: createdAt.toISOString(),
      [TAGS.run]: String(run),
      ...more,
    };
    const backup = ownedBackup('ebs-volume', region, clock, {
      id: own(drawn),
      tags: Object.entries(tags).map(([key, value]) => ({ Key: own(key), Value: own(value) })),
      state,
      awsTime: new Date(createdAt.getTime()),
      ...(state === 'failed' ? { stateMessage: 'Internal error.' } : {}),
    });
    if (!backup) throw new Error(`The bench's backup ${drawn} is not owned.`);
    return backup;
  };

  const sourceIds = Array.from({ length: sources }, () => id('vol-'));
  const made = new Map(
    sourceIds.map((s) => [s, record(REGION, s, NOW, 'completed', Number(RUN_ID))]),
  );
  // The listing's order mixes the sources. Records are made in that order, as an adapter makes them
  // from the pages it reads: in memory they lie in listing order, and each target's backups, which
  // the run walks one target at a time, are spread over all of it.
  const inOrder = <T>(items: T[]): T[] => items;
  const order = (values.layout === 'by-source' ? inOrder : shuffle)(
    sourceIds.flatMap((sourceId) => Array.from({ length: perSource }, (_, i) => ({ sourceId, i }))),
  );
  const listing: Backup[] = [];
  // The destination's listing is another region's answer, read after the source region's: its
  // records are made after the listing's, from what this pass drew.
  const copied: {
    sourceId: string;
    createdAt: Date;
    state: BackupState;
    run: number;
    of: string;
    drawn: string;
  }[] = [];
  const spacing = (730 * DAY) / perSource;
  for (const { sourceId, i } of order) {
    // i = 0 is the newest; each is about `spacing` older than the one before, give or take an hour.
    const createdAt = new Date(NOW.getTime() - i * spacing - (1 + random()) * HOUR);
    const roll = random();
    // A few newest ones still in progress, a few failed ones anywhere.
    const state = i === 0 && roll < 0.02 ? 'pending' : roll > 0.995 ? 'failed' : 'completed';
    const drawn = id('snap-');
    const more: Record<string, string> = random() < 0.01 ? { [TAGS.keep]: 'true' } : {};
    const run = Number(RUN_ID) - 1 - i;
    const backup = record(REGION, sourceId, createdAt, state, run, more, drawn);
    listing.push(backup);
    if (i < COPIED && state === 'completed') {
      const copyState = i === 0 && random() < 0.005 ? 'pending' : 'completed';
      copied.push({
        sourceId,
        createdAt,
        state: copyState,
        run,
        of: backup.id,
        drawn: id('snap-'),
      });
    }
  }
  const destination = copied.map(({ sourceId, createdAt, state, run, of, drawn }) => {
    const copyTags = { [TAGS.copyOf]: of, [TAGS.sourceRegion]: REGION };
    return record(DESTINATION, sourceId, createdAt, state, run, copyTags, drawn);
  });
  return { sourceIds, listing, destination, made };
}

/** One target's share of the listings and what the run decided for it (cf. src/work.ts). */
interface Work {
  sourceId: string;
  existing: Backup[];
  copies: Backup[];
  thisRun: Backup[];
  /** What retention keeps in the source region (as prune.ts's `decide`). */
  kept: Backup[];
  deleted: number;
  copiesThisRun: Backup[];
}

const PHASES = ['group', 'planCreate', 'planPrune', 'planCopies', 'copy retention'] as const;

/** One run's worth of core work over the data: the time of each phase, and what it decided. */
function runOnce(data: Data, note?: (line: string) => void): { times: number[]; outcome: string } {
  const times: number[] = [];
  let start = performance.now();
  const lap = (): void => {
    const end = performance.now();
    times.push(end - start);
    start = end;
  };

  // group: as main.ts and copies.ts, each listing split by source in one pass (src/work.ts).
  const backupsOf = bySource(data.listing.filter((backup) => !backup.copyOf));
  const copiesOf = bySource(data.destination.filter((b) => b.copyOf && b.sourceRegion === REGION));
  const inFlight = data.destination.filter((b) => b.copyOf && b.state === 'pending').length;
  const works: Work[] = data.sourceIds.map((sourceId) => ({
    sourceId,
    existing: backupsOf(sourceId),
    copies: copiesOf(sourceId),
    thisRun: [],
    kept: [],
    deleted: 0,
    copiesThisRun: [],
  }));
  lap();

  for (const work of works) {
    const decision = planCreate(work.existing, { now: NOW, runId: RUN_ID });
    note?.(`${work.sourceId} ${decision.action}`);
    if (decision.action === 'reuse') work.thisRun.push(decision.backup);
    const made = data.made.get(work.sourceId);
    if (decision.action === 'create' && made) work.thisRun.push(made);
  }
  lap();

  let kept = 0;
  for (const work of works) {
    // As copy-plan.ts's pendingCopies: a backup whose copy is in flight is not deleted.
    const pinned = new Map<string, string>();
    const { states, copyOfs, copyOfKeys, ids } = factsOf(work.copies);
    states.forEach((state, index) => {
      const of = copyOfs[index];
      if (state !== 'pending' || copyOfKeys[index] === -1 || of === undefined) return;
      pinned.set(of, `its copy ${ids[index]} to ${DESTINATION} is in progress`);
    });
    // As prune.ts's decide: the decisions, and what they keep (with its facts) for copy planning.
    const planned = planPruneKeeping(work.existing, {
      now: NOW,
      rules: RULES,
      thisRun: work.thisRun,
      pinned,
    });
    work.kept = planned.kept;
    for (const decision of planned.decisions) {
      note?.(JSON.stringify([decision.backup.id, decision.keep, decision.reasons, decision.rules]));
      if (decision.keep) kept += 1;
      else work.deleted += 1;
    }
  }
  lap();

  // As copies.ts's planCopyStarts, for one destination region.
  const requests: CopyRequestSlot<{ work: Work; original: Backup }>[] = [];
  let exists = 0;
  for (const work of works) {
    const { wanted, missing, copied } = planCopies(work.kept, work.copies, {
      now: NOW,
      rules: COPY_RULES,
    });
    note?.(`copy ${wanted.map((b) => b.id).join()} missing ${missing.map((b) => b.id).join()}`);
    exists += copied.length;
    missing.forEach((original, rank) => {
      requests.push({ item: { work, original }, rank, slots: 1 });
    });
  }
  const { admitted, queued } = admitCopies(
    requests,
    inFlight,
    TARGET_TYPE_FACTS['ebs-volume'].copyLimit,
  );
  for (const { work, original } of admitted) {
    note?.(`admitted ${original.id}`);
    // Stands for the copy started (completed, as after `wait`), as a dry run does.
    work.copiesThisRun.push({
      ...original,
      id: `(copy of ${original.id})`,
      region: DESTINATION,
      copyOf: original.id,
      sourceRegion: REGION,
    });
  }
  lap();

  let copiesKept = 0;
  let copiesDeleted = 0;
  for (const work of works) {
    for (const decision of planPrune(work.copies, {
      now: NOW,
      rules: COPY_RULES,
      thisRun: work.copiesThisRun,
    })) {
      note?.(JSON.stringify([decision.backup.id, decision.keep, decision.reasons, decision.rules]));
      if (decision.keep) copiesKept += 1;
      else copiesDeleted += 1;
    }
  }
  lap();

  const deleted = works.reduce((sum, work) => sum + work.deleted, 0);
  const outcome =
    `source region: ${n(kept)} kept (this run's ${n(works.length)} included), ${n(deleted)} would be deleted; ` +
    `copies: ${n(exists)} exist, ${n(admitted.length)} started, ${n(queued.length)} queued; ` +
    `copy retention: ${n(copiesKept)} kept, ${n(copiesDeleted)} would be deleted`;
  return { times, outcome };
}

const n = (value: number): string => value.toLocaleString('en-US');
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const median = (items: number[]): number => {
  const sorted = [...items].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const data = generate();
if (values.digest) {
  // Every decision of one run, hashed: an optimisation of the core must leave it unchanged.
  const hash = createHash('sha256');
  runOnce(data, (line) => hash.update(`${line}\n`));
  console.log(`decisions digest (sha256): ${hash.digest('hex')}`);
  process.exit(0);
}
runOnce(data); // warm-up: lets the JIT compile the hot paths before anything is timed
const runs = Array.from({ length: REPETITIONS }, () => runOnce(data));
const totals = runs.map((run) => run.times.reduce((sum, time) => sum + time, 0));
const phases = PHASES.map((phase, index) => {
  return `${phase} ${ms(median(runs.map((run) => run.times[index] ?? 0)))}`;
});

const layout = values.layout === 'by-source' ? ' (records in per-source order)' : '';
console.log(
  `retention+plan${layout}: ${n(data.listing.length)} backups of ${n(sources)} sources — ${phases.join(', ')}, ` +
    `total ${ms(median(totals))} (median of ${REPETITIONS}; max ${ms(Math.max(...totals))})`,
);
console.log(`  decided: ${runs[0]?.outcome ?? ''}`);
