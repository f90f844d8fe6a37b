/**
 * The bundled action against moto, for `target-type: ec2-instance`: all volumes of an instance
 * snapshotted as one set (CreateSnapshots), kept and pruned whole, copied whole.
 *
 * moto implements CreateSnapshots with `ExcludeBootVolume` (not `ExcludeDataVolumeIds`, which the
 * adapter tests cover) and makes every snapshot `completed` at once.
 */
import { AttachVolumeCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DR_REGION,
  REGION,
  backupIds,
  createInstance,
  createVolume,
  ec2Client,
  expectSuccess,
  jsonOutput,
  listSnapshots,
  reset,
  runAction,
  runIds,
  type SnapshotInfo,
} from './helpers.js';

const SET_ID = 'snapshot-rotation:set-id';
const DEVICE = 'snapshot-rotation:device';

beforeEach(reset);

/** An instance with its root volume and two data volumes (/dev/sdf, /dev/sdg); its volume ids. */
async function instanceWithThreeVolumes(): Promise<{ instance: string; root: string }> {
  const instance = await createInstance(REGION, { Name: 'db' });
  for (const device of ['/dev/sdf', '/dev/sdg']) {
    const volume = await createVolume(REGION);
    await ec2Client().send(
      new AttachVolumeCommand({ InstanceId: instance, VolumeId: volume, Device: device }),
    );
  }
  const answer = await ec2Client().send(new DescribeInstancesCommand({ InstanceIds: [instance] }));
  const found = answer.Reservations?.[0]?.Instances?.[0];
  const root = found?.BlockDeviceMappings?.find(
    (mapping) => mapping.DeviceName === found.RootDeviceName,
  )?.Ebs?.VolumeId;
  expect(found?.BlockDeviceMappings).toHaveLength(3);
  return { instance, root: root ?? '' };
}

/** The snapshots moto holds in `region`, grouped by their set id. */
async function sets(region: string = REGION): Promise<Map<string, SnapshotInfo[]>> {
  const groups = new Map<string, SnapshotInfo[]>();
  for (const snapshot of await listSnapshots(undefined, region)) {
    const id = snapshot.tags[SET_ID];
    if (!id) continue;
    groups.set(id, [...(groups.get(id) ?? []), snapshot]);
  }
  return groups;
}

const inputs = (instance: string, extra: Record<string, string> = {}) => ({
  'target-type': 'ec2-instance',
  'resource-id': instance,
  generations: '5',
  ...extra,
});

describe('ec2-instance', () => {
  it('backs up an instance with three volumes as one set of three snapshots, one backup', async () => {
    const { instance } = await instanceWithThreeVolumes();
    const run = await runAction(inputs(instance));
    expectSuccess(run);
    const setId = run.outputs['backup-id'] ?? '';
    expect(setId).toMatch(new RegExp(`^${instance}/\\d{4}-\\d\\d-\\d\\dT`));
    expect(backupIds([run])).toEqual([setId]);
    const held = await sets();
    expect([...held.keys()]).toEqual([setId]);
    const members = held.get(setId) ?? [];
    expect(members).toHaveLength(3);
    expect(members.map((snapshot) => snapshot.tags[DEVICE]).sort()).toEqual(
      ['/dev/sda1', '/dev/sdf', '/dev/sdg'].sort(),
    );
    for (const snapshot of members) {
      expect(snapshot.tags).toMatchObject({
        'snapshot-rotation:backup-set': 'default',
        'snapshot-rotation:source': instance,
        'snapshot-rotation:set-size': '3',
      });
    }
    // The report lists the set's snapshots.
    const report = JSON.stringify(jsonOutput(run, 'report'));
    for (const snapshot of members) expect(report).toContain(snapshot.id);
  });

  it('generations 2 after three runs leaves exactly the two newest whole sets', async () => {
    const { instance } = await instanceWithThreeVolumes();
    const made: string[] = [];
    for (const runId of runIds(9101, 3)) {
      const run = await runAction(inputs(instance, { generations: '2' }), { runId });
      expectSuccess(run);
      made.push(run.outputs['backup-id'] ?? '');
      if (made.length === 3) {
        expect(run.outputs['deleted-count']).toBe('1');
        expect(run.outputs['deleted-ids']).toContain(made[0]);
      }
    }
    const held = await sets();
    expect([...held.keys()].sort()).toEqual([made[1], made[2]].sort());
    for (const members of held.values()) expect(members).toHaveLength(3);
  });

  it('leaves the boot volume out on request', async () => {
    const { instance, root } = await instanceWithThreeVolumes();
    const run = await runAction(inputs(instance, { 'exclude-boot-volume': 'true' }));
    expectSuccess(run);
    const members = (await sets()).get(run.outputs['backup-id'] ?? '') ?? [];
    expect(members).toHaveLength(2);
    expect(members.map((snapshot) => snapshot.volumeId)).not.toContain(root);
    expect(members.map((snapshot) => snapshot.tags['snapshot-rotation:set-size'])).toEqual([
      '2',
      '2',
    ]);
  });

  it('copies a set whole to a second region, under the same set id', async () => {
    const { instance } = await instanceWithThreeVolumes();
    const run = await runAction(inputs(instance, { 'copy-to-regions': DR_REGION }));
    expectSuccess(run);
    const setId = run.outputs['backup-id'] ?? '';
    const copies = (await sets(DR_REGION)).get(setId) ?? [];
    expect(copies).toHaveLength(3);
    for (const copy of copies) {
      expect(copy.tags).toMatchObject({
        'snapshot-rotation:copy-of': setId,
        'snapshot-rotation:source-region': REGION,
      });
    }
    expect(copies.map((copy) => copy.tags[DEVICE]).sort()).toEqual(
      ((await sets()).get(setId) ?? []).map((snapshot) => snapshot.tags[DEVICE]).sort(),
    );
    // A second run finds the copy complete and copies nothing again.
    const again = await runAction(inputs(instance, { 'copy-to-regions': DR_REGION }));
    expectSuccess(again);
    expect((await sets(DR_REGION)).size).toBe(2);
    for (const members of (await sets(DR_REGION)).values()) expect(members).toHaveLength(3);
  });
});
