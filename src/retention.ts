/**
 * Pure retention: backups + rules + now → keep or delete, each with the reasons why.
 *
 * Retention is a union of keep rules (generations, keep-within and the calendar rules of
 * calendar.ts): a backup survives when any rule keeps it. Independently of the
 * rules, pending backups, protected backups (`snapshot-rotation:keep=true`), the backups made or
 * reused in this run and the newest completed backup of each source are always kept. Backups in a
 * failed state are deleted unless protected, and so are duplicates: two backups of one source with
 * the same `created-at` tag (and `copy-of`) are one request that AWS carried out twice.
 */
import {
  calendarKeeps,
  type CalendarKeep,
  type CalendarRules,
  type CalendarUnit,
  type Periods,
} from './calendar.js';
import { TAGS } from './constants.js';
import { duplicates } from './duplicates.js';
import {
  inNewestFirstOrder,
  readFacts,
  withOrder,
  type Facts,
  type GivenFacts,
} from './retention-entries.js';
import type { ListedFacts } from './listing-facts.js';
import { outsideReasons, ruleTexts, type RuleTexts } from './retention-reasons.js';
import { formatDuration } from './duration.js';
import type { Backup } from './model.js';

export interface RetentionRules {
  /** Keep the N newest completed backups of each source. */
  generations?: number;
  /** Keep every backup younger than this many milliseconds. */
  keepWithinMs?: number;
  /** Keep the newest completed backup in each of the last N hours, days, ISO weeks, months, years. */
  calendar?: CalendarRules;
}

export interface RetentionContext {
  now: Date;
  /** Ids of backups created or reused by this run: always kept. */
  thisRun?: ReadonlySet<string>;
  /** Backups kept for a reason outside the rules (a copy of it is in flight), by id. */
  pinned?: ReadonlyMap<string, string>;
}

export interface RetentionDecision {
  backup: Backup;
  keep: boolean;
  /** Every rule that keeps it, or why it goes; the first one is the main reason. */
  reasons: string[];
  /**
   * Short names of what keeps it, for the summary (empty when it goes): `protected`, `this-run`,
   * `pinned`, `pending`, `newest`, `generations`, `keep-within`, `hourly` … `yearly`.
   */
  rules: string[];
}

/**
 * Decides every backup. Backups are grouped by set and source, so generations and the newest
 * completed backup are counted per source. The result is in the input's newest-first order. A
 * backup given twice (the same id) is decided once, on its last record: one of `thisRun` given
 * again stands for the listed one.
 */
export function decideRetention(
  backups: readonly Backup[],
  rules: RetentionRules,
  context: RetentionContext,
): RetentionDecision[] {
  const read = readFacts(backups, context.thisRun);
  return decideAll(read, rules, context, ruleTexts(rules), false).decisions;
}

/**
 * `decideRetention` over one source's backups of one set, as the caller vouches: they are one
 * group, and no backup's source or set is read to group them. With each decision's index in
 * `backups` and the facts it read of `backups`: planning picks backups by them.
 */
export function decideSourceRetentionAt(
  backups: readonly Backup[],
  rules: RetentionRules,
  context: RetentionContext,
): { decisions: RetentionDecision[]; indexes: number[]; listed: ListedFacts } {
  const read = readFacts(backups, context.thisRun);
  const { indexes, decisions } = decideAll(read, rules, context, ruleTexts(rules), true);
  return { decisions, indexes, listed: read.listed };
}

/**
 * The indexes of the backups that retention keeps, newest first, without wording why, over facts
 * the caller gives (one source's backups of one set) rather than records to read them from: what
 * copy planning asks of every source's backups on every run.
 */
export function keptIndexes(given: GivenFacts, rules: RetentionRules, now: Date): number[] {
  const { indexes, decisions } = decideAll(
    withOrder(given, undefined),
    rules,
    { now },
    undefined,
    true,
  );
  return indexes.filter((_, at) => decisions[at]?.keep === true);
}

/**
 * Retention, newest first, with each decision's index in the input; without `texts`, every
 * decision's reasons and rules are left empty.
 */
function decideAll(
  { facts, order }: { facts: Facts; order: number[] },
  rules: RetentionRules,
  context: RetentionContext,
  texts: RuleTexts | undefined,
  oneSource: boolean,
): Decided {
  const decided: Decided = { indexes: [], decisions: [] };
  const groups = oneSource ? [order] : bySetAndSource(order, facts.backups);
  let inOrder = groups.length === 1;
  for (const group of groups) {
    if (!decideGroup(group, facts, rules, texts, context, decided)) inOrder = false;
  }
  // One group's decisions are newest first but for its duplicates, which come last.
  return inOrder ? decided : reordered(decided, facts);
}

/**
 * Indexes (newest first) grouped by set, then source, each group newest first: a lookup by the
 * records' own strings, whose hashes V8 keeps, where a joined key would be a new string to hash for
 * every backup.
 */
function bySetAndSource(order: readonly number[], backups: readonly Backup[]): number[][] {
  const bySet = new Map<string, Map<string, number[]>>();
  const groups: number[][] = [];
  for (const index of order) {
    const { set, sourceId } = backups[index] as Backup;
    let bySource = bySet.get(set);
    if (!bySource) {
      bySource = new Map();
      bySet.set(set, bySource);
    }
    let group = bySource.get(sourceId);
    if (!group) {
      group = [];
      bySource.set(sourceId, group);
      groups.push(group);
    }
    group.push(index);
  }
  return groups;
}

/** The decisions made so far, and the index of each one's backup. */
interface Decided {
  indexes: number[];
  decisions: RetentionDecision[];
}

/** The decisions in the newest-first order of their backups. */
function reordered({ indexes, decisions }: Decided, facts: Facts): Decided {
  const byIndex = new Map(indexes.map((index, at) => [index, decisions[at] as RetentionDecision]));
  const order = inNewestFirstOrder(indexes, facts);
  return {
    indexes: order,
    decisions: order.map((index) => byIndex.get(index) as RetentionDecision),
  };
}

/**
 * Decides one source's backups of one set (indexes newest first) into `decided`, in the same
 * order but for duplicates, which come last. True when there were none. Without `texts`, only
 * `keep` is decided.
 */
function decideGroup(
  all: readonly number[],
  facts: Facts,
  rules: RetentionRules,
  texts: RuleTexts | undefined,
  { now, thisRun, pinned }: RetentionContext,
  decided: Decided,
): boolean {
  const { backups, times, ids, states, protections } = facts;
  const twins = duplicates(all, facts, thisRun);
  const group = twins.size > 0 ? all.filter((index) => !twins.has(index)) : all;
  const { keeps, held, periods } = calendarReasons(
    group,
    facts,
    rules.calendar,
    texts !== undefined,
  );
  const outside = texts ? outsideReasons(texts, rules.calendar, held) : undefined;
  const nowMs = now.getTime();
  const checkPinned = pinned !== undefined && pinned.size > 0;
  // The decision being made: `because` adds a rule that keeps it (worded only with texts). Its
  // arrays are made on the first rule: most backups that go have none, and share NONE.
  let reasons: string[] = NONE;
  let names: string[] = NONE;
  let keep = false;
  const because = (name: string, reason: string): void => {
    keep = true;
    if (!texts) return;
    if (names === NONE) {
      names = [];
      reasons = [];
    }
    names.push(name);
    reasons.push(reason);
  };
  const decide = (index: number): void => {
    decided.indexes.push(index);
    decided.decisions.push({ backup: backups[index] as Backup, keep, reasons, rules: names });
  };
  let generation = 0;
  for (let rank = 0; rank < group.length; rank++) {
    const index = group[rank] as number;
    const state = states[index];
    const age = nowMs - (times[index] as number);
    reasons = NONE;
    names = NONE;
    keep = false;
    if (protections[index]) because('protected', PROTECTED);
    if (state === 'failed') {
      if (!keep && texts) reasons = [failedReason(backups[index] as Backup)];
      decide(index);
      continue;
    }
    if (facts.thisRun[index]) because('this-run', 'made in this run');
    const pin = checkPinned ? pinned.get(ids[index] as string) : undefined;
    if (pin) because('pinned', pin);
    if (state === 'pending') {
      because('pending', 'pending (in progress backups are never deleted)');
      decide(index);
      continue;
    }
    generation += 1;
    if (generation === 1) because('newest', 'newest completed backup of the source');
    if (rules.generations !== undefined && generation <= rules.generations) {
      because('generations', `generations: ${generation} of ${rules.generations}`);
    }
    if (rules.keepWithinMs !== undefined && age < rules.keepWithinMs) {
      const under = texts?.under ?? '';
      because('keep-within', `keep-within: ${formatDuration(Math.max(age, 0))} old, ${under}`);
    }
    const calendar = keeps[rank] ?? NO_KEEPS;
    for (let at = 0; at < calendar.length; at++) {
      const kept = calendar[at] as CalendarKeep;
      because(kept.unit, kept.reason);
    }
    // A backup that goes has no rule names, and one reason: why (its arrays are still empty).
    if (!keep && outside) reasons = [outside(times[index] as number, age, periods[rank])];
    decide(index);
  }
  for (const [twin, kept] of twins) {
    decided.indexes.push(twin);
    decided.decisions.push(decideDuplicate(twin, kept, facts));
  }
  return twins.size === 0;
}

/** No reasons or rules: a decision made without texts, or the rules of a backup that goes. */
const NONE: string[] = Object.freeze([]) as unknown as string[];
const NO_KEEPS: readonly CalendarKeep[] = Object.freeze([]);
const PROTECTED = `protected by ${TAGS.keep}=true`;

/** A duplicate goes, unless protected; a pending one waits until it completes (RDS refuses it). */
function decideDuplicate(index: number, of: number, facts: Facts): RetentionDecision {
  const backup = facts.backups[index] as Backup;
  const twin = `duplicate of ${facts.ids[of]} (the same backup made twice by a retried request)`;
  if (facts.protections[index]) {
    return { backup, keep: true, reasons: [PROTECTED, twin], rules: ['protected'] };
  }
  if (facts.states[index] === 'pending') {
    return {
      backup,
      keep: true,
      reasons: [`pending ${twin}; deleted once it completes`],
      rules: ['pending'],
    };
  }
  return { backup, keep: false, reasons: [twin], rules: [] };
}

/**
 * The calendar rules' keeps for each completed backup of one source's group (indexes newest
 * first), at its rank in the group, and, when `withHeld`, the periods they hold, per unit. Only
 * completed backups count, as for generations: a pending or failed one holds no period.
 */
function calendarReasons(
  group: readonly number[],
  facts: Facts,
  rules: CalendarRules | undefined,
  withHeld: boolean,
): {
  keeps: (readonly CalendarKeep[] | undefined)[];
  held: Map<CalendarUnit, Set<string>>;
  periods: (Periods | undefined)[];
} {
  const keeps: (readonly CalendarKeep[] | undefined)[] = [];
  const held = new Map<CalendarUnit, Set<string>>();
  // The periods read of each backup, at its rank: the wording of one that goes reads them too.
  const periods: (Periods | undefined)[] = [];
  if (!rules) return { keeps, held, periods };
  const completed: number[] = [];
  group.forEach((index, rank) => {
    if (facts.states[index] === 'completed') completed.push(rank);
  });
  const read: (Periods | undefined)[] = [];
  const kept = calendarKeeps(
    completed.map((rank) => facts.times[group[rank] as number] as number),
    rules,
    withHeld ? read : undefined,
  );
  completed.forEach((rank, at) => {
    periods[rank] = read[at];
    const reasons = kept[at] ?? [];
    if (reasons.length === 0) return;
    keeps[rank] = reasons;
    if (!withHeld) return;
    for (const { unit, period } of reasons) {
      const periods = held.get(unit) ?? new Set<string>();
      periods.add(period);
      held.set(unit, periods);
    }
  });
  return { keeps, held, periods };
}

function failedReason(backup: Backup): string {
  return backup.stateMessage ? `failed state: ${backup.stateMessage}` : 'failed state';
}
