/**
 * The bundled action against moto, for `target-type: ec2-image`: what a workflow sees (exit code,
 * log, outputs, summary) and what EC2 holds afterwards (images, their tags and backing snapshots).
 *
 * moto makes every image `available` at once with one synthetic backing snapshot, ignores
 * `NoReboot`, and never deletes snapshots on DeregisterImage: the action deletes them itself.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  MISSING_INSTANCE,
  MISSING_VOLUME,
  REGION,
  TAG,
  backupIds,
  createInstance,
  createManualImage,
  expectResourceTagsPick,
  expectOneTaggedBackup,
  expectOneError,
  expectRerunReuses,
  expectStatus,
  expectSuccess,
  imageById,
  imagesOfSet,
  jsonOutput,
  listImages,
  listSnapshots,
  reset,
  runAction,
  runIds,
  runOffline,
  successfulRuns,
  type ActionRun,
  type ImageInfo,
} from './helpers.js';

/** AWS's rule for AMI names: 3–128 of letters, digits, ( ) [ ] space . / - ' @ _ */
const AMI_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;

function imageInputs(instanceId: string, extra: Record<string, string> = {}) {
  return { 'target-type': 'ec2-image', 'resource-id': instanceId, generations: '5', ...extra };
}

/** Ids of every snapshot moto holds in the region. */
async function snapshotIds(): Promise<string[]> {
  return (await listSnapshots()).map((snapshot) => snapshot.id);
}

beforeEach(reset);

describe('retention by generations', () => {
  it('keeps the set’s 2 newest AMIs and deletes the pruned AMIs’ snapshots with them', async () => {
    const instance = await createInstance(REGION, { Name: 'web' });
    const inputs = imageInputs(instance, { generations: '2' });

    const runs: ActionRun[] = [];
    const images: ImageInfo[] = [];
    for (const runId of runIds(7001, 4)) {
      const run = await runAction(inputs, { runId });
      expectSuccess(run);
      runs.push(run);
      // Read the new AMI right away: a later run may deregister it.
      const image = await imageById(run.outputs['backup-id'] ?? '');
      expect(image.state).toBe('available');
      expect(image.snapshotIds.length).toBeGreaterThan(0);
      images.push(image);
    }
    const created = images.map((image) => image.id);
    expect(new Set(created).size).toBe(4);
    for (const id of created) expect(id).toMatch(/^ami-[0-9a-f]+$/);
    expect(runs.map((run) => run.outputs['deleted-count'])).toEqual(['0', '0', '1', '1']);
    expect(jsonOutput(runs[2]!, 'deleted-ids')).toEqual([{ region: REGION, id: created[0] }]);
    expect(jsonOutput(runs[3]!, 'deleted-ids')).toEqual([{ region: REGION, id: created[1] }]);

    const kept = await imagesOfSet(instance);
    expect(kept.map((image) => image.id)).toEqual([created[2], created[3]]);
    expect(kept.map((image) => image.tags[TAG.run])).toEqual(['7003', '7004']);

    const left = await snapshotIds();
    for (const pruned of images.slice(0, 2)) {
      for (const snapshot of pruned.snapshotIds) expect(left).not.toContain(snapshot);
    }
    for (const survivor of images.slice(2)) {
      for (const snapshot of survivor.snapshotIds) expect(left).toContain(snapshot);
    }
  });

  it('never deregisters an AMI of the same instance made by hand, nor deletes its snapshots', async () => {
    const instance = await createInstance();
    const manual = await createManualImage(instance);
    const manualSnapshots = (await imageById(manual)).snapshotIds;
    expect(manualSnapshots.length).toBeGreaterThan(0);

    const runs = await successfulRuns(imageInputs(instance, { generations: '1' }), runIds(8001, 3));
    for (const run of runs) {
      expect(
        jsonOutput<{ id: string }[]>(run, 'deleted-ids').map((entry) => entry.id),
      ).not.toContain(manual);
    }

    const images = (await listImages(instance)).map((image) => image.id);
    expect(images).toContain(manual);
    expect(images).toHaveLength(2);
    expect((await imageById(manual)).snapshotIds).toEqual(manualSnapshots);
    const left = await snapshotIds();
    for (const snapshot of manualSnapshots) expect(left).toContain(snapshot);
  });
});

describe('the AMI it makes', () => {
  it('carries the ownership tags, the instance’s tags and the tags input, on the image and its snapshots', async () => {
    const instance = await createInstance(REGION, { Name: 'web', Team: 'platform' });
    const inputs = imageInputs(instance, { tags: 'Owner=ops\nCostCenter=42' });

    const { backup: image } = await expectOneTaggedBackup(inputs, '424242', instance, listImages);
    expect(image.state).toBe('available');
    expect(image.name).toMatch(AMI_NAME);
    expect(image.name).toContain(instance);
    expect(image.tags).toMatchObject({
      Name: 'web',
      Team: 'platform',
      Owner: 'ops',
      CostCenter: '42',
    });

    const backing = (await listSnapshots()).filter((snapshot) =>
      image.snapshotIds.includes(snapshot.id),
    );
    expect(backing.length).toBeGreaterThan(0);
    expect(backing).toHaveLength(image.snapshotIds.length);
    for (const snapshot of backing) {
      expect(snapshot.tags).toMatchObject({
        'snapshot-rotation:backup-set': 'default',
        'snapshot-rotation:source': instance,
      });
    }
  });

  it('gives each run’s AMI a distinct valid name', async () => {
    const instance = await createInstance();
    await successfulRuns(imageInputs(instance, { 'backup-set': 'nightly' }), runIds(101, 3));

    const names = (await imagesOfSet(instance, 'nightly')).map((image) => image.name);
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(AMI_NAME);
  });
});

describe('idempotency', () => {
  it('reuses the AMI of the same workflow run on a re-run', async () => {
    const instance = await createInstance();
    const reused = await expectRerunReuses(imageInputs(instance), '31337');

    expect(reused).toMatch(/^ami-/);
    expect((await listImages(instance)).map((image) => image.id)).toEqual([reused]);
  });

  it('creates no AMI within min-interval of the last one and says why', async () => {
    const instance = await createInstance();
    const inputs = imageInputs(instance);
    expectSuccess(await runAction(inputs, { runId: '1' }));
    const images = await listImages();
    const snapshots = await listSnapshots();
    expect(images).toHaveLength(1);

    const run = await runAction({ ...inputs, 'min-interval': '20h' }, { runId: '2' });
    expectSuccess(run);

    expect(await listImages()).toEqual(images);
    expect(await listSnapshots()).toEqual(snapshots);
    expect(run.outputs['backup-id']).toBe('');
    expect(run.summary).toContain('min-interval');
  });
});

describe('dry run', () => {
  it('creates and deregisters nothing and reports what would be deleted', async () => {
    const instance = await createInstance();
    const inputs = imageInputs(instance);
    const existing = backupIds(await successfulRuns(inputs, runIds(901, 3)));
    const images = await listImages();
    const snapshots = await listSnapshots();

    const run = await runAction({ ...inputs, generations: '1', 'dry-run': 'true' });
    expectSuccess(run);

    expect(await listImages()).toEqual(images);
    expect(await listSnapshots()).toEqual(snapshots);
    const wouldDelete = jsonOutput<{ region: string; id: string }[]>(run, 'deleted-ids');
    // The two oldest at least; the third too when the dry run counts the AMI it would create.
    const ids = wouldDelete.map((entry) => entry.id);
    expect(ids).toEqual(expect.arrayContaining(existing.slice(0, 2)));
    for (const id of ids) expect(existing).toContain(id);
    for (const entry of wouldDelete) expect(entry.region).toBe(REGION);
    expect(run.outputs['deleted-count']).toBe(String(wouldDelete.length));
    expect(jsonOutput(run, 'targets')).toEqual([instance]);
    expect(run.summary).toMatch(/dry run/i);
  });
});

describe('invalid inputs', () => {
  type Case = [label: string, input: string, change: Record<string, string>];
  const cases: Case[] = [
    ['no-reboot maybe', 'no-reboot', { 'no-reboot': 'maybe' }],
    ['an instance id for ebs-volume', 'resource-id', { 'target-type': 'ebs-volume' }],
    ['a volume id for ec2-image', 'resource-id', { 'resource-id': MISSING_VOLUME }],
    ['an instance id of 10 hex digits', 'resource-id', { 'resource-id': 'i-0123456789' }],
  ];

  it.each(cases)(
    'fails on %s with one ::error:: line naming the input, before any AWS call',
    async (_label, input, change) => {
      const instance = await createInstance();
      const inputs = { ...imageInputs(instance), ...change };

      expect(expectOneError(await runAction(inputs))).toContain(input);
      expect(await listImages()).toEqual([]);
      expect(await listSnapshots()).toEqual([]);

      // The same run against an endpoint that records requests: not a single AWS call.
      const offline = await runOffline(inputs);
      expect(offline.run.code).toBe(1);
      expect(offline.requests).toEqual([]);
    },
  );

  it('accepts the short instance id form i- + 8 hex digits as resource-id', async () => {
    // Valid input gets as far as EC2, which does not know the instance: not an input error.
    const error = expectOneError(await runAction(imageInputs('i-0123abcd')));
    expect(error).toContain('i-0123abcd was not found');
    expect(error).not.toContain("Input 'resource-id'");
  });
});

describe('targets', () => {
  it('fails the run naming an instance that does not exist, and creates nothing', async () => {
    const run = await runAction(imageInputs(MISSING_INSTANCE));

    expectStatus(run, 'failed', 1);
    expect(expectOneError(run)).toContain(MISSING_INSTANCE);
    expect(run.outputs['backup-id'] ?? '').toBe('');
    expect(await listImages()).toEqual([]);
    expect(await listSnapshots()).toEqual([]);
  });

  it('backs up only the instances carrying resource-tags and lists them in targets', async () => {
    const run = await expectResourceTagsPick(
      'ec2-image',
      (tags) => createInstance(REGION, tags),
      (instance) => listImages(instance),
    );
    expect(jsonOutput<string[]>(run, 'backup-ids').sort()).toEqual(
      (await listImages()).map((image) => image.id).sort(),
    );
  });
});
