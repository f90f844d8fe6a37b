import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/constants.js';
import {
  checkQuota,
  composeTags,
  deletionBudgetError,
  MAX_TAGS,
  planCreate,
  planPrune,
} from '../../src/plan.js';
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
