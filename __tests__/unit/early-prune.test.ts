// Pruning in step with the creates (src/early-prune.ts): without copies, each target is pruned as
// soon as its backup is made, within a deletion plan made before the first create.
import { describe, expect, it } from 'vitest';
import { NOT_PLANNED } from '../../src/early-prune.js';
import type { Backup } from '../../src/model.js';
import type { CreateRequest } from '../../src/targets/target.js';
import { A, B, backup, C, copyIn, DAY, EU, HOUR, NOW } from './fixtures.js';

const MINUTE = HOUR / 60;
import { FakeAdapter, quietRuns, runIn } from './fake-adapter.js';

quietRuns();

/** Two backups of `source`, `<prefix>-1` (1 day old) and `<prefix>-2` (2 days old). */
function twoOld(prefix: string, source: string): Backup[] {
  return [1, 2].map((days) => backup(`${prefix}-${days}`, days * DAY, { sourceId: source }));
}

const keepOne = { generations: '1', concurrency: '1' };

describe('early pruning (no copies)', () => {
  it('prunes each target right after its own backup, before the next target is created', async () => {
    const adapter = new FakeAdapter(
      [...twoOld('a', A), ...twoOld('b', B), ...twoOld('c', C)],
      [A, B, C],
    );
    const report = await runIn([adapter], { ...keepOne, 'resource-id': `${A},${B},${C}` });

    expect(report.status).toBe('success');
    expect(adapter.mutations()).toEqual([
      `create ${A}`,
      'delete a-2',
      'delete a-1',
      `create ${B}`,
      'delete b-2',
      'delete b-1',
      `create ${C}`,
      'delete c-2',
      'delete c-1',
    ]);
    expect(report.targets.map((target) => target.deleted.map((d) => [d.id, d.result]))).toEqual([
      [
        ['a-1', 'deleted'],
        ['a-2', 'deleted'],
      ],
      [
        ['b-1', 'deleted'],
        ['b-2', 'deleted'],
      ],
      [
        ['c-1', 'deleted'],
        ['c-2', 'deleted'],
      ],
    ]);
  });

  it('deletes the first targets’ backups while the last target is still to be created', async () => {
    const adapter = new FakeAdapter(
      [...twoOld('a', A), ...twoOld('b', B), ...twoOld('c', C)],
      [A, B, C],
    );
    await runIn([adapter], { generations: '1', concurrency: '2', 'resource-id': `${A},${B},${C}` });

    const calls = adapter.mutations();
    expect(calls.indexOf('delete a-2')).toBeGreaterThan(-1);
    expect(calls.indexOf('delete a-2')).toBeLessThan(calls.indexOf(`create ${C}`));
  });

  it('refuses every deletion before the first one when the plan is over max-deletions, and still creates', async () => {
    const adapter = new FakeAdapter([...twoOld('a', A), ...twoOld('b', B)], [A, B]);
    const report = await runIn([adapter], {
      ...keepOne,
      'resource-id': `${A},${B}`,
      'max-deletions': '3',
    });

    expect(report.status).toBe('failed');
    expect(report.errors).toEqual([
      "This run would delete 4 backups, more than max-deletions (3); nothing was deleted. If this is intended, set 'max-deletions: 4' for one run. (Counted before the first backup was made, as a dry run counts them, resources whose backup then failed included.)",
    ]);
    expect(adapter.mutations()).toEqual([`create ${A}`, `create ${B}`]);
    const results = report.targets.flatMap((target) => target.deleted.map((d) => d.result));
    expect(results).toEqual(['not-attempted', 'not-attempted', 'not-attempted', 'not-attempted']);
  });

  it('holds to a refused plan even when a failed create leaves fewer deletions than it counted', async () => {
    const adapter = new FakeAdapter([...twoOld('a', A), ...twoOld('b', B)], [A, B]);
    adapter.failCreate.add(B);
    const report = await runIn([adapter], {
      ...keepOne,
      'resource-id': `${A},${B}`,
      'max-deletions': '3',
    });

    expect(report.errors.join(' ')).toMatch(
      /would delete 4 backups, more than max-deletions \(3\).*whose backup then failed included/,
    );
    expect(adapter.mutations()).toEqual([`create ${A}`, `create ${B}`]);
    // The list holds back what the surviving target would have deleted; the failed one lists none.
    const held = report.targets.flatMap((target) => target.deleted.map((d) => d.result));
    expect(held).toEqual(['not-attempted', 'not-attempted']);
  });

  it('prunes nothing for a target whose create failed, and the others as soon as they are made', async () => {
    const adapter = new FakeAdapter([...twoOld('a', A), ...twoOld('b', B)], [A, B]);
    adapter.failCreate.add(A);
    const report = await runIn([adapter], { ...keepOne, 'resource-id': `${A},${B}` });

    expect(report.status).toBe('partial');
    expect(adapter.mutations()).toEqual([`create ${A}`, `create ${B}`, 'delete b-2', 'delete b-1']);
    expect(report.targets[0]?.deleted).toEqual([]);
    expect(report.targets[0]?.kept).toEqual([]);
  });

  it('prunes nothing for a target whose backup ended failed', async () => {
    const adapter = new FakeAdapter(twoOld('a', A), [A]);
    adapter.failWait = true;
    const report = await runIn([adapter], { ...keepOne, 'resource-id': A });

    expect(report.status).toBe('failed');
    expect(adapter.mutations()).toEqual([`create ${A}`]);
  });

  it('keeps until the next run a backup that retention decides to delete but the plan did not hold', async () => {
    // keep-within holds a-edge when the plan is made; ten minutes later, once A's backup is made,
    // it has aged out of it.
    const adapter = new FakeAdapter(
      [
        backup('a-edge', 2 * DAY - 5 * MINUTE, { sourceId: A }),
        backup('a-old', 5 * DAY, { sourceId: A }),
      ],
      [A],
    );
    const clock = () =>
      adapter.calls.some((call) => call.startsWith('create '))
        ? new Date(NOW.getTime() + 10 * MINUTE)
        : NOW;
    const report = await runIn(
      [adapter],
      { ...keepOne, 'resource-id': A, 'keep-within': '2d' },
      { clock },
    );

    expect(report.status).toBe('success');
    expect(adapter.mutations()).toEqual([`create ${A}`, 'delete a-old']);
    expect(report.targets[0]?.deleted.map((d) => d.id)).toEqual(['a-old']);
    const edge = report.targets[0]?.kept.find((k) => k.id === 'a-edge');
    expect(edge?.reasons[0]).toBe(NOT_PLANNED);
    expect(edge?.rules).toEqual(['deletion-plan']);
  });

  it('deletes the twin of a retried create only within what max-deletions leaves beyond the plan', async () => {
    const run = async (maxDeletions: string) => {
      const adapter = new FakeAdapter([backup('snap-old', DAY, { sourceId: A })], [A]);
      adapter.strayIds = ['snap-twin'];
      const report = await runIn([adapter], {
        ...keepOne,
        'resource-id': A,
        'max-deletions': maxDeletions,
      });
      return { adapter, report };
    };

    const room = await run('2');
    expect(room.adapter.mutations()).toEqual([
      `create ${A}`,
      'delete snap-old',
      'delete snap-twin',
    ]);

    const full = await run('1');
    expect(full.report.status).toBe('success');
    expect(full.adapter.mutations()).toEqual([`create ${A}`, 'delete snap-old']);
    expect(full.report.targets[0]?.kept.find((k) => k.id === 'snap-twin')?.reasons[0]).toBe(
      NOT_PLANNED,
    );
  });

  it('leaves a dry run as it was: nothing changed, the deletions predicted', async () => {
    const adapter = new FakeAdapter([...twoOld('a', A), ...twoOld('b', B)], [A, B]);
    const report = await runIn([adapter], {
      ...keepOne,
      'resource-id': `${A},${B}`,
      'dry-run': 'true',
    });

    expect(adapter.mutations()).toEqual([]);
    expect(report.errors).toEqual([]);
    const results = report.targets.flatMap((target) => target.deleted.map((d) => d.result));
    expect(results).toEqual(['would-delete', 'would-delete', 'would-delete', 'would-delete']);
  });

  it('says what was deleted before a cancellation instead of "nothing was deleted"', async () => {
    const controller = new AbortController();
    class CancelledAtB extends FakeAdapter {
      override create(request: CreateRequest): Promise<Backup> {
        if (request.source.id === B) controller.abort();
        return super.create(request);
      }
    }
    const adapter = new CancelledAtB([...twoOld('a', A), ...twoOld('b', B)], [A, B]);
    const report = await runIn(
      [adapter],
      { ...keepOne, 'resource-id': `${A},${B}` },
      { signal: controller.signal },
    );

    expect(adapter.mutations()).toEqual([`create ${A}`, 'delete a-2', 'delete a-1', `create ${B}`]);
    expect(report.errors[0]).toBe(
      'The run was cancelled before it finished. What was deleted before is in the report.',
    );
    expect(report.targets[0]?.deleted.map((d) => d.result)).toEqual(['deleted', 'deleted']);
    expect(report.targets[1]?.deleted).toEqual([]);
  });
});

describe('pruning after all creates (with copies)', () => {
  it('keeps the old order: every create first, then the copies, then the deletions', async () => {
    const home = new FakeAdapter([...twoOld('a', A), ...twoOld('b', B)], [A, B]);
    const eu = new FakeAdapter(
      [copyIn(EU, 'copy-a', 'a-1', DAY), copyIn(EU, 'copy-b', 'b-1', DAY, { sourceId: B })],
      [],
      EU,
    );
    const report = await runIn([home, eu], {
      ...keepOne,
      'resource-id': `${A},${B}`,
      'copy-to-regions': EU,
    });

    expect(report.status).toBe('success');
    const calls = home.mutations();
    expect(calls.slice(0, 2)).toEqual([`create ${A}`, `create ${B}`]);
    expect(calls.slice(2).sort()).toEqual(['delete a-1', 'delete a-2', 'delete b-1', 'delete b-2']);
  });
});
