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
  keepByCalendar,
  periodsOf,
  type CalendarRules,
  type CalendarUnit,
} from './calendar.js';
import { TAGS } from './constants.js';
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
 * Decides every backup. Backups are grouped by set and source, so generations and the newest
 * completed backup are counted per source. The result is in the input's newest-first order.
 */
export function decideRetention(
  backups: readonly Backup[],
  rules: RetentionRules,
  context: RetentionContext,
): RetentionDecision[] {
  const groups = new Map<string, Backup[]>();
  for (const backup of [...backups].sort(newestFirst)) {
    const key = `${backup.set}\u0000${backup.sourceId}`;
    const group = groups.get(key);
    if (group) group.push(backup);
    else groups.set(key, [backup]);
  }
  const decisions: RetentionDecision[] = [];
  for (const group of groups.values()) decisions.push(...decideGroup(group, rules, context));
  return decisions.sort((a, b) => newestFirst(a.backup, b.backup));
}

function decideGroup(
  all: readonly Backup[],
  rules: RetentionRules,
  { now, thisRun, pinned }: RetentionContext,
): RetentionDecision[] {
  const twins = duplicates(all, thisRun);
  const sorted = all.filter((backup) => !twins.has(backup));
  const calendar = calendarReasons(sorted, rules.calendar);
  const held = heldPeriods(calendar);
  let generation = 0;
  const decided = sorted.map((backup): RetentionDecision => {
    const reasons: string[] = [];
    const names: string[] = [];
    const because = (name: string, reason: string): void => {
      names.push(name);
      reasons.push(reason);
    };
    const age = now.getTime() - backup.createdAt.getTime();
    if (isProtected(backup)) because('protected', `protected by ${TAGS.keep}=true`);
    if (backup.state === 'failed') {
      return reasons.length > 0
        ? { backup, keep: true, reasons, rules: names }
        : { backup, keep: false, reasons: [failedReason(backup)], rules: [] };
    }
    if (thisRun?.has(backup.id)) because('this-run', 'made in this run');
    const pin = pinned?.get(backup.id);
    if (pin) because('pinned', pin);
    if (backup.state === 'pending') {
      because('pending', 'pending (in progress backups are never deleted)');
      return { backup, keep: true, reasons, rules: names };
    }
    generation += 1;
    if (generation === 1) because('newest', 'newest completed backup of the source');
    if (rules.generations !== undefined && generation <= rules.generations) {
      because('generations', `generations: ${generation} of ${rules.generations}`);
    }
    if (rules.keepWithinMs !== undefined && age < rules.keepWithinMs) {
      because(
        'keep-within',
        `keep-within: ${formatDuration(Math.max(age, 0))} old, under ${formatDuration(rules.keepWithinMs)}`,
      );
    }
    for (const reason of calendar.get(backup) ?? []) {
      because(calendarPeriod(reason)?.unit ?? 'calendar', reason);
    }
    if (reasons.length > 0) return { backup, keep: true, reasons, rules: names };
    return {
      backup,
      keep: false,
      reasons: [outsideReason(backup, age, rules, held)],
      rules: [],
    };
  });
  for (const [twin, kept] of twins) decided.push(decideDuplicate(twin, kept));
  return decided;
}

/**
 * Backups that are the same backup made twice: the same `created-at` tag (to the millisecond) and
 * `copy-of`, which only a request that AWS carried out twice gives (a retried CreateSnapshot or
 * CopySnapshot, whose API has no idempotency token). Failed backups are left out: retention
 * deletes them anyway. One of each group stays: this run's, else a completed one, else a pending
 * one, lowest id first; the others map to it.
 */
function duplicates(
  backups: readonly Backup[],
  thisRun: ReadonlySet<string> | undefined,
): Map<Backup, Backup> {
  const groups = new Map<string, Backup[]>();
  for (const backup of backups) {
    const at = backup.tags[TAGS.createdAt];
    // Failed backups go anyway; an AMI's snapshots left behind share their image's tags.
    if (!at || backup.state === 'failed') continue;
    const key = `${at}\u0000${backup.copyOf ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(backup);
    else groups.set(key, [backup]);
  }
  const rank = (backup: Backup): number =>
    thisRun?.has(backup.id) ? 0 : backup.state === 'completed' ? 1 : 2;
  const twins = new Map<Backup, Backup>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [kept, ...others] = [...group].sort(
      (a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    for (const other of others) if (kept) twins.set(other, kept);
  }
  return twins;
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
 * The calendar rules' reasons for each completed backup of one source (sorted newest first). Only
 * completed backups count, as for generations: a pending or failed one holds no period.
 */
function calendarReasons(
  sorted: readonly Backup[],
  rules: CalendarRules | undefined,
): Map<Backup, string[]> {
  if (!rules) return new Map();
  const completed = sorted.filter((backup) => backup.state === 'completed');
  const reasons = keepByCalendar(
    completed.map((backup) => backup.createdAt),
    rules,
  );
  return new Map(completed.map((backup, index) => [backup, reasons[index] ?? []]));
}

/** The calendar periods that the rules' kept backups hold, per unit. */
function heldPeriods(calendar: ReadonlyMap<Backup, string[]>): Map<CalendarUnit, Set<string>> {
  const held = new Map<CalendarUnit, Set<string>>();
  for (const reasons of calendar.values()) {
    for (const reason of reasons) {
      const parsed = calendarPeriod(reason);
      if (!parsed) continue;
      const periods = held.get(parsed.unit) ?? new Set<string>();
      periods.add(parsed.period);
      held.set(parsed.unit, periods);
    }
  }
  return held;
}

/**
 * Why a completed backup that no rule keeps goes, naming each configured rule's window it fell
 * outside: `3d old: not among the 2 newest, older than keep-within 2d and outside the last 7 daily
 * periods`. Only the rules that are set are named.
 */
function outsideReason(
  backup: Backup,
  age: number,
  rules: RetentionRules,
  held: ReadonlyMap<CalendarUnit, ReadonlySet<string>>,
): string {
  const windows: string[] = [];
  if (rules.generations !== undefined) {
    windows.push(
      rules.generations === 1 ? 'not the newest' : `not one of the ${rules.generations} newest`,
    );
  }
  if (rules.keepWithinMs !== undefined) {
    windows.push(`older than keep-within ${formatDuration(rules.keepWithinMs)}`);
  }
  const { calendar } = rules;
  if (calendar) {
    const periods = periodsOf(backup.createdAt, calendar.timeZone);
    for (const unit of CALENDAR_UNITS) {
      const count = calendar[unit] ?? 0;
      if (count <= 0) continue;
      windows.push(
        held.get(unit)?.has(periods[unit])
          ? `a newer backup holds its ${unit} period ${periods[unit]}`
          : `outside the last ${count} ${unit} ${count === 1 ? 'period' : 'periods'}`,
      );
    }
  }
  if (windows.length === 0) windows.push('not the newest completed backup');
  const last = windows.pop() as string;
  const list = windows.length > 0 ? `${windows.join(', ')} and ${last}` : last;
  return `${formatDuration(Math.max(age, 0))} old: ${list}`;
}

function failedReason(backup: Backup): string {
  return backup.stateMessage ? `failed state: ${backup.stateMessage}` : 'failed state';
}
