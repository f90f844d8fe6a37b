/**
 * The runtime's wall-clock formats in a time zone (Intl, en-US, 24-hour), made once per zone and
 * shape: the calendar rules read periods with them, the summary shows times with them. And a
 * zone's UTC offset at an instant, read through Intl once per UTC hour and per transition, so that
 * the calendar rules need no Intl call per backup. Pure.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * Year, month, day and hour in `timeZone`; with `minutes`, also the minute and the zone's short
 * name (`EST`, `UTC+9`). Throws a RangeError for a zone the runtime does not know.
 */
export function wallClockFormat(timeZone: string, minutes = false): Intl.DateTimeFormat {
  return formatIn(timeZone, minutes ? 'minutes' : 'hours', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    ...(minutes ? { minute: '2-digit', timeZoneName: 'short' } : {}),
  });
}

/** An en-US, 24-hour format of `timeZone` in the given shape, made once per zone and shape. */
function formatIn(
  timeZone: string,
  shape: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${timeZone}\u0000${shape}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...options });
    formats.set(key, format);
  }
  return format;
}

const SECOND_MS = 1_000;
const HOUR_MS = 3_600_000;

/**
 * The offsets of one UTC hour of a zone: one offset for the whole hour, or the offset before and
 * after the transition in it (`at`, the first millisecond of the new offset).
 */
type HourOffsets = number | { at: number; before: number; after: number };

/** Per zone: the offsets of the UTC hours read so far, and the offsets sampled, by epoch second. */
const zones = new Map<string, { hours: Map<number, HourOffsets>; samples: Map<number, number> }>();
/** How many hours `zones` holds, all zones together. */
let cachedHours = 0;
/** Bounds the cache of a long-lived process (tests); a run reads a few thousand hours at most. */
const MAX_CACHED_HOURS = 100_000;

/**
 * The UTC offset of `timeZone` at `epochMs`, in milliseconds (`Asia/Tokyo` → 32,400,000), as the
 * runtime's Intl has it: `epochMs + offset` read as UTC is the wall clock. Intl is asked about the
 * start of each UTC hour met, once; an hour whose start and end differ holds a transition, found
 * by bisection to the second (tzdb's transitions fall on whole seconds, and no zone has two
 * within one hour). Valid from the year 1000 on (Date.UTC reads years 0 to 99 as 1900 to 1999);
 * throws a RangeError for a zone the runtime does not know.
 */
export function utcOffset(timeZone: string, epochMs: number): number {
  if (cachedHours > MAX_CACHED_HOURS) {
    zones.clear();
    cachedHours = 0;
  }
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = { hours: new Map(), samples: new Map() };
    zones.set(timeZone, zone);
  }
  const hour = Math.floor(epochMs / HOUR_MS);
  let offsets = zone.hours.get(hour);
  if (offsets === undefined) {
    offsets = hourOffsets(timeZone, hour, zone.samples);
    zone.hours.set(hour, offsets);
    cachedHours += 1;
  }
  if (typeof offsets === 'number') return offsets;
  return epochMs < offsets.at ? offsets.before : offsets.after;
}

function hourOffsets(timeZone: string, hour: number, samples: Map<number, number>): HourOffsets {
  const sample = (second: number): number => {
    let offset = samples.get(second);
    if (offset === undefined) {
      offset = offsetAtSecond(timeZone, second);
      samples.set(second, offset);
    }
    return offset;
  };
  // The end of this hour is the start of the next one: sampled once for both.
  let low = (hour * HOUR_MS) / SECOND_MS;
  let high = low + HOUR_MS / SECOND_MS;
  const before = sample(low);
  const after = sample(high);
  if (before === after) return before;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAtSecond(timeZone, middle) === before) low = middle;
    else high = middle;
  }
  return { at: high * SECOND_MS, before, after };
}

/** Intl's wall clock at a whole second, to the second, minus that second: the offset then. */
function offsetAtSecond(timeZone: string, second: number): number {
  const format = formatIn(timeZone, 'seconds', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(second * SECOND_MS))
    parts[part.type] = Number(part.value);
  const { year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN } = parts;
  const wall = Date.UTC(year, month - 1, day, hour, minute, parts.second ?? NaN);
  return wall - second * SECOND_MS;
}
