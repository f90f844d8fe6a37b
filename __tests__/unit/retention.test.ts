import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CALENDAR_UNITS } from '../../src/calendar.js';
import { TAGS } from '../../src/constants.js';
import {
  decideRetention,
  type RetentionDecision,
  type RetentionRules,
} from '../../src/retention.js';
import type { Backup, BackupState } from '../../src/model.js';
import {
  arbitraryCalendar,
  arbitraryListing,
  arbitraryRuleCount,
  arbitraryState,
  arbitraryTimeZone,
  arbitraryUnit,
} from './arbitraries.js';
import { backup, DAY, HOUR, NOW } from './fixtures.js';

const deletedIds = (backups: Backup[], rules: RetentionRules, thisRun?: Set<string>): string[] =>
  decideRetention(backups, rules, { now: NOW, ...(thisRun ? { thisRun } : {}) })
    .filter((decision) => !decision.keep)
    .map((decision) => decision.backup.id);

describe('decideRetention', () => {
  it('keeps the 5 newest and deletes the 6th', () => {
    const backups = [1, 2, 3, 4, 5, 6].map((n) => backup(`snap-${n}`, n * DAY));
    expect(deletedIds(backups, { generations: 5 })).toEqual(['snap-6']);
  });

  it('keeps everything younger than keep-within and deletes the rest', () => {
    const backups = [10, 40, 60, 90].map((days) => backup(`snap-${days}`, days * DAY));
    expect(deletedIds(backups, { keepWithinMs: 50 * DAY })).toEqual(['snap-60', 'snap-90']);
  });

  it('keeps a backup when any rule keeps it (union of rules)', () => {
    const backups = [1, 2, 3, 30].map((days) => backup(`snap-${days}`, days * DAY));
    expect(deletedIds(backups, { generations: 1, keepWithinMs: 5 * DAY })).toEqual(['snap-30']);
    expect(deletedIds(backups, { generations: 4, keepWithinMs: HOUR })).toEqual([]);
  });

  it('never deletes pending backups and does not count them as generations', () => {
    const backups = [
      backup('snap-pending', 1 * HOUR, { state: 'pending' }),
      backup('snap-a', 2 * DAY),
      backup('snap-b', 3 * DAY),
    ];
    const decisions = decideRetention(backups, { generations: 2 }, { now: NOW });
    expect(decisions.map((d) => [d.backup.id, d.keep])).toEqual([
      ['snap-pending', true],
      ['snap-a', true],
      ['snap-b', true],
    ]);
  });

  it('never deletes a backup tagged snapshot-rotation:keep=true', () => {
    const backups = [
      backup('snap-new', DAY),
      backup('snap-kept', 400 * DAY, { tags: { [TAGS.keep]: 'True' } }),
      backup('snap-old', 500 * DAY),
    ];
    const decisions = decideRetention(backups, { generations: 1 }, { now: NOW });
    expect(decisions.find((d) => d.backup.id === 'snap-kept')).toMatchObject({
      keep: true,
      reasons: [`protected by ${TAGS.keep}=true`],
    });
    expect(deletedIds(backups, { generations: 1 })).toEqual(['snap-old']);
  });

  it('always keeps the newest completed backup, even when every rule would age it out', () => {
    const backups = [backup('snap-a', 100 * DAY), backup('snap-b', 200 * DAY)];
    expect(deletedIds(backups, { keepWithinMs: DAY })).toEqual(['snap-b']);
  });

  it('always keeps the backups made in this run', () => {
    const backups = [backup('snap-new', 0), backup('snap-a', DAY)];
    expect(deletedIds(backups, { keepWithinMs: 1 }, new Set(['snap-new']))).toEqual(['snap-a']);
  });

  it('deletes failed backups with the reason AWS gave, unless protected', () => {
    const backups = [
      backup('snap-ok', DAY),
      backup('snap-failed', 2 * HOUR, { state: 'failed', stateMessage: 'internal error' }),
      backup('snap-failed-kept', 3 * HOUR, { state: 'failed', tags: { [TAGS.keep]: 'true' } }),
    ];
    const decisions = decideRetention(backups, { generations: 10 }, { now: NOW });
    expect(decisions.find((d) => d.backup.id === 'snap-failed')).toMatchObject({
      keep: false,
      reasons: ['failed state: internal error'],
    });
    expect(decisions.find((d) => d.backup.id === 'snap-failed-kept')?.keep).toBe(true);
  });

  it('counts generations per source and per set', () => {
    const backups = [
      backup('a1', 1 * DAY, { sourceId: 'vol-a' }),
      backup('a2', 2 * DAY, { sourceId: 'vol-a' }),
      backup('b1', 3 * DAY, { sourceId: 'vol-b' }),
      backup('b2', 4 * DAY, { sourceId: 'vol-b' }),
      backup('w1', 5 * DAY, { sourceId: 'vol-a', set: 'weekly' }),
    ];
    expect(deletedIds(backups, { generations: 1 })).toEqual(['a2', 'b2']);
  });

  it('says which rules keep a backup', () => {
    const [first] = decideRetention(
      [backup('snap-a', HOUR)],
      { generations: 3, keepWithinMs: DAY },
      { now: NOW },
    );
    expect(first?.reasons).toEqual([
      'newest completed backup of the source',
      'generations: 1 of 3',
      'keep-within: 1h old, under 1d',
    ]);
  });
});

/** A backup of vol-1 made at this UTC time. */
const at = (id: string, iso: string, overrides: Parameters<typeof backup>[2] = {}): Backup =>
  backup(id, NOW.getTime() - new Date(iso).getTime(), overrides);
const keptIds = (backups: Backup[], rules: RetentionRules): string[] =>
  decideRetention(backups, rules, { now: NOW })
    .filter((decision) => decision.keep)
    .map((decision) => decision.backup.id);

describe('decideRetention with calendar rules', () => {
  it('says which calendar rule keeps a backup, with its period in the time zone', () => {
    const decisions = decideRetention(
      [at('snap-a', '2026-11-21T23:30:00Z'), at('snap-b', '2026-11-20T12:00:00Z')],
      {
        generations: 1,
        calendar: { daily: 7, weekly: 4, monthly: 12, yearly: 2, timeZone: 'Asia/Tokyo' },
      },
      { now: NOW },
    );
    expect(decisions.map((d) => d.reasons)).toEqual([
      [
        'newest completed backup of the source',
        'generations: 1 of 1',
        'daily: 2026-11-22 (1 of 7)',
        'weekly: 2026-W47 (1 of 4)',
        'monthly: 2026-11 (1 of 12)',
        'yearly: 2026 (1 of 2)',
      ],
      // The oldest backup: a new day, and the oldest of a week, month and year already held
      // (restic 0.16+ keeps the oldest while a rule has counts left).
      [
        'daily: 2026-11-20 (2 of 7)',
        'weekly: oldest 2026-W47 (2 of 4)',
        'monthly: oldest 2026-11 (2 of 12)',
        'yearly: oldest 2026 (2 of 2)',
      ],
    ]);
  });

  it('is a union with generations and keep-within', () => {
    const backups = [
      at('d24', '2026-11-21T12:00:00Z'),
      at('d24-early', '2026-11-21T01:00:00Z'),
      at('d23', '2026-11-20T12:00:00Z'),
      at('d10', '2026-11-10T12:00:00Z'),
      at('oct', '2026-10-15T12:00:00Z'),
    ];
    const daily2 = { calendar: { daily: 2, timeZone: 'UTC' } };
    expect(keptIds(backups, daily2)).toEqual(['d24', 'd23']);
    expect(keptIds(backups, { ...daily2, generations: 2 })).toEqual(['d24', 'd24-early', 'd23']);
    expect(keptIds(backups, { ...daily2, keepWithinMs: 20 * DAY })).toEqual([
      'd24',
      'd24-early',
      'd23',
      'd10',
    ]);
    expect(keptIds(backups, { calendar: { daily: 2, monthly: 2, timeZone: 'UTC' } })).toEqual([
      'd24',
      'd23',
      'oct',
    ]);
  });

  it('counts only completed backups: a pending one is kept but holds no period, a failed one goes', () => {
    const decisions = decideRetention(
      [
        at('pending', '2026-11-22T10:00:00Z', { state: 'pending' }),
        at('failed', '2026-11-22T09:00:00Z', { state: 'failed' }),
        at('done', '2026-11-22T08:00:00Z'),
        at('yesterday', '2026-11-21T08:00:00Z'),
        at('older', '2026-11-20T08:00:00Z'),
      ],
      { calendar: { daily: 2, timeZone: 'UTC' } },
      { now: NOW },
    );
    expect(decisions.map((d) => [d.backup.id, d.keep, d.reasons[d.reasons.length - 1]])).toEqual([
      ['pending', true, 'pending (in progress backups are never deleted)'],
      ['failed', false, 'failed state'],
      ['done', true, 'daily: 2026-11-22 (1 of 2)'],
      ['yesterday', true, 'daily: 2026-11-21 (2 of 2)'],
      ['older', false, '2d4h old: outside the last 2 daily periods'],
    ]);
  });

  it('names the rule window a deleted backup fell outside, for the rules that are set only', () => {
    const backups = [
      at('new', '2026-11-22T11:00:00Z'),
      at('same-day', '2026-11-22T01:00:00Z'),
      at('d21', '2026-11-21T11:00:00Z'),
      at('d20', '2026-11-20T11:00:00Z'),
    ];
    const reasonOf = (rules: RetentionRules, id: string): string | undefined =>
      decideRetention(backups, rules, { now: NOW })
        .find((d) => d.backup.id === id && !d.keep)
        ?.reasons.join('; ');
    const daily2 = { calendar: { daily: 2, timeZone: 'UTC' } };

    expect(reasonOf(daily2, 'd20')).toBe('2d1h old: outside the last 2 daily periods');
    expect(reasonOf(daily2, 'same-day')).toBe(
      '11h old: a newer backup holds its daily period 2026-11-22',
    );
    expect(reasonOf({ ...daily2, generations: 1, keepWithinMs: 6 * HOUR }, 'd20')).toBe(
      '2d1h old: not the newest, older than keep-within 6h and outside the last 2 daily periods',
    );
    expect(reasonOf({ generations: 2 }, 'd20')).toBe('2d1h old: not one of the 2 newest');
    // No generation is named when generations is not set, and no parentheses nest.
    for (const rules of [daily2, { keepWithinMs: DAY }, { ...daily2, keepWithinMs: HOUR }]) {
      const reasons = decideRetention(backups, rules, { now: NOW })
        .filter((d) => !d.keep)
        .flatMap((d) => d.reasons);
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons) {
        expect(reason).not.toMatch(/generation/);
        expect(reason).not.toMatch(/\([^)]*\(/);
      }
    }
  });

  it('names the rules that keep each backup in short words, one per reason', () => {
    const decisions = decideRetention(
      [
        at('pending', '2026-11-22T10:00:00Z', { state: 'pending' }),
        at('new', '2026-11-22T09:00:00Z'),
        at('pinned', '2026-11-21T09:00:00Z', { tags: { [TAGS.keep]: 'true' } }),
        at('old', '2026-11-10T09:00:00Z'),
      ],
      { generations: 1, keepWithinMs: 2 * DAY, calendar: { daily: 7, timeZone: 'UTC' } },
      {
        now: NOW,
        thisRun: new Set(['new']),
        pinned: new Map([['pinned', 'its copy is in progress']]),
      },
    );
    expect(decisions.map((d) => [d.backup.id, d.rules])).toEqual([
      ['pending', ['pending']],
      ['new', ['this-run', 'newest', 'generations', 'keep-within', 'daily']],
      ['pinned', ['protected', 'pinned', 'keep-within', 'daily']],
      ['old', ['daily']],
    ]);
    for (const d of decisions) expect(d.rules).toHaveLength(d.reasons.length);
    const [deleted] = decideRetention(
      [at('a', '2026-11-22T09:00:00Z'), at('b', '2026-11-01T09:00:00Z')],
      { generations: 1 },
      { now: NOW },
    ).filter((d) => !d.keep);
    expect(deleted?.rules).toEqual([]);
  });

  it('counts protected backups and this run’s backup in their periods like any completed one', () => {
    const backups = [
      at('new', '2026-11-22T11:00:00Z'),
      at('kept', '2026-11-21T11:00:00Z', { tags: { [TAGS.keep]: 'true' } }),
      at('d20', '2026-11-20T11:00:00Z'),
      at('d19', '2026-11-19T11:00:00Z'),
    ];
    const decisions = decideRetention(
      backups,
      { calendar: { daily: 3, timeZone: 'UTC' } },
      { now: NOW, thisRun: new Set(['new']) },
    );
    expect(decisions.map((d) => [d.backup.id, d.keep])).toEqual([
      ['new', true],
      ['kept', true],
      ['d20', true],
      ['d19', false],
    ]);
    expect(decisions[1]?.reasons).toEqual([
      `protected by ${TAGS.keep}=true`,
      'daily: 2026-11-21 (2 of 3)',
    ]);
  });

  it('counts periods per source and per set', () => {
    const backups = [
      at('a1', '2026-11-22T10:00:00Z', { sourceId: 'vol-a' }),
      at('a2', '2026-11-21T10:00:00Z', { sourceId: 'vol-a' }),
      at('b1', '2026-11-20T10:00:00Z', { sourceId: 'vol-b' }),
      at('b2', '2026-11-19T10:00:00Z', { sourceId: 'vol-b' }),
      at('w1', '2026-11-18T10:00:00Z', { sourceId: 'vol-a', set: 'weekly' }),
    ];
    expect(deletedIds(backups, { calendar: { daily: 1, timeZone: 'UTC' } })).toEqual(['a2', 'b2']);
  });

  it('keeps what restic keeps for 400 daily backups with daily 7, weekly 4, monthly 12, yearly 2', () => {
    // One backup a day at 01:00 UTC (10:00 in Tokyo), the newest on 2026-11-22.
    const backups = Array.from({ length: 400 }, (_, i) =>
      at(`day-${i}`, new Date(Date.UTC(2026, 10, 22 - i, 1)).toISOString()),
    );
    const kept = decideRetention(
      backups,
      { calendar: { daily: 7, weekly: 4, monthly: 12, yearly: 2, timeZone: 'Asia/Tokyo' } },
      { now: NOW },
    ).filter((d) => d.keep);
    expect(kept.map((d) => d.backup.createdAt.toISOString().slice(0, 10))).toEqual([
      // daily: the last 7 days
      '2026-11-22',
      '2026-11-21',
      '2026-11-20',
      '2026-11-19',
      '2026-11-18',
      '2026-11-17',
      '2026-11-16',
      // weekly: the Sundays that end 2026-W46, W45 and W44 (W47 ends on the newest)
      '2026-11-15',
      '2026-11-08',
      '2026-11-01',
      // monthly: the last day of each month back to 2025-12 (2026-11 is the newest)
      '2026-10-31',
      '2026-09-30',
      '2026-08-31',
      '2026-07-31',
      '2026-06-30',
      '2026-05-31',
      '2026-04-30',
      '2026-03-31',
      '2026-02-28',
      '2026-01-31',
      '2025-12-31', // and yearly: 2025
    ]);
  });
});

/** Listings where three backups in five are completed, a few made a little in the future (skew). */
const arbitraryBackups = arbitraryListing({
  ageHours: { min: -2, max: 5000 },
  states: fc.constantFrom<BackupState>('completed', 'completed', 'completed', 'pending', 'failed'),
});
const berlinCalendar = arbitraryCalendar(
  { hourly: 30, daily: 14, weekly: 8, monthly: 12, yearly: 3 },
  fc.constant('Europe/Berlin'),
);
const arbitraryRules: fc.Arbitrary<RetentionRules> = fc.record(
  {
    generations: fc.integer({ min: 1, max: 10 }),
    keepWithinMs: fc.integer({ min: 1, max: 3000 }).map((hours) => hours * HOUR),
    calendar: berlinCalendar,
  },
  { requiredKeys: [] },
);

describe('retention properties', () => {
  it('never deletes a pending, protected or newest completed backup of a source', () => {
    fc.assert(
      fc.property(arbitraryBackups, arbitraryRules, (backups, rules) => {
        const decisions = decideRetention(backups, rules, { now: NOW });
        for (const { backup: b, keep } of decisions) {
          if (b.state === 'pending' || b.tags[TAGS.keep] === 'true') expect(keep).toBe(true);
        }
        const groups = new Set(backups.map((b) => `${b.set}/${b.sourceId}`));
        for (const group of groups) {
          const completed = decisions.filter(
            (d) =>
              `${d.backup.set}/${d.backup.sourceId}` === group && d.backup.state === 'completed',
          );
          if (completed.length > 0) expect(completed[0]?.keep).toBe(true);
        }
      }),
    );
  });

  it('with generations N keeps exactly the N newest completed backups of each source, plus protected ones', () => {
    fc.assert(
      fc.property(arbitraryBackups, fc.integer({ min: 1, max: 10 }), (backups, n) => {
        const decisions = decideRetention(backups, { generations: n }, { now: NOW });
        for (const group of new Set(backups.map((b) => `${b.set}/${b.sourceId}`))) {
          const completed = decisions.filter(
            (d) =>
              `${d.backup.set}/${d.backup.sourceId}` === group && d.backup.state === 'completed',
          );
          completed.forEach((d, index) => {
            expect(d.keep).toBe(index < n || d.backup.tags[TAGS.keep] === 'true');
          });
        }
      }),
    );
  });

  it('adding a keep rule never deletes more', () => {
    fc.assert(
      fc.property(arbitraryBackups, arbitraryRules, arbitraryRules, (backups, rules, extra) => {
        const before = new Set(deletedIds(backups, rules));
        const after = deletedIds(backups, mergeLooser(rules, extra));
        for (const id of after) expect(before.has(id)).toBe(true);
      }),
    );
  });

  it('a backup kept by a calendar rule with N stays kept with N+1', () => {
    fc.assert(
      fc.property(
        arbitraryBackups,
        arbitraryUnit,
        arbitraryRuleCount,
        arbitraryTimeZone,
        (backups, unit, n, timeZone) => {
          const kept = keptIds(backups, { calendar: { [unit]: n, timeZone } });
          const keptMore = new Set(keptIds(backups, { calendar: { [unit]: n + 1, timeZone } }));
          for (const id of kept) expect(keptMore.has(id)).toBe(true);
        },
      ),
    );
  });

  it('each calendar rule keeps at most N completed backups of a source, never two in one period but for the oldest', () => {
    fc.assert(
      fc.property(arbitraryBackups, berlinCalendar, (backups, calendar) => {
        const decisions = decideRetention(backups, { calendar }, { now: NOW });
        for (const group of new Set(backups.map((b) => `${b.set}/${b.sourceId}`))) {
          const reasons = decisions
            .filter((d) => `${d.backup.set}/${d.backup.sourceId}` === group)
            .flatMap((d) => d.reasons);
          for (const unit of CALENDAR_UNITS) {
            const held = reasons.filter((reason) => reason.startsWith(`${unit}: `));
            expect(held.length).toBeLessThanOrEqual(calendar[unit] ?? 0);
            // A period is held once, and a second time only by the oldest backup (`oldest`).
            const periods = held
              .filter((r) => !r.includes(': oldest '))
              .map((r) => r.split(' (')[0]);
            expect(new Set(periods).size).toBe(periods.length);
            const oldest = held.filter((r) => r.includes(': oldest '));
            expect(oldest.length).toBeLessThanOrEqual(1);
            for (const reason of oldest) {
              expect(periods).toContain(reason.split(' (')[0]?.replace(': oldest ', ': '));
            }
          }
        }
        for (const d of decisions) {
          if (d.backup.state !== 'completed') {
            expect(d.reasons.some((r) => /^(hourly|daily|weekly|monthly|yearly): /.test(r))).toBe(
              false,
            );
          }
        }
      }),
    );
  });

  it('with calendar rules alone, decides the same whatever the time of the run', () => {
    fc.assert(
      fc.property(
        arbitraryBackups,
        berlinCalendar,
        fc.integer({ min: -1000, max: 100_000 }),
        (backups, calendar, hours) => {
          const later = new Date(NOW.getTime() + hours * HOUR);
          const keep = (now: Date) =>
            decideRetention(backups, { calendar }, { now }).map((d) => [d.backup.id, d.keep]);
          expect(keep(later)).toEqual(keep(NOW));
        },
      ),
    );
  });

  it('gives the same decisions whatever the input order', () => {
    fc.assert(
      fc.property(arbitraryBackups, arbitraryRules, (backups, rules) => {
        const forward = decideRetention(backups, rules, { now: NOW });
        const backward = decideRetention([...backups].reverse(), rules, { now: NOW });
        expect(backward).toEqual(forward);
      }),
    );
  });
});

/** The union of two rule sets: the looser of each rule. */
function mergeLooser(a: RetentionRules, b: RetentionRules): RetentionRules {
  const max = (x?: number, y?: number): number | undefined =>
    x === undefined ? y : y === undefined ? x : Math.max(x, y);
  const generations = max(a.generations, b.generations);
  const keepWithinMs = max(a.keepWithinMs, b.keepWithinMs);
  // Both arbitrary calendars share one time zone, so the looser of each count is their union.
  const calendar =
    a.calendar && b.calendar
      ? {
          ...Object.fromEntries(
            CALENDAR_UNITS.flatMap((unit) => {
              const n = max(a.calendar?.[unit], b.calendar?.[unit]);
              return n === undefined ? [] : [[unit, n]];
            }),
          ),
          timeZone: a.calendar.timeZone,
        }
      : (a.calendar ?? b.calendar);
  return {
    ...(generations !== undefined ? { generations } : {}),
    ...(keepWithinMs !== undefined ? { keepWithinMs } : {}),
    ...(calendar !== undefined ? { calendar } : {}),
  };
}

/** A backup with the `created-at` tag the action gives it (its createdAt to the millisecond). */
function made(id: string, ageMs: number, overrides: Parameters<typeof backup>[2] = {}): Backup {
  const createdAt = new Date(NOW.getTime() - ageMs).toISOString();
  return backup(id, ageMs, {
    ...overrides,
    tags: { [TAGS.createdAt]: createdAt, ...overrides.tags },
  });
}

const decisionOf = (decisions: ReturnType<typeof decideRetention>, id: string) =>
  decisions.find((d) => d.backup.id === id);

describe('decideRetention with duplicates (one backup made twice by a retried request)', () => {
  const twin = (kept: string) =>
    `duplicate of ${kept} (the same backup made twice by a retried request)`;

  it('keeps this run’s backup and deletes its twin, whatever their ids', () => {
    const backups = [made('snap-a', DAY), made('snap-z', DAY), made('snap-old', 2 * DAY)];

    const decisions = decideRetention(
      backups,
      { generations: 5 },
      { now: NOW, thisRun: new Set(['snap-z']) },
    );

    expect(decisionOf(decisions, 'snap-a')).toMatchObject({
      keep: false,
      reasons: [twin('snap-z')],
    });
    expect(decisionOf(decisions, 'snap-z')?.keep).toBe(true);
    expect(decisionOf(decisions, 'snap-old')?.keep).toBe(true);
  });

  it('keeps a completed twin over a pending one and the lowest id among equals; a pending twin waits until it completes', () => {
    const backups = [
      made('snap-c', DAY, { state: 'pending' }),
      made('snap-b', DAY),
      made('snap-a', DAY),
    ];

    const decisions = decideRetention(backups, { generations: 5 }, { now: NOW });

    expect(decisionOf(decisions, 'snap-a')?.keep).toBe(true);
    expect(decisionOf(decisions, 'snap-a')?.reasons.join(' ')).not.toMatch(/duplicate/);
    expect(decisionOf(decisions, 'snap-b')).toMatchObject({
      keep: false,
      reasons: [twin('snap-a')],
    });
    expect(decisionOf(decisions, 'snap-c')).toMatchObject({
      keep: true,
      reasons: [`pending ${twin('snap-a')}; deleted once it completes`],
    });
  });

  it('keeps a protected twin and says both why it stays and what it is', () => {
    const backups = [made('snap-a', DAY), made('snap-b', DAY, { tags: { [TAGS.keep]: 'true' } })];

    const decisions = decideRetention(backups, { generations: 5 }, { now: NOW });

    expect(decisionOf(decisions, 'snap-b')).toMatchObject({
      keep: true,
      reasons: [`protected by ${TAGS.keep}=true`, twin('snap-a')],
    });
  });

  it('does not count a duplicate as a generation', () => {
    const backups = [
      made('snap-1', 1 * DAY),
      made('snap-1-twin', 1 * DAY),
      made('snap-2', 2 * DAY),
      made('snap-3', 3 * DAY),
    ];

    const decisions = decideRetention(backups, { generations: 2 }, { now: NOW });

    expect(decisions.filter((d) => !d.keep).map((d) => d.backup.id)).toEqual([
      'snap-1-twin',
      'snap-3',
    ]);
    expect(decisionOf(decisions, 'snap-2')?.reasons).toContain('generations: 2 of 2');
  });

  it('does not let a duplicate take a calendar period', () => {
    const backups = [
      made('snap-1', 1 * HOUR),
      made('snap-1-twin', 1 * HOUR),
      made('snap-2', 1 * DAY + HOUR),
    ];

    const decisions = decideRetention(
      backups,
      { calendar: { daily: 2, timeZone: 'UTC' } },
      { now: NOW },
    );

    expect(decisionOf(decisions, 'snap-2')?.reasons).toEqual(['daily: 2026-11-21 (2 of 2)']);
    expect(decisionOf(decisions, 'snap-1-twin')?.keep).toBe(false);
  });

  it('takes copies of different originals made at one instant for different backups', () => {
    const copy = (id: string, of: string) =>
      made(id, DAY, { copyOf: of, sourceRegion: 'us-east-1', tags: { [TAGS.copyOf]: of } });
    const backups = [copy('snap-c1', 'snap-o1'), copy('snap-c2', 'snap-o2')];

    const decisions = decideRetention(backups, { generations: 5 }, { now: NOW });

    expect(decisions.map((d) => d.keep)).toEqual([true, true]);
    expect(decisions.flatMap((d) => d.reasons).join(' ')).not.toMatch(/duplicate/);
  });

  it('deletes the second copy of one original made twice, as a duplicate', () => {
    const copy = (id: string) =>
      made(id, DAY, {
        copyOf: 'snap-o1',
        sourceRegion: 'us-east-1',
        tags: { [TAGS.copyOf]: 'snap-o1' },
      });

    const decisions = decideRetention(
      [copy('snap-c1'), copy('snap-c2')],
      { generations: 5 },
      { now: NOW },
    );

    expect(decisionOf(decisions, 'snap-c2')).toMatchObject({
      keep: false,
      reasons: [twin('snap-c1')],
    });
  });

  it('leaves failed backups out of duplicates: each goes as failed, with AWS’s reason', () => {
    // An AMI's snapshots left behind by an interrupted prune share the image's tags.
    const backups = [
      made('snap-left-1', DAY, { state: 'failed', stateMessage: 'left behind by ami-1' }),
      made('snap-left-2', DAY, { state: 'failed', stateMessage: 'left behind by ami-1' }),
    ];

    const decisions = decideRetention(backups, { generations: 5 }, { now: NOW });

    expect(decisions.map((d) => [d.backup.id, d.keep, d.reasons])).toEqual([
      ['snap-left-2', false, ['failed state: left behind by ami-1']],
      ['snap-left-1', false, ['failed state: left behind by ami-1']],
    ]);
  });

  it('never takes backups without a created-at tag for duplicates, even of the same instant', () => {
    const backups = [backup('snap-a', DAY), backup('snap-b', DAY)];

    const decisions = decideRetention(backups, { generations: 5 }, { now: NOW });

    expect(decisions.map((d) => d.keep)).toEqual([true, true]);
  });
});

describe('retention properties with duplicates', () => {
  const shape = fc.record({
    ageHours: fc.integer({ min: 0, max: 3000 }),
    source: fc.constantFrom('vol-a', 'vol-b'),
    state: arbitraryState,
    protected: fc.boolean(),
    twins: fc.integer({ min: 0, max: 2 }),
  });
  /** Backups at distinct instants, each with 0–2 twins (same tags, later ids, never protected). */
  const withTwins = fc.array(shape, { maxLength: 25 }).map((specs) => {
    const originals = specs.map((spec, index) =>
      made(`snap-${String(index).padStart(2, '0')}`, spec.ageHours * HOUR + index, {
        sourceId: spec.source,
        state: spec.state,
        tags: spec.protected ? { [TAGS.keep]: 'true' } : {},
      }),
    );
    const twins = originals.flatMap((original, index) =>
      Array.from({ length: specs[index]?.twins ?? 0 }, (_, n) => ({
        ...original,
        id: `${original.id}-twin-${n}`,
        tags: Object.fromEntries(Object.entries(original.tags).filter(([k]) => k !== TAGS.keep)),
      })),
    );
    return { originals, twins };
  });

  it('a duplicate never changes what is decided for the backup it duplicates, nor for any other', () => {
    fc.assert(
      fc.property(withTwins, arbitraryRules, ({ originals, twins }, rules) => {
        const alone = decideRetention(originals, rules, { now: NOW });
        const together = decideRetention([...originals, ...twins], rules, { now: NOW });
        for (const decision of alone) {
          expect(decisionOf(together, decision.backup.id)).toEqual(decision);
        }
      }),
    );
  });

  it('each twin goes as a duplicate of its original, unless pending (it waits) or failed (it goes as failed)', () => {
    fc.assert(
      fc.property(withTwins, arbitraryRules, ({ originals, twins }, rules) => {
        const together = decideRetention([...originals, ...twins], rules, { now: NOW });
        for (const twinBackup of twins) {
          const original = twinBackup.id.replace(/-twin-\d$/, '');
          const decision = decisionOf(together, twinBackup.id);
          expect(decision?.keep).toBe(twinBackup.state === 'pending');
          expect(decision?.reasons.join(' ')).toContain(
            twinBackup.state === 'failed' ? 'failed state' : `duplicate of ${original} `,
          );
        }
      }),
    );
  });

  it('keeps exactly one of each group undecided by duplication, never deletes a pending or protected backup, and ignores input order', () => {
    fc.assert(
      fc.property(
        withTwins,
        arbitraryRules,
        fc.array(fc.nat(), { maxLength: 3 }),
        ({ originals, twins }, rules, picks) => {
          const all = [...originals, ...twins];
          // This run's backup may be any of them, twins included.
          const thisRun = new Set(
            picks.map((pick) => all[pick % Math.max(all.length, 1)]?.id ?? ''),
          );
          const decisions = decideRetention(all, rules, { now: NOW, thisRun });
          const groups = new Map<string, RetentionDecision[]>();
          // Failed backups are no duplicates: they go anyway.
          for (const d of decisions.filter((d) => d.backup.state !== 'failed')) {
            const key = `${d.backup.sourceId}/${d.backup.tags[TAGS.createdAt]}`;
            groups.set(key, [...(groups.get(key) ?? []), d]);
          }
          for (const group of groups.values()) {
            const survivors = group.filter(
              (d) => !d.reasons.some((r) => r.includes('duplicate of')),
            );
            expect(survivors).toHaveLength(1);
            // The survivor is this run's backup whenever one of the group is.
            if (group.some((d) => thisRun.has(d.backup.id))) {
              expect(thisRun.has(survivors[0]!.backup.id)).toBe(true);
            }
          }
          for (const d of decisions) {
            if (d.backup.state === 'pending' || d.backup.tags[TAGS.keep] === 'true') {
              expect(d.keep).toBe(true);
            }
          }
          const backward = decideRetention([...all].reverse(), rules, { now: NOW, thisRun });
          expect(backward).toEqual(decisions);
        },
      ),
    );
  });
});
