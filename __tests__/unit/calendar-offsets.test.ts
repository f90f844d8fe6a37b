import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoWeek, periodsOf, type Periods } from '../../src/calendar.js';
import { utcOffset } from '../../src/zone-formats.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * periodsOf works the periods out from the zone's offsets (read through Intl once per UTC hour)
 * by arithmetic. This is how it read them before, through Intl for every moment: the reference.
 */
function intlPeriods(date: Date, timeZone: string): Periods {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(date)) parts[part.type] = part.value;
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  const [year, month, day] = [Number(parts.year), Number(parts.month), Number(parts.day)];
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
 * Zones whose offsets make the arithmetic work: DST both ways of UTC, 30- and 45-minute offsets,
 * a 30-minute DST (Lord Howe), negative DST (Dublin), a 2-hour DST (Troll), a day skipped (Apia,
 * 2011-12-30), offsets changed for good (Caracas, Pyongyang, Moscow), DST in and out for Ramadan
 * (Casablanca), offsets with seconds before standard time (Amsterdam, Monrovia), +14 and -11.
 */
const ZONES = [
  'UTC',
  'Asia/Tokyo',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Chatham',
  'Europe/Dublin',
  'Antarctica/Troll',
  'Pacific/Apia',
  'America/Caracas',
  'Asia/Pyongyang',
  'Europe/Moscow',
  'Africa/Casablanca',
  'Europe/Amsterdam',
  'Africa/Monrovia',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Sao_Paulo',
  'Asia/Tehran',
  'Etc/GMT+5',
];

const HOUR = 3_600_000;
const DATE_RANGE = 8_640_000_000_000_000;

/** Moments a retention run meets (1850–2150), any moment Date holds, and whole hours ± a second. */
const moments = fc.oneof(
  fc.integer({ min: -3_786_825_600_000, max: 5_680_281_600_000 }),
  fc.integer({ min: -DATE_RANGE, max: DATE_RANGE }),
  fc
    .tuple(fc.integer({ min: -1_000_000, max: 1_500_000 }), fc.constantFrom(-1_000, -1, 0, 1))
    .map(([hour, shift]) => hour * HOUR + shift),
);

describe('periodsOf without Intl per moment', () => {
  it('gives the periods Intl gives, in any zone, at any moment', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), moments, (zone, time) => {
        const date = new Date(time);
        expect(periodsOf(date, zone)).toEqual(intlPeriods(date, zone));
      }),
      { numRuns: 5_000 },
    );
  });

  it('gives the periods Intl gives every 37 minutes and 7 seconds over years of transitions', () => {
    const from = Date.UTC(2010, 0, 1);
    const to = Date.UTC(2012, 6, 1);
    for (const zone of [
      'Australia/Lord_Howe',
      'America/New_York',
      'Pacific/Apia',
      'Europe/Dublin',
    ]) {
      for (let time = from; time < to; time += 37 * 60_000 + 7_000) {
        const date = new Date(time);
        const [fast, slow] = [periodsOf(date, zone), intlPeriods(date, zone)];
        if (fast.hourly !== slow.hourly || fast.weekly !== slow.weekly) {
          expect([zone, date.toISOString(), fast]).toEqual([zone, date.toISOString(), slow]);
        }
      }
    }
  });

  it('gives the periods Intl gives in every zone the runtime knows', () => {
    const times = fc.sample(moments, { numRuns: 12, seed: 18 });
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (const time of times) {
        const date = new Date(time);
        expect([zone, time, periodsOf(date, zone)]).toEqual([zone, time, intlPeriods(date, zone)]);
      }
    }
  });

  it('counts the repeated autumn hour as one period, and 30-minute DST by its wall-clock hour', () => {
    // Lord Howe turns its clocks back from 02:00 (+11) to 01:30 (+10:30) on 2026-04-05.
    const hours = ['2026-04-04T14:10:00Z', '2026-04-04T14:40:00Z', '2026-04-04T15:10:00Z'].map(
      (iso) => periodsOf(new Date(iso), 'Australia/Lord_Howe').hourly,
    );
    expect(hours).toEqual(['2026-04-05 01h', '2026-04-05 01h', '2026-04-05 01h']);
  });

  it('throws what Intl throws for an unknown zone or an invalid date', () => {
    expect(() => periodsOf(new Date('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => periodsOf(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('utcOffset', () => {
  it.each([
    ['Asia/Tokyo', '2026-06-01T00:00:00Z', 9 * HOUR],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z', 5.75 * HOUR],
    ['America/New_York', '2026-03-08T06:59:59.999Z', -5 * HOUR],
    ['America/New_York', '2026-03-08T07:00:00Z', -4 * HOUR],
    ['Australia/Lord_Howe', '2026-04-04T14:59:59.999Z', 11 * HOUR],
    ['Australia/Lord_Howe', '2026-04-04T15:00:00Z', 10.5 * HOUR],
    // Tokyo's local mean time until 1888, 9:18:59 ahead of UTC: a transition inside a UTC hour.
    ['Asia/Tokyo', '1887-12-31T14:41:00Z', 9 * HOUR + 18 * 60_000 + 59_000],
    ['Asia/Tokyo', '1887-12-31T15:00:00Z', 9 * HOUR],
  ])('%s at %s is %i ms ahead of UTC', (zone, iso, offset) => {
    expect(utcOffset(zone, new Date(iso).getTime())).toBe(offset);
  });
});
