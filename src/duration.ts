/**
 * The one duration grammar shared by every duration input: one or more `<number><unit>` parts,
 * units m (minutes), h (hours), d (days), w (weeks), e.g. `90m`, `36h`, `50d`, `8w`, `1d12h`; and
 * s (seconds) where an input asks for it (`pre-command-timeout`: `30s`, `1m30s`). The inputs that
 * schedule backups stay in minutes and up: a `30s` there is a slip, refused.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const WHOLE = /^(?:\d+[mhdw])+$/;
const WHOLE_WITH_SECONDS = /^(?:\d+[smhdw])+$/;
const PART = /(\d+)([smhdw])/g;

/** What the grammar allows, for error messages. */
export const DURATION_HELP =
  'a duration such as 90m, 36h, 50d or 8w (units m, h, d, w; e.g. 1d12h)';

/** What the grammar allows where seconds are allowed, for error messages. */
export const SECONDS_DURATION_HELP =
  'a duration such as 30s, 90s, 2m or 1m30s (units s, m, h; e.g. 1m30s)';

/**
 * Parses a duration into milliseconds; `undefined` when the text is not in the grammar or zero.
 * `seconds` admits the unit s.
 */
export function parseDuration(text: string, { seconds = false } = {}): number | undefined {
  const compact = text.trim();
  if (!(seconds ? WHOLE_WITH_SECONDS : WHOLE).test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total > 0 && Number.isSafeInteger(total) ? total : undefined;
}

/** Renders milliseconds back in the grammar, largest units first (`129600000` → `1d12h`). */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / UNIT_MS.m);
  if (minutes <= 0) return '0m';
  // No duration (an invalid date's age): no text, as ever.
  if (Number.isNaN(minutes)) return '';
  const days = Math.floor(minutes / 1_440);
  const inDay = minutes % 1_440;
  if (days >= MADE_DAYS) return `${weeksAndDays(days)}${hoursAndMinutes(inDay)}`;
  // Made once per count of days and per minute of the day: retention words a duration for every
  // backup it deletes, and a string made of parts is a string per part.
  const dayText = (DAY_TEXTS[days] ??= weeksAndDays(days));
  const minuteText = (MINUTE_TEXTS[inDay] ??= hoursAndMinutes(inDay));
  return dayText + minuteText;
}

function weeksAndDays(days: number): string {
  const weeks = Math.floor(days / 7);
  return `${weeks > 0 ? `${weeks}w` : ''}${days % 7 > 0 ? `${days % 7}d` : ''}`;
}

function hoursAndMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  return `${hours > 0 ? `${hours}h` : ''}${minutes % 60 > 0 ? `${minutes % 60}m` : ''}`;
}

/** Texts made for the counts of days below this (some 27 years), and for each minute of a day. */
const MADE_DAYS = 10_000;
const DAY_TEXTS: string[] = [];
const MINUTE_TEXTS: string[] = [];
