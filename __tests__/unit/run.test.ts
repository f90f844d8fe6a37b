// The run as a whole (src/main.ts): inputs first, the set listed once, targets worked on within the
// concurrency, cancellation, dry run, and the status a run ends with.
import { describe, expect, it } from 'vitest';
import { A, B, backup, C, dailyBackups, DAY } from './fixtures.js';
import { abortSoon, FakeAdapter, quietRuns, runWith } from './fake-adapter.js';

const stdout = quietRuns();

describe('run', () => {
  it('fails the run with no AWS call when an input is invalid', async () => {
    const adapter = new FakeAdapter([], [A]);
    expect(await runWith(adapter, { 'resource-id': A, generations: '0' })).toBeUndefined();
    expect(adapter.calls).toEqual([]);
    expect(stdout.written()).toMatch(/^::error::Input 'generations'/m);
  });

  it('lists the set once for all targets and never works on more targets at once than concurrency', async () => {
    const volumes = Array.from({ length: 10 }, (_, i) => `vol-0${String(i).repeat(16)}`);
    const adapter = new FakeAdapter([], volumes);
    const report = await runWith(adapter, { 'resource-id': volumes.join(','), concurrency: '3' });
    expect(report?.status).toBe('success');
    expect(adapter.calls.filter((call) => call === 'listBackups')).toHaveLength(1);
    expect(adapter.calls.filter((call) => call.startsWith('create'))).toHaveLength(10);
    expect(adapter.maxInFlight).toBe(3);
  });

  it('backs up the good targets when one fails, prunes only those, and ends partial', async () => {
    const old = [
      backup('snap-a-old', 9 * DAY, { sourceId: A }),
      backup('snap-a-older', 10 * DAY, { sourceId: A }),
    ];
    const oldB = [
      backup('snap-b-old', 9 * DAY, { sourceId: B }),
      backup('snap-b-older', 10 * DAY, { sourceId: B }),
    ];
    const adapter = new FakeAdapter([...old, ...oldB], [A, B]);
    adapter.failCreate.add(B);
    const report = await runWith(adapter, { 'resource-id': `${B},${C},${A}` });
    expect(report?.status).toBe('partial');
    expect(process.exitCode).toBe(1);
    expect(adapter.mutations()).toEqual([`create ${B}`, `create ${A}`, 'delete snap-a-older']);
    const byId = Object.fromEntries(report!.targets.map((t) => [t.sourceId, t]));
    expect(byId[C]?.ok).toBe(false);
    expect(byId[C]?.message).toContain('not found');
    expect(byId[B]).toMatchObject({ ok: false, outcome: 'failed', deleted: [] });
    expect(report?.resolved).toEqual([B, A]);
  });

  it('makes no change in a dry run and reports what would be created and deleted', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    const report = await runWith(adapter, { 'resource-id': A, 'dry-run': 'true' });
    expect(adapter.mutations()).toEqual([]);
    expect(report?.targets[0]).toMatchObject({ outcome: 'would-create' });
    // The stand-in for the new backup counts in retention but is not reported as a kept backup.
    expect(report?.targets[0]?.kept.map((k) => k.id)).toEqual(['snap-1']);
    expect(report?.targets[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-2', 'would-delete'],
      ['snap-3', 'would-delete'],
    ]);
  });
});

describe('run on cancellation', () => {
  it('stops waiting on cancellation, deletes nothing and reports the run as failed', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    adapter.waitForever = true;
    const report = await runWith(adapter, { 'resource-id': A }, abortSoon());
    expect(report?.status).toBe('failed');
    expect(report?.errors.join(' ')).toMatch(/cancelled/);
    expect(adapter.mutations()).toEqual([`create ${A}`]);
  });

  it('stops waiting for a listing that does not answer on cancellation, and changes nothing', async () => {
    const adapter = new FakeAdapter([], [A]);
    adapter.listForever = true;

    const report = await runWith(adapter, { 'resource-id': A }, abortSoon());

    expect(report?.status).toBe('failed');
    expect(report?.errors.join(' ')).toMatch(/cancelled.*Nothing was changed/);
    expect(adapter.mutations()).toEqual([]);
  });
});
