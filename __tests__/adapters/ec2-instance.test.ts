// What only `ec2-instance` does: an instance's volumes snapshotted as one set (CreateSnapshots),
// its snapshots grouped into one backup by their `set-id` tag, the set's state (a failed or missing
// member fails it), and the set deleted, waited for and copied whole.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CopySnapshotCommand,
  CreateSnapshotsCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  EC2ServiceException,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { TAGS } from '../../src/constants.js';
import { CancelledError } from '../../src/errors.js';
import { Ec2InstanceAdapter } from '../../src/targets/ec2-instance.js';
import { toAwsTags } from '../../src/targets/tags.js';
import type { Backup } from '../../src/targets/target.js';

const INSTANCE = 'i-0123456789abcdef0';
const SET = 'nightly';
const CREATED_AT = '2025-06-01T18:30:00.000Z';
const SET_ID = `${INSTANCE}/${CREATED_AT}`;
const NOW = new Date('2025-06-01T19:00:00.000Z');
const clock = () => NOW;

const ec2 = new EC2Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const mock = mockClient(ec2);

beforeEach(() => mock.reset());
afterEach(() => mock.reset());

/** A clock that moves a second each time it is read, so batched answers go stale between polls. */
function ticking() {
  let at = NOW.getTime();
  return () => new Date((at += 1000));
}

function adapter(exclude = { excludeBootVolume: false, excludeVolumeIds: [] as string[] }) {
  return new Ec2InstanceAdapter(ec2, 'us-east-1', {
    clock: ticking(),
    exclude,
    minDelaySeconds: 0.001,
    maxDelaySeconds: 0.002,
    visibilityGraceSeconds: 0,
  });
}

const ownership = (extra: Record<string, string> = {}) => ({
  [TAGS.backupSet]: SET,
  [TAGS.source]: INSTANCE,
  [TAGS.createdAt]: CREATED_AT,
  [TAGS.setId]: SET_ID,
  [TAGS.setSize]: '3',
  ...extra,
});

function snapshot(
  id: string,
  device: string,
  state = 'completed',
  tags: Record<string, string> = {},
): Snapshot {
  return {
    SnapshotId: id,
    VolumeId: `vol-${id.slice(5)}`,
    State: state as Snapshot['State'],
    StartTime: new Date(CREATED_AT),
    Tags: toAwsTags(ownership({ [TAGS.device]: device, ...tags })),
  };
}

const THREE = [
  snapshot('snap-00000001', '/dev/xvda'),
  snapshot('snap-00000002', '/dev/sdf'),
  snapshot('snap-00000003', '/dev/sdg'),
];

function error(code: string): Error {
  return new EC2ServiceException({ name: code, $fault: 'client', $metadata: {}, message: code });
}

describe('listing', () => {
  it('groups the snapshots of a set into one backup named by its set id, with its members', async () => {
    mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: THREE });
    const [set, ...rest] = await adapter().listBackups(SET);
    expect(rest).toEqual([]);
    expect(set).toMatchObject({
      id: SET_ID,
      kind: 'ec2-instance',
      sourceId: INSTANCE,
      state: 'completed',
      createdAt: new Date(CREATED_AT),
    });
    expect(set?.tags[TAGS.device]).toBeUndefined();
    // In device order.
    expect(set?.members?.map((m) => [m.id, m.device])).toEqual([
      ['snap-00000002', '/dev/sdf'],
      ['snap-00000003', '/dev/sdg'],
      ['snap-00000001', '/dev/xvda'],
    ]);
    const filters = mock.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.Filters;
    expect(filters).toContainEqual({ Name: `tag:${TAGS.backupSet}`, Values: [SET] });
    expect(filters).toContainEqual({ Name: 'tag-key', Values: [TAGS.setId] });
  });

  it('keeps two sets of one instance apart, and ignores a snapshot whose set id is not its own', async () => {
    const later = '2025-06-02T18:30:00.000Z';
    const other = (id: string, device: string) =>
      snapshot(id, device, 'completed', {
        [TAGS.createdAt]: later,
        [TAGS.setId]: `${INSTANCE}/${later}`,
        [TAGS.setSize]: '1',
      });
    const forged = snapshot('snap-00000009', '/dev/sdh', 'completed', {
      [TAGS.setId]: `i-0fedcba9876543210/${CREATED_AT}`,
    });
    mock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [...THREE, other('snap-00000004', '/dev/xvda'), forged],
    });
    const sets = await adapter().listBackups(SET);
    expect(sets.map((set) => [set.id, set.members?.length, set.state])).toEqual([
      [SET_ID, 3, 'completed'],
      [`${INSTANCE}/${later}`, 1, 'completed'],
    ]);
  });

  it('fails a set with a failed member, naming it, and keeps one with a pending member pending', async () => {
    mock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        THREE[0]!,
        { ...THREE[1]!, State: 'error', StateMessage: 'volume I/O error' },
        THREE[2]!,
      ],
    });
    const [failed] = await adapter().listBackups(SET);
    expect(failed?.state).toBe('failed');
    expect(failed?.stateMessage).toContain('snap-00000002 (/dev/sdf): volume I/O error');

    mock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [THREE[0]!, { ...THREE[1]!, State: 'pending' }, THREE[2]!],
    });
    expect((await adapter().listBackups(SET))[0]?.state).toBe('pending');
  });

  it('does not count a set that lost a member as completed', async () => {
    mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [THREE[0]!, THREE[2]!] });
    const [set] = await adapter().listBackups(SET);
    expect(set?.state).toBe('failed');
    expect(set?.stateMessage).toBe("only 2 of the set's 3 snapshots exist");
    expect(set?.members).toHaveLength(2);
  });
});

/** A DescribeInstances answer: the instance, its root device `/dev/xvda`, these volumes. */
function instanceWith(volumes: [device: string, volumeId: string][]) {
  return {
    Reservations: [
      {
        Instances: [
          {
            InstanceId: INSTANCE,
            RootDeviceName: '/dev/xvda',
            BlockDeviceMappings: volumes.map(([DeviceName, VolumeId]) => ({
              DeviceName,
              Ebs: { VolumeId },
            })),
          },
        ],
      },
    ],
  };
}

describe('create', () => {
  const tags = {
    [TAGS.backupSet]: SET,
    [TAGS.source]: INSTANCE,
    [TAGS.createdAt]: CREATED_AT,
    Team: 'data',
  };
  const mappings = instanceWith([
    ['/dev/xvda', 'vol-00000001'],
    ['/dev/sdf', 'vol-00000002'],
    ['/dev/sdg', 'vol-00000003'],
  ]);
  const info = (n: number) => ({
    SnapshotId: `snap-0000000${n}`,
    VolumeId: `vol-0000000${n}`,
    State: 'pending' as const,
    StartTime: new Date(CREATED_AT),
  });

  it('snapshots every volume in one call, tagged as the set, then names each device', async () => {
    mock.on(DescribeInstancesCommand).resolves(mappings);
    mock.on(CreateSnapshotsCommand).resolves({ Snapshots: [info(1), info(2), info(3)] });
    mock.on(CreateTagsCommand).resolves({});
    const set = await adapter().create({
      source: { id: INSTANCE, tags: {} },
      set: SET,
      tags,
    });
    const input = mock.commandCalls(CreateSnapshotsCommand)[0]?.args[0].input;
    expect(input?.InstanceSpecification).toEqual({ InstanceId: INSTANCE });
    expect(input?.TagSpecifications).toEqual([
      {
        ResourceType: 'snapshot',
        Tags: toAwsTags({ ...tags, [TAGS.setId]: SET_ID, [TAGS.setSize]: '3' }),
      },
    ]);
    expect(mock.commandCalls(CreateTagsCommand).map((call) => call.args[0].input)).toEqual(
      [1, 2, 3].map((n) => ({
        Resources: [`snap-0000000${n}`],
        Tags: [{ Key: TAGS.device, Value: ['/dev/xvda', '/dev/sdf', '/dev/sdg'][n - 1] }],
      })),
    );
    expect(set).toMatchObject({ id: SET_ID, state: 'pending', sourceId: INSTANCE });
    expect(set.members?.map((m) => m.device)).toEqual(['/dev/sdf', '/dev/sdg', '/dev/xvda']);
  });

  it('leaves out the boot volume and the excluded data volumes, as AWS takes them', async () => {
    mock.on(DescribeInstancesCommand).resolves(mappings);
    mock.on(CreateSnapshotsCommand).resolves({ Snapshots: [info(2)] });
    mock.on(CreateTagsCommand).resolves({});
    await adapter({ excludeBootVolume: true, excludeVolumeIds: ['vol-00000003'] }).create({
      source: { id: INSTANCE, tags: {} },
      set: SET,
      tags,
    });
    const input = mock.commandCalls(CreateSnapshotsCommand)[0]?.args[0].input;
    expect(input?.InstanceSpecification).toEqual({
      InstanceId: INSTANCE,
      ExcludeBootVolume: true,
      ExcludeDataVolumeIds: ['vol-00000003'],
    });
    expect(input?.TagSpecifications?.[0]?.Tags).toContainEqual({ Key: TAGS.setSize, Value: '1' });
  });

  it('refuses when every volume is excluded, before any create', async () => {
    mock.on(DescribeInstancesCommand).resolves(mappings);
    await expect(
      adapter({
        excludeBootVolume: true,
        excludeVolumeIds: ['vol-00000002', 'vol-00000003'],
      }).create({ source: { id: INSTANCE, tags: {} }, set: SET, tags }),
    ).rejects.toThrow(/no volume is left to snapshot/);
    expect(mock.commandCalls(CreateSnapshotsCommand)).toHaveLength(0);
  });

  it('warns, and still returns the set, when a device tag is refused', async () => {
    mock.on(DescribeInstancesCommand).resolves(mappings);
    mock.on(CreateSnapshotsCommand).resolves({ Snapshots: [info(1), info(2), info(3)] });
    mock.on(CreateTagsCommand).rejects(error('UnauthorizedOperation'));
    const warnings: string[] = [];
    const set = await adapter().create({
      source: { id: INSTANCE, tags: {} },
      set: SET,
      tags,
      warn: (message) => warnings.push(message),
    });
    expect(set.members).toHaveLength(3);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('Could not tag snapshot snap-00000001 with its device');
  });
});

describe('wait, delete and copy', () => {
  const pending = (): Backup => ({
    id: SET_ID,
    kind: 'ec2-instance',
    region: 'us-east-1',
    sourceId: INSTANCE,
    set: SET,
    createdAt: new Date(CREATED_AT),
    state: 'pending',
    tags: ownership(),
    members: [
      { id: 'snap-00000001', device: '/dev/xvda', state: 'pending' },
      { id: 'snap-00000002', device: '/dev/sdf', state: 'pending' },
      { id: 'snap-00000003', device: '/dev/sdg', state: 'pending' },
    ],
  });

  it('waits for every member with one describe of them all', async () => {
    mock
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [THREE[0]!, { ...THREE[1]!, State: 'pending' }, THREE[2]!] })
      .resolves({ Snapshots: THREE });
    const done = await adapter().waitUntilDone(pending(), { maxWaitSeconds: 60 });
    expect(done.state).toBe('completed');
    const calls = mock.commandCalls(DescribeSnapshotsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.Filters).toEqual([
      { Name: 'snapshot-id', Values: ['snap-00000001', 'snap-00000002', 'snap-00000003'] },
    ]);
  });

  it('reads a new set first after the first delay, with every set accepted meanwhile: one describe for waits begun apart', async () => {
    const later = '2025-06-01T18:30:01.000Z';
    const laterTags = { [TAGS.createdAt]: later, [TAGS.setId]: `${INSTANCE}/${later}` };
    const second: Backup = {
      ...pending(),
      id: `${INSTANCE}/${later}`,
      createdAt: new Date(later),
      tags: ownership(laterTags),
      members: ['snap-00000004', 'snap-00000005', 'snap-00000006'].map((id, i) => ({
        id,
        device: ['/dev/xvda', '/dev/sdf', '/dev/sdg'][i]!,
        state: 'pending' as const,
      })),
    };
    const all = [
      ...THREE,
      ...second.members!.map((m) => snapshot(m.id, m.device ?? '', 'completed', laterTags)),
    ];
    mock.on(DescribeSnapshotsCommand).callsFake((input: { Filters?: { Values?: string[] }[] }) => {
      const asked = new Set(input.Filters?.[0]?.Values);
      return { Snapshots: all.filter((s) => asked.has(s.SnapshotId ?? '')) };
    });
    // A clock that stands still: the first read stays fresh for the second wait's first poll.
    const sets = new Ec2InstanceAdapter(ec2, 'us-east-1', {
      clock,
      minDelaySeconds: 0.5,
      maxDelaySeconds: 0.5,
    });

    const one = sets.waitUntilDone(pending(), { maxWaitSeconds: 60 });
    // The second set is accepted a fifth of a second later (the pace of mutating calls).
    await new Promise((resolve) => setTimeout(resolve, 200));
    // AWS has just answered the first set pending (a read now might not even find it): no read yet.
    expect(mock.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
    const two = sets.waitUntilDone(second, { maxWaitSeconds: 60 });
    const done = await Promise.all([one, two]);

    expect(done.map((set) => set.state)).toEqual(['completed', 'completed']);
    const calls = mock.commandCalls(DescribeSnapshotsCommand);
    expect(calls).toHaveLength(1);
    expect(new Set(calls[0]?.args[0].input.Filters?.[0]?.Values)).toEqual(
      new Set(all.map((s) => s.SnapshotId)),
    );
  });

  it('sends the describe of its polls with a signal that fires with the run’s, ending a read under way', async () => {
    // The describe hangs, as a slow answer would: only its signal can end it.
    mock.on(DescribeSnapshotsCommand).callsFake(() => new Promise<never>(() => {}));
    const controller = new AbortController();
    const waiting = adapter().waitUntilDone(pending(), {
      maxWaitSeconds: 600,
      signal: controller.signal,
    });
    while (mock.commandCalls(DescribeSnapshotsCommand).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [call] = mock.commandCalls(DescribeSnapshotsCommand);
    const options = (call?.args as readonly unknown[] | undefined)?.[1];
    const signal = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(false);

    controller.abort();

    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    expect(signal?.aborted).toBe(true);
    // One read for the three members, none after the cancellation.
    expect(mock.commandCalls(DescribeSnapshotsCommand)).toHaveLength(1);
  });

  it('ends the wait with a failed set when a member is gone', async () => {
    mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [THREE[0]!, THREE[2]!] });
    const done = await adapter().waitUntilDone(pending(), { maxWaitSeconds: 60 });
    expect(done.state).toBe('failed');
    expect(done.stateMessage).toContain('snap-00000002');
  });

  it('deletes every member; gone ones count as done', async () => {
    mock
      .on(DeleteSnapshotCommand)
      .resolves({})
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-00000002' })
      .rejects(error('InvalidSnapshot.NotFound'));
    expect(await adapter().delete(pending())).toEqual({ result: 'deleted' });
    expect(
      mock.commandCalls(DeleteSnapshotCommand).map((call) => call.args[0].input.SnapshotId),
    ).toEqual(['snap-00000001', 'snap-00000002', 'snap-00000003']);
  });

  it('reports a member AWS refuses to delete as skipped, and still deletes the others', async () => {
    mock
      .on(DeleteSnapshotCommand)
      .resolves({})
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-00000001' })
      .rejects(error('InvalidSnapshot.InUse'));
    const outcome = await adapter().delete(pending());
    expect(outcome.result).toBe('skipped');
    expect(outcome.message).toContain('snap-00000001 is still used by an image');
    expect(mock.commandCalls(DeleteSnapshotCommand)).toHaveLength(3);
  });

  it('copies every member with the copy tags, its set id and device; a slot each', async () => {
    let n = 0;
    mock.on(CopySnapshotCommand).callsFake(() => ({ SnapshotId: `snap-0000001${(n += 1)}` }));
    const original = { ...pending(), state: 'completed' as const };
    const copyTags = {
      [TAGS.backupSet]: SET,
      [TAGS.source]: INSTANCE,
      [TAGS.createdAt]: CREATED_AT,
      [TAGS.copyOf]: SET_ID,
      [TAGS.sourceRegion]: 'us-east-1',
    };
    const dest = new Ec2InstanceAdapter(ec2, 'eu-west-1', { clock });
    expect(dest.copySlots(original)).toBe(3);
    const copy = await dest.copy({ original, tags: copyTags, clientToken: 'token' });
    const inputs = mock.commandCalls(CopySnapshotCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => input.SourceSnapshotId)).toEqual([
      'snap-00000001',
      'snap-00000002',
      'snap-00000003',
    ]);
    expect(inputs[1]?.TagSpecifications?.[0]?.Tags).toEqual(
      toAwsTags({
        ...copyTags,
        [TAGS.setId]: SET_ID,
        [TAGS.setSize]: '3',
        [TAGS.device]: '/dev/sdf',
      }),
    );
    expect(copy).toMatchObject({
      id: SET_ID,
      region: 'eu-west-1',
      copyOf: SET_ID,
      state: 'pending',
    });
    expect(copy.members).toHaveLength(3);
  });
});

describe('the size of a set (the sum of its snapshots’ VolumeSize)', () => {
  const sized = (s: Snapshot, gib: number | undefined): Snapshot => ({
    ...s,
    ...(gib !== undefined ? { VolumeSize: gib } : {}),
  });

  it('sums its members’ volume sizes, counting the twin of a retried CreateSnapshots once', async () => {
    // The twin: another snapshot of the first volume, without a device tag (never named).
    const twin: Snapshot = {
      ...sized(THREE[0]!, 8),
      SnapshotId: 'snap-00000011',
      Tags: toAwsTags(ownership()),
    };
    mock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [sized(THREE[0]!, 8), sized(THREE[1]!, 100), sized(THREE[2]!, 500), twin],
    });

    const [set] = await adapter().listBackups(SET);

    expect(set?.members).toHaveLength(4);
    expect(set?.sizeGiB).toBe(608);
  });

  it('states no size when a member states none: a part of the sum would understate the set', async () => {
    mock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [sized(THREE[0]!, 8), sized(THREE[1]!, undefined), sized(THREE[2]!, 500)],
    });

    const [set] = await adapter().listBackups(SET);

    expect(set).not.toHaveProperty('sizeGiB');
  });

  it('takes a new set’s size from the CreateSnapshots answer', async () => {
    mock.on(DescribeInstancesCommand).resolves(
      instanceWith([
        ['/dev/xvda', 'vol-00000001'],
        ['/dev/sdf', 'vol-00000002'],
      ]),
    );
    mock.on(CreateSnapshotsCommand).resolves({
      Snapshots: [1, 2].map((n) => ({
        SnapshotId: `snap-0000000${n}`,
        VolumeId: `vol-0000000${n}`,
        State: 'pending' as const,
        StartTime: new Date(CREATED_AT),
        VolumeSize: n * 30,
      })),
    });
    mock.on(CreateTagsCommand).resolves({});

    const set = await adapter().create({
      source: { id: INSTANCE, tags: {} },
      set: SET,
      tags: ownership(),
    });

    expect(set.sizeGiB).toBe(90);
  });

  it('gives a copied set its original’s size (CopySnapshot answers with an id alone)', async () => {
    let n = 0;
    mock.on(CopySnapshotCommand).callsFake(() => ({ SnapshotId: `snap-0000002${(n += 1)}` }));
    mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: THREE.map((s) => sized(s, 10)) });
    const [original] = await adapter().listBackups(SET);
    const dest = new Ec2InstanceAdapter(ec2, 'eu-west-1', { clock });

    const copy = await dest.copy({
      original: original!,
      tags: { ...ownership(), [TAGS.copyOf]: SET_ID, [TAGS.sourceRegion]: 'us-east-1' },
      clientToken: 'token',
    });

    expect(original?.sizeGiB).toBe(30);
    expect(copy.sizeGiB).toBe(30);
  });
});
