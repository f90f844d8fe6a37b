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
  if (!(minutes > 0)) return '0m';
  const weeks = Math.floor(minutes / 10_080);
  const days = Math.floor((minutes % 10_080) / 1_440);
  const hours = Math.floor((minutes % 1_440) / 60);
  return part(weeks, 'w') + part(days, 'd') + part(hours, 'h') + part(minutes % 60, 'm');
}

/**
 * `<count><unit>`, or nothing for 0: each made once for the counts below 10,000 (retention words
 * a duration for every backup it deletes, and most of their parts are the same few strings).
 */
function part(count: number, unit: 'w' | 'd' | 'h' | 'm'): string {
  if (count === 0) return '';
  if (count >= 10_000) return `${count}${unit}`;
  const made = PARTS[unit];
  return (made[count] ??= `${count}${unit}`);
}

const PARTS: Record<'w' | 'd' | 'h' | 'm', string[]> = { w: [], d: [], h: [], m: [] };
