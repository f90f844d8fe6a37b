import { describe, expect, it } from 'vitest';
import {
  renderOutputs,
  renderSummary,
  runStatus,
  type RunReport,
  type TargetReport,
} from '../../src/report.js';
import { runReport } from './report-fixtures.js';

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

const report = (overrides: Partial<RunReport> = {}): RunReport =>
  runReport({ resolved: ['vol-1', 'vol-2'], targets: [target()], ...overrides });

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
      '<tr><td><code>vol-1</code></td><td>created</td><td><a href="https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SnapshotDetails:snapshotId=snap-new"><code>snap-new</code></a></td>',
    );
    expect(html).toMatch(/<details><summary>Deleted: 1 backup of 1<\/summary>[\s\S]*snap-old/);
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

describe('copies in the outputs and the summary', () => {
  const ref = (id: string, region: string, state: 'completed' | 'pending' | 'failed') => ({
    id,
    region,
    createdAt: '2026-11-22T00:00:00.000Z',
    state,
  });
  const withCopies = (): RunReport =>
    report({
      copyRegions: ['eu-west-1', 'ap-northeast-1'],
      copyRules: 'generations 1',
      targets: [
        target({
          destinations: [
            {
              region: 'eu-west-1',
              copies: [
                { of: 'snap-new', result: 'copied', copy: ref('snap-c1', 'eu-west-1', 'pending') },
                {
                  of: 'snap-old',
                  result: 'exists',
                  copy: ref('snap-c0', 'eu-west-1', 'completed'),
                },
                { of: 'snap-q', result: 'queued', message: 'snap-q waits for a <later> run' },
                {
                  of: 'snap-f',
                  result: 'failed',
                  copy: ref('snap-cf', 'eu-west-1', 'failed'),
                  message: 'KMS & co',
                },
                { of: 'snap-w', result: 'would-copy' },
              ],
              kept: [{ ...ref('snap-c1', 'eu-west-1', 'pending'), reasons: ['made in this run'] }],
              deleted: [
                {
                  ...ref('snap-cx', 'eu-west-1', 'completed'),
                  reasons: ['beyond retention'],
                  result: 'deleted',
                },
                {
                  ...ref('snap-cy', 'eu-west-1', 'completed'),
                  reasons: ['beyond retention'],
                  result: 'not-attempted',
                },
              ],
            },
            {
              region: 'ap-northeast-1',
              copies: [
                {
                  of: 'snap-new',
                  result: 'copied',
                  copy: ref('snap-ap1', 'ap-northeast-1', 'pending'),
                },
              ],
              kept: [],
              deleted: [],
            },
          ],
        }),
        target({
          sourceId: 'vol-<2>',
          deleted: [],
          destinations: [
            {
              region: 'eu-west-1',
              copies: [
                { of: 'snap-2', result: 'copied', copy: ref('snap-c2', 'eu-west-1', 'completed') },
              ],
              kept: [],
              deleted: [],
            },
          ],
        }),
      ],
    });

  it('outputs only the copies started or found, with their region and source id', () => {
    expect(JSON.parse(renderOutputs(withCopies()).copies ?? '')).toEqual([
      { region: 'eu-west-1', id: 'snap-c1', 'source-id': 'snap-new' },
      { region: 'eu-west-1', id: 'snap-c0', 'source-id': 'snap-old' },
      { region: 'ap-northeast-1', id: 'snap-ap1', 'source-id': 'snap-new' },
      { region: 'eu-west-1', id: 'snap-c2', 'source-id': 'snap-2' },
    ]);
    expect(renderOutputs(report()).copies).toBe('[]');
  });

  it('counts deletions in the destination regions in deleted-ids and deleted-count', () => {
    const outputs = renderOutputs(withCopies());
    expect(JSON.parse(outputs['deleted-ids'] ?? '')).toEqual([
      { region: 'us-east-1', id: 'snap-old' },
      { region: 'eu-west-1', id: 'snap-cx' },
    ]);
    expect(outputs['deleted-count']).toBe('2');
  });

  it('renders one escaped copies row per target, one cell per destination region', () => {
    const html = renderSummary(withCopies());
    expect(html).toContain('<h3>Copies</h3>');
    expect(html).toContain(
      '<th>Resource</th><th><code>eu-west-1</code></th><th><code>ap-northeast-1</code></th>',
    );
    const link = (id: string, region: string) =>
      `<a href="https://${region}.console.aws.amazon.com/ec2/home?region=${region}#SnapshotDetails:snapshotId=${id}"><code>${id}</code></a>`;
    expect(html).toContain(
      '<tr><td><code>vol-1</code></td><td>' +
        `<code>snap-new</code> → ✅ copied ${link('snap-c1', 'eu-west-1')}<br>` +
        `<code>snap-old</code> → ✅ already there ${link('snap-c0', 'eu-west-1')}<br>` +
        '<code>snap-q</code> → ⏳ queued for a later run: snap-q waits for a &lt;later&gt; run<br>' +
        `<code>snap-f</code> → ❌ copy failed ${link('snap-cf', 'eu-west-1')}: KMS &amp; co<br>` +
        '<code>snap-w</code> → would copy</td>' +
        `<td>✅ copied ${link('snap-ap1', 'ap-northeast-1')}</td></tr>`,
    );
    expect(html).toContain(
      `<tr><td><code>vol-&lt;2&gt;</code></td><td>✅ copied ${link('snap-c2', 'eu-west-1')}</td><td>–</td></tr>`,
    );
    expect(html).not.toContain('<later>');
  });

  it('says an archived backup was not copied, with the reason, and outputs no copy for it', () => {
    const skipped = report({
      copyRegions: ['eu-west-1'],
      copyRules: 'generations 2',
      targets: [
        target({
          destinations: [
            {
              region: 'eu-west-1',
              copies: [{ of: 'snap-arch', result: 'skipped', message: 'snap-arch is archived' }],
              kept: [],
              deleted: [],
            },
          ],
        }),
      ],
    });

    const html = renderSummary(skipped);

    expect(html).toContain('<td>⚠️ not copied: snap-arch is archived</td>');
    expect(renderOutputs(skipped).copies).toBe('[]');
  });

  it('renders no copies table without copy regions', () => {
    expect(renderSummary(report())).not.toContain('<h3>Copies</h3>');
  });
});
