/**
 * The retention inputs shared by the source and its copies: calendar rules in a time zone, and
 * whether any keep rule is set.
 */
import {
  CALENDAR_UNITS,
  canonicalTimeZone,
  type CalendarRules,
  type CalendarUnit,
} from './calendar.js';
import { INPUTS } from './constants.js';
import { invalid, readInteger } from './input-values.js';
import type { RetentionRules } from './retention.js';

/** The calendar rules' inputs, by unit. */
export const CALENDAR_INPUTS: Record<CalendarUnit, string> = {
  hourly: INPUTS.keepHourly,
  daily: INPUTS.keepDaily,
  weekly: INPUTS.keepWeekly,
  monthly: INPUTS.keepMonthly,
  yearly: INPUTS.keepYearly,
};
export const COPY_CALENDAR_INPUTS: Record<CalendarUnit, string> = {
  hourly: INPUTS.copyKeepHourly,
  daily: INPUTS.copyKeepDaily,
  weekly: INPUTS.copyKeepWeekly,
  monthly: INPUTS.copyKeepMonthly,
  yearly: INPUTS.copyKeepYearly,
};

/** `keep-hourly` … `keep-yearly` (or their `copy-` forms), 1–1000 each; undefined when none is set. */
export function readCalendarRules(
  read: (name: string) => string,
  names: Record<CalendarUnit, string>,
  timeZone: string,
): CalendarRules | undefined {
  const rules: CalendarRules = { timeZone };
  for (const unit of CALENDAR_UNITS) {
    const count = readInteger(names[unit], read(names[unit]), 1, 1000);
    if (count !== undefined) rules[unit] = count;
  }
  return CALENDAR_UNITS.some((unit) => rules[unit] !== undefined) ? rules : undefined;
}

/** `timezone`: an IANA zone name, kept in its canonical spelling (`asia/tokyo` → `Asia/Tokyo`). */
export function readTimeZone(value: string): string {
  const zone = canonicalTimeZone(value);
  if (zone === undefined) {
    throw invalid(
      INPUTS.timezone,
      value,
      'an IANA time zone name such as UTC, Asia/Tokyo or America/New_York (for a fixed offset, Etc/GMT-9 is UTC+9)',
    );
  }
  return zone;
}

/** True when any rule keeps backups: without one, pruning would delete all but the newest. */
export function hasKeepRule(rules: RetentionRules): boolean {
  return (
    rules.generations !== undefined ||
    rules.keepWithinMs !== undefined ||
    rules.calendar !== undefined
  );
}
