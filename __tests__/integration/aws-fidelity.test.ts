/**
 * The AWS-fidelity layer of the test proxy (scripts/aws-fidelity.mjs, issue 13): each behaviour,
 * driven with plain SDK v3 clients through a proxy started here in front of moto, shows what AWS
 * documents where moto is kinder. State is read back from moto directly (the helpers' clients).
 */
import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeFastSnapshotRestoresCommand,
  DescribeImagesCommand,
  DescribeLockedSnapshotsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import {
  AWS_SEMANTICS,
  AwsFidelity,
  CREATE_AND_COPY_ACTIONS,
  awsLike,
  type FidelityOptions,
} from '../../scripts/aws-fidelity.mjs';
import type { CountingProxy } from '../../scripts/counting-proxy.mjs';
import {
  DR_REGION as DR,
  MOTO_CREDENTIALS,
  REGION,
  createDbCluster,
  createDbInstance,
  createInstance,
  createManualClusterSnapshot,
  createManualDbSnapshot,
  createManualSnapshot,
  createVolume,
  imageById,
  listClusterSnapshots,
  listDbSnapshots,
  listImages,
  listSnapshots,
  proxyPerTest,
} from './helpers.js';

const own = proxyPerTest();
let proxy: CountingProxy | undefined;

/** A proxy in front of moto with these behaviours (only these); stopped after the test. */
async function through(fidelity: FidelityOptions): Promise<CountingProxy> {
  proxy = await own({ fidelity });
  return proxy;
}

/** SDK clients that talk to the test's proxy, as the action's do. */
function clients(region: string = REGION): { ec2: EC2Client; rds: RDSClient } {
  const config = { region, endpoint: proxy!.endpoint, credentials: MOTO_CREDENTIALS };
  return { ec2: new EC2Client(config), rds: new RDSClient(config) };
}

/** A new volume, and a proxy with these behaviours with its EC2 client in REGION. */
async function volumeThrough(
  fidelity: FidelityOptions,
): Promise<{ volume: string; proxy: CountingProxy; ec2: EC2Client }> {
  const volume = await createVolume();
  return { volume, proxy: await through(fidelity), ec2: clients().ec2 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error code AWS answered (RDS errors are named after their model, the code is the wire's). */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const { Code, name } = error as { Code?: string; name: string };
    return Code ?? name;
  }
  throw new Error('the call succeeded');
}

describe('visibilityDelayMs: EC2 eventual consistency', () => {
  it('leaves a new snapshot out of filtered describes and answers NotFound by id, then shows it', async () => {
    const { volume, ec2 } = await volumeThrough({ visibilityDelayMs: 600 });
    const made = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume }));
    const id = made.SnapshotId!;
    const byVolume = () =>
      ec2.send(
        new DescribeSnapshotsCommand({ Filters: [{ Name: 'volume-id', Values: [volume] }] }),
      );

    expect((await byVolume()).Snapshots).toEqual([]);
    expect(await codeOf(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })))).toBe(
      'InvalidSnapshot.NotFound',
    );
    // moto holds it all along.
    expect((await listSnapshots(volume)).map((snapshot) => snapshot.id)).toEqual([id]);

    await sleep(650);
    expect((await byVolume()).Snapshots?.map((snapshot) => snapshot.SnapshotId)).toEqual([id]);
    const named = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }));
    expect(named.Snapshots?.[0]?.SnapshotId).toBe(id);
  });

  it('hides a new image and its snapshots', async () => {
    const instance = await createInstance();
    await through({ visibilityDelayMs: 600 });
    const { ec2 } = clients();
    const made = await ec2.send(
      new CreateImageCommand({ InstanceId: instance, Name: 'hidden-for-a-while' }),
    );
    const imageId = made.ImageId!;
    const [image] = await listImages(instance);
    expect(image?.snapshotIds).toHaveLength(1);

    expect(await codeOf(ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })))).toBe(
      'InvalidAMIID.NotFound',
    );
    expect((await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);
    const snapshots = await ec2.send(new DescribeSnapshotsCommand({}));
    expect(snapshots.Snapshots?.map((s) => s.SnapshotId)).not.toContain(image!.snapshotIds[0]);

    await sleep(650);
    const later = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(later.Images?.[0]?.ImageId).toBe(imageId);
    const all = await ec2.send(new DescribeSnapshotsCommand({}));
    expect(all.Snapshots?.map((s) => s.SnapshotId)).toContain(image!.snapshotIds[0]);
  });

  it('hides new RDS snapshots: DBSnapshotNotFound and DBClusterSnapshotNotFoundFault by identifier', async () => {
    const instance = await createDbInstance('visible-db');
    const cluster = await createDbCluster('visible-cluster');
    await through({ visibilityDelayMs: 600 });
    const { rds } = clients();
    await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: instance,
        DBSnapshotIdentifier: 'snap-a',
      }),
    );
    await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: cluster,
        DBClusterSnapshotIdentifier: 'csnap-a',
      }),
    );

    expect(
      await codeOf(rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'snap-a' }))),
    ).toBe('DBSnapshotNotFound');
    expect(
      await codeOf(
        rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'csnap-a' })),
      ),
    ).toBe('DBClusterSnapshotNotFoundFault');
    const ofInstance = await rds.send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: instance, SnapshotType: 'manual' }),
    );
    expect(ofInstance.DBSnapshots).toEqual([]);

    await sleep(650);
    const named = await rds.send(
      new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'snap-a' }),
    );
    expect(named.DBSnapshots?.[0]?.DBSnapshotIdentifier).toBe('snap-a');
    const cluster2 = await rds.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'csnap-a' }),
    );
    expect(cluster2.DBClusterSnapshots?.[0]?.DBClusterSnapshotIdentifier).toBe('csnap-a');
  });
});

describe('pendingMs: real creation times', () => {
  it('shows a snapshot pending with progress (in its create answer too), then completed', async () => {
    const { volume, ec2 } = await volumeThrough({ pendingMs: 800 });
    const made = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume }));
    expect(made.State).toBe('pending');
    expect(made.Progress).toMatch(/^\d{1,2}%$/);

    const read = () => ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [made.SnapshotId!] }));
    expect((await read()).Snapshots?.[0]).toMatchObject({ State: 'pending' });
    // A filter on the state sees the state shown, not moto's.
    const status = (value: string) =>
      ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'status', Values: [value] }] }));
    expect((await status('pending')).Snapshots).toHaveLength(1);
    expect((await status('completed')).Snapshots).toEqual([]);

    await sleep(850);
    expect((await read()).Snapshots?.[0]).toMatchObject({ State: 'completed', Progress: '100%' });
    expect((await status('completed')).Snapshots).toHaveLength(1);
  });

  it('shows an image and its snapshots pending, then available', async () => {
    const instance = await createInstance();
    await through({ pendingMs: 800 });
    const { ec2 } = clients();
    const made = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'slow' }));
    const image = await imageById(made.ImageId!);
    const read = async () => {
      const images = await ec2.send(new DescribeImagesCommand({ ImageIds: [made.ImageId!] }));
      const snapshots = await ec2.send(
        new DescribeSnapshotsCommand({ SnapshotIds: image.snapshotIds }),
      );
      return [images.Images?.[0]?.State, ...(snapshots.Snapshots ?? []).map((s) => s.State)];
    };
    expect(await read()).toEqual(['pending', 'pending']);
    await sleep(850);
    expect(await read()).toEqual(['available', 'completed']);
  });

  it('shows RDS snapshots creating and copies copying (a cross-Region one queued first), then available', async () => {
    const instance = await createDbInstance('slow-db');
    const cluster = await createDbCluster('slow-cluster');
    await through({ pendingMs: 1500 });
    const { rds } = clients();
    const made = await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: instance,
        DBSnapshotIdentifier: 'slow-1',
      }),
    );
    expect(made.DBSnapshot).toMatchObject({ Status: 'creating' });
    expect(made.DBSnapshot?.PercentProgress).toBeLessThan(100);
    const local = await rds.send(
      new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: 'slow-1',
        TargetDBSnapshotIdentifier: 'slow-1-copy',
      }),
    );
    expect(local.DBSnapshot?.Status).toBe('creating');
    const remote = await clients(DR).rds.send(
      new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: made.DBSnapshot!.DBSnapshotArn!,
        TargetDBSnapshotIdentifier: 'slow-1-dr',
      }),
    );
    // Queued: no progress yet.
    expect(remote.DBSnapshot?.Status).toBe('pending');
    expect(remote.DBSnapshot?.PercentProgress).toBeUndefined();
    const clusterMade = await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: cluster,
        DBClusterSnapshotIdentifier: 'slow-c1',
      }),
    );
    expect(clusterMade.DBClusterSnapshot).toMatchObject({ Status: 'creating' });
    const clusterCopy = await rds.send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: 'slow-c1',
        TargetDBClusterSnapshotIdentifier: 'slow-c1-copy',
      }),
    );
    expect(clusterCopy.DBClusterSnapshot?.Status).toBe('copying');

    const statuses = async () =>
      [
        ...((await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' })))
          .DBSnapshots ?? []),
        ...((await clients(DR).rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' })))
          .DBSnapshots ?? []),
        ...((
          await rds.send(
            new DescribeDBClusterSnapshotsCommand({
              DBClusterIdentifier: cluster,
              SnapshotType: 'manual',
            }),
          )
        ).DBClusterSnapshots ?? []),
      ].map((snapshot) => snapshot.Status);
    await sleep(700);
    expect(await statuses()).toEqual(['creating', 'creating', 'copying', 'creating', 'copying']);
    await sleep(900);
    expect(await statuses()).toEqual(Array(5).fill('available'));
    const clusters = await rds.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'slow-c1' }),
    );
    expect(clusters.DBClusterSnapshots?.[0]).toMatchObject({
      Status: 'available',
      PercentProgress: 100,
    });
  });
});

describe('amiSnapshotTags: tags at creation', () => {
  it('CreateImage tags every snapshot of the new image (moto answers 500 to that)', async () => {
    const instance = await createInstance();
    const counted = await through({ amiSnapshotTags: true });
    const { ec2 } = clients();
    const made = await ec2.send(
      new CreateImageCommand({
        InstanceId: instance,
        Name: 'tagged',
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'set', Value: 'nightly' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'set', Value: 'nightly-disk' }] },
        ],
      }),
    );
    const image = await imageById(made.ImageId!);
    expect(image.tags).toEqual({ set: 'nightly' });
    const snapshots = await listSnapshots();
    expect(snapshots.filter((s) => image.snapshotIds.includes(s.id)).map((s) => s.tags)).toEqual([
      { set: 'nightly-disk' },
    ]);
    // The proxy's own requests (DescribeImages, CreateTags) are not the client's calls.
    expect(counted.byAction()).toEqual({ 'ec2:CreateImage': 1 });
  });

  it('CopyImage tags the copy and its snapshots, and copies the source tags with CopyImageTags', async () => {
    const instance = await createInstance();
    await through({ amiSnapshotTags: true });
    const source = await clients().ec2.send(
      new CreateImageCommand({
        InstanceId: instance,
        Name: 'source',
        TagSpecifications: [
          {
            ResourceType: 'image',
            Tags: [
              { Key: 'owner', Value: 'team-a' },
              { Key: 'set', Value: 'old' },
            ],
          },
        ],
      }),
    );
    const { ec2 } = clients(DR);
    const copy = await ec2.send(
      new CopyImageCommand({
        SourceImageId: source.ImageId!,
        SourceRegion: REGION,
        Name: 'copy',
        CopyImageTags: true,
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'set', Value: 'dr' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'set', Value: 'dr-disk' }] },
        ],
      }),
    );
    const image = await imageById(copy.ImageId!, DR);
    expect(image.tags).toEqual({ owner: 'team-a', set: 'dr' });
    const snapshots = (await listSnapshots(undefined, DR)).filter((s) =>
      image.snapshotIds.includes(s.id),
    );
    expect(snapshots.map((s) => s.tags)).toEqual([{ set: 'dr-disk' }]);
  });
});

describe('deregistration', () => {
  it('DeleteAssociatedSnapshots deletes the image snapshots and reports each one', async () => {
    const instance = await createInstance();
    await through({ deregistration: { inUseMs: 0 } });
    const { ec2 } = clients();
    const made = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'going' }));
    const image = await imageById(made.ImageId!);

    const answer = await ec2.send(
      new DeregisterImageCommand({ ImageId: made.ImageId!, DeleteAssociatedSnapshots: true }),
    );
    expect(answer.DeleteSnapshotResults).toEqual(
      image.snapshotIds.map((SnapshotId) => ({ SnapshotId, ReturnCode: 'success' })),
    );
    const left = (await listSnapshots()).map((s) => s.id);
    for (const id of image.snapshotIds) expect(left).not.toContain(id);
  });

  it('a locked snapshot is left in place and reported client-error', async () => {
    const instance = await createInstance();
    const locked = await through({ deregistration: true });
    const { ec2 } = clients();
    const made = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'locked' }));
    const image = await imageById(made.ImageId!);
    locked.fidelity!.set({ locked: image.snapshotIds });
    const answer = await ec2.send(
      new DeregisterImageCommand({ ImageId: made.ImageId!, DeleteAssociatedSnapshots: true }),
    );
    expect(answer.DeleteSnapshotResults?.map((r) => r.ReturnCode)).toEqual(['client-error']);
    expect((await listSnapshots()).map((s) => s.id)).toEqual(image.snapshotIds);
  });

  it('without it, the snapshots answer InvalidSnapshot.InUse for inUseMs after the deregistration', async () => {
    const instance = await createInstance();
    await through({ deregistration: { inUseMs: 600 } });
    const { ec2 } = clients();
    const made = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'racing' }));
    const [snapshot] = (await imageById(made.ImageId!)).snapshotIds;
    // While the image is registered moto itself refuses.
    expect(await codeOf(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot! })))).toBe(
      'InvalidSnapshot.InUse',
    );
    const answer = await ec2.send(new DeregisterImageCommand({ ImageId: made.ImageId! }));
    expect(answer.DeleteSnapshotResults ?? []).toEqual([]);
    expect(await codeOf(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot! })))).toBe(
      'InvalidSnapshot.InUse',
    );
    await sleep(650);
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot! }));
    expect(await listSnapshots()).toEqual([]);
  });
});

describe('rdsFields: source fields where AWS sets them', () => {
  it('SourceDBSnapshotIdentifier and SourceRegion only on a cross-Region DB snapshot copy', async () => {
    const instance = await createDbInstance('fields-db');
    const source = await createManualDbSnapshot(instance, 'fields-1');
    const [made] = await listDbSnapshots(instance).then((all) =>
      all.filter((s) => s.id === source),
    );
    await through({ rdsFields: true });

    const home = clients().rds;
    const local = await home.send(
      new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: source,
        TargetDBSnapshotIdentifier: 'fields-1-local',
      }),
    );
    expect(local.DBSnapshot?.SourceDBSnapshotIdentifier).toBeUndefined();
    expect(local.DBSnapshot?.SourceRegion).toBeUndefined();

    const dr = clients(DR).rds;
    const remote = await dr.send(
      new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: made!.arn,
        TargetDBSnapshotIdentifier: 'fields-1-dr',
      }),
    );
    const expected = { SourceDBSnapshotIdentifier: made!.arn, SourceRegion: REGION };
    expect(remote.DBSnapshot).toMatchObject(expected);
    const described = await dr.send(
      new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'fields-1-dr' }),
    );
    expect(described.DBSnapshots?.[0]).toMatchObject(expected);
    const homeList = await home.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }));
    for (const snapshot of homeList.DBSnapshots ?? []) {
      expect(snapshot.SourceDBSnapshotIdentifier).toBeUndefined();
    }
  });

  it('SourceDBClusterSnapshotArn on every DB cluster snapshot copy', async () => {
    const cluster = await createDbCluster('fields-cluster');
    await createManualClusterSnapshot(cluster, 'fields-c1');
    const [made] = (await listClusterSnapshots(cluster)).filter((s) => s.id === 'fields-c1');
    await through({ rdsFields: true });
    const local = await clients().rds.send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: 'fields-c1',
        TargetDBClusterSnapshotIdentifier: 'fields-c1-local',
      }),
    );
    expect(local.DBClusterSnapshot?.SourceDBClusterSnapshotArn).toBe(made!.arn);
    const described = await clients().rds.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: cluster }),
    );
    const byId = new Map(
      (described.DBClusterSnapshots ?? []).map((s) => [
        s.DBClusterSnapshotIdentifier,
        s.SourceDBClusterSnapshotArn,
      ]),
    );
    expect(byId.get('fields-c1')).toBeUndefined();
    expect(byId.get('fields-c1-local')).toBe(made!.arn);
  });
});

describe('dbInstanceStatus', () => {
  it('reports the status and refuses a snapshot unless available or storage-optimization', async () => {
    const busy = await createDbInstance('busy-db');
    const optimizing = await createDbInstance('optimizing-db');
    await through({
      dbInstanceStatus: { [busy]: 'modifying', [optimizing]: 'storage-optimization' },
    });
    const { rds } = clients();
    const instances = await rds.send(new DescribeDBInstancesCommand({}));
    expect(
      Object.fromEntries(
        (instances.DBInstances ?? []).map((i) => [i.DBInstanceIdentifier, i.DBInstanceStatus]),
      ),
    ).toEqual({ [busy]: 'modifying', [optimizing]: 'storage-optimization' });
    expect(
      await codeOf(
        rds.send(
          new CreateDBSnapshotCommand({ DBInstanceIdentifier: busy, DBSnapshotIdentifier: 'no' }),
        ),
      ),
    ).toBe('InvalidDBInstanceState');
    await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: optimizing,
        DBSnapshotIdentifier: 'yes',
      }),
    );
    expect((await listDbSnapshots()).filter((s) => s.type === 'manual').map((s) => s.id)).toEqual([
      'yes',
    ]);
  });
});

describe('dbClusterStatus', () => {
  it('reports the status and refuses a cluster snapshot unless available', async () => {
    const busy = await createDbCluster('busy-cluster');
    await through({ dbClusterStatus: { [busy]: 'backing-up' } });
    const { rds } = clients();
    const clusters = await rds.send(new DescribeDBClustersCommand({}));
    expect(clusters.DBClusters?.map((c) => [c.DBClusterIdentifier, c.Status])).toEqual([
      [busy, 'backing-up'],
    ]);
    const code = await codeOf(
      rds.send(
        new CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: busy,
          DBClusterSnapshotIdentifier: 'no',
        }),
      ),
    );
    expect(code).toBe('InvalidDBClusterStateFault');
  });
});

describe('lostAnswers: moto did it, the client heard nothing', () => {
  it('a lost CreateSnapshot answer (HTTP 500) is retried by the SDK: two snapshots in moto', async () => {
    const lost: FidelityOptions = { lostAnswers: { actions: ['CreateSnapshot'], mode: 'http500' } };
    const { volume, proxy: lossy, ec2 } = await volumeThrough(lost);
    const made = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume }));
    expect(lossy.count({ action: 'CreateSnapshot' })).toBe(2);
    expect(lossy.fidelity!.lost).toHaveLength(1);
    const held = (await listSnapshots(volume)).map((s) => s.id);
    expect(held).toHaveLength(2);
    expect(held).toContain(made.SnapshotId);
    expect(held).toContain(lossy.fidelity!.lost[0]!.id);
  });

  it('a dropped connection is retried too, and `times` bounds the losses', async () => {
    const lost: FidelityOptions = {
      lostAnswers: { actions: ['CreateSnapshot'], mode: 'drop', times: 1 },
    };
    const { volume, proxy: lossy, ec2 } = await volumeThrough(lost);
    await ec2.send(new CreateSnapshotCommand({ VolumeId: volume }));
    await ec2.send(new CreateSnapshotCommand({ VolumeId: volume }));
    expect(lossy.count({ action: 'CreateSnapshot' })).toBe(3);
    expect(await listSnapshots(volume)).toHaveLength(3);
  });

  it('the retried CreateImage meets its own name: InvalidAMIName.Duplicate, one image', async () => {
    const instance = await createInstance();
    await through({
      uniqueAmiNames: true,
      lostAnswers: { actions: ['CreateImage'] },
    });
    const code = await codeOf(
      clients().ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'once' })),
    );
    expect(code).toBe('InvalidAMIName.Duplicate');
    expect((await listImages()).map((image) => image.name)).toEqual(['once']);
  });

  it('the retried CreateDBSnapshot meets its own identifier: DBSnapshotAlreadyExists', async () => {
    const instance = await createDbInstance('lossy-db');
    await through({ lostAnswers: { actions: ['CreateDBSnapshot'] } });
    const code = await codeOf(
      clients().rds.send(
        new CreateDBSnapshotCommand({
          DBInstanceIdentifier: instance,
          DBSnapshotIdentifier: 'lossy-1',
        }),
      ),
    );
    expect(code).toBe('DBSnapshotAlreadyExists');
    expect((await listDbSnapshots(instance)).filter((s) => s.type === 'manual')).toHaveLength(1);
  });

  it('the retried CopyImage carries the same ClientToken: the same image, one copy', async () => {
    const instance = await createInstance();
    const lossy = await through({ uniqueAmiNames: true, lostAnswers: { actions: ['CopyImage'] } });
    const source = await clients().ec2.send(
      new CreateImageCommand({ InstanceId: instance, Name: 'to-copy' }),
    );
    const copy = await clients(DR).ec2.send(
      new CopyImageCommand({
        SourceImageId: source.ImageId!,
        SourceRegion: REGION,
        Name: 'copied',
      }),
    );
    expect(lossy.count({ action: 'CopyImage' })).toBe(2);
    expect((await listImages(undefined, DR)).map((image) => image.id)).toEqual([copy.ImageId]);
  });
});

describe('uniqueAmiNames', () => {
  it('refuses a second image of the same name in a region, not in another, nor once deregistered', async () => {
    const instance = await createInstance();
    await through({ uniqueAmiNames: true });
    const { ec2 } = clients();
    const first = await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'nightly' }));
    expect(
      await codeOf(ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'nightly' }))),
    ).toBe('InvalidAMIName.Duplicate');
    await clients(DR).ec2.send(
      new CopyImageCommand({
        SourceImageId: first.ImageId!,
        SourceRegion: REGION,
        Name: 'nightly',
      }),
    );
    expect(
      await codeOf(
        clients(DR).ec2.send(
          new CopyImageCommand({
            SourceImageId: first.ImageId!,
            SourceRegion: REGION,
            Name: 'nightly',
          }),
        ),
      ),
    ).toBe('InvalidAMIName.Duplicate');
    await ec2.send(new DeregisterImageCommand({ ImageId: first.ImageId! }));
    await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: 'nightly' }));
  });
});

describe('copy slots, archive, lock, fast snapshot restore', () => {
  it('copySlotsTaken: a full destination refuses copies with ResourceLimitExceeded / SnapshotQuotaExceeded', async () => {
    const volume = await createVolume();
    const snapshot = await createManualSnapshot(volume);
    const cluster = await createDbCluster('slots-cluster');
    await createManualClusterSnapshot(cluster, 'slots-c1');
    const [clusterSnapshot] = await listClusterSnapshots(cluster);
    await through({ pendingMs: 60_000, copySlotsTaken: { [DR]: 19 } });
    const { ec2, rds } = clients(DR);
    const copy = () =>
      ec2.send(new CopySnapshotCommand({ SourceSnapshotId: snapshot, SourceRegion: REGION }));
    // 19 taken by others: one copy of ours fits, and holds its slot while it is pending.
    await copy();
    expect(await codeOf(copy())).toBe('ResourceLimitExceeded');
    // Aurora's limit is 5 per destination: already full.
    expect(
      await codeOf(
        rds.send(
          new CopyDBClusterSnapshotCommand({
            SourceDBClusterSnapshotIdentifier: clusterSnapshot!.arn,
            TargetDBClusterSnapshotIdentifier: 'slots-c1-dr',
          }),
        ),
      ),
    ).toBe('SnapshotQuotaExceeded');
    // Into another region nothing is taken.
    await clients(REGION).ec2.send(
      new CopySnapshotCommand({ SourceSnapshotId: snapshot, SourceRegion: REGION }),
    );
  });

  it('archived: storageTier archive, and CopySnapshot of it is refused', async () => {
    const volume = await createVolume();
    const snapshot = await createManualSnapshot(volume);
    await through({ archived: [snapshot] });
    const read = await clients().ec2.send(
      new DescribeSnapshotsCommand({ SnapshotIds: [snapshot] }),
    );
    expect(read.Snapshots?.[0]?.StorageTier).toBe('archive');
    const code = await codeOf(
      clients(DR).ec2.send(
        new CopySnapshotCommand({ SourceSnapshotId: snapshot, SourceRegion: REGION }),
      ),
    );
    expect(code).toBe('IncorrectState');
    expect(await listSnapshots(undefined, DR)).toEqual([]);
  });

  it('locked: DeleteSnapshot is refused and DescribeLockedSnapshots lists it', async () => {
    const volume = await createVolume();
    const snapshot = await createManualSnapshot(volume);
    await through({ locked: [snapshot] });
    const { ec2 } = clients();
    expect(await codeOf(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot })))).toBe(
      'IncorrectState',
    );
    const locks = await ec2.send(new DescribeLockedSnapshotsCommand({}));
    expect(locks.Snapshots?.map((s) => [s.SnapshotId, s.LockState])).toEqual([
      [snapshot, 'governance'],
    ]);
    expect((await listSnapshots(volume)).map((s) => s.id)).toEqual([snapshot]);
  });

  it('fastRestore: listed enabled; deleting the snapshot succeeds and disables it, as AWS does', async () => {
    const volume = await createVolume();
    const snapshot = await createManualSnapshot(volume);
    await through({ fastRestore: [snapshot] });
    const { ec2 } = clients();
    const before = await ec2.send(new DescribeFastSnapshotRestoresCommand({}));
    expect(before.FastSnapshotRestores?.map((r) => [r.SnapshotId, r.State])).toEqual([
      [snapshot, 'enabled'],
    ]);
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot }));
    const after = await ec2.send(new DescribeFastSnapshotRestoresCommand({}));
    expect(after.FastSnapshotRestores ?? []).toEqual([]);
  });
});

describe('accountQuotas', () => {
  it('DescribeAccountAttributes counts the manual DB and cluster snapshots moto holds', async () => {
    const instance = await createDbInstance('quota-db');
    const cluster = await createDbCluster('quota-cluster');
    await createManualDbSnapshot(instance, 'quota-1');
    await createManualDbSnapshot(instance, 'quota-2');
    await createManualClusterSnapshot(cluster, 'quota-c1');
    await createManualDbSnapshot(
      await createDbInstance('elsewhere-db', { region: DR }),
      'x',
      {},
      DR,
    );
    await through({ accountQuotas: { ManualSnapshots: 100, ManualClusterSnapshots: 50 } });
    const answer = await clients().rds.send(new DescribeAccountAttributesCommand({}));
    // moto's automated snapshots (one per instance and cluster) are not manual ones.
    expect(answer.AccountQuotas).toEqual([
      { AccountQuotaName: 'ManualSnapshots', Used: 2, Max: 100 },
      { AccountQuotaName: 'ManualClusterSnapshots', Used: 1, Max: 50 },
    ]);
  });
});

describe('state and presets', () => {
  it('a moto reset through the proxy clears its state', async () => {
    const { volume, proxy: counted, ec2 } = await volumeThrough({ visibilityDelayMs: 60_000 });
    const made = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume }));
    expect(counted.fidelity!.hidden(REGION, 'snapshot', made.SnapshotId!)).toBe(true);
    const response = await fetch(`${counted.endpoint}/moto-api/reset`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(counted.fidelity!.hidden(REGION, 'snapshot', made.SnapshotId!)).toBe(false);
  });

  it('awsLike turns everything on over AWS_SEMANTICS, what is given winning', () => {
    expect(awsLike()).toMatchObject({
      ...AWS_SEMANTICS,
      visibilityDelayMs: 200,
      pendingMs: 500,
      lostAnswers: { actions: [...CREATE_AND_COPY_ACTIONS], mode: 'http500' },
    });
    const options = awsLike({ pendingMs: 50, lostAnswers: { actions: ['CreateSnapshot'] } });
    expect(options).toMatchObject({ pendingMs: 50, visibilityDelayMs: 200 });
    expect(options.lostAnswers?.actions).toEqual(['CreateSnapshot']);
    expect(awsLike({ lostAnswers: undefined }).lostAnswers).toBeUndefined();
    expect(AWS_SEMANTICS).not.toHaveProperty('pendingMs');
    expect(AWS_SEMANTICS).not.toHaveProperty('lostAnswers');
  });
});

describe('s3RestoreMs: archive restores take time', () => {
  it('keeps a GLACIER object unreadable while S3 restores it, and refuses a second restore meanwhile', async () => {
    let now = 1_000_000;
    const proxy = await through({ s3RestoreMs: 60_000, clock: () => now });
    const s3 = new S3Client({
      region: REGION,
      endpoint: proxy.endpoint,
      credentials: MOTO_CREDENTIALS,
      forcePathStyle: true,
    });
    const object = { Bucket: 'archive', Key: 'a.bin' };
    await s3.send(new CreateBucketCommand({ Bucket: 'archive' }));
    await s3.send(new PutObjectCommand({ ...object, Body: 'archived', StorageClass: 'GLACIER' }));
    const restore = () =>
      s3.send(new RestoreObjectCommand({ ...object, RestoreRequest: { Days: 1 } }));

    expect((await restore()).$metadata.httpStatusCode).toBe(202);
    expect((await s3.send(new HeadObjectCommand(object))).Restore).toBe('ongoing-request="true"');
    expect(await codeOf(s3.send(new GetObjectCommand(object)))).toBe('InvalidObjectState');
    expect(await codeOf(restore())).toBe('RestoreAlreadyInProgress');

    now += 60_000;
    expect((await s3.send(new HeadObjectCommand(object))).Restore).toMatch(
      /ongoing-request="false"/,
    );
    const body = await (await s3.send(new GetObjectCommand(object))).Body?.transformToString();
    expect(body).toBe('archived');
  });
});

describe('ssmManagedInstances: DescribeInstanceInformation, which moto lacks', () => {
  it('lists the managed instances Online as the API reference documents them; an InstanceIds filter picks', async () => {
    const managed = await createInstance(REGION);
    const unmanaged = await createInstance(REGION);
    const describeInfo = (ssm: SSMClient, ids: string[]) =>
      ssm.send(
        new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ids }] }),
      );
    const ssmThrough = (endpoint: string) =>
      new SSMClient({ region: REGION, endpoint, credentials: MOTO_CREDENTIALS });

    // moto alone cannot answer it (an error page the SDK cannot even parse).
    const bare = await through({});
    expect(await codeOf(describeInfo(ssmThrough(bare.endpoint), [managed]))).toBeTruthy();

    const proxy = await through({ ssmManagedInstances: [managed] });
    const answer = await describeInfo(ssmThrough(proxy.endpoint), [managed]);
    expect(answer.InstanceInformationList).toHaveLength(1);
    expect(answer.InstanceInformationList?.[0]).toMatchObject({
      InstanceId: managed,
      PingStatus: 'Online',
      PlatformType: 'Linux',
      ResourceType: 'EC2Instance',
    });
    expect(answer.InstanceInformationList?.[0]?.LastPingDateTime).toBeInstanceOf(Date);
    expect(proxy.count({ service: 'ssm', action: 'DescribeInstanceInformation' })).toBe(1);

    // The filter, read from the request's body (which the model reads when the proxy lends it).
    const model = new AwsFidelity({ ssmManagedInstances: [managed] });
    const ask = async (body: unknown) => {
      const reply = await model.handle(
        { service: 'ssm', region: REGION, action: 'DescribeInstanceInformation', params: {} },
        {
          forward: () => Promise.reject(new Error('must not reach moto')),
          send: () => Promise.reject(new Error('must not reach moto')),
          headers: {},
          body: JSON.stringify(body),
        },
      );
      return {
        status: reply.status,
        body: JSON.parse(String(reply.body)) as Record<string, unknown>,
      };
    };
    const ids = (reply: { body: Record<string, unknown> }) =>
      (reply.body.InstanceInformationList as { InstanceId: string }[]).map((i) => i.InstanceId);
    expect(ids(await ask({ Filters: [{ Key: 'InstanceIds', Values: [unmanaged] }] }))).toEqual([]);
    expect(
      ids(await ask({ Filters: [{ Key: 'InstanceIds', Values: [managed, unmanaged] }] })),
    ).toEqual([managed]);
    expect(
      ids(
        await ask({ InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: [managed] }] }),
      ),
    ).toEqual([managed]);
    expect(ids(await ask({}))).toEqual([managed]);
    expect(await ask({ Filters: [{ Key: 'InstanceIds', Values: ['web-1'] }] })).toMatchObject({
      status: 400,
      body: { __type: 'InvalidInstanceId' },
    });
  });
});
