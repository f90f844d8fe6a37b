// Failed copies in a run (src/failed-copies.ts): a backup whose copy in a destination ended failed
// is copied again once that failed copy is deleted, or beside it where copies get ids of their own.
import { describe, expect, it } from 'vitest';
import { renderOutputs } from '../../src/report.js';
import { A, backup, copyIn, DAY, EU } from './fixtures.js';
import { FakeAdapter, quietRuns, runIn } from './fake-adapter.js';

quietRuns();

describe('copy-to-regions with a failed copy in the destination', () => {
  const inputs = { 'resource-id': A, 'copy-to-regions': EU, 'copy-generations': '2' };

  /** Backup snap-1 of A at home, whose copy in EU ended failed. */
  function withFailedCopy(): { home: FakeAdapter; eu: FakeAdapter } {
    const home = new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]);
    const eu = new FakeAdapter(
      [copyIn(EU, 'copy-failed', 'snap-1', DAY, { state: 'failed' })],
      [],
      EU,
    );
    return { home, eu };
  }

  it('deletes the failed copy of a backup before copying it again, and reports the deletion in the destination', async () => {
    const { home, eu } = withFailedCopy();

    const report = await runIn([home, eu], inputs);

    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([
      `copy snap-new-1 to ${EU}`,
      'delete copy-failed',
      `copy snap-1 to ${EU}`,
    ]);
    const destination = report.targets[0]?.destinations[0];
    expect(destination?.deleted).toMatchObject([
      {
        id: 'copy-failed',
        result: 'deleted',
        reasons: ['failed copy of snap-1, replaced by a new copy'],
      },
    ]);
    expect(destination?.copies.map((c) => [c.of, c.result])).toEqual([
      ['snap-new-1', 'copied'],
      ['snap-1', 'copied'],
    ]);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: EU, id: 'copy-failed' },
    ]);
  });

  it.each([
    ['prune: false', { prune: 'false', generations: '' }],
    ['max-deletions below the failed copies', { 'max-deletions': '0' }],
  ])(
    'queues the copy of a backup whose failed copy it may not delete (%s), deleting nothing',
    async (_, extra) => {
      const { home, eu } = withFailedCopy();
      eu.copiesNamedAfterOriginal = true;

      const report = await runIn([home, eu], { ...inputs, ...extra });

      expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
      const entry = report.targets[0]?.destinations[0]?.copies.find((c) => c.of === 'snap-1');
      expect(entry).toEqual({
        of: 'snap-1',
        result: 'queued',
        message: `snap-1 is copied again once its failed copy in ${EU} is deleted (this run deletes nothing: dry run, 'prune: false' or max-deletions).`,
      });
    },
  );

  it('queues the copy when its failed copy cannot be deleted, and reports that deletion as failed', async () => {
    const { home, eu } = withFailedCopy();
    eu.failDelete.add('copy-failed');
    eu.copiesNamedAfterOriginal = true;

    const report = await runIn([home, eu], inputs);

    expect(eu.mutations().slice(0, 2)).toEqual([`copy snap-new-1 to ${EU}`, 'delete copy-failed']);
    expect(eu.mutations()).not.toContain(`copy snap-1 to ${EU}`);
    const destination = report.targets[0]?.destinations[0];
    expect(destination?.copies.find((c) => c.of === 'snap-1')).toEqual({
      of: 'snap-1',
      result: 'queued',
      message: `snap-1 is copied again once its failed copy in ${EU} is deleted (that deletion failed; see the deletions).`,
    });
    expect(destination?.deleted[0]).toMatchObject({
      id: 'copy-failed',
      reasons: ['failed copy of snap-1, replaced by a new copy'],
      result: 'failed',
      message: 'Could not delete copy-failed: Access denied.',
    });
    expect(report.targets[0]?.ok).toBe(false);
  });

  it('copies beside a failed copy it may not delete when copies get ids of their own (EC2)', async () => {
    const { home, eu } = withFailedCopy();

    const report = await runIn([home, eu], { ...inputs, prune: 'false', generations: '' });

    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, `copy snap-1 to ${EU}`]);
    const entry = report.targets[0]?.destinations[0]?.copies.find((c) => c.of === 'snap-1');
    expect(entry?.result).toBe('copied');
  });

  it('tries a failed copy it could not delete once in a run, not again when pruning', async () => {
    const { home, eu } = withFailedCopy();
    eu.failDelete.add('copy-failed');

    const report = await runIn([home, eu], inputs);

    expect(eu.mutations().filter((m) => m === 'delete copy-failed')).toHaveLength(1);
    const deleted = report.targets[0]?.destinations[0]?.deleted ?? [];
    expect(deleted.filter((entry) => entry.id === 'copy-failed')).toHaveLength(1);
  });
});
