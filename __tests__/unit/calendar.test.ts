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
    // The oldest backup, on a day of its own in both zones, so that no rule keeps one of the
    // three as the oldest.
    times.push('2026-11-20T12:00:00Z');
    // In UTC the three are one day; in Tokyo the first two are the 23rd, the third the 22nd.
    expect(keep(times, { daily: 7, timeZone: 'UTC' }).map(([, r]) => r)).toEqual([
      ['daily: 2026-11-22 (1 of 7)'],
      [],
      [],
      ['daily: 2026-11-20 (2 of 7)'],
    ]);
    expect(keep(times, { daily: 7, timeZone: 'Asia/Tokyo' }).map(([, r]) => r)).toEqual([
      ['daily: 2026-11-23 (1 of 7)'],
      [],
      ['daily: 2026-11-22 (2 of 7)'],
      ['daily: 2026-11-20 (3 of 7)'],
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
    const times = [
      '2026-10-25T01:45:00Z', // 02:45 CET
      '2026-10-25T01:15:00Z', // 02:15 CET
      '2026-10-25T00:45:00Z', // 02:45 CEST
      '2026-10-24T12:00:00Z', // the oldest, in an hour of its own
    ];
    expect(keep(times, { hourly: 5, timeZone: 'Europe/Berlin' }).map(([, r]) => r)).toEqual([
      ['hourly: 2026-10-25 02h (1 of 5)'],
      [],
      [],
      ['hourly: 2026-10-24 14h (2 of 5)'],
    ]);
  });

  it('counts 2026-12-31 and 2027-01-01 as one ISO week but two years', () => {
    const times = ['2027-01-01T12:00:00Z', '2026-12-31T12:00:00Z', '2026-12-27T12:00:00Z'];
    expect(keep(times, { weekly: 5, yearly: 5, timeZone: 'UTC' }).map(([, r]) => r)).toEqual([
      ['weekly: 2026-W53 (1 of 5)', 'yearly: 2027 (1 of 5)'],
      ['yearly: 2026 (2 of 5)'],
      // The yearly rule has counts left, so it keeps the oldest backup of its year 2026 too.
      ['weekly: 2026-W52 (2 of 5)', 'yearly: oldest 2026 (3 of 5)'],
    ]);
  });

  it('keeps nothing without a count', () => {
    expect(keepByCalendar([at('2026-11-24T12:00:00Z')], { timeZone: 'UTC' })).toEqual([[]]);
  });
});

describe('keepByCalendar keeps the oldest backup while a rule has counts left (restic 0.16+)', () => {
  it('keeps all three backups of a new set with 3 daily backups and daily 7', () => {
    expect(
      keep(['2026-11-24T03:00:00Z', '2026-11-23T03:00:00Z', '2026-11-22T03:00:00Z'], {
        daily: 7,
        timeZone: 'UTC',
      }).map(([, r]) => r),
    ).toEqual([
      ['daily: 2026-11-24 (1 of 7)'],
      ['daily: 2026-11-23 (2 of 7)'],
      ['daily: 2026-11-22 (3 of 7)'],
    ]);
  });

  it('keeps the first backup of a new set whose periods are longer than its backups’ interval', () => {
    // Three daily backups in one week and one month: weekly 4 and monthly 12 keep the newest, as
    // before, and now the oldest too, so the set's history reaches back to its first backup.
    expect(
      keep(['2026-11-25T03:00:00Z', '2026-11-24T03:00:00Z', '2026-11-23T03:00:00Z'], {
        weekly: 4,
        monthly: 12,
        timeZone: 'UTC',
      }).map(([, r]) => r),
    ).toEqual([
      ['weekly: 2026-W48 (1 of 4)', 'monthly: 2026-11 (1 of 12)'],
      [],
      ['weekly: oldest 2026-W48 (2 of 4)', 'monthly: oldest 2026-11 (2 of 12)'],
    ]);
  });

  it('keeps the oldest of twice-daily backups when daily 7 has counts left: one count for it', () => {
    expect(
      keep(
        [
          '2026-11-24T18:00:00Z',
          '2026-11-24T06:00:00Z',
          '2026-11-23T18:00:00Z',
          '2026-11-23T06:00:00Z',
        ],
        { daily: 7, timeZone: 'UTC' },
      ).map(([, r]) => r),
    ).toEqual([
      ['daily: 2026-11-24 (1 of 7)'],
      [],
      ['daily: 2026-11-23 (2 of 7)'],
      ['daily: oldest 2026-11-23 (3 of 7)'],
    ]);
  });

  it('keeps no extra backup once the counts ran out', () => {
    // Five days with daily 3: the counts run out on the third day.
    expect(
      keep(
        [
          '2026-11-24T12:00:00Z',
          '2026-11-23T12:00:00Z',
          '2026-11-22T12:00:00Z',
          '2026-11-21T12:00:00Z',
          '2026-11-20T12:00:00Z',
        ],
        { daily: 3, timeZone: 'UTC' },
      ).map(([, r]) => r.length > 0),
    ).toEqual([true, true, true, false, false]);
    // Exactly N days, the oldest sharing its day: the newest of that day took the last count.
    expect(
      keep(['2026-11-24T12:00:00Z', '2026-11-23T18:00:00Z', '2026-11-23T06:00:00Z'], {
        daily: 2,
        timeZone: 'UTC',
      }).map(([, r]) => r),
    ).toEqual([['daily: 2026-11-24 (1 of 2)'], ['daily: 2026-11-23 (2 of 2)'], []]);
  });

  it('decides per rule: a rule with counts left keeps the oldest, a rule without does not', () => {
    expect(
      keep(['2026-11-24T12:00:00Z', '2026-11-23T12:00:00Z', '2026-11-23T06:00:00Z'], {
        daily: 1,
        weekly: 3,
        timeZone: 'UTC',
      }).map(([, r]) => r),
    ).toEqual([
      ['daily: 2026-11-24 (1 of 1)', 'weekly: 2026-W48 (1 of 3)'],
      [],
      ['weekly: oldest 2026-W48 (2 of 3)'],
    ]);
  });

  it('keeps a single backup once, not as the oldest', () => {
    expect(keepByCalendar([at('2026-11-24T12:00:00Z')], { daily: 7, timeZone: 'UTC' })).toEqual([
      ['daily: 2026-11-24 (1 of 7)'],
    ]);
  });
});

/**
 * restic's own test data: the snapshot times of `TestApplyPolicy` (internal/data/
 * snapshot_policy_test.go, restic 0.19.0), all at UTC, in restic's order.
 */
const RESTIC_TIMES = [
  ...['2014-09', '2015-09'].flatMap((m) => days(m, '10:20:30', [1, 2, 5, 6, 8, 9, 10, 11, 20, 22])),
  ...['2014-08', '2015-08'].flatMap((m) => [
    ...days(m, '10:20:30', [8, 10, 12, 13]),
    `${m}-13T10:20:30.100Z`,
    ...days(m, '10:20:30', [15, 18, 20, 21, 22]),
  ]),
  ...days('2014-10', '10:20:30', [1, 2, 5, 6, 8, 9, 10, 11, 20, 22]),
  ...['2014-11', '2015-11'].flatMap((m) => [
    ...days(m, '10:20:30', [8, 10, 12, 13]),
    `${m}-13T10:20:30.100Z`,
    ...days(m, '10:20:30', [15, 18, 20, 21, 22]),
  ]),
  ...days('2015-10', '10:20:30', [1, 2, 5, 6, 8, 9, 10, 11, 20, 22, 22, 22, 22, 22]),
  ...[
    '2016-01-01T01:02:03Z',
    '2016-01-01T01:03:03Z',
    '2016-01-01T07:08:03Z',
    '2016-01-03T07:02:03Z',
    '2016-01-04T10:23:03Z',
    '2016-01-04T11:23:03Z',
    '2016-01-04T12:23:03Z',
    '2016-01-04T12:24:03Z',
    '2016-01-04T12:28:03Z',
    '2016-01-04T12:30:03Z',
    '2016-01-04T16:23:03Z',
    '2016-01-05T09:02:03Z',
    '2016-01-06T08:02:03Z',
    '2016-01-07T10:02:03Z',
    '2016-01-08T20:02:03Z',
    '2016-01-09T21:02:03Z',
    '2016-01-12T21:02:03Z',
    '2016-01-12T21:08:03Z',
    '2016-01-18T12:02:03Z',
  ],
];

function days(month: string, time: string, list: number[]): string[] {
  return list.map((day) => `${month}-${String(day).padStart(2, '0')}T${time}Z`);
}

describe('keepByCalendar against restic’s own expectations (restic 0.19.0 testdata)', () => {
  const newestFirst = [...RESTIC_TIMES].sort((a, b) => Date.parse(b) - Date.parse(a));
  /** The kept times and reasons in restic's words: `daily snapshot`, `oldest yearly snapshot`. */
  const asRestic = (rules: Omit<CalendarRules, 'timeZone'>): [string, string[]][] =>
    keep(newestFirst, { ...rules, timeZone: 'UTC' })
      .filter(([, reasons]) => reasons.length > 0)
      .map(([iso, reasons]) => [
        new Date(iso).toISOString(),
        reasons.map((reason) => {
          const [unit, rest] = reason.split(': ') as [string, string];
          return `${rest.startsWith('oldest ') ? 'oldest ' : ''}${unit} snapshot`;
        }),
      ]);

  it('has restic’s 103 snapshots', () => {
    expect(RESTIC_TIMES).toHaveLength(103);
  });

  it('keeps what restic keeps for --keep-yearly 10 (policy_keep_snapshots_16)', () => {
    expect(asRestic({ yearly: 10 })).toEqual([
      ['2016-01-18T12:02:03.000Z', ['yearly snapshot']],
      ['2015-11-22T10:20:30.000Z', ['yearly snapshot']],
      ['2014-11-22T10:20:30.000Z', ['yearly snapshot']],
      ['2014-08-08T10:20:30.000Z', ['oldest yearly snapshot']],
    ]);
  });

  it('keeps what restic keeps for daily 7, weekly 2, monthly 3, yearly 10 (policy_keep_snapshots_17)', () => {
    expect(asRestic({ daily: 7, weekly: 2, monthly: 3, yearly: 10 })).toEqual([
      [
        '2016-01-18T12:02:03.000Z',
        ['daily snapshot', 'weekly snapshot', 'monthly snapshot', 'yearly snapshot'],
      ],
      ['2016-01-12T21:08:03.000Z', ['daily snapshot', 'weekly snapshot']],
      ['2016-01-09T21:02:03.000Z', ['daily snapshot']],
      ['2016-01-08T20:02:03.000Z', ['daily snapshot']],
      ['2016-01-07T10:02:03.000Z', ['daily snapshot']],
      ['2016-01-06T08:02:03.000Z', ['daily snapshot']],
      ['2016-01-05T09:02:03.000Z', ['daily snapshot']],
      ['2015-11-22T10:20:30.000Z', ['monthly snapshot', 'yearly snapshot']],
      ['2015-10-22T10:20:30.000Z', ['monthly snapshot']],
      ['2014-11-22T10:20:30.000Z', ['yearly snapshot']],
      ['2014-08-08T10:20:30.000Z', ['oldest yearly snapshot']],
    ]);
  });

  it('keeps no oldest when the counts run out: daily 3, weekly 4 (policy_keep_snapshots_13)', () => {
    expect(asRestic({ daily: 3, weekly: 4 })).toEqual([
      ['2016-01-18T12:02:03.000Z', ['daily snapshot', 'weekly snapshot']],
      ['2016-01-12T21:08:03.000Z', ['daily snapshot', 'weekly snapshot']],
      ['2016-01-09T21:02:03.000Z', ['daily snapshot', 'weekly snapshot']],
      ['2016-01-03T07:02:03.000Z', ['weekly snapshot']],
    ]);
  });

  it('keeps no oldest when the counts run out: monthly 6 (policy_keep_snapshots_14)', () => {
    expect(asRestic({ monthly: 6 }).map(([iso]) => iso.slice(0, 10))).toEqual([
      '2016-01-18',
      '2015-11-22',
      '2015-10-22',
      '2015-09-22',
      '2015-08-22',
      '2014-11-22',
    ]);
  });

  it('keeps what restic keeps for --keep-hourly 20 (policy_keep_snapshots_5)', () => {
    expect(asRestic({ hourly: 20 }).map(([iso]) => iso)).toEqual([
      '2016-01-18T12:02:03.000Z',
      '2016-01-12T21:08:03.000Z',
      '2016-01-09T21:02:03.000Z',
      '2016-01-08T20:02:03.000Z',
      '2016-01-07T10:02:03.000Z',
      '2016-01-06T08:02:03.000Z',
      '2016-01-05T09:02:03.000Z',
      '2016-01-04T16:23:03.000Z',
      '2016-01-04T12:30:03.000Z',
      '2016-01-04T11:23:03.000Z',
      '2016-01-04T10:23:03.000Z',
      '2016-01-03T07:02:03.000Z',
      '2016-01-01T07:08:03.000Z',
      '2016-01-01T01:03:03.000Z',
      '2015-11-22T10:20:30.000Z',
      '2015-11-21T10:20:30.000Z',
      '2015-11-20T10:20:30.000Z',
      '2015-11-18T10:20:30.000Z',
      '2015-11-15T10:20:30.000Z',
      '2015-11-13T10:20:30.100Z',
    ]);
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

/**
 * What restic (0.16.0 and later) keeps of backups whose periods are given newest first, with a
 * count of N: the newest backup of each of the N most recent periods, and the oldest backup when
 * fewer than N periods hold one (a count is left for it after the walk).
 */
function resticKeeps(periods: readonly string[], n: number): Set<number> {
  const distinct = [...new Set(periods)];
  const kept = new Set(distinct.slice(0, n).map((period) => periods.indexOf(period)));
  if (distinct.length < n && periods.length > 0) kept.add(periods.length - 1);
  return kept;
}

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

  it('keeps at most N backups, each the newest of its period but for the oldest backup', () => {
    forAnyRule((times, unit, n, zone) => {
      const kept = [...keptBy(times, unit, n, zone)];
      expect(kept.length).toBeLessThanOrEqual(n);
      const periods = times.map((time) => periodsOf(time, zone)[unit]);
      const newest = kept.filter((index) => index !== times.length - 1);
      expect(new Set(newest.map((index) => periods[index])).size).toBe(newest.length);
      for (const index of newest) expect(periods.indexOf(periods[index] as string)).toBe(index);
    });
  });

  it('keeps the newest backup of the N most recent periods holding one, and the oldest backup when fewer periods hold one', () => {
    forAnyRule((times, unit, n, zone) => {
      const periods = times.map((time) => periodsOf(time, zone)[unit]);
      expect(keptBy(times, unit, n, zone)).toEqual(resticKeeps(periods, n));
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
          expect(keptBy(times, unit, n, 'UTC')).toEqual(resticKeeps(labels, n));
        },
      ),
    );
  });
});
