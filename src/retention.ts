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
  CALENDAR_UNITS,
  calendarKeeps,
  type CalendarKeep,
  type CalendarRules,
  type CalendarUnit,
} from './calendar.js';
import { TAGS } from './constants.js';
import { duplicates } from './duplicates.js';
import { outsideReason, ruleTexts, type RuleTexts } from './retention-reasons.js';
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
 * A calendar reason (`daily: 2026-11-24 (1 of 7)`) → its unit, from the prefix, and its period
 * (the text before any parenthesis); undefined for any other reason.
 */
export function calendarPeriod(reason: string): { unit: CalendarUnit; period: string } | undefined {
  const match = /^([a-z]+): ([^(]+?)(?: \(.*)?$/.exec(reason);
  const unit = CALENDAR_UNITS.find((name) => name === match?.[1]);
  return unit && match?.[2] ? { unit, period: match[2] } : undefined;
}

/** True when a backup carries `snapshot-rotation:keep=true` (case-insensitive value). */
export function isProtected(backup: Backup): boolean {
  return backup.tags[TAGS.keep]?.trim().toLowerCase() === 'true';
}

/** Newest first; ties broken by id so the same input always gives the same order. */
export function newestFirst(a: Backup, b: Backup): number {
  const diff = b.createdAt.getTime() - a.createdAt.getTime();
  return diff !== 0 ? diff : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * `backups` sorted by `newestFirst`, the same order: each backup's time is read once, where the
 * sort's comparisons would read it from every record again, spread over memory (over 100,000
 * backups, that took a third of the time of retention).
 */
export function sortNewestFirst(backups: readonly Backup[]): Backup[] {
  const keyed = backups.map((backup) => ({ time: backup.createdAt.getTime(), backup }));
  keyed.sort((a, b) => {
    const diff = b.time - a.time;
    return diff !== 0 ? diff : a.backup.id < b.backup.id ? 1 : a.backup.id > b.backup.id ? -1 : 0;
  });
  return keyed.map(({ backup }) => backup);
}

/**
 * Decides every backup. Backups are grouped by set and source, so generations and the newest
 * completed backup are counted per source. The result is in the input's newest-first order.
 */
export function decideRetention(
  backups: readonly Backup[],
  rules: RetentionRules,
  context: RetentionContext,
): RetentionDecision[] {
  // By set, then source: a lookup by the records' own strings, whose hashes V8 keeps, where a
  // joined key would be a new string to hash for every backup. Most backups belong to the group of
  // the one before (one target's own), which needs no lookup.
  const bySet = new Map<string, Map<string, Backup[]>>();
  const groups: Backup[][] = [];
  let last: Backup | undefined;
  let group: Backup[] = [];
  for (const backup of sortNewestFirst(backups)) {
    if (last && backup.set === last.set && backup.sourceId === last.sourceId) {
      group.push(backup);
      continue;
    }
    last = backup;
    let bySource = bySet.get(backup.set);
    if (!bySource) {
      bySource = new Map();
      bySet.set(backup.set, bySource);
    }
    const found = bySource.get(backup.sourceId);
    if (found) group = found;
    else {
      group = [];
      bySource.set(backup.sourceId, group);
      groups.push(group);
    }
    group.push(backup);
  }
  const texts = ruleTexts(rules);
  const decisions: RetentionDecision[] = [];
  let inOrder = groups.length <= 1;
  for (const group of groups) {
    if (!decideGroup(group, rules, texts, context, decisions)) inOrder = false;
  }
  // Each group's decisions are newest first but for its duplicates, which come last: one group
  // without duplicates (a target's own backups) is in order already.
  if (inOrder) return decisions;
  return decisions.sort((a, b) => newestFirst(a.backup, b.backup));
}

/**
 * Decides one source's backups of one set (sorted newest first) into `decisions`, in the same
 * order but for duplicates, which come last. True when there were none.
 */
function decideGroup(
  all: readonly Backup[],
  rules: RetentionRules,
  texts: RuleTexts,
  { now, thisRun, pinned }: RetentionContext,
  decisions: RetentionDecision[],
): boolean {
  const twins = duplicates(all, thisRun);
  const sorted = twins.size > 0 ? all.filter((backup) => !twins.has(backup)) : all;
  const { keeps, held } = calendarReasons(sorted, rules.calendar);
  let generation = 0;
  for (const backup of sorted) {
    const reasons: string[] = [];
    const names: string[] = [];
    const because = (name: string, reason: string): void => {
      names.push(name);
      reasons.push(reason);
    };
    const age = now.getTime() - backup.createdAt.getTime();
    if (isProtected(backup)) because('protected', `protected by ${TAGS.keep}=true`);
    if (backup.state === 'failed') {
      const keep = reasons.length > 0;
      if (!keep) reasons.push(failedReason(backup));
      decisions.push({ backup, keep, reasons, rules: names });
      continue;
    }
    if (thisRun?.has(backup.id)) because('this-run', 'made in this run');
    const pin = pinned?.get(backup.id);
    if (pin) because('pinned', pin);
    if (backup.state === 'pending') {
      because('pending', 'pending (in progress backups are never deleted)');
      decisions.push({ backup, keep: true, reasons, rules: names });
      continue;
    }
    generation += 1;
    if (generation === 1) because('newest', 'newest completed backup of the source');
    if (rules.generations !== undefined && generation <= rules.generations) {
      because('generations', `generations: ${generation} of ${rules.generations}`);
    }
    if (rules.keepWithinMs !== undefined && age < rules.keepWithinMs) {
      because(
        'keep-within',
        `keep-within: ${formatDuration(Math.max(age, 0))} old, ${texts.under}`,
      );
    }
    for (const kept of keeps.get(backup) ?? []) because(kept.unit, kept.reason);
    // A backup that goes has no rule names, and one reason: why (its arrays are still empty).
    const keep = reasons.length > 0;
    if (!keep) reasons.push(outsideReason(backup, age, texts, rules.calendar, held));
    decisions.push({ backup, keep, reasons, rules: names });
  }
  for (const [twin, kept] of twins) decisions.push(decideDuplicate(twin, kept));
  return twins.size === 0;
}

/** A duplicate goes, unless protected; a pending one waits until it completes (RDS refuses it). */
function decideDuplicate(backup: Backup, kept: Backup): RetentionDecision {
  const twin = `duplicate of ${kept.id} (the same backup made twice by a retried request)`;
  if (isProtected(backup)) {
    return {
      backup,
      keep: true,
      reasons: [`protected by ${TAGS.keep}=true`, twin],
      rules: ['protected'],
    };
  }
  if (backup.state === 'pending') {
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
 * The calendar rules' keeps for each completed backup of one source (sorted newest first), and the
 * periods they hold, per unit. Only completed backups count, as for generations: a pending or
 * failed one holds no period.
 */
function calendarReasons(
  sorted: readonly Backup[],
  rules: CalendarRules | undefined,
): { keeps: Map<Backup, readonly CalendarKeep[]>; held: Map<CalendarUnit, Set<string>> } {
  const keeps = new Map<Backup, readonly CalendarKeep[]>();
  const held = new Map<CalendarUnit, Set<string>>();
  if (!rules) return { keeps, held };
  const completed = sorted.filter((backup) => backup.state === 'completed');
  const kept = calendarKeeps(
    completed.map((backup) => backup.createdAt),
    rules,
  );
  completed.forEach((backup, index) => {
    const reasons = kept[index] ?? [];
    if (reasons.length === 0) return;
    keeps.set(backup, reasons);
    for (const { unit, period } of reasons) {
      const periods = held.get(unit) ?? new Set<string>();
      periods.add(period);
      held.set(unit, periods);
    }
  });
  return { keeps, held };
}

function failedReason(backup: Backup): string {
  return backup.stateMessage ? `failed state: ${backup.stateMessage}` : 'failed state';
}
