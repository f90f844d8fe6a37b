// The create phase (src/create.ts) in a run: reuse on a re-run, the wait, the snapshot quota, and
// the twins of a retried create.
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/constants.js';
import { TargetError } from '../../src/errors.js';
import { A, backup, dailyBackups, DAY } from './fixtures.js';
import { FakeAdapter, quietRuns, runIn, runWith } from './fake-adapter.js';

quietRuns();

describe('create', () => {
  it('reuses the backup of the same workflow run instead of making a second one', async () => {
    const mine = backup('snap-mine', 60_000, { sourceId: A, tags: { [TAGS.run]: '100' } });
    const adapter = new FakeAdapter([mine], [A]);
    const report = await runWith(adapter, { 'resource-id': A });
    expect(adapter.mutations()).toEqual([]);
    expect(report?.targets[0]).toMatchObject({ outcome: 'reused', backup: { id: 'snap-mine' } });
  });

  it('does not prune a target whose backup ended failed, and does not output it as made', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    adapter.failWait = true;
    const report = await runWith(adapter, { 'resource-id': A, generations: '1' });
    expect(report?.status).toBe('failed');
    expect(adapter.mutations()).toEqual([`create ${A}`]);
    expect(report?.targets[0]?.outcome).toBe('failed');
    expect(report?.targets[0]?.message).toContain('failed state: boom');
  });
});

describe('create within the snapshot quota', () => {
  const rds = { 'target-type': 'rds-instance', 'resource-id': 'prod-db' };

  it('warns and creates anyway when the snapshot quota cannot be read (AWS’s own refusal decides)', async () => {
    const adapter = new FakeAdapter([], ['prod-db']);
    adapter.quota = () =>
      Promise.reject(
        new TargetError('Could not read the ManualSnapshots quota in us-east-1: Access denied.'),
      );

    const report = await runIn([adapter], rds);

    expect(report.status).toBe('success');
    expect(adapter.mutations()).toEqual(['create prod-db']);
    expect(report.warnings).toContain(
      'The snapshot quota in us-east-1 could not be read, so backups were started without checking it (AWS refuses one beyond the quota): Could not read the ManualSnapshots quota in us-east-1: Access denied.',
    );
  });

  it('still refuses a create beyond a quota it could read', async () => {
    const adapter = new FakeAdapter([], ['prod-db']);
    adapter.quota = () => Promise.resolve({ name: 'ManualSnapshots', used: 100, max: 100 });

    const report = await runIn([adapter], rds);

    expect(report.status).toBe('failed');
    expect(adapter.mutations()).toEqual([]);
  });
});

describe('create when AWS repeats a request (the twin of a retried create)', () => {
  it('deletes, as a duplicate, the second backup that a retried create made, and keeps this run’s', async () => {
    const adapter = new FakeAdapter([backup('snap-old', DAY, { sourceId: A })], [A]);
    adapter.strayIds = ['snap-twin'];

    const report = await runIn([adapter], { 'resource-id': A, generations: '5' });

    expect(report.status).toBe('success');
    expect(adapter.calls).toContain('strays snap-new-1');
    expect(adapter.mutations()).toEqual([`create ${A}`, 'delete snap-twin']);
    expect(report.targets[0]?.backup?.id).toBe('snap-new-1');
    expect(report.targets[0]?.deleted).toMatchObject([
      {
        id: 'snap-twin',
        result: 'deleted',
        reasons: ['duplicate of snap-new-1 (the same backup made twice by a retried request)'],
      },
    ]);
    expect(report.targets[0]?.kept.map((k) => k.id)).toEqual(['snap-new-1', 'snap-old']);
  });

  it('only warns when the look for a twin fails: the backup it made stays an output and pruning goes on', async () => {
    const adapter = new FakeAdapter([backup('snap-old', 3 * DAY, { sourceId: A })], [A]);
    adapter.failStrays = true;

    const report = await runIn([adapter], { 'resource-id': A, generations: '1' });

    expect(report.status).toBe('success');
    expect(report.targets[0]).toMatchObject({ outcome: 'created', backup: { id: 'snap-new-1' } });
    expect(report.targets[0]?.warnings.join(' ')).toMatch(/Could not look for duplicates/);
    expect(adapter.mutations()).toEqual([`create ${A}`, 'delete snap-old']);
  });

  it('looks for duplicates of a reused backup too, and of none in a dry run', async () => {
    const mine = backup('snap-mine', 60_000, { sourceId: A, tags: { [TAGS.run]: '100' } });
    const reused = new FakeAdapter([mine], [A]);
    await runIn([reused], { 'resource-id': A });
    expect(reused.calls).toContain('strays snap-mine');

    const dry = new FakeAdapter([], [A]);
    await runIn([dry], { 'resource-id': A, 'dry-run': 'true' });
    expect(dry.calls.some((call) => call.startsWith('strays'))).toBe(false);
  });
});
