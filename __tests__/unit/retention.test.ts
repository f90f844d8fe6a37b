import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TAGS } from '../../src/constants.js';
import { decideRetention, type RetentionRules } from '../../src/retention.js';
import type { Backup } from '../../src/targets/target.js';
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

const arbitraryBackups = fc
  .array(
    fc.record({
      ageHours: fc.integer({ min: -2, max: 5000 }),
      source: fc.constantFrom('vol-a', 'vol-b', 'vol-c'),
      set: fc.constantFrom('default', 'weekly'),
      state: fc.constantFrom<Backup['state']>(
        'completed',
        'completed',
        'completed',
        'pending',
        'failed',
      ),
      protected: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((specs) =>
    specs.map((spec, index) =>
      backup(`snap-${index}`, spec.ageHours * HOUR, {
        sourceId: spec.source,
        set: spec.set,
        state: spec.state,
        tags: spec.protected ? { [TAGS.keep]: 'true' } : {},
      }),
    ),
  );
const arbitraryRules: fc.Arbitrary<RetentionRules> = fc.record(
  {
    generations: fc.integer({ min: 1, max: 10 }),
    keepWithinMs: fc.integer({ min: 1, max: 3000 }).map((hours) => hours * HOUR),
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
  return {
    ...(generations !== undefined ? { generations } : {}),
    ...(keepWithinMs !== undefined ? { keepWithinMs } : {}),
  };
}
