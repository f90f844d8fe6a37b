/**
 * The one duration grammar shared by every duration input: one or more `<number><unit>` parts,
 * units m (minutes), h (hours), d (days), w (weeks), e.g. `90m`, `36h`, `50d`, `8w`, `1d12h`.
 */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const WHOLE = /^(?:\d+[mhdw])+$/;
const PART = /(\d+)([mhdw])/g;

/** What the grammar allows, for error messages. */
export const DURATION_HELP =
  'a duration such as 90m, 36h, 50d or 8w (units m, h, d, w; e.g. 1d12h)';

/** Parses a duration into milliseconds; `undefined` when the text is not in the grammar or zero. */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim();
  if (!WHOLE.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total > 0 && Number.isSafeInteger(total) ? total : undefined;
}

/** Renders milliseconds back in the grammar, largest units first (`129600000` → `1d12h`). */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / UNIT_MS.m) * UNIT_MS.m;
  if (rest <= 0) return '0m';
  let out = '';
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * UNIT_MS[unit];
    }
  }
  return out;
}
