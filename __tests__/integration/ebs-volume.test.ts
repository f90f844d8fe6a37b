/**
 * The bundled action against moto, for `target-type: ebs-volume`: what a workflow sees (exit code,
 * log, outputs, summary) and what EC2 holds afterwards.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  REGION,
  createManualSnapshot,
  createVolume,
  errorLines,
  jsonOutput,
  listSnapshots,
  recordingEndpoint,
  reset,
  runAction,
  snapshotsOfSet,
  tagSnapshot,
  type ActionRun,
} from './helpers.js';

const MISSING_VOLUME = 'vol-0123456789abcdef0';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Fails with the action's log, so a broken run explains itself. */
function expectSuccess(run: ActionRun): void {
  expect(
    { code: run.code, status: run.outputs.status },
    `action log:\n${run.stdout}\n${run.stderr}`,
  ).toEqual({ code: 0, status: 'success' });
}

/** Runs the action `count` times on one volume, each as a distinct workflow run; returns the ids. */
async function backUpTimes(
  count: number,
  inputs: Record<string, string>,
  firstRunId = 1000,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const run = await runAction(inputs, { runId: String(firstRunId + i) });
    expectSuccess(run);
    ids.push(run.outputs['backup-id'] ?? '');
  }
  return ids;
}

beforeEach(reset);

describe('retention by generations', () => {
  it('keeps the set’s 5 newest snapshots and deletes the oldest on the 6th run, sparing others', async () => {
    const volume = await createVolume(REGION, { Name: 'data' });
    const manual = await createManualSnapshot(volume);
    const weekly = await runAction(
      {
        'target-type': 'ebs-volume',
        'resource-id': volume,
        'backup-set': 'weekly',
        generations: '1',
      },
      { runId: '500' },
    );
    expectSuccess(weekly);

    const daily = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5' };
    const runs: ActionRun[] = [];
    for (let i = 1; i <= 6; i++) {
      const run = await runAction(daily, { runId: String(1000 + i) });
      expectSuccess(run);
      runs.push(run);
    }
    const created = runs.map((run) => run.outputs['backup-id']);
    expect(new Set(created).size).toBe(6);
    expect(runs.slice(0, 5).map((run) => run.outputs['deleted-count'])).toEqual(Array(5).fill('0'));

    const last = runs[5]!;
    expect(last.outputs['deleted-count']).toBe('1');
    expect(jsonOutput(last, 'deleted-ids')).toEqual([{ region: REGION, id: created[0] }]);

    const kept = await snapshotsOfSet(volume, 'default');
    expect(kept.map((snapshot) => snapshot.id)).toEqual(created.slice(1));
    expect(kept.map((snapshot) => snapshot.tags['snapshot-rotation:run'])).toEqual([
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
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5' };
    const [pinned, second, third] = await backUpTimes(3, inputs);
    await tagSnapshot(pinned!, { 'snapshot-rotation:keep': 'true' });

    const run = await runAction({ ...inputs, generations: '1' }, { runId: '2000' });
    expectSuccess(run);

    const left = (await snapshotsOfSet(volume)).map((snapshot) => snapshot.id);
    expect(left).toEqual([pinned, run.outputs['backup-id']]);
    expect(
      jsonOutput<{ id: string }[]>(run, 'deleted-ids')
        .map((entry) => entry.id)
        .sort(),
    ).toEqual([second, third].sort());
  });

  it('refuses to delete more than max-deletions and names the number needed', async () => {
    const volume = await createVolume();
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5' };
    const old = await backUpTimes(2, inputs);

    const run = await runAction(
      { ...inputs, generations: '1', 'max-deletions': '1' },
      { runId: '2000' },
    );

    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs['deleted-count']).toBe('0');
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('max-deletions');
    expect(errors[0]).toMatch(/\b2\b/);
    const left = (await snapshotsOfSet(volume)).map((snapshot) => snapshot.id);
    expect(left).toEqual(expect.arrayContaining(old));
  });
});

describe('the snapshot it makes', () => {
  it('carries the ownership tags, the volume’s own tags and the tags input from creation', async () => {
    const volume = await createVolume(REGION, { Name: 'data', Team: 'storage' });
    const before = new Date();
    const run = await runAction(
      {
        'target-type': 'ebs-volume',
        'resource-id': volume,
        generations: '5',
        tags: 'Owner=platform\nCostCenter=42',
      },
      { runId: '424242' },
    );
    const after = new Date();
    expectSuccess(run);

    const [snapshot, ...others] = await listSnapshots(volume);
    expect(others).toEqual([]);
    expect(snapshot?.id).toBe(run.outputs['backup-id']);
    expect(jsonOutput(run, 'backup-ids')).toEqual([snapshot?.id]);
    const tags = snapshot?.tags ?? {};
    expect(tags).toMatchObject({
      'snapshot-rotation:backup-set': 'default',
      'snapshot-rotation:source': volume,
      'snapshot-rotation:run': '424242',
      Name: 'data',
      Team: 'storage',
      Owner: 'platform',
      CostCenter: '42',
    });
    const createdAt = tags['snapshot-rotation:created-at'] ?? '';
    expect(createdAt).toMatch(ISO_UTC);
    expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(Date.parse(createdAt)).toBeLessThanOrEqual(after.getTime() + 1000);
  });

  it('does not copy the volume’s tags when copy-tags is false', async () => {
    const volume = await createVolume(REGION, { Name: 'data' });
    const run = await runAction({
      'target-type': 'ebs-volume',
      'resource-id': volume,
      generations: '5',
      'copy-tags': 'false',
      tags: 'Owner=platform',
    });
    expectSuccess(run);

    const [snapshot] = await listSnapshots(volume);
    expect(snapshot?.tags).not.toHaveProperty('Name');
    expect(snapshot?.tags).toMatchObject({ Owner: 'platform' });
  });
});

describe('idempotency', () => {
  it('reuses the snapshot of the same workflow run on a re-run', async () => {
    const volume = await createVolume();
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5' };
    const first = await runAction(inputs, { runId: '31337' });
    const again = await runAction(inputs, { runId: '31337' });
    expectSuccess(first);
    expectSuccess(again);

    expect(again.outputs['backup-id']).toBe(first.outputs['backup-id']);
    expect((await listSnapshots(volume)).map((snapshot) => snapshot.id)).toEqual([
      first.outputs['backup-id'],
    ]);
  });

  it('creates nothing within min-interval of the last snapshot and says why', async () => {
    const volume = await createVolume();
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5' };
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
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5' };
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
      for (const [name, value] of Object.entries({
        'target-type': 'ebs-volume',
        'resource-id': volume,
        generations: '5',
        ...change,
      })) {
        if (value !== undefined) inputs[name] = value;
      }

      const run = await runAction(inputs);
      expect(run.code).toBe(1);
      const errors = errorLines(run);
      expect(errors, run.stdout).toHaveLength(1);
      expect(errors[0]).toContain(input);
      expect(await listSnapshots()).toEqual([]);

      // The same run against an endpoint that records requests: not a single AWS call.
      const recorder = await recordingEndpoint();
      try {
        const offline = await runAction(inputs, { env: { AWS_ENDPOINT_URL: recorder.endpoint } });
        expect(offline.code).toBe(1);
        expect(recorder.requests).toEqual([]);
      } finally {
        await recorder.close();
      }
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
    const run = await runAction({
      'target-type': 'ebs-volume',
      'resource-id': [first, second].join(separator),
      generations: '5',
    });
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
    const run = await runAction({
      'target-type': 'ebs-volume',
      'resource-id': `${good}\n${MISSING_VOLUME}`,
      generations: '5',
    });

    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('partial');
    const snapshots = await listSnapshots(good);
    expect(snapshots).toHaveLength(1);
    expect(jsonOutput(run, 'backup-ids')).toEqual([snapshots[0]?.id]);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain(`${MISSING_VOLUME}: ${MISSING_VOLUME} was not found`);
    expect(run.summary).toContain(MISSING_VOLUME);
  });

  it('backs up only the volumes carrying resource-tags and lists them in targets', async () => {
    const tagged = [
      await createVolume(REGION, { Team: 'data' }),
      await createVolume(REGION, { Team: 'data', Name: 'warehouse' }),
    ];
    const others = [await createVolume(REGION, { Team: 'web' }), await createVolume()];
    const run = await runAction({
      'target-type': 'ebs-volume',
      'resource-tags': 'Team=data',
      generations: '5',
    });
    expectSuccess(run);

    expect(jsonOutput<string[]>(run, 'targets').sort()).toEqual([...tagged].sort());
    for (const volume of tagged) expect(await listSnapshots(volume)).toHaveLength(1);
    for (const volume of others) expect(await listSnapshots(volume)).toEqual([]);
  });
});

describe('region', () => {
  it('backs up in the region named by the region input, not the runner’s AWS_REGION', async () => {
    const volume = await createVolume('eu-west-1');
    const run = await runAction(
      { 'target-type': 'ebs-volume', 'resource-id': volume, region: 'eu-west-1', generations: '5' },
      { region: 'us-east-1' },
    );
    expectSuccess(run);

    expect(await listSnapshots(volume, 'eu-west-1')).toHaveLength(1);
    expect(jsonOutput(run, 'deleted-ids')).toEqual([]);
  });

  it('fails naming the region input when neither it nor AWS_REGION is set', async () => {
    const volume = await createVolume();
    const run = await runAction(
      { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '5' },
      { env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined } },
    );

    expect(run.code).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('region');
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
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '1' };
    const first = await runAction(inputs, { runId: '8101' });
    expectSuccess(first);
    // Tagged by hand like the set's, with an old age: the action would delete it first if it took
    // it for its own.
    const mislabelled = await createManualSnapshot(other, REGION, {
      'snapshot-rotation:backup-set': 'default',
      'snapshot-rotation:source': volume,
      'snapshot-rotation:created-at': '2020-01-01T00:00:00.000Z',
    });

    const second = await runAction(inputs, { runId: '8102' });
    expectSuccess(second);

    expect((await listSnapshots()).map((snapshot) => snapshot.id)).toContain(mislabelled);
    // Retention saw only the action's own two snapshots, and kept the newest.
    expect(jsonOutput(second, 'deleted-ids')).toEqual([
      { region: REGION, id: first.outputs['backup-id'] },
    ]);
  });
});
