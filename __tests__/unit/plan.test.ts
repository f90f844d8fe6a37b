import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/constants.js';
import type { CopyConfig } from '../../src/inputs.js';
import {
  admitCopies,
  composeCopyTags,
  copyKeyProblem,
  copyOptionGroupProblem,
  isDefaultOptionGroup,
  planCopies,
} from '../../src/copy-rules.js';
import {
  checkQuota,
  composeTags,
  deletionBudgetError,
  MAX_TAGS,
  planCreate,
  planPrune,
} from '../../src/plan.js';
import type { RetentionRules } from '../../src/retention.js';
import type { Backup, BackupState } from '../../src/model.js';
import { arbitraryCalendar, arbitraryState, arbitraryTimeZone } from './arbitraries.js';
import { backup, DAY, HOUR, NOW } from './fixtures.js';

describe('planCreate', () => {
  it('creates when the set has no backup of the source', () => {
    expect(planCreate([], { now: NOW, runId: '7' })).toEqual({ action: 'create' });
  });

  it('reuses the backup that the same workflow run already made', () => {
    const earlier = backup('snap-run7', HOUR, { tags: { [TAGS.run]: '7' } });
    const decision = planCreate([backup('snap-x', 2 * HOUR), earlier], { now: NOW, runId: '7' });
    expect(decision).toMatchObject({ action: 'reuse', backup: { id: 'snap-run7' } });
  });

  it('does not reuse a failed backup of the same run', () => {
    const failed = backup('snap-run7', HOUR, { state: 'failed', tags: { [TAGS.run]: '7' } });
    expect(planCreate([failed], { now: NOW, runId: '7' })).toEqual({ action: 'create' });
  });

  it('skips when the newest backup (pending counts) is younger than min-interval', () => {
    const pending = backup('snap-p', 2 * HOUR, { state: 'pending' });
    const decision = planCreate([backup('snap-old', 3 * DAY), pending], {
      now: NOW,
      runId: '8',
      minIntervalMs: 20 * HOUR,
    });
    expect(decision).toMatchObject({ action: 'skip', backup: { id: 'snap-p' } });
    expect(decision.action === 'skip' && decision.reason).toBe(
      'min-interval: the newest backup snap-p is 2h old, under 20h',
    );
  });

  it('creates when the newest backup is older than min-interval', () => {
    const decision = planCreate([backup('snap-a', 21 * HOUR)], {
      now: NOW,
      minIntervalMs: 20 * HOUR,
    });
    expect(decision).toEqual({ action: 'create' });
  });
});

describe('composeTags', () => {
  const context = {
    set: 'daily',
    createdAt: NOW,
    runId: '7',
    userTags: { Team: 'data' },
    copyTags: true,
  };

  it('adds the ownership tags over the user tags over the copied source tags', () => {
    const source = {
      id: 'vol-1',
      tags: { Name: 'db', Team: 'ops', 'aws:cloudformation:stack-name': 's', [TAGS.keep]: 'true' },
    };
    expect(composeTags(source, context)).toEqual({
      tags: {
        Name: 'db',
        Team: 'data',
        [TAGS.backupSet]: 'daily',
        [TAGS.source]: 'vol-1',
        [TAGS.createdAt]: NOW.toISOString(),
        [TAGS.run]: '7',
      },
      dropped: [],
    });
  });

  it('copies nothing from the source when copy-tags is off and leaves out the run tag without a run id', () => {
    const { tags } = composeTags(
      { id: 'vol-1', tags: { Name: 'db' } },
      { ...context, copyTags: false, runId: undefined },
    );
    expect(Object.keys(tags).sort()).toEqual(
      ['Team', TAGS.backupSet, TAGS.createdAt, TAGS.source].sort(),
    );
  });

  it('drops copied source tags beyond the 50-tag limit and names them', () => {
    const sourceTags = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v']));
    const { tags, dropped } = composeTags({ id: 'vol-1', tags: sourceTags }, context);
    expect(Object.keys(tags)).toHaveLength(MAX_TAGS);
    expect(dropped).toHaveLength(60 + 5 - MAX_TAGS);
    expect(tags.Team).toBe('data');
  });
});

describe('planPrune', () => {
  it('counts this run’s backup even when the listing does not show it yet', () => {
    const existing = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY));
    const made = backup('snap-new', 0);
    const decisions = planPrune(existing, { now: NOW, rules: { generations: 3 }, thisRun: [made] });
    expect(decisions.filter((d) => !d.keep).map((d) => d.backup.id)).toEqual(['snap-3']);
    expect(decisions[0]).toMatchObject({ backup: { id: 'snap-new' }, keep: true });
    expect(decisions[0]?.reasons[0]).toBe('made in this run');
  });
});

describe('deletionBudgetError', () => {
  it('refuses more deletions than max-deletions and names the number needed', () => {
    expect(deletionBudgetError(2, 2)).toBeUndefined();
    expect(deletionBudgetError(3, 2)).toMatch(
      /delete 3 backups, more than max-deletions \(2\).*max-deletions: 3/,
    );
  });
});

describe('checkQuota', () => {
  const quota = { name: 'ManualSnapshots', used: 98, max: 100 };

  it('allows the creates that fit and refuses the rest with a quota message', () => {
    const check = checkQuota(3, quota);
    expect(check.allowed).toBe(2);
    expect(check.refusal).toMatch(/quota: 98 of 100 used \(quota ManualSnapshots\)/);
  });

  it('warns when less than 10% of the quota is left after the run', () => {
    expect(checkQuota(1, { ...quota, used: 80 })).toEqual({ allowed: 1 });
    expect(checkQuota(1, { ...quota, used: 90 }).warning).toMatch(/Only 9 backups are left/);
  });

  it('allows nothing at the quota', () => {
    expect(checkQuota(1, { ...quota, used: 100 }).allowed).toBe(0);
  });
});

const DR = 'eu-west-1';

/** A copy in DR of `of` (a backup of us-east-1), as old as its original. */
function copyOf(id: string, of: string, ageMs: number, state: BackupState = 'completed'): Backup {
  return backup(id, ageMs, {
    region: DR,
    state,
    copyOf: of,
    sourceRegion: 'us-east-1',
    tags: { [TAGS.copyOf]: of, [TAGS.sourceRegion]: 'us-east-1' },
  });
}

const ids = (backups: readonly Backup[]) => backups.map((b) => b.id);

describe('planCopies', () => {
  const originals = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY));

  it('wants the backups the copy rules keep and misses those without a copy', () => {
    const plan = planCopies(originals, [copyOf('copy-1', 'snap-1', DAY)], {
      now: NOW,
      rules: { generations: 2 },
    });
    expect(ids(plan.wanted)).toEqual(['snap-1', 'snap-2']);
    expect(ids(plan.missing)).toEqual(['snap-2']);
  });

  it('gives each wanted backup its live copy, a completed one before a pending one', () => {
    const plan = planCopies(
      originals,
      [
        copyOf('copy-pending', 'snap-1', DAY, 'pending'),
        copyOf('copy-failed', 'snap-1', DAY, 'failed'),
        copyOf('copy-done', 'snap-1', DAY),
        copyOf('copy-2', 'snap-2', 2 * DAY, 'pending'),
      ],
      { now: NOW, rules: { generations: 3 } },
    );
    expect(plan.copied.map(({ original, copy }) => [original.id, copy.id])).toEqual([
      ['snap-1', 'copy-done'],
      ['snap-2', 'copy-2'],
    ]);
    expect(ids(plan.missing)).toEqual(['snap-3']);
  });

  it('always wants the newest completed backup, whatever the rules say', () => {
    const plan = planCopies(originals, [], { now: NOW, rules: { keepWithinMs: HOUR } });
    expect(ids(plan.wanted)).toEqual(['snap-1']);
    expect(ids(plan.missing)).toEqual(['snap-1']);
  });

  it('does not copy a pending or failed backup', () => {
    const plan = planCopies(
      [
        backup('snap-pending', HOUR, { state: 'pending' }),
        backup('snap-failed', 2 * HOUR, { state: 'failed' }),
        ...originals,
      ],
      [],
      { now: NOW, rules: { generations: 1 } },
    );
    expect(ids(plan.missing)).toEqual(['snap-1']);
  });

  it('copies again when the only copy ended failed, but not while one is pending', () => {
    const failed = planCopies(originals, [copyOf('copy-1', 'snap-1', DAY, 'failed')], {
      now: NOW,
      rules: { generations: 1 },
    });
    expect(ids(failed.missing)).toEqual(['snap-1']);
    const pending = planCopies(originals, [copyOf('copy-1', 'snap-1', DAY, 'pending')], {
      now: NOW,
      rules: { generations: 1 },
    });
    expect(ids(pending.wanted)).toEqual(['snap-1']);
    expect(pending.missing).toEqual([]);
  });

  it('counts copies whose original is gone, so an older original is not copied to be deleted', () => {
    const plan = planCopies(
      [backup('snap-3', 3 * DAY)],
      [copyOf('copy-gone-1', 'snap-gone-1', DAY), copyOf('copy-gone-2', 'snap-gone-2', 2 * DAY)],
      { now: NOW, rules: { generations: 2 } },
    );
    expect(plan).toEqual({ wanted: [], missing: [], archived: [], copied: [] });
  });

  it('does not want a keep=true original beyond the copy rules, and returns the original itself', () => {
    const kept = backup('snap-kept', 30 * DAY, { tags: { [TAGS.keep]: 'true' } });
    const newest = backup('snap-1', DAY, { tags: { [TAGS.keep]: 'true' } });
    const plan = planCopies([newest, kept], [], { now: NOW, rules: { generations: 1 } });
    expect(ids(plan.wanted)).toEqual(['snap-1']);
    expect(plan.missing[0]).toBe(newest);
  });

  it('sets an archived original apart: still wanted, never missing, listed as archived', () => {
    const archived = backup('snap-1', DAY, { archived: true });
    const plan = planCopies([archived, ...originals.slice(1)], [], {
      now: NOW,
      rules: { generations: 2 },
    });
    expect(ids(plan.wanted)).toEqual(['snap-1', 'snap-2']);
    expect(ids(plan.missing)).toEqual(['snap-2']);
    expect(plan.archived).toEqual([archived]);
  });

  it('does not copy an older backup in place of an archived one the rules keep', () => {
    const plan = planCopies(
      [backup('snap-1', DAY, { archived: true }), ...originals.slice(1)],
      [],
      {
        now: NOW,
        rules: { generations: 1 },
      },
    );
    expect(ids(plan.wanted)).toEqual(['snap-1']);
    expect(plan.missing).toEqual([]);
    expect(ids(plan.archived)).toEqual(['snap-1']);
  });

  it('lists no archived original that already has a live copy', () => {
    const plan = planCopies(
      [backup('snap-1', DAY, { archived: true })],
      [copyOf('copy-1', 'snap-1', DAY)],
      { now: NOW, rules: { generations: 1 } },
    );
    expect(ids(plan.wanted)).toEqual(['snap-1']);
    expect(plan.missing).toEqual([]);
    expect(plan.archived).toEqual([]);
  });

  it('splits the uncopied wanted backups into missing and archived, never both (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ archived: fc.boolean(), copied: fc.boolean() }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 10 }),
        (shapes, generations) => {
          const home = shapes.map((shape, i) =>
            backup(`snap-${i}`, (i + 1) * DAY, shape.archived ? { archived: true } : {}),
          );
          const copies = shapes.flatMap((shape, i) =>
            shape.copied ? [copyOf(`copy-${i}`, `snap-${i}`, (i + 1) * DAY)] : [],
          );
          const plan = planCopies(home, copies, { now: NOW, rules: { generations } });
          const uncopied = plan.wanted.filter((b) => !shapes[Number(b.id.slice(5))]?.copied);
          expect(plan.missing.every((b) => !b.archived)).toBe(true);
          expect(plan.archived.every((b) => b.archived)).toBe(true);
          expect(ids([...plan.missing, ...plan.archived]).sort()).toEqual(ids(uncopied).sort());
          // Archiving never changes what the copy retention wants.
          const plain = planCopies(
            home.map(({ archived: _, ...b }) => b),
            copies,
            { now: NOW, rules: { generations } },
          );
          expect(ids(plan.wanted)).toEqual(ids(plain.wanted));
        },
      ),
    );
  });

  it('never wants again a copy that the copy retention deletes (no copy/delete loop)', () => {
    const calendarArb = arbitraryCalendar(
      { hourly: 12, daily: 10, weekly: 4, monthly: 2 },
      arbitraryTimeZone,
    );
    const rulesArb: fc.Arbitrary<RetentionRules> = fc.oneof(
      fc.record({ generations: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ keepWithinMs: fc.integer({ min: 1, max: 10 }).map((h) => h * 6 * HOUR) }),
      fc.record({
        generations: fc.integer({ min: 1, max: 5 }),
        keepWithinMs: fc.integer({ min: 1, max: 10 }).map((h) => h * 6 * HOUR),
      }),
      fc.record({ calendar: calendarArb }),
      fc.record({ generations: fc.integer({ min: 1, max: 5 }), calendar: calendarArb }),
    );
    // Originals with distinct ages (a source never has two backups of the same millisecond); each
    // may have at most one copy already; copies of gone originals have ages of their own.
    const copyStateArb = fc.constantFrom<BackupState>('completed', 'pending', 'failed');
    const originalArb = fc.record({
      state: arbitraryState,
      keep: fc.boolean(),
      copy: fc.option(copyStateArb),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 0, maxLength: 12 }),
        fc.array(originalArb, { minLength: 12, maxLength: 12 }),
        fc.array(copyStateArb, { maxLength: 4 }),
        rulesArb,
        fc.constantFrom<BackupState>('completed', 'pending'),
        fc.integer({ min: 0, max: 48 }),
        (ages, shapes, orphanStates, rules, newState, laterHours) => {
          const ageOf = (i: number) => (ages[i] ?? 0) * 37 * 60_000 + i;
          const home = ages.map((_, i) =>
            backup(`snap-${i}`, ageOf(i), {
              state: shapes[i]?.state ?? 'completed',
              tags: shapes[i]?.keep ? { [TAGS.keep]: 'true' } : {},
            }),
          );
          const copies: Backup[] = [];
          home.forEach((original, i) => {
            const state = shapes[i]?.copy;
            if (original.state === 'completed' && state) {
              copies.push(copyOf(`copy-${i}`, original.id, ageOf(i), state));
            }
          });
          orphanStates.forEach((state, i) => {
            copies.push(copyOf(`copy-gone-${i}`, `snap-gone-${i}`, (i * 13 + 5) * HOUR + 7, state));
          });

          // Run 1: copy what is missing, then prune the destination by the same rules.
          const first = planCopies(home, copies, { now: NOW, rules });
          const made = first.missing.map((original, i) => ({
            ...copyOf(`copy-new-${i}`, original.id, NOW.getTime() - original.createdAt.getTime()),
            state: newState,
          }));
          const decisions = planPrune(copies, { now: NOW, rules, thisRun: made });
          const deleted = decisions
            .filter((d) => !d.keep && d.backup.state !== 'failed')
            .map((d) => d.backup);
          const gone = new Set(deleted.map((d) => d.id));
          const left = [...copies, ...made].filter((c) => !gone.has(c.id));

          // Run 2, at the same time and later: what retention deleted is not wanted again.
          for (const now of [NOW, new Date(NOW.getTime() + laterHours * HOUR)]) {
            const second = planCopies(home, left, { now, rules });
            const wanted = new Set(ids(second.wanted));
            for (const copy of deleted) expect(wanted.has(copy.copyOf ?? '')).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('admitCopies', () => {
  const request = (item: string, rank: number, slots = 1) => ({ item, rank, slots });

  it('admits up to the limit and queues the rest', () => {
    const requests = ['a', 'b', 'c', 'd', 'e'].map((item) => request(item, 0));
    expect(admitCopies(requests, 0, 3)).toEqual({ admitted: ['a', 'b', 'c'], queued: ['d', 'e'] });
  });

  it("admits every target's newest backup before the older ones, in target order", () => {
    const requests = [
      request('a0', 0),
      request('a1', 1),
      request('a2', 2),
      request('b0', 0),
      request('b1', 1),
      request('c0', 0),
    ];
    expect(admitCopies(requests, 0, 4)).toEqual({
      admitted: ['a0', 'b0', 'c0', 'a1'],
      queued: ['b1', 'a2'],
    });
  });

  it('counts the copies already in flight against the limit', () => {
    const requests = ['a', 'b', 'c'].map((item) => request(item, 0));
    expect(admitCopies(requests, 18, 20)).toEqual({ admitted: ['a', 'b'], queued: ['c'] });
    expect(admitCopies(requests, 25, 20)).toEqual({ admitted: [], queued: ['a', 'b', 'c'] });
  });

  it('lets an item take several slots, exactly up to the limit', () => {
    expect(admitCopies([request('ami-a', 0, 3), request('ami-b', 0, 2)], 0, 5)).toEqual({
      admitted: ['ami-a', 'ami-b'],
      queued: [],
    });
  });

  it('queues everything after the first item that does not fit, even smaller ones', () => {
    const requests = [request('a', 0, 2), request('big', 0, 4), request('small', 0, 1)];
    expect(admitCopies(requests, 0, 5)).toEqual({ admitted: ['a'], queued: ['big', 'small'] });
  });
});

describe('composeCopyTags', () => {
  const original = backup('snap-orig', DAY, {
    set: 'daily',
    sourceId: 'vol-1',
    tags: {
      Name: 'db',
      Team: 'data',
      [TAGS.createdAt]: '2020-01-01T00:00:00.000Z',
      [TAGS.run]: '7',
      [TAGS.keep]: 'true',
      'aws:cloudformation:stack-name': 's',
      'AWS:Other': 'x',
    },
  });

  it("carries the original's tags and created-at, and adds copy-of, source-region and this run", () => {
    expect(composeCopyTags(original, { runId: '9' })).toEqual({
      tags: {
        Name: 'db',
        Team: 'data',
        [TAGS.backupSet]: 'daily',
        [TAGS.source]: 'vol-1',
        [TAGS.createdAt]: new Date(NOW.getTime() - DAY).toISOString(),
        [TAGS.copyOf]: 'snap-orig',
        [TAGS.sourceRegion]: 'us-east-1',
        [TAGS.run]: '9',
      },
      dropped: [],
    });
  });

  it('does not carry the keep protection nor the original run tag without a run id', () => {
    const { tags } = composeCopyTags(original, {});
    expect(tags[TAGS.keep]).toBeUndefined();
    expect(tags[TAGS.run]).toBeUndefined();
    expect(Object.keys(tags)).toHaveLength(7);
  });

  it("drops the original's own tags beyond the 50-tag limit, never the ownership tags", () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v']));
    const { tags, dropped } = composeCopyTags(backup('snap-orig', DAY, { tags: many }), {
      runId: '9',
    });
    expect(Object.keys(tags)).toHaveLength(MAX_TAGS);
    expect(dropped).toEqual(Array.from({ length: 16 }, (_, i) => `k${44 + i}`));
    expect(tags).toMatchObject({
      k0: 'v',
      k43: 'v',
      [TAGS.copyOf]: 'snap-orig',
      [TAGS.sourceRegion]: 'us-east-1',
      [TAGS.run]: '9',
    });
  });
});

describe('copyKeyProblem', () => {
  const copy: CopyConfig = {
    regions: ['eu-west-1', 'ap-northeast-1'],
    rules: { generations: 1 },
    kmsKeyIds: { 'eu-west-1': 'alias/dr' },
    optionGroups: {},
  };

  it('has no problem with EBS, an unencrypted RDS source, or a key for every region', () => {
    expect(copyKeyProblem('ebs-volume', true, 'vol-1', copy)).toBeUndefined();
    expect(copyKeyProblem('ec2-image', true, 'i-1', copy)).toBeUndefined();
    expect(copyKeyProblem('rds-instance', false, 'prod-db', copy)).toBeUndefined();
    const keyed = { ...copy, kmsKeyIds: { ...copy.kmsKeyIds, 'ap-northeast-1': 'alias/dr' } };
    expect(copyKeyProblem('rds-cluster', true, 'prod-aurora', keyed)).toBeUndefined();
  });

  it('names copy-kms-key-id and only the regions without a key for an encrypted RDS source', () => {
    expect(copyKeyProblem('rds-instance', true, 'prod-db', copy)).toBe(
      "prod-db is encrypted, and RDS copies an encrypted snapshot to another region only with a KMS key of that region: set 'copy-kms-key-id' for ap-northeast-1 (one key, or 'region=key' lines). Nothing was created or copied for it.",
    );
    expect(
      copyKeyProblem('rds-cluster', true, 'prod-aurora', { ...copy, kmsKeyIds: {} }),
    ).toContain("set 'copy-kms-key-id' for eu-west-1, ap-northeast-1 ");
  });
});

describe('copyOptionGroupProblem', () => {
  const copy: CopyConfig = {
    regions: ['eu-west-1', 'ap-northeast-1'],
    rules: { generations: 1 },
    kmsKeyIds: {},
    optionGroups: { 'eu-west-1': 'og-dr-eu' },
  };

  it('has no problem without an option group, with a default one, or with one named for every region', () => {
    expect(copyOptionGroupProblem('rds-instance', undefined, 'prod-db', copy)).toBeUndefined();
    expect(
      copyOptionGroupProblem('rds-instance', 'default:mysql-8-0', 'prod-db', copy),
    ).toBeUndefined();
    const named = { ...copy, optionGroups: { ...copy.optionGroups, 'ap-northeast-1': 'og-dr-ap' } };
    expect(copyOptionGroupProblem('rds-instance', 'og-prod', 'prod-db', named)).toBeUndefined();
  });

  it('has no problem for target types whose copies take no option group', () => {
    for (const kind of ['ebs-volume', 'ec2-image', 'rds-cluster'] as const) {
      expect(copyOptionGroupProblem(kind, 'og-prod', 'src', copy)).toBeUndefined();
    }
  });

  it('names copy-option-group and only the regions without an option group for a non-default one', () => {
    expect(copyOptionGroupProblem('rds-instance', 'og-prod', 'prod-db', copy)).toBe(
      "prod-db uses the option group 'og-prod', which exists in its own region only, and RDS copies a DB snapshot with a non-default option group to another region only with an option group of that region: set 'copy-option-group' for ap-northeast-1 (one name, or 'region=name' lines). Nothing was created or copied for it.",
    );
    expect(
      copyOptionGroupProblem('rds-instance', 'og-prod', 'prod-db', { ...copy, optionGroups: {} }),
    ).toContain("set 'copy-option-group' for eu-west-1, ap-northeast-1 ");
  });
});

describe('isDefaultOptionGroup', () => {
  it.each([
    ['default:mysql-8-0', true],
    ['Default:postgres-16', true],
    ['og-default', false],
    ['default-mysql', false],
    ['', false],
  ])('%j → %s', (name, expected) => {
    expect(isDefaultOptionGroup(name)).toBe(expected);
  });
});
