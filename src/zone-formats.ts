/**
 * The runtime's wall-clock formats in a time zone (Intl, en-US, 24-hour), made once per zone and
 * shape: the calendar rules read periods with them, the summary shows times with them. Pure.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * Year, month, day and hour in `timeZone`; with `minutes`, also the minute and the zone's short
 * name (`EST`, `UTC+9`). Throws a RangeError for a zone the runtime does not know.
 */
export function wallClockFormat(timeZone: string, minutes = false): Intl.DateTimeFormat {
  const key = `${timeZone}\u0000${minutes}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      ...(minutes ? { minute: '2-digit', timeZoneName: 'short' } : {}),
    });
    formats.set(key, format);
  }
  return format;
}
