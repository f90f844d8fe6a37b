/**
 * Readers of input values, whatever the input: numbers, durations, booleans, `Key=Value` lines,
 * per-destination lines. Each throws one InputError naming the input, the value and what is allowed.
 */
import { REGION_LINE } from './aws-names.js';
import { INPUTS } from './constants.js';
import { DURATION_HELP, parseDuration, SECONDS_DURATION_HELP } from './duration.js';
import { InputError } from './errors.js';

/** The error for an input whose value is not one of what is allowed. */
export function invalid(name: string, value: string, allowed: string): InputError {
  return new InputError(
    name,
    `Input '${name}' has an invalid value '${value}': expected ${allowed}.`,
  );
}

export function readInteger(
  name: string,
  value: string,
  min: number,
  max: number,
): number | undefined {
  if (value === '') return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw invalid(name, value, `a whole number from ${min} to ${max}`);
  }
  return number;
}

export function readDuration(
  name: string,
  value: string,
  { seconds = false } = {},
): number | undefined {
  if (value === '') return undefined;
  const ms = parseDuration(value, { seconds });
  if (ms === undefined) throw invalid(name, value, seconds ? SECONDS_DURATION_HELP : DURATION_HELP);
  return ms;
}

export function readBoolean(name: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw invalid(name, value, 'true or false');
}

/** `Key=Value` lines, one pair a line (a value may hold `=`, but not `, Key=` of a second pair). */
export function readKeyValueLines(name: string, value: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of value.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    const tagValue = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (key === '') throw invalid(name, line, 'one Key=Value pair per line');
    // `A=1, B=2` on one line would be one tag A with the value `1, B=2`: surely two tags meant.
    if (/,\s*[^\s,=][^,=]*=/.test(tagValue)) {
      throw invalid(
        name,
        line,
        'one Key=Value pair per line (separate pairs by newlines, not commas)',
      );
    }
    if (key.length > 128 || tagValue.length > 256) {
      throw invalid(name, line, 'tag keys of at most 128 and values of at most 256 characters');
    }
    if (key in result) throw invalid(name, line, 'each key at most once');
    result[key] = tagValue;
  }
  return result;
}

/**
 * A per-destination input: one value for every region of `copy-to-regions`, or `region=value`
 * lines, each region listed there at most once. `check` refuses a value that cannot serve its region.
 */
export function readPerRegion(
  name: string,
  value: string,
  regions: readonly string[],
  check: (destination: string, value: string, line: string) => void,
): Record<string, string> {
  const lines = value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const values: Record<string, string> = {};
  if (lines.length === 1 && !REGION_LINE.test(lines[0] ?? '')) {
    for (const destination of regions) {
      check(destination, lines[0] ?? '', lines[0] ?? '');
      values[destination] = lines[0] ?? '';
    }
    return values;
  }
  for (const line of lines) {
    const eq = line.indexOf('=');
    const destination = eq > 0 ? line.slice(0, eq).trim() : '';
    const item = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (destination === '' || item === '') {
      throw invalid(
        name,
        line,
        "one value for every region, or one 'region=value' line per region",
      );
    }
    if (!regions.includes(destination)) {
      throw invalid(
        name,
        line,
        `regions listed in '${INPUTS.copyToRegions}' (${regions.join(', ')})`,
      );
    }
    if (destination in values) throw invalid(name, line, 'each region at most once');
    check(destination, item, line);
    values[destination] = item;
  }
  return values;
}

/** The environment variable that scales the action's own delays (for tests against emulators). */
export const TIME_SCALE_VARIABLE = 'SNAPSHOT_ROTATION_TIME_SCALE';

export function readTimeScale(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new InputError(
      TIME_SCALE_VARIABLE,
      `Environment variable '${TIME_SCALE_VARIABLE}' has an invalid value '${value}': expected a number above 0 and at most 1 (1, the default, waits as AWS needs).`,
    );
  }
  return scale;
}
