import { describe, expect, it } from 'vitest';
import {
  renderOutputs,
  renderSummary,
  runStatus,
  type RunReport,
  type TargetReport,
} from '../../src/report.js';

const target = (overrides: Partial<TargetReport> = {}): TargetReport => ({
  sourceId: 'vol-1',
  region: 'us-east-1',
  outcome: 'created',
  ok: true,
  backup: {
    id: 'snap-new',
    region: 'us-east-1',
    createdAt: '2026-11-22T00:00:00.000Z',
    state: 'completed',
  },
  kept: [
    {
      id: 'snap-new',
      region: 'us-east-1',
      createdAt: '2026-11-22T00:00:00.000Z',
      state: 'completed',
      reasons: ['made in this run'],
    },
  ],
  deleted: [
    {
      id: 'snap-old',
      region: 'us-east-1',
      createdAt: '2026-11-01T00:00:00.000Z',
      state: 'completed',
      reasons: ['beyond retention'],
      result: 'deleted',
    },
  ],
  destinations: [],
  warnings: [],
  ...overrides,
});

const report = (overrides: Partial<RunReport> = {}): RunReport => ({
  status: 'success',
  dryRun: false,
  targetType: 'ebs-volume',
  region: 'us-east-1',
  backupSet: 'default',
  rules: 'generations 5',
  startedAt: '2026-11-22T00:00:00.000Z',
  finishedAt: '2026-11-22T00:01:00.000Z',
  resolved: ['vol-1', 'vol-2'],
  targets: [target()],
  errors: [],
  warnings: [],
  ...overrides,
});

describe('runStatus', () => {
  it('is success, partial or failed by how many targets succeeded', () => {
    expect(runStatus([target()], [])).toBe('success');
    expect(runStatus([target(), target({ ok: false })], [])).toBe('partial');
    expect(runStatus([target({ ok: false })], [])).toBe('failed');
    expect(runStatus([], [])).toBe('failed');
    expect(runStatus([target()], ['max-deletions'])).toBe('failed');
  });
});

describe('renderOutputs', () => {
  it('lists what was created and deleted as JSON', () => {
    const outputs = renderOutputs(
      report({
        targets: [
          target(),
          target({
            sourceId: 'vol-2',
            outcome: 'failed',
            ok: false,
            backup: undefined,
            deleted: [],
          }),
        ],
      }),
    );
    expect(outputs['backup-id']).toBe('snap-new');
    expect(JSON.parse(outputs['backup-ids'] ?? '')).toEqual(['snap-new']);
    expect(JSON.parse(outputs['deleted-ids'] ?? '')).toEqual([
      { region: 'us-east-1', id: 'snap-old' },
    ]);
    expect(outputs['deleted-count']).toBe('1');
    expect(JSON.parse(outputs.targets ?? '')).toEqual(['vol-1', 'vol-2']);
    expect(JSON.parse(outputs.report ?? '')).toMatchObject({ status: 'success' });
  });

  it('does not count a skipped backup as created, nor an in-use snapshot as deleted', () => {
    const outputs = renderOutputs(
      report({
        targets: [
          target({
            outcome: 'skipped',
            deleted: [{ ...target().deleted[0]!, result: 'skipped', message: 'in use' }],
          }),
        ],
      }),
    );
    expect(outputs['backup-id']).toBe('');
    expect(outputs['backup-ids']).toBe('[]');
    expect(outputs['deleted-count']).toBe('0');
  });
});

describe('renderSummary', () => {
  it('renders one table row per target and the deletions in a collapsible list', () => {
    const html = renderSummary(report());
    expect(html).toContain(
      '<td><code>vol-1</code></td><td><code>snap-new</code></td><td>created</td>',
    );
    expect(html).toMatch(/<details><summary>Deleted: 1 backup<\/summary>[\s\S]*snap-old/);
  });

  it('labels a dry run clearly', () => {
    const html = renderSummary(report({ dryRun: true }));
    expect(html).toContain('(dry run)');
    expect(html).toContain('Dry run: no change was made.');
    expect(html).toContain('<th>Would delete</th>');
  });

  it('escapes every value', () => {
    const html = renderSummary(
      report({
        backupSet: '<script>x</script>',
        errors: ['a & b'],
        targets: [target({ message: '<img src=x>' })],
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('a &amp; b');
  });
});
