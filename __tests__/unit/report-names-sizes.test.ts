// The report's names and sizes (issue 17): each target named by its source's `Name` tag, and every
// backup the report names (made, kept, deleted, copied) with its size in GiB where the adapter read
// one from AWS, and without one where AWS gave none.
import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/model.js';
import type { CreateRequest, TargetAdapter } from '../../src/targets/target.js';
import { A, B, backup, C, DAY, EU } from './fixtures.js';
import { FakeAdapter, quietRuns, runIn } from './fake-adapter.js';

quietRuns();

/** A FakeAdapter whose sources carry `tags` (by id) and whose new backups are `gib` GiB. */
function sized(
  backups: Backup[],
  volumes: string[],
  tags: Record<string, Record<string, string>>,
  gib: number,
): FakeAdapter {
  const adapter = new FakeAdapter(backups, volumes);
  const find = adapter.findSources.bind(adapter);
  const port: TargetAdapter = adapter;
  port.findSources = async (ids) => {
    const lookup = await find(ids);
    return { ...lookup, found: lookup.found.map((s) => ({ ...s, tags: tags[s.id] ?? {} })) };
  };
  const create = adapter.create.bind(adapter);
  adapter.create = async (request: CreateRequest) => ({ ...(await create(request)), sizeGiB: gib });
  return adapter;
}

describe('the report’s names and sizes', () => {
  it('names each target by its source’s Name tag, and none without one', async () => {
    const adapter = sized([], [A, B], { [A]: { Name: 'web-1 data', team: 'x' }, [B]: {} }, 8);

    const report = await runIn([adapter], { 'resource-id': `${A},${B},${C}` });

    const byId = Object.fromEntries(report.targets.map((t) => [t.sourceId, t]));
    expect(byId[A]?.name).toBe('web-1 data');
    expect(byId[B]).not.toHaveProperty('name');
    // Not found: no tags to read.
    expect(byId[C]).not.toHaveProperty('name');
  });

  it('carries each backup’s size into the made, kept, deleted and copied entries, and none where AWS gave none', async () => {
    const home = sized(
      [
        backup('snap-1', DAY, { sourceId: A, sizeGiB: 100 }),
        backup('snap-2', 2 * DAY, { sourceId: A }),
        backup('snap-3', 3 * DAY, { sourceId: A, sizeGiB: 50 }),
      ],
      [A],
      { [A]: { Name: 'db' } },
      8,
    );
    const eu = new FakeAdapter([], [], EU);

    const report = await runIn([home, eu], { 'resource-id': A, 'copy-to-regions': EU });

    const target = report.targets[0];
    expect(target?.backup).toMatchObject({ id: 'snap-new-1', sizeGiB: 8 });
    expect(target?.kept.map((k) => [k.id, k.sizeGiB])).toEqual([
      ['snap-new-1', 8],
      ['snap-1', 100],
    ]);
    expect(target?.deleted.map((d) => [d.id, d.sizeGiB])).toEqual([
      ['snap-2', undefined],
      ['snap-3', 50],
    ]);
    expect(target?.deleted[0]).not.toHaveProperty('sizeGiB');
    expect(target?.destinations[0]?.copies[0]?.copy).toMatchObject({
      id: 'snap-copy-1',
      sizeGiB: 8,
    });
  });
});
