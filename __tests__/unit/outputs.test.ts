// The `targets` output: every target of the run, failed ones included, as a JSON array of ids that
// a fan-out matrix runs over, in the order of the `report` output's targets (where each one's
// status is).
import { describe, expect, it } from 'vitest';
import { renderOutputs, type RunReport, type TargetReport } from '../../src/report.js';
import { FakeAdapter, quietRuns, runWith } from './fake-adapter.js';
import { A, B, C } from './fixtures.js';
import { runReport } from './report-fixtures.js';

quietRuns();

const target = (sourceId: string, overrides: Partial<TargetReport> = {}): TargetReport => ({
  sourceId,
  region: 'us-east-1',
  outcome: 'created',
  ok: true,
  kept: [],
  deleted: [],
  destinations: [],
  warnings: [],
  ...overrides,
});

const report = (targets: TargetReport[], resolved: string[]): RunReport =>
  runReport({ status: 'partial', resolved, targets });

/** The `targets` output and, by id, each target's status in the `report` output. */
function outputsOf(run: RunReport): { targets: string[]; status: Record<string, unknown> } {
  const outputs = renderOutputs(run);
  const reported = JSON.parse(outputs.report ?? '') as RunReport;
  return {
    targets: JSON.parse(outputs.targets ?? '') as string[],
    status: Object.fromEntries(
      reported.targets.map((t) => [t.sourceId, { ok: t.ok, outcome: t.outcome }]),
    ),
  };
}

describe('the targets output', () => {
  it('lists every target, the ones that were not found or failed included, in report order', () => {
    const run = report(
      [
        target('vol-1'),
        target('vol-2', { ok: false, outcome: 'failed', message: 'vol-2 is in state error.' }),
        target('vol-3', { ok: false, outcome: 'failed', message: 'vol-3 was not found.' }),
      ],
      ['vol-1', 'vol-2'],
    );
    const { targets, status } = outputsOf(run);
    expect(targets).toEqual(['vol-1', 'vol-2', 'vol-3']);
    // Each one's status is in the report output, under the same id.
    expect(targets.map((id) => status[id])).toEqual([
      { ok: true, outcome: 'created' },
      { ok: false, outcome: 'failed' },
      { ok: false, outcome: 'failed' },
    ]);
  });

  it('is an empty array when the run failed before it knew its targets', () => {
    expect(renderOutputs(report([], [])).targets).toBe('[]');
  });

  it('names a resource-id that was not found, after the ones found, in a whole run', async () => {
    // C does not exist; B fails its create. Before, `targets` held only what was found.
    const adapter = new FakeAdapter([], [A, B]);
    adapter.failCreate.add(B);
    const run = await runWith(adapter, { 'resource-id': `${C},${B},${A}` });
    if (!run) throw new Error('the run wrote no report');
    const { targets, status } = outputsOf(run);
    expect(targets).toEqual([B, A, C]);
    expect(run.resolved).toEqual([B, A]);
    expect(status).toEqual({
      [A]: { ok: true, outcome: 'created' },
      [B]: { ok: false, outcome: 'failed' },
      [C]: { ok: false, outcome: 'failed' },
    });
  });

  it('lists the targets of a dry run, for a fan-out matrix', async () => {
    const adapter = new FakeAdapter([], [A, B]);
    const run = await runWith(adapter, { 'resource-id': `${A},${B}`, 'dry-run': 'true' });
    if (!run) throw new Error('the run wrote no report');
    expect(JSON.parse(renderOutputs(run).targets ?? '')).toEqual([A, B]);
    expect(adapter.mutations()).toEqual([]);
  });
});
