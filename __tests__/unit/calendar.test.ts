import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalTimeZone,
  isoWeek,
  keepByCalendar,
  periodsOf,
  type CalendarRules,
  type CalendarUnit,
} from '../../src/calendar.js';
import { arbitraryRuleCount, arbitraryTimeZone, arbitraryUnit } from './arbitraries.js';

const at = (iso: string): Date => new Date(iso);

/** That the moment `iso` falls, in `zone`, in the hour and on the day given. */
function inHourAndDay(iso: string, zone: string, hour: string, day: string): void {
  const periods = periodsOf(at(iso), zone);
  expect([periods.hourly, periods.daily]).toEqual([hour, day]);
}

describe('periodsOf', () => {
  it('labels the hour, day, ISO week, month and year of a moment', () => {
    expect(periodsOf(at('2026-11-24T13:45:00Z'), 'UTC')).toEqual({
      hourly: '2026-11-24 13h',
      daily: '2026-11-24',
      weekly: '2026-W48',
      monthly: '2026-11',
      yearly: '2026',
    });
  });

  it.each([
    // A backup at 23:30 UTC is already the next day in Tokyo (UTC+9) …
    ['2026-11-22T23:30:00Z', 'UTC', '2026-11-22 23h', '2026-11-22'],
    ['2026-11-22T23:30:00Z', 'Asia/Tokyo', '2026-11-23 08h', '2026-11-23'],
    ['2026-11-22T14:59:00Z', 'Asia/Tokyo', '2026-11-22 23h', '2026-11-22'],
    ['2026-11-22T15:00:00Z', 'Asia/Tokyo', '2026-11-23 00h', '2026-11-23'],
    // … and still the previous day in New York (UTC-5 in November).
    ['2026-11-23T04:59:00Z', 'America/New_York', '2026-11-22 23h', '2026-11-22'],
    ['2026-11-23T05:00:00Z', 'America/New_York', '2026-11-23 00h', '2026-11-23'],
  ])('puts %s in %s in hour %s of day %s', inHourAndDay);

  describe('across daylight-saving transitions', () => {
    it.each([
      // America/New_York springs forward on 2026-03-08 at 02:00 EST (07:00Z): the day has 23 hours.
      ['2026-03-08T04:59:00Z', 'America/New_York', '2026-03-07 23h', '2026-03-07'],
      ['2026-03-08T05:00:00Z', 'America/New_York', '2026-03-08 00h', '2026-03-08'],
      ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08 01h', '2026-03-08'],
      ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08 03h', '2026-03-08'],
      ['2026-03-09T03:59:00Z', 'America/New_York', '2026-03-08 23h', '2026-03-08'],
      ['2026-03-09T04:00:00Z', 'America/New_York', '2026-03-09 00h', '2026-03-09'],
      // It falls back on 2026-11-01 at 02:00 EDT (06:00Z): the day has 25 hours.
      ['2026-11-01T03:59:00Z', 'America/New_York', '2026-10-31 23h', '2026-10-31'],
      ['2026-11-01T04:00:00Z', 'America/New_York', '2026-11-01 00h', '2026-11-01'],
      ['2026-11-02T04:59:00Z', 'America/New_York', '2026-11-01 23h', '2026-11-01'],
      ['2026-11-02T05:00:00Z', 'America/New_York', '2026-11-02 00h', '2026-11-02'],
      // Europe/Berlin springs forward on 2026-03-29 at 02:00 CET (01:00Z) …
      ['2026-03-28T22:59:00Z', 'Europe/Berlin', '2026-03-28 23h', '2026-03-28'],
      ['2026-03-28T23:00:00Z', 'Europe/Berlin', '2026-03-29 00h', '2026-03-29'],
      ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29 03h', '2026-03-29'],
      ['2026-03-29T21:59:00Z', 'Europe/Berlin', '2026-03-29 23h', '2026-03-29'],
      ['2026-03-29T22:00:00Z', 'Europe/Berlin', '2026-03-30 00h', '2026-03-30'],
      // … and falls back on 2026-10-25 at 03:00 CEST (01:00Z).
      ['2026-10-24T21:59:00Z', 'Europe/Berlin', '2026-10-24 23h', '2026-10-24'],
      ['2026-10-24T22:00:00Z', 'Europe/Berlin', '2026-10-25 00h', '2026-10-25'],
      ['2026-10-25T22:59:00Z', 'Europe/Berlin', '2026-10-25 23h', '2026-10-25'],
      ['2026-10-25T23:00:00Z', 'Europe/Berlin', '2026-10-26 00h', '2026-10-26'],
    ])('puts %s in %s in hour %s of day %s', inHourAndDay);

    it('counts the repeated hour when clocks fall back as one wall-clock hour', () => {
      // 01:30 EDT and 01:30 EST, an hour apart, are both "01h" on the wall clock.
      expect(periodsOf(at('2026-11-01T05:30:00Z'), 'America/New_York').hourly).toBe(
        '2026-11-01 01h',
      );
      expect(periodsOf(at('2026-11-01T06:30:00Z'), 'America/New_York').hourly).toBe(
        '2026-11-01 01h',
      );
      expect(periodsOf(at('2026-10-25T00:30:00Z'), 'Europe/Berlin').hourly).toBe('2026-10-25 02h');
      expect(periodsOf(at('2026-10-25T01:30:00Z'), 'Europe/Berlin').hourly).toBe('2026-10-25 02h');
    });
  });

  it.each([
    // moment (UTC)          daily         weekly      monthly    yearly
    ['2026-12-31T14:59:00Z', '2026-12-31', '2026-W53', '2026-12', '2026'],
    ['2026-12-31T15:00:00Z', '2027-01-01', '2026-W53', '2027-01', '2027'],
    ['2027-01-03T14:59:00Z', '2027-01-03', '2026-W53', '2027-01', '2027'],
    ['2027-01-03T15:00:00Z', '2027-01-04', '2027-W01', '2027-01', '2027'],
    ['2025-12-28T14:59:00Z', '2025-12-28', '2025-W52', '2025-12', '2025'],
    ['2025-12-28T15:00:00Z', '2025-12-29', '2026-W01', '2025-12', '2025'],
  ])(
    'crosses year and ISO-week boundaries in Tokyo time: %s',
    (iso, daily, weekly, monthly, yearly) => {
      expect(periodsOf(at(iso), 'Asia/Tokyo')).toMatchObject({ daily, weekly, monthly, yearly });
    },
  );
});

describe('isoWeek', () => {
  it.each([
    [2026, 12, 31, '2026-W53'],
    [2027, 1, 1, '2026-W53'],
    [2027, 1, 3, '2026-W53'],
    [2027, 1, 4, '2027-W01'],
    [2025, 12, 28, '2025-W52'],
    [2025, 12, 29, '2026-W01'],
    [2026, 1, 1, '2026-W01'],
    [2026, 11, 22, '2026-W47'],
    [2026, 11, 23, '2026-W48'],
    [2021, 1, 3, '2020-W53'],
    [2024, 12, 30, '2025-W01'],
    [2024, 2, 29, '2024-W09'],
  ])('puts %i-%i-%i in %s', (year, month, day, expected) => {
    const week = isoWeek(year, month, day);
    expect(`${week.year}-W${String(week.week).padStart(2, '0')}`).toBe(expected);
  });

  it('runs weeks from Monday to Sunday, 52 or 53 of them in a year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * 366 }), (offset) => {
        const date = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000);
        const next = new Date(date.getTime() + 86_400_000);
        const ymd = (d: Date) => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()] as const;
        const a = isoWeek(...ymd(date));
        const b = isoWeek(...ymd(next));
        // A new week starts exactly on Mondays.
        const changed = a.year !== b.year || a.week !== b.week;
        expect(changed).toBe(next.getUTCDay() === 1);
        if (changed) {
          expect(b.week === a.week + 1 || (b.week === 1 && b.year === a.year + 1)).toBe(true);
          expect([52, 53]).toContain(b.week === 1 ? a.week : 52);
        }
      }),
    );
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Asia/Tokyo', 'Asia/Tokyo'],
    ['asia/tokyo', 'Asia/Tokyo'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['Etc/GMT-9', 'Etc/GMT-9'],
  ])('accepts %s as %s', (name, canonical) => {
    expect(canonicalTimeZone(name)).toBe(canonical);
  });

  it.each(['', 'Tokyo', 'Asia/Tokio', '+09:00', '-05:00', 'UTC+9'])('refuses %j', (name) => {
    expect(canonicalTimeZone(name)).toBeUndefined();
  });
});

/** Backups at these times (newest first), and the reasons each one is kept. */
function keep(isoTimes: string[], rules: CalendarRules): [string, string[]][] {
  const reasons = keepByCalendar(isoTimes.map(at), rules);
  return isoTimes.map((iso, index) => [iso, reasons[index] ?? []]);
}

describe('keepByCalendar (restic semantics)', () => {
  it('keeps the newest backup of each of the last N days, and no other backup of those days', () => {
    expect(
      keep(
        [
          '2026-11-24T18:00:00Z',
          '2026-11-24T06:00:00Z',
          '2026-11-23T18:00:00Z',
          '2026-11-23T06:00:00Z',
          '2026-11-22T18:00:00Z',
          '2026-11-21T18:00:00Z',
        ],
        { daily: 3, timeZone: 'UTC' },
      ),
    ).toEqual([
      ['2026-11-24T18:00:00Z', ['daily: 2026-11-24 (1 of 3)']],
      ['2026-11-24T06:00:00Z', []],
      ['2026-11-23T18:00:00Z', ['daily: 2026-11-23 (2 of 3)']],
      ['2026-11-23T06:00:00Z', []],
      ['2026-11-22T18:00:00Z', ['daily: 2026-11-22 (3 of 3)']],
      ['2026-11-21T18:00:00Z', []],
    ]);
  });

  it('does not count periods without a backup: the last N days that hold one', () => {
    expect(
      keep(
        [
          '2026-11-24T12:00:00Z',
          '2026-11-20T12:00:00Z',
          '2026-11-01T12:00:00Z',
          '2026-10-01T12:00:00Z',
        ],
        { daily: 3, timeZone: 'UTC' },
      ).map(([iso, reasons]) => [iso, reasons.length > 0]),
    ).toEqual([
      ['2026-11-24T12:00:00Z', true],
      ['2026-11-20T12:00:00Z', true],
      ['2026-11-01T12:00:00Z', true],
      ['2026-10-01T12:00:00Z', false],
    ]);
  });

  it('keeps at most one a period when N exceeds the periods there are', () => {
    const kept = keep(['2026-11-24T12:00:00Z', '2026-11-24T11:00:00Z', '2026-11-23T12:00:00Z'], {
      daily: 10,
      timeZone: 'UTC',
    });
    expect(kept.map(([, reasons]) => reasons)).toEqual([
      ['daily: 2026-11-24 (1 of 10)'],
      [],
      ['daily: 2026-11-23 (2 of 10)'],
    ]);
  });

  it('applies each rule on its own and names every rule that keeps a backup', () => {
    expect(
      keep(
        [
          '2026-11-24T13:10:00Z', // Tuesday, week 48
          '2026-11-23T09:00:00Z', // Monday, week 48
          '2026-11-22T09:00:00Z', // Sunday, week 47
          '2026-10-31T09:00:00Z',
          '2025-12-31T09:00:00Z',
        ],
        { hourly: 1, daily: 2, weekly: 2, monthly: 3, yearly: 2, timeZone: 'UTC' },
      ),
    ).toEqual([
      [
        '2026-11-24T13:10:00Z',
        [
          'hourly: 2026-11-24 13h (1 of 1)',
          'daily: 2026-11-24 (1 of 2)',
          'weekly: 2026-W48 (1 of 2)',
          'monthly: 2026-11 (1 of 3)',
          'yearly: 2026 (1 of 2)',
        ],
      ],
      ['2026-11-23T09:00:00Z', ['daily: 2026-11-23 (2 of 2)']],
      ['2026-11-22T09:00:00Z', ['weekly: 2026-W47 (2 of 2)']],
      ['2026-10-31T09:00:00Z', ['monthly: 2026-10 (2 of 3)']],
      ['2025-12-31T09:00:00Z', ['monthly: 2025-12 (3 of 3)', 'yearly: 2025 (2 of 2)']],
    ]);
  });

  it('draws the day boundaries in the time zone: 23:30 UTC is the next day in Tokyo', () => {
    const times = ['2026-11-22T23:30:00Z', '2026-11-22T16:00:00Z', '2026-11-22T14:00:00Z'];
    // In UTC the three are one day; in Tokyo the first two are the 23rd, the third the 22nd.
    expect(keep(times, { daily: 7, timeZone: 'UTC' }).map(([, r]) => r)).toEqual([
      ['daily: 2026-11-22 (1 of 7)'],
      [],
      [],
    ]);
    expect(keep(times, { daily: 7, timeZone: 'Asia/Tokyo' }).map(([, r]) => r)).toEqual([
      ['daily: 2026-11-23 (1 of 7)'],
      [],
      ['daily: 2026-11-22 (2 of 7)'],
    ]);
  });

  it('keeps one backup of the 25-hour day when New York falls back, and one of the 23-hour day', () => {
    const times = [
      '2026-11-02T05:30:00Z', // 2026-11-02 00:30 EST
      '2026-11-02T04:30:00Z', // 2026-11-01 23:30 EST, 24h30 after midnight EDT
      '2026-11-01T04:30:00Z', // 2026-11-01 00:30 EDT
      '2026-03-09T03:30:00Z', // 2026-03-08 23:30 EDT
      '2026-03-08T05:30:00Z', // 2026-03-08 00:30 EST
      '2026-03-08T04:30:00Z', // 2026-03-07 23:30 EST
    ];
    expect(keep(times, { daily: 10, timeZone: 'America/New_York' }).map(([, r]) => r)).toEqual([
      ['daily: 2026-11-02 (1 of 10)'],
      ['daily: 2026-11-01 (2 of 10)'],
      [],
      ['daily: 2026-03-08 (3 of 10)'],
      [],
      ['daily: 2026-03-07 (4 of 10)'],
    ]);
  });

  it('keeps one backup of the repeated wall-clock hour when Berlin falls back', () => {
    const times = ['2026-10-25T01:45:00Z', '2026-10-25T01:15:00Z', '2026-10-25T00:45:00Z'];
    expect(keep(times, { hourly: 5, timeZone: 'Europe/Berlin' }).map(([, r]) => r)).toEqual([
      ['hourly: 2026-10-25 02h (1 of 5)'],
      [],
      [],
    ]);
  });

  it('counts 2026-12-31 and 2027-01-01 as one ISO week but two years', () => {
    const times = ['2027-01-01T12:00:00Z', '2026-12-31T12:00:00Z', '2026-12-27T12:00:00Z'];
    expect(keep(times, { weekly: 5, yearly: 5, timeZone: 'UTC' }).map(([, r]) => r)).toEqual([
      ['weekly: 2026-W53 (1 of 5)', 'yearly: 2027 (1 of 5)'],
      ['yearly: 2026 (2 of 5)'],
      ['weekly: 2026-W52 (2 of 5)'],
    ]);
  });

  it('keeps nothing without a count', () => {
    expect(keepByCalendar([at('2026-11-24T12:00:00Z')], { timeZone: 'UTC' })).toEqual([[]]);
  });
});

/** Distinct times (newest first) within about 3 years, in minutes. */
const timesArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 3 * 366 * 24 * 60 }), { maxLength: 60 })
  .map((minutes) =>
    [...minutes]
      .sort((a, b) => a - b)
      .map((m) => new Date(Date.UTC(2027, 0, 1) - m * 60_000 - 7_000)),
  );

describe('keepByCalendar properties', () => {
  const keptBy = (times: Date[], unit: CalendarUnit, n: number, timeZone: string): Set<number> => {
    const reasons = keepByCalendar(times, { [unit]: n, timeZone });
    return new Set(reasons.flatMap((r, index) => (r.length > 0 ? [index] : [])));
  };
  /** Checks `rule` for any times, one calendar rule (its unit and N) and any time zone. */
  const forAnyRule = (rule: (times: Date[], unit: CalendarUnit, n: number, zone: string) => void) =>
    fc.assert(fc.property(timesArb, arbitraryUnit, arbitraryRuleCount, arbitraryTimeZone, rule));

  it('a backup kept by a rule with N stays kept with N+1', () => {
    forAnyRule((times, unit, n, zone) => {
      const more = keptBy(times, unit, n + 1, zone);
      for (const index of keptBy(times, unit, n, zone)) expect(more.has(index)).toBe(true);
    });
  });

  it('keeps at most N backups, never two in one period, each the newest of its period', () => {
    forAnyRule((times, unit, n, zone) => {
      const kept = [...keptBy(times, unit, n, zone)];
      expect(kept.length).toBeLessThanOrEqual(n);
      const periods = times.map((time) => periodsOf(time, zone)[unit]);
      const keptPeriods = kept.map((index) => periods[index]);
      expect(new Set(keptPeriods).size).toBe(kept.length);
      for (const index of kept) expect(periods.indexOf(periods[index] as string)).toBe(index);
    });
  });

  it('keeps exactly min(N, periods holding a backup), the N most recent of those periods', () => {
    forAnyRule((times, unit, n, zone) => {
      const periods = times.map((time) => periodsOf(time, zone)[unit]);
      const distinct = [...new Set(periods)];
      const expected = new Set(distinct.slice(0, n).map((period) => periods.indexOf(period)));
      expect(keptBy(times, unit, n, zone)).toEqual(expected);
    });
  });

  it('agrees in UTC with periods read off the ISO 8601 string', () => {
    const slices: Partial<Record<CalendarUnit, number>> = {
      hourly: 13,
      daily: 10,
      monthly: 7,
      yearly: 4,
    };
    fc.assert(
      fc.property(
        timesArb,
        fc.constantFrom<CalendarUnit>('hourly', 'daily', 'monthly', 'yearly'),
        arbitraryRuleCount,
        (times, unit, n) => {
          const labels = times.map((time) => time.toISOString().slice(0, slices[unit]));
          const expected = new Set(
            [...new Set(labels)].slice(0, n).map((label) => labels.indexOf(label)),
          );
          expect(keptBy(times, unit, n, 'UTC')).toEqual(expected);
        },
      ),
    );
  });
});
