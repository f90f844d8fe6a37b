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

/**
 * `timezone`: an IANA Area/Location name (`Asia/Tokyo`), `UTC`, or an `Etc/` zone (`Etc/GMT-9`,
 * a fixed offset asked for by name), kept in its canonical spelling (`asia/tokyo` → `Asia/Tokyo`).
 * Abbreviations and legacy aliases without an area (`EST`, `IST`, `CET`, `EST5EDT`, `GB`) are
 * refused even where the runtime knows them: they are ambiguous (ICU reads `BST` as Dhaka, `IST`
 * as Kolkata) or fixed offsets without daylight saving time (`EST` is Panama's time all year).
 */
export function readTimeZone(value: string): string {
  const name = value.trim();
  const zone = canonicalTimeZone(name);
  const legacy = name.includes('/') ? /^systemv\//i.test(name) : name.toUpperCase() !== 'UTC';
  const instead = legacy ? ZONE_FOR_ABBREVIATION[name.toUpperCase()] : undefined;
  if (legacy && (zone !== undefined || instead !== undefined)) {
    throw invalid(
      INPUTS.timezone,
      value,
      `an IANA time zone name (Area/Location) or UTC, not an abbreviation or legacy alias, which is ambiguous or ignores daylight saving time: ${instead ? `for ${name} use ${instead}` : 'use an Area/Location name such as Europe/Berlin or America/New_York'}`,
    );
  }
  if (zone === undefined || legacy) {
    throw invalid(
      INPUTS.timezone,
      value,
      'an IANA time zone name such as UTC, Asia/Tokyo or America/New_York (for a fixed offset, Etc/GMT-9 is UTC+9)',
    );
  }
  return zone;
}

/** The zone to name instead of a common abbreviation or legacy alias (by its upper case). */
const ZONE_FOR_ABBREVIATION: Readonly<Record<string, string>> = {
  ...zones('America/New_York', 'EST', 'EDT', 'ET', 'EST5EDT'),
  ...zones('America/Chicago or Asia/Shanghai', 'CST'),
  ...zones('America/Chicago', 'CDT', 'CT', 'CST6CDT'),
  ...zones('America/Denver (or America/Phoenix, without daylight saving time)', 'MST'),
  ...zones('America/Denver', 'MDT', 'MT', 'MST7MDT', 'NAVAJO'),
  ...zones('America/Los_Angeles', 'PST', 'PDT', 'PT', 'PST8PDT'),
  ...zones('America/Anchorage', 'AKST', 'AKDT'),
  ...zones('Pacific/Honolulu', 'HST'),
  ...zones('America/Halifax', 'AST', 'ADT'),
  ...zones('America/St_Johns', 'NST', 'NDT'),
  ...zones('America/Sao_Paulo', 'BRT'),
  ...zones('UTC or Europe/London', 'GMT'),
  ...zones('Europe/London', 'BST', 'GB', 'GB-EIRE'),
  ...zones('Europe/Dublin', 'EIRE'),
  ...zones('Europe/Lisbon', 'WET', 'WEST'),
  ...zones('Europe/Paris or Europe/Berlin', 'CET', 'CEST', 'MET', 'MEST', 'MEZ'),
  ...zones('Europe/Athens or Europe/Helsinki', 'EET', 'EEST'),
  ...zones('Europe/Moscow', 'MSK', 'W-SU'),
  ...zones('Asia/Kolkata (or Europe/Dublin for Irish time)', 'IST'),
  ...zones('Asia/Shanghai', 'PRC'),
  ...zones('Asia/Hong_Kong', 'HKT', 'HONGKONG'),
  ...zones('Asia/Taipei', 'ROC'),
  ...zones('Asia/Singapore', 'SGT', 'SINGAPORE'),
  ...zones('Asia/Tokyo', 'JST', 'JAPAN'),
  ...zones('Asia/Seoul', 'KST', 'ROK'),
  ...zones('Australia/Sydney', 'AEST', 'AEDT'),
  ...zones('Australia/Adelaide', 'ACST', 'ACDT'),
  ...zones('Australia/Perth', 'AWST'),
  ...zones('Pacific/Auckland', 'NZ', 'NZST', 'NZDT'),
  ...zones('Africa/Johannesburg', 'SAST'),
  ...zones('UTC', 'Z', 'ZULU', 'UCT', 'UNIVERSAL', 'GREENWICH', 'GMT0', 'GMT+0', 'GMT-0'),
};

function zones(zone: string, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, zone]));
}

/** True when any rule keeps backups: without one, pruning would delete all but the newest. */
export function hasKeepRule(rules: RetentionRules): boolean {
  return (
    rules.generations !== undefined ||
    rules.keepWithinMs !== undefined ||
    rules.calendar !== undefined
  );
}
