/**
 * Calendar periods in a time zone, and the calendar keep rules (`keep-hourly` … `keep-yearly`):
 * keep the newest backup in each of the last N periods that hold a backup, and, while a rule
 * still has counts left after the walk, the oldest backup too, as restic's `forget --keep-daily`
 * does since 0.16.0 (checked against restic 0.19.0). Pure: the time zone's rules come from the
 * runtime's ICU data (Intl), read once per UTC hour met (zone-formats.ts).
 */
import { utcOffset, wallClockFormat } from './zone-formats.js';

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

/**
 * The wall-clock periods of `date` in `timeZone`. From the year 1000 to the end of Date's range
 * they are worked out from the zone's UTC offset (zone-formats.ts reads it through Intl once per UTC
 * hour) by integer arithmetic, and made once per wall-clock hour: retention reads them for every
 * backup, and an Intl call costs some microseconds. Other moments, and invalid ones, are read off Intl.
 * Either way an hour that repeats when clocks fall back is one period, named by its wall clock.
 */
export function periodsOf(date: Date, timeZone: string): Periods {
  return periodsAt(date.getTime(), timeZone);
}

/** `periodsOf` a moment in milliseconds since the epoch. */
export function periodsAt(at: number, timeZone: string): Periods {
  if (!(at >= FAST_FROM_MS && at <= FAST_TO_MS)) return periodsFromIntl(new Date(at), timeZone);
  const localHour = Math.floor((at + utcOffset(timeZone, at)) / HOUR_MS);
  if (cachedHours > MAX_CACHED_HOURS) {
    periodsByHour.clear();
    labels.clear();
    cachedHours = 0;
  }
  let hours = periodsByHour.get(timeZone);
  if (!hours) {
    hours = new Map();
    periodsByHour.set(timeZone, hours);
  }
  let periods = hours.get(localHour);
  if (!periods) {
    periods = periodsOfLocalHour(localHour);
    hours.set(localHour, periods);
    cachedHours += 1;
  }
  return periods;
}

/** 1000-01-01 UTC and the end of Date's range (275760-09-13), with a day to spare for any offset. */
const FAST_FROM_MS = -30_610_224_000_000 + 86_400_000;
const FAST_TO_MS = 8_640_000_000_000_000 - 86_400_000;
const HOUR_MS = 3_600_000;
/** Per zone, the periods of each wall-clock hour met (hours since 1970 on the wall clock). */
const periodsByHour = new Map<string, Map<number, Periods>>();
/** How many hours `periodsByHour` holds, all zones together. */
let cachedHours = 0;
/** Bounds the cache of a long-lived process (tests); a run meets a few thousand hours at most. */
const MAX_CACHED_HOURS = 100_000;

/** The periods of a wall-clock hour, counted from 1970-01-01 00h on the wall clock. */
function periodsOfLocalHour(localHour: number): Periods {
  const days = Math.floor(localHour / 24);
  const { year, month, day } = civilFromDays(days);
  // ISO 8601: the week belongs to the year of its Thursday (1970-01-01 was a Thursday).
  const weekday = (((days + 3) % 7) + 7) % 7; // Monday 0 … Sunday 6
  const thursday = days - weekday + 3;
  const weekYear = civilFromDays(thursday).year;
  const week = Math.floor((thursday - daysFromCivil(weekYear, 1, 1)) / 7) + 1;
  const ymd = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return Object.freeze({
    hourly: `${ymd} ${pad(localHour - days * 24, 2)}h`,
    daily: label(ymd),
    weekly: label(`${pad(weekYear, 4)}-W${pad(week, 2)}`),
    monthly: label(`${pad(year, 4)}-${pad(month, 2)}`),
    yearly: label(pad(year, 4)),
  });
}

/**
 * One string per period label, shared by every hour in the period: retention looks periods up in
 * sets for every backup, and one string is found by its identity where equal strings of their
 * own would be compared character by character.
 */
function label(text: string): string {
  let one = labels.get(text);
  if (one === undefined) {
    one = text;
    labels.set(text, one);
  }
  return one;
}

/** The period labels made (cleared with `periodsByHour`). */
const labels = new Map<string, string>();

/**
 * The proleptic Gregorian date of a day counted from 1970-01-01, and back (Howard Hinnant's
 * `civil_from_days` and `days_from_civil`: 400-year eras of 146,097 days, years from March).
 */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const shifted = days + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1_460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysFromCivil(year: number, month: number, day: number): number {
  const fromMarch = month <= 2 ? year - 1 : year;
  const era = Math.floor(fromMarch / 400);
  const yearOfEra = fromMarch - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The periods as Intl reads them: for moments outside the range of `periodsOf`'s arithmetic. */
function periodsFromIntl(date: Date, timeZone: string): Periods {
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

/** One calendar rule keeping a backup: its unit, the period, and the reason as reported. */
export interface CalendarKeep {
  unit: CalendarUnit;
  period: string;
  /** `daily: 2026-11-24 (1 of 7)`, or `daily: oldest 2026-11-22 (3 of 7)`. */
  reason: string;
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
  const times = newestFirst.map((date) => date.getTime());
  return calendarKeeps(times, rules).map((keeps) => keeps.map((keep) => keep.reason));
}

/**
 * `keepByCalendar` over the backups' times in milliseconds, with each reason's unit and period
 * (retention reports both).
 */
export function calendarKeeps(
  newestFirst: readonly number[],
  rules: CalendarRules,
  /** Filled with the periods read of each backup, where they were read (retention words them). */
  read?: (Periods | undefined)[],
): (readonly CalendarKeep[])[] {
  const units = CALENDAR_UNITS.filter((unit) => (rules[unit] ?? 0) > 0);
  const limits = units.map((unit) => rules[unit] ?? 0);
  const seen = units.map(() => new Set<string>());
  const used = units.map(() => 0);
  let open = units.length; // units with counts left: none left, nothing more is kept
  const oldest = newestFirst.length - 1;
  const all: (readonly CalendarKeep[])[] = [];
  for (let index = 0; index < newestFirst.length; index++) {
    if (open === 0) {
      all.push(NO_KEEPS);
      continue;
    }
    const periods = periodsAt(newestFirst[index] as number, rules.timeZone);
    if (read) read[index] = periods;
    // Made on the first keep: most backups are kept by none of the rules.
    let keeps: CalendarKeep[] | undefined;
    for (let u = 0; u < units.length; u++) {
      const unit = units[u] as CalendarUnit;
      const limit = limits[u] as number;
      const count = used[u] as number;
      if (count >= limit) continue;
      const met = seen[u] as Set<string>;
      const period = periods[unit];
      // A set rather than "differs from the previous one": a wall clock turned back across a
      // period boundary (DST ending at midnight) must not count the same period twice.
      const again = met.has(period);
      if (again && index !== oldest) continue;
      met.add(period);
      used[u] = count + 1;
      if (count + 1 === limit) open -= 1;
      keeps ??= [];
      const reason = `${unit}: ${again ? `oldest ${period}` : period}${counted(count + 1, limit)}`;
      keeps.push({ unit, period, reason });
    }
    all.push(keeps ?? NO_KEEPS);
  }
  return all;
}

const NO_KEEPS: readonly CalendarKeep[] = Object.freeze([]);

/** ` (3 of 7)`: made once per count and limit below 1,000 (retention words every keep). */
function counted(count: number, limit: number): string {
  if (limit >= 1_000) return ` (${count} of ${limit})`;
  const made = (COUNTED[limit] ??= []);
  return (made[count] ??= ` (${count} of ${limit})`);
}

const COUNTED: string[][] = [];
