/**
 * The bundled action against moto, for `target-type: ebs-volume`: what a workflow sees (exit code,
 * log, outputs, summary) and what EC2 holds afterwards.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DR_REGION,
  MISSING_VOLUME,
  REGION,
  TAG,
  backupIds,
  createManualSnapshot,
  createVolume,
  errorLines,
  expectResourceTagsPick,
  expectOneTaggedBackup,
  expectOneError,
  expectRerunReuses,
  expectStatus,
  expectSuccess,
  jsonOutput,
  listSnapshots,
  reset,
  runAction,
  runIds,
  runOffline,
  snapshotsOfSet,
  sortedIds,
  successfulRuns,
  tagSnapshot,
} from './helpers.js';

/** Inputs of a run that backs up `volume`, five generations, changed by `extra`. */
function volumeInputs(volume: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5', ...extra };
}

/** Runs the action `count` times on one volume, each as a distinct workflow run; returns the ids. */
async function backUpTimes(
  count: number,
  inputs: Record<string, string>,
  firstRunId = 1000,
): Promise<string[]> {
  return backupIds(await successfulRuns(inputs, runIds(firstRunId, count)));
}

beforeEach(reset);

describe('retention by generations', () => {
  it('keeps the set’s 5 newest snapshots and deletes the oldest on the 6th run, sparing others', async () => {
    const volume = await createVolume(REGION, { Name: 'data' });
    const manual = await createManualSnapshot(volume);
    const weekly = await runAction(
      volumeInputs(volume, { 'backup-set': 'weekly', generations: '1' }),
      { runId: '500' },
    );
    expectSuccess(weekly);

    const runs = await successfulRuns(volumeInputs(volume), runIds(1001, 6));
    const created = backupIds(runs);
    expect(new Set(created).size).toBe(6);
    expect(runs.slice(0, 5).map((run) => run.outputs['deleted-count'])).toEqual(Array(5).fill('0'));

    const last = runs[5]!;
    expect(last.outputs['deleted-count']).toBe('1');
    expect(jsonOutput(last, 'deleted-ids')).toEqual([{ region: REGION, id: created[0] }]);
    // The report names the volume by its Name tag and gives each snapshot's VolumeSize (GiB).
    expect(jsonOutput<{ targets: unknown[] }>(last, 'report').targets[0]).toMatchObject({
      name: 'data',
      backup: { id: created[5], sizeGiB: 1 },
      deleted: [{ id: created[0], sizeGiB: 1 }],
    });

    const kept = await snapshotsOfSet(volume, 'default');
    expect(kept.map((snapshot) => snapshot.id)).toEqual(created.slice(1));
    expect(kept.map((snapshot) => snapshot.tags[TAG.run])).toEqual([
      '1002',
      '1003',
      '1004',
      '1005',
      '1006',
    ]);
    const all = (await listSnapshots(volume)).map((snapshot) => snapshot.id);
    expect(all).toContain(manual);
    expect(all).toContain(weekly.outputs['backup-id']);
    expect(all).toHaveLength(7);
  });

  it('never deletes a snapshot of the set tagged snapshot-rotation:keep=true', async () => {
    const volume = await createVolume();
    const inputs = volumeInputs(volume);
    const [pinned, second, third] = await backUpTimes(3, inputs);
    await tagSnapshot(pinned!, { [TAG.keep]: 'true' });

    const run = await runAction({ ...inputs, generations: '1' }, { runId: '2000' });
    expectSuccess(run);

    const left = (await snapshotsOfSet(volume)).map((snapshot) => snapshot.id);
    expect(left).toEqual([pinned, run.outputs['backup-id']]);
    expect(sortedIds(run)).toEqual([second, third].sort());
  });

  it('refuses to delete more than max-deletions and names the number needed', async () => {
    const volume = await createVolume();
    const inputs = volumeInputs(volume);
    const old = await backUpTimes(2, inputs);

    const run = await runAction(
      { ...inputs, generations: '1', 'max-deletions': '1' },
      { runId: '2000' },
    );

    expectStatus(run, 'failed', 1);
    expect(run.outputs['deleted-count']).toBe('0');
    const error = expectOneError(run);
    expect(error).toContain('max-deletions');
    expect(error).toMatch(/\b2\b/);
    const left = (await snapshotsOfSet(volume)).map((snapshot) => snapshot.id);
    expect(left).toEqual(expect.arrayContaining(old));
  });
});

describe('the snapshot it makes', () => {
  it('carries the ownership tags, the volume’s own tags and the tags input from creation', async () => {
    const volume = await createVolume(REGION, { Name: 'data', Team: 'storage' });
    const inputs = volumeInputs(volume, { tags: 'Owner=platform\nCostCenter=42' });

    const { backup } = await expectOneTaggedBackup(inputs, '424242', volume, listSnapshots);
    // The volume's own tags, and those of the tags input.
    expect(backup.tags).toMatchObject({ Name: 'data', Team: 'storage' });
    expect(backup.tags).toMatchObject({ Owner: 'platform', CostCenter: '42' });
  });

  it('does not copy the volume’s tags when copy-tags is false', async () => {
    const volume = await createVolume(REGION, { Name: 'data' });
    const run = await runAction(
      volumeInputs(volume, { 'copy-tags': 'false', tags: 'Owner=platform' }),
    );
    expectSuccess(run);

    const [snapshot] = await listSnapshots(volume);
    expect(snapshot?.tags).not.toHaveProperty('Name');
    expect(snapshot?.tags).toMatchObject({ Owner: 'platform' });
  });
});

describe('idempotency', () => {
  it('reuses the snapshot of the same workflow run on a re-run', async () => {
    const volume = await createVolume();
    const reused = await expectRerunReuses(volumeInputs(volume), '31337');

    expect((await listSnapshots(volume)).map((snapshot) => snapshot.id)).toEqual([reused]);
  });

  it('creates nothing within min-interval of the last snapshot and says why', async () => {
    const volume = await createVolume();
    const inputs = volumeInputs(volume);
    expectSuccess(await runAction(inputs, { runId: '1' }));
    const before = await listSnapshots(volume);

    const run = await runAction({ ...inputs, 'min-interval': '20h' }, { runId: '2' });
    expectSuccess(run);

    expect(await listSnapshots(volume)).toEqual(before);
    expect(run.outputs['backup-id']).toBe('');
    expect(run.summary).toMatch(/min-interval|skipped/i);
  });
});

describe('dry run', () => {
  it('changes nothing and reports what would be created and deleted', async () => {
    const volume = await createVolume(REGION, { Name: 'data' });
    const inputs = volumeInputs(volume);
    const existing = await backUpTimes(3, inputs);
    const before = await listSnapshots();

    const run = await runAction({ ...inputs, generations: '1', 'dry-run': 'true' });
    expectSuccess(run);

    expect(await listSnapshots()).toEqual(before);
    const wouldDelete = jsonOutput<{ region: string; id: string }[]>(run, 'deleted-ids');
    expect(wouldDelete.length).toBeGreaterThan(0);
    for (const entry of wouldDelete) {
      expect(entry.region).toBe(REGION);
      expect(existing).toContain(entry.id);
    }
    expect(run.outputs['deleted-count']).toBe(String(wouldDelete.length));
    expect(jsonOutput(run, 'targets')).toEqual([volume]);
    expect(run.summary).toMatch(/dry run/i);
    expect(run.summary).toMatch(/would create/i);
  });
});

describe('invalid inputs', () => {
  type Case = [label: string, input: string, change: Record<string, string | undefined>];
  const cases: Case[] = [
    ['generations 0', 'generations', { generations: '0' }],
    ['generations abc', 'generations', { generations: 'abc' }],
    ['generations 1001', 'generations', { generations: '1001' }],
    ['keep-within 5x', 'keep-within', { 'keep-within': '5x' }],
    ['wait yes', 'wait', { wait: 'yes' }],
    ['wait-timeout 7h', 'wait-timeout', { 'wait-timeout': '7h' }],
    ['min-interval soon', 'min-interval', { 'min-interval': 'soon' }],
    ['max-deletions -1', 'max-deletions', { 'max-deletions': '-1' }],
    ['an instance id for ebs-volume', 'resource-id', { 'resource-id': 'i-123' }],
    ['no resource-id and no resource-tags', 'resource-id', { 'resource-id': undefined }],
    ['prune with no keep rule', 'prune', { prune: 'true', generations: undefined }],
    ['target-type bogus', 'target-type', { 'target-type': 'bogus' }],
  ];

  it.each(cases)(
    'fails on %s with one ::error:: line naming the input, before any AWS call',
    async (_label, input, change) => {
      const volume = await createVolume();
      const inputs: Record<string, string> = {};
      for (const [name, value] of Object.entries({ ...volumeInputs(volume), ...change })) {
        if (value !== undefined) inputs[name] = value;
      }

      const run = await runAction(inputs);
      expect(expectOneError(run)).toContain(input);
      expect(await listSnapshots()).toEqual([]);

      // The same run against an endpoint that records requests: not a single AWS call.
      const offline = await runOffline(inputs);
      expect(offline.run.code).toBe(1);
      expect(offline.requests).toEqual([]);
    },
  );
});

describe('several targets', () => {
  it.each([
    ['commas', ', '],
    ['newlines', '\n'],
  ])('backs up every volume of resource-id separated by %s', async (_label, separator) => {
    const first = await createVolume();
    const second = await createVolume();
    const run = await runAction(volumeInputs([first, second].join(separator)));
    expectSuccess(run);

    const [a, b] = [await listSnapshots(first), await listSnapshots(second)];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(jsonOutput(run, 'backup-ids')).toEqual([a[0]?.id, b[0]?.id]);
    expect(jsonOutput(run, 'targets')).toEqual([first, second]);
    expect(run.outputs['backup-id']).toBe(a[0]?.id);
  });

  it('backs up the volumes that exist and ends partial when one is missing', async () => {
    const good = await createVolume();
    const run = await runAction(volumeInputs(`${good}\n${MISSING_VOLUME}`));

    expectStatus(run, 'partial', 1);
    const snapshots = await listSnapshots(good);
    expect(snapshots).toHaveLength(1);
    expect(jsonOutput(run, 'backup-ids')).toEqual([snapshots[0]?.id]);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(`${MISSING_VOLUME}: ${MISSING_VOLUME} was not found`);
    expect(run.summary).toContain(MISSING_VOLUME);
  });

  it('backs up only the volumes carrying resource-tags and lists them in targets', async () => {
    await expectResourceTagsPick(
      'ebs-volume',
      (tags) => createVolume(REGION, tags),
      (volume) => listSnapshots(volume),
    );
  });
});

describe('region', () => {
  it('backs up in the region named by the region input, not the runner’s AWS_REGION', async () => {
    const volume = await createVolume(DR_REGION);
    const run = await runAction(volumeInputs(volume, { region: DR_REGION }), { region: REGION });
    expectSuccess(run);

    expect(await listSnapshots(volume, DR_REGION)).toHaveLength(1);
    expect(jsonOutput(run, 'deleted-ids')).toEqual([]);
  });

  it('fails naming the region input when neither it nor AWS_REGION is set', async () => {
    const volume = await createVolume();
    const run = await runAction(volumeInputs(volume), {
      env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined },
    });

    expect(expectOneError(run)).toContain('region');
    expect(await listSnapshots()).toEqual([]);
  });
});

describe('backups the action did not make, carrying the set’s tags', () => {
  // A copy made by hand with the set's tags is told apart by its VolumeId (AWS gives copies
  // vol-ffffffff), which moto 5.2.5 does not do (it keeps the original's): the adapter tests cover
  // copies; here, a snapshot of another volume tagged as this volume's.
  it('never counts or deletes a snapshot of another volume that carries this volume’s tags', async () => {
    const volume = await createVolume();
    const other = await createVolume();
    const inputs = volumeInputs(volume, { generations: '1' });
    const [first] = await successfulRuns(inputs, ['8101']);
    // Tagged by hand like the set's, with an old age: the action would delete it first if it took
    // it for its own.
    const mislabelled = await createManualSnapshot(other, REGION, {
      [TAG.set]: 'default',
      [TAG.source]: volume,
      [TAG.createdAt]: '2020-01-01T00:00:00.000Z',
    });

    const [second] = await successfulRuns(inputs, ['8102']);

    expect((await listSnapshots()).map((snapshot) => snapshot.id)).toContain(mislabelled);
    // Retention saw only the action's own two snapshots, and kept the newest.
    expect(jsonOutput(second!, 'deleted-ids')).toEqual([
      { region: REGION, id: first!.outputs['backup-id'] },
    ]);
  });
});
