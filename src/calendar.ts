/**
 * Calendar periods in a time zone, and the calendar keep rules (`keep-hourly` … `keep-yearly`):
 * keep the newest backup in each of the last N periods that hold a backup, and, while a rule
 * still has counts left after the walk, the oldest backup too, as restic's `forget --keep-daily`
 * does since 0.16.0 (checked against restic 0.19.0). Pure: the time zone's rules come from the
 * runtime's ICU data (Intl).
 */
import { wallClockFormat } from './zone-formats.js';

/** The calendar rules, in the order they are applied and reported. */
export const CALENDAR_UNITS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type CalendarUnit = (typeof CALENDAR_UNITS)[number];

/** How many periods of each unit to keep (a unit without a count keeps nothing), in a time zone. */
export type CalendarRules = Partial<Record<CalendarUnit, number>> & {
  /** IANA time zone of the period boundaries, e.g. `UTC` or `Asia/Tokyo`. */
  timeZone: string;
};

/** The label of the period a moment falls in, per unit: `2026-11-24 13h`, `2026-11-24`, `2026-W48`, `2026-11`, `2026`. */
export type Periods = Record<CalendarUnit, string>;

/**
 * The canonical name of an IANA time zone (`asia/tokyo` → `Asia/Tokyo`, `utc` → `UTC`), or
 * undefined when the runtime does not know it. UTC offsets such as `+09:00` are not zone names.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (name === '' || /^[+-]/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The wall-clock periods of `date` in `timeZone`. */
export function periodsOf(date: Date, timeZone: string): Periods {
  const parts: Record<string, string> = {};
  for (const part of wallClockFormat(timeZone).formatToParts(date)) parts[part.type] = part.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const week = isoWeek(year, month, day);
  const ymd = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return {
    hourly: `${ymd} ${pad(Number(parts.hour), 2)}h`,
    daily: ymd,
    weekly: `${pad(week.year, 4)}-W${pad(week.week, 2)}`,
    monthly: `${pad(year, 4)}-${pad(month, 2)}`,
    yearly: pad(year, 4),
  };
}

/**
 * The ISO 8601 week of a calendar date: weeks run Monday to Sunday, and week 1 is the one holding
 * the year's first Thursday, so 2025-12-29 is in 2026-W01 and 2027-01-01 in 2026-W53.
 */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(date + (3 - weekday) * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year: weekYear, week };
}

const DAY_MS = 86_400_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Applies the calendar rules to one source's completed backups, given newest first: walking from
 * the newest backward, the first backup met in a period (its newest) is kept, for each of the
 * first N distinct periods met. Periods without a backup do not count. As in restic since 0.16.0,
 * a rule that still has a count left when the walk reaches the oldest backup keeps it as well, so
 * a young set's history reaches back to its first backup: each rule on its own, the oldest using
 * one of the rule's counts. Returns, per backup in the same order, the reasons the rules keep it
 * (empty when none does), e.g. `daily: 2026-11-24 (1 of 7)`, or `daily: oldest 2026-11-22 (3 of
 * 7)` for an oldest backup whose period an earlier one already holds (restic's "oldest daily
 * snapshot").
 */
export function keepByCalendar(newestFirst: readonly Date[], rules: CalendarRules): string[][] {
  const units = CALENDAR_UNITS.filter((unit) => (rules[unit] ?? 0) > 0);
  const seen = new Map<CalendarUnit, Set<string>>(units.map((unit) => [unit, new Set()]));
  const used = new Map<CalendarUnit, number>(units.map((unit) => [unit, 0]));
  const oldest = newestFirst.length - 1;
  return newestFirst.map((createdAt, index) => {
    if (units.length === 0) return [];
    const periods = periodsOf(createdAt, rules.timeZone);
    const reasons: string[] = [];
    for (const unit of units) {
      const limit = rules[unit] ?? 0;
      const count = used.get(unit) ?? 0;
      const met = seen.get(unit) as Set<string>;
      const period = periods[unit];
      if (count >= limit) continue;
      // A set rather than "differs from the previous one": a wall clock turned back across a
      // period boundary (DST ending at midnight) must not count the same period twice.
      const again = met.has(period);
      if (again && index !== oldest) continue;
      met.add(period);
      used.set(unit, count + 1);
      const label = again ? `oldest ${period}` : period;
      reasons.push(`${unit}: ${label} (${count + 1} of ${limit})`);
    }
    return reasons;
  });
}
