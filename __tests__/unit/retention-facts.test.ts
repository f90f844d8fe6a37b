// Retention's own ways of doing its work fast (src/newest-first.ts, src/retention-entries.ts,
// src/duplicates.ts): each decides exactly as the plain way does.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TAGS } from '../../src/constants.js';
import type { Backup } from '../../src/model.js';
import { planCopies } from '../../src/copy-rules.js';
import { newestFirst, newestFirstOrder } from '../../src/newest-first.js';
import { planPrune, planPruneKeeping } from '../../src/plan.js';
import { factsOf, idKey, splitBySource } from '../../src/listing-facts.js';
import {
  decideRetention,
  decideSourceRetentionAt,
  keptIndexes,
  type RetentionRules,
} from '../../src/retention.js';
import { arbitraryCalendar, arbitraryListing, arbitraryTimeZone } from './arbitraries.js';
import { backup, DAY, HOUR, NOW } from './fixtures.js';

const arbitraryRules: fc.Arbitrary<RetentionRules> = fc.record(
  {
    generations: fc.integer({ min: 1, max: 5 }),
    keepWithinMs: fc.integer({ min: 1, max: 400 }).map((hours) => hours * HOUR),
    calendar: arbitraryCalendar({ hourly: 6, daily: 5, weekly: 3, monthly: 3 }, arbitraryTimeZone),
  },
  { requiredKeys: [] },
);

/** Backups in `newestFirstOrder`, by their times and ids. */
function sortedByOrder(backups: readonly Backup[]): Backup[] {
  const order = newestFirstOrder(
    backups.map((b) => b.createdAt.getTime()),
    backups.map((b) => b.id),
  );
  return order.map((index) => backups[index] as Backup);
}

/** The indexes in the comparator's order: newest first, equal times by id (greater first), stable. */
function comparatorOrder(times: readonly number[], ids: readonly string[]): number[] {
  return times
    .map((_, i) => i)
    .sort((a, b) => {
      const diff = (times[b] as number) - (times[a] as number);
      if (diff !== 0) return diff;
      const [idA, idB] = [ids[a] as string, ids[b] as string];
      return idA < idB ? 1 : idA > idB ? -1 : a - b;
    });
}

describe('newestFirstOrder', () => {
  it('orders as the comparator does when times span more than a double can pack with their count', () => {
    // 10,000 items over 2,700 centuries: (span + 1) × n passes 2^53, so the comparator sort runs.
    const times = Array.from({ length: 10_000 }, (_, i) =>
      i % 2 === 0 ? -8.6e15 + i * 1_000 : 8.6e15 - (i % 7) * DAY,
    );
    const ids = times.map((_, i) => `snap-${i % 13}`);
    expect(newestFirstOrder(times, ids)).toEqual(comparatorOrder(times, ids));
  });

  it('orders thousands of backups with many equal times as the comparator does (packed numbers)', () => {
    const backups = Array.from({ length: 3_000 }, (_, i) =>
      backup(`snap-${(i * 7919) % 101}`, ((i * 31) % 17) * HOUR),
    );
    const sorted = sortedByOrder(backups);
    const expected = [...backups].sort(newestFirst);
    sorted.forEach((item, index) => expect(item).toBe(expected[index]));
  });

  it('leaves invalid times to the comparator, in input order among themselves', () => {
    const backups = [
      backup('snap-b', Number.NaN),
      backup('snap-a', DAY),
      backup('snap-c', Number.NaN),
    ];
    expect(sortedByOrder(backups)).toEqual([...backups].sort(newestFirst));
  });
});

describe('one source, kept only', () => {
  const oneSource = arbitraryListing({ sources: ['vol-a'], sets: ['default'], copies: true });

  it('decideSourceRetentionAt decides one source’s backups as decideRetention does, reasons included', () => {
    fc.assert(
      fc.property(oneSource, arbitraryRules, (backups, rules) => {
        expect(decideSourceRetentionAt(backups, rules, { now: NOW }).decisions).toEqual(
          decideRetention(backups, rules, { now: NOW }),
        );
      }),
    );
  });

  it('keptIndexes keeps exactly the backups decideRetention keeps, in the same order', () => {
    fc.assert(
      fc.property(oneSource, arbitraryRules, (backups, rules) => {
        const kept = decideRetention(backups, rules, { now: NOW })
          .filter((decision) => decision.keep)
          .map((decision) => decision.backup);
        const given = { backups, ...factsOf(backups) };
        const indexes = keptIndexes(given, rules, NOW);
        expect(indexes.map((index) => backups[index])).toEqual(kept);
      }),
    );
  });
});

describe('one backup given twice', () => {
  it('decides a backup listed twice (pages that overlap) once, on its last record', () => {
    const first = backup('snap-1', DAY);
    const again = { ...backup('snap-1', DAY), tags: { ...first.tags, note: 'second page' } };
    const decisions = decideRetention([first, backup('snap-2', 2 * DAY), again], {}, { now: NOW });
    expect(decisions.map((d) => d.backup)).toEqual([
      again,
      expect.objectContaining({ id: 'snap-2' }),
    ]);
    expect(decisions[0]?.backup).toBe(again);
  });

  it('lets this run’s backup stand for a listed record of the same id, even of another time', () => {
    // The listing read it before its `created-at` tag was on it (AWS's time); this run knows its tag.
    const listed = backup('snap-new', 3 * HOUR);
    const made = backup('snap-new', 0, { state: 'pending' });
    const older = Array.from({ length: 3 }, (_, i) => backup(`snap-${i}`, (i + 1) * DAY));
    const decisions = planPrune([listed, ...older], {
      now: NOW,
      rules: { generations: 1 },
      thisRun: [made],
    });
    expect(decisions.filter((d) => d.backup.id === 'snap-new')).toEqual([
      expect.objectContaining({ backup: made, keep: true }),
    ]);
    expect(decisions).toHaveLength(4);
  });
});

describe('duplicates are found among backups of one time', () => {
  const at = (ageMs: number): string => new Date(NOW.getTime() - ageMs).toISOString();

  it('takes two backups of one created-at tag and one time for one backup made twice', () => {
    const tags = { [TAGS.createdAt]: at(DAY) };
    const decisions = decideRetention(
      [backup('snap-a', DAY, { tags }), backup('snap-b', DAY, { tags })],
      { generations: 5 },
      { now: NOW },
    );
    expect(decisions.find((d) => d.backup.id === 'snap-b')?.reasons[0]).toMatch(
      /^duplicate of snap-a/,
    );
  });

  it('takes no twin where AWS’s own time overrode the tag (a tag far in the future): the times differ', () => {
    const tags = { [TAGS.createdAt]: at(-2 * DAY) };
    const decisions = decideRetention(
      [backup('snap-a', DAY, { tags }), backup('snap-b', DAY + 5_000, { tags })],
      { generations: 5 },
      { now: NOW },
    );
    expect(decisions.every((d) => d.keep)).toBe(true);
    expect(decisions.flatMap((d) => d.reasons).join(' ')).not.toMatch(/duplicate/);
  });

  it('tells twins apart from other backups of the same instant by their copy-of', () => {
    const tags = { [TAGS.createdAt]: at(DAY) };
    const copy = (id: string, of: string): Backup =>
      backup(id, DAY, { tags, copyOf: of, sourceRegion: 'eu-west-1' });
    const decisions = decideRetention(
      [copy('snap-c1', 'snap-1'), copy('snap-c2', 'snap-2'), copy('snap-c3', 'snap-1')],
      { generations: 5 },
      { now: NOW },
    );
    expect(decisions.filter((d) => !d.keep).map((d) => d.backup.id)).toEqual(['snap-c3']);
  });
});

/** planCopies as it was before it read facts: the plain way, over records (src/copy-rules.ts). */
function planCopiesPlainly(
  originals: readonly Backup[],
  copies: readonly Backup[],
  context: { now: Date; rules: RetentionRules },
): {
  wanted: Backup[];
  missing: Backup[];
  archived: Backup[];
  copied: { original: Backup; copy: Backup }[];
} {
  const unprotected = (b: Backup): Backup => {
    const tags = { ...b.tags };
    delete tags[TAGS.keep];
    return { ...b, tags };
  };
  const live = copies.filter((copy) => copy.state !== 'failed' && copy.copyOf);
  const home = new Map(originals.filter((b) => b.state === 'completed').map((b) => [b.id, b]));
  const view = new Map([...home].map(([id, b]) => [id, unprotected(b)]));
  for (const copy of live) {
    const id = copy.copyOf ?? '';
    if (!view.has(id)) view.set(id, { ...unprotected(copy), id, state: 'completed' });
  }
  const copied = new Set(live.map((copy) => copy.copyOf));
  const wanted = decideRetention([...view.values()], context.rules, { now: context.now })
    .filter((decision) => decision.keep)
    .map((decision) => decision.backup)
    .filter((b) => home.has(b.id))
    .map((b) => home.get(b.id) as Backup);
  const uncopied = wanted.filter((b) => !copied.has(b.id));
  // As copy-plan.ts reported an existing copy: a live one of the original, completed first.
  const existing = wanted.flatMap((original) => {
    const copy = copies
      .filter((candidate) => candidate.copyOf === original.id && candidate.state !== 'failed')
      .sort((a, b) => (a.state === b.state ? 0 : a.state === 'completed' ? -1 : 1))[0];
    return copy ? [{ original, copy }] : [];
  });
  return {
    wanted,
    missing: uncopied.filter((b) => !b.archived),
    archived: uncopied.filter((b) => b.archived),
    copied: existing,
  };
}

/** Two ids of one key (`idKey`), found by trying ids in turn: a birthday search over 31 bits. */
function idsOfOneKey(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const id = `snap-${i.toString(36)}`;
    const other = seen.get(idKey(id));
    if (other !== undefined) return [other, id];
    seen.set(idKey(id), id);
  }
}

describe('copy planning over the facts read with the listings', () => {
  const originals = arbitraryListing({ sources: ['vol-a'], sets: ['default'] });
  const copies = arbitraryListing({ sources: ['vol-a'], sets: ['default'], copies: true }).map(
    (listed) =>
      listed.map((copy, index) => ({
        ...copy,
        id: `copy-${index}`,
        region: 'eu-west-1',
        // Copies of listed originals (snap-<n>, several of one) and of originals gone.
        ...(copy.copyOf && index % 2 === 0 ? { copyOf: `snap-${index % 6}` } : {}),
      })),
  );

  it('plans as the plain way does, from shares of a listing or plain arrays, twice-listed records included', () => {
    fc.assert(
      fc.property(originals, copies, arbitraryRules, fc.boolean(), (listed, held, rules, split) => {
        // The first backup listed again, as another record: later, completed and archived.
        const first = listed[0];
        const again = first && {
          ...first,
          createdAt: new Date(first.createdAt.getTime() + HOUR),
          state: 'completed' as const,
          archived: true,
        };
        const twice = again ? [...listed, again] : listed;
        const source = split ? (splitBySource(twice).get('vol-a') ?? []) : twice;
        const destination = split ? (splitBySource(held).get('vol-a') ?? []) : held;
        const context = { now: NOW, rules };
        expect(planCopies(source, destination, context)).toEqual(
          planCopiesPlainly(source, destination, context),
        );
      }),
    );
  });

  it('tells apart two ids of one key', () => {
    const [first, second] = idsOfOneKey();
    expect(first).not.toBe(second);
    const listed = [backup(first, DAY), backup(second, 2 * DAY)];
    const copy = { ...backup('copy-1', DAY), region: 'eu-west-1', copyOf: first };
    const plan = planCopies(listed, [copy], { now: NOW, rules: { generations: 2 } });
    expect(plan.wanted.map((b) => b.id)).toEqual([first, second]);
    expect(plan.missing.map((b) => b.id)).toEqual([second]);
  });
});

describe('newestFirstOrder on backups already in order', () => {
  const items = fc.array(
    fc.record({ time: fc.integer({ min: 0, max: 20 }), id: fc.constantFrom('a', 'b', 'c') }),
  );

  it('orders as the comparator does input in its order, or newest first with ties in any order', () => {
    fc.assert(
      fc.property(items, fc.boolean(), (drawn, byIdToo) => {
        // Newest first; equal times by id too, or left as drawn.
        const sorted = [...drawn].sort(
          (x, y) => y.time - x.time || (byIdToo ? (x.id < y.id ? 1 : x.id > y.id ? -1 : 0) : 0),
        );
        const times = sorted.map((item) => item.time);
        const ids = sorted.map((item) => item.id);
        expect(newestFirstOrder(times, ids)).toEqual(comparatorOrder(times, ids));
      }),
    );
  });
});

describe('what copy planning starts from: the backups whose id retention does not delete', () => {
  // One source's listing, some ids listed twice: the same record again, or another record of the
  // same id (an older time: read before its tag; another state: read again as it completed).
  const listing = fc
    .tuple(
      arbitraryListing({ sources: ['vol-a'], sets: ['default'], maxLength: 25 }),
      fc.array(fc.record({ at: fc.nat(), how: fc.constantFrom('same', 'older', 'pending') }), {
        maxLength: 4,
      }),
    )
    .map(([listed, repeats]) => {
      const again = repeats.flatMap(({ at, how }) => {
        const first = listed[at % Math.max(listed.length, 1)];
        if (!first) return [];
        if (how === 'same') return [first];
        if (how === 'pending') return [{ ...first, state: 'pending' as const }];
        return [{ ...first, createdAt: new Date(first.createdAt.getTime() - 9 * DAY) }];
      });
      return [...listed, ...again];
    });
  const made = backup('snap-made', 0, { sourceId: 'vol-a' });

  it('leaves out an id that retention deletes, even when another record of it is kept', () => {
    // X listed twice: once as it is, once with an older time (read before its tag was on it).
    const listed = [
      backup('snap-a', DAY, { sourceId: 'vol-a' }),
      backup('snap-x', 2 * DAY, { sourceId: 'vol-a' }),
      backup('snap-b', 5 * DAY, { sourceId: 'vol-a' }),
      backup('snap-x', 10 * DAY, { sourceId: 'vol-a' }),
    ];
    const share = splitBySource(listed).get('vol-a') ?? [];
    const context = { now: NOW, rules: { generations: 3 }, thisRun: [made] };
    const { decisions, kept } = planPruneKeeping(share, context);
    expect(decisions.filter((d) => d.backup.id === 'snap-x').map((d) => d.keep)).toEqual([
      true,
      false,
    ]);
    expect(kept.map((b) => b.id).sort()).toEqual(['snap-a', 'snap-made']);
  });

  it('copies what the plain way copied, from a share of a listing or a plain array', () => {
    fc.assert(
      fc.property(listing, arbitraryRules, fc.boolean(), (listed, rules, split) => {
        const existing = split ? (splitBySource(listed).get('vol-a') ?? []) : listed;
        const context = { now: NOW, rules, thisRun: [made] };
        const copyContext = { now: NOW, rules: { generations: 20 } };
        // The plain way: every record of the listing and this run's, but those whose id goes.
        const deleting = new Set(
          planPrune(existing, context)
            .filter((decision) => !decision.keep)
            .map((decision) => decision.backup.id),
        );
        const originals = [...existing, made].filter((b) => !deleting.has(b.id));
        const { kept } = planPruneKeeping(existing, context);
        expect(planCopies(kept, [], copyContext)).toEqual(
          planCopiesPlainly(originals, [], copyContext),
        );
      }),
    );
  });
});

describe("the rules' texts", () => {
  it('words by the rules as they are now, even a rules object changed in place', () => {
    const backups = [backup('snap-1', DAY), backup('snap-2', 2 * DAY), backup('snap-3', 3 * DAY)];
    const rules: RetentionRules = { generations: 1 };
    const reason = (): string | undefined =>
      decideRetention(backups, rules, { now: NOW }).find((d) => d.backup.id === 'snap-3')
        ?.reasons[0];
    expect(reason()).toBe('3d old: not the newest');
    rules.generations = 2;
    expect(reason()).toBe('3d old: not one of the 2 newest');
  });
});
