/**
 * The bundled action against moto through the whole AWS-fidelity layer (issue 13): new backups
 * hidden from describe calls for a second, pending for longer than one poll, the first answer of
 * every create and copy lost after AWS carried it out, AMI snapshots tagged at creation, deregistration
 * deleting snapshots, RDS fields only where AWS sets them. Every target type, with copies; then one
 * test for each behaviour the action was fixed for, each of which fails without its fix.
 *
 * The action's own delays (polling, grace periods, back-offs) run at 1/100 of AWS's pace
 * (`SNAPSHOT_ROTATION_TIME_SCALE`), so the grace for a backup not yet visible is 3 s here.
 */
import { describe, expect, it } from 'vitest';
import {
  CreateOptionGroupCommand,
  CopyDBSnapshotCommand,
  CreateDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { awsLike, AWS_SEMANTICS, type FidelityOptions } from '../../scripts/aws-fidelity.mjs';
import type { AfterHook, BeforeHook, CountingProxy } from '../../scripts/counting-proxy.mjs';
import {
  DR_REGION as DR,
  REGION,
  TAG,
  backupIds,
  clusterSnapshotsOfSet,
  createDbCluster,
  createDbInstance,
  createInstance,
  createVolume,
  dbSnapshotsOfSet,
  expectSuccess,
  idsOf,
  inputsFor,
  imagesOfSet,
  jsonOutput,
  listDbSnapshots,
  listImages,
  listSnapshots,
  proxyPerTest,
  rdsClient,
  runAction,
  runIds,
  runLog,
  snapshotsOfSet,
  successfulRuns,
  type ActionRun,
} from './helpers.js';

const FAST = { SNAPSHOT_ROTATION_TIME_SCALE: '0.01' };
/**
 * What every run here meets: hidden for 1 s, pending for 1.5 s, and the first answer of every
 * create and copy lost after AWS carried it out (awsLike's default).
 */
const WHOLE_LAYER: FidelityOptions = awsLike({ visibilityDelayMs: 1000, pendingMs: 1500 });

const own = proxyPerTest();

/** A proxy of the test's own with these fidelity options and hooks. */
function through(
  fidelity: FidelityOptions,
  hooks: { before?: BeforeHook; after?: AfterHook } = {},
): Promise<CountingProxy> {
  return own({ fidelity, ...hooks });
}

/** Runs the action through the test's proxy at the scaled pace. */
function runThrough(
  fidelityProxy: CountingProxy,
  inputs: Record<string, string>,
  runId: string,
): Promise<ActionRun> {
  return runAction(inputs, { endpoint: fidelityProxy.endpoint, runId, env: FAST });
}

/** Successful runs in a row through the test's proxy, one per run id; the backup each made. */
async function greenRuns(
  fidelityProxy: CountingProxy,
  inputs: Record<string, string>,
  ids: string[],
): Promise<string[]> {
  return backupIds(
    await successfulRuns(inputs, ids, { endpoint: fidelityProxy.endpoint, env: FAST }),
  );
}

/** How one target type is set up and read back in moto, for the whole-layer test. */
interface TargetKind {
  type: string;
  /** Makes the source resource; returns its id. */
  make: () => Promise<string>;
  /** Ids of the set's backups of the source in a region, oldest first. */
  backups: (source: string, region?: string) => Promise<string[]>;
  /** The `copy-of` tags of the set's copies of the source in the DR region. */
  copiesOf: (source: string) => Promise<string[]>;
  /** What else this type must show after the three runs. */
  also?: (aws: CountingProxy, source: string) => void | Promise<void>;
}

/** The `copy-of` tags of `backups` (of those made from `source` when given), in order. */
const copyOfTags = (backups: { tags: Record<string, string> }[], source?: string): string[] =>
  backups
    .filter((backup) => source === undefined || backup.tags[TAG.source] === source)
    .map((backup) => backup.tags[TAG.copyOf] ?? '');

const KINDS: TargetKind[] = [
  {
    type: 'ebs-volume',
    make: () => createVolume(),
    backups: async (volume) => idsOf(await snapshotsOfSet(volume)),
    copiesOf: async (volume) => copyOfTags(await listSnapshots(undefined, DR), volume),
    also: (aws) => {
      // Every create and copy was carried out twice by AWS (the first answer lost), yet one
      // backup and one copy a run is left: the twins were found and deleted as duplicates.
      expect(aws.fidelity!.lost.filter((l) => l.action === 'CreateSnapshot')).toHaveLength(3);
      expect(aws.fidelity!.lost.filter((l) => l.action === 'CopySnapshot')).toHaveLength(3);
    },
  },
  {
    type: 'ec2-image',
    make: () => createInstance(),
    backups: async (instance) => idsOf(await imagesOfSet(instance)),
    copiesOf: async (instance) => copyOfTags(await listImages(undefined, DR), instance),
    also: async (aws, instance) => {
      // The snapshots were tagged by CreateImage itself: no CreateTags call was ever needed.
      expect(aws.count({ action: 'CreateTags' })).toBe(0);
      // No snapshot of the set but those of the images still registered.
      const live = (await imagesOfSet(instance)).flatMap((image) => image.snapshotIds);
      const setSnapshots = (await listSnapshots()).filter((s) => s.tags[TAG.set] === 'default');
      expect(setSnapshots.map((s) => s.id).sort()).toEqual(live.sort());
      // One image pruned at home, two replaced copies in the DR region: each with its snapshots.
      expect(aws.count({ action: 'DeregisterImage', region: REGION })).toBe(1);
      expect(aws.count({ action: 'DeregisterImage', region: DR })).toBe(2);
      const deregistrations = aws.calls.filter((call) => call.action === 'DeregisterImage');
      expect(deregistrations.map((call) => call.params.DeleteAssociatedSnapshots)).toEqual([
        'true',
        'true',
        'true',
      ]);
    },
  },
  {
    type: 'rds-instance',
    make: () => createDbInstance('orders-db'),
    backups: async (instance, region) => idsOf(await dbSnapshotsOfSet(instance, 'default', region)),
    copiesOf: async (instance) => copyOfTags(await dbSnapshotsOfSet(instance, 'default', DR)),
    also: (aws) => {
      // The retried creates met DBSnapshotAlreadyExists and adopted their snapshot.
      expect(aws.fidelity!.lost.some((l) => l.action === 'CreateDBSnapshot')).toBe(true);
    },
  },
  {
    type: 'rds-cluster',
    make: () => createDbCluster('orders-aurora'),
    backups: async (cluster, region) =>
      idsOf(await clusterSnapshotsOfSet(cluster, 'default', region)),
    copiesOf: async (cluster) => copyOfTags(await clusterSnapshotsOfSet(cluster, 'default', DR)),
  },
];

describe('every target type with the whole fidelity layer on', () => {
  it.each(KINDS)(
    '$type: three runs keep exactly the 2 newest backups and 1 copy of the newest, no duplicate',
    { timeout: 120_000 },
    async ({ type, make, backups, copiesOf, also }) => {
      const source = await make();
      const aws = await through(WHOLE_LAYER);
      const inputs = inputsFor(type, source, {
        generations: '2',
        'copy-to-regions': DR,
        'copy-generations': '1',
      });

      const made = await greenRuns(
        aws,
        inputs,
        runIds(9101 + 100 * KINDS.findIndex((k) => k.type === type), 3),
      );

      expect(await backups(source)).toEqual(made.slice(-2));
      expect(await copiesOf(source)).toEqual([made[2]]);
      await also?.(aws, source);
    },
  );
});

describe('each fix, against the behaviour that forced it', () => {
  it('waits for a snapshot that describe calls do not show yet instead of calling it disappeared', async () => {
    const volume = await createVolume();
    const aws = await through({ ...AWS_SEMANTICS, visibilityDelayMs: 1500, pendingMs: 500 });
    const result = await runThrough(
      aws,
      { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '1' },
      '9501',
    );
    expectSuccess(result);
    expect(result.stdout).not.toMatch(/disappeared/);
    expect(
      jsonOutput<{ targets: { backup: { state: string } }[] }>(result, 'report').targets[0]!.backup
        .state,
    ).toBe('completed');
  });

  it('never counts or deletes a same-region copy made by hand with the set’s tags (RDS names no source on it)', async () => {
    const instance = await createDbInstance('orders-db');
    const aws = await through(AWS_SEMANTICS);
    const inputs = { 'target-type': 'rds-instance', 'resource-id': instance, generations: '1' };
    await greenRuns(aws, inputs, ['9601']);
    const original = (await dbSnapshotsOfSet(instance))[0]!;
    await rdsClient().send(
      new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: original.id,
        TargetDBSnapshotIdentifier: 'hand-copy-of-orders',
        CopyTags: true,
      }),
    );
    const handCopy = (await listDbSnapshots()).find((s) => s.id === 'hand-copy-of-orders');
    // The copy carries every tag of the set, as the console's "copy tags" gives it.
    expect(handCopy?.tags[TAG.set]).toBe('default');

    await greenRuns(aws, inputs, runIds(9602, 2));
    expect((await listDbSnapshots()).map((s) => s.id)).toContain('hand-copy-of-orders');
  });

  it('snapshots an instance in storage-optimization and fails one that is modifying, naming the state', async () => {
    const optimizing = await createDbInstance('optimizing-db');
    const modifying = await createDbInstance('modifying-db');
    const aws = await through({
      ...AWS_SEMANTICS,
      dbInstanceStatus: { [optimizing]: 'storage-optimization', [modifying]: 'modifying' },
    });
    const result = await runThrough(
      aws,
      {
        'target-type': 'rds-instance',
        'resource-id': `${optimizing},${modifying}`,
        generations: '1',
      },
      '9701',
    );
    expect(result.outputs.status, runLog(result)).toBe('partial');
    expect(await dbSnapshotsOfSet(optimizing)).toHaveLength(1);
    expect(await dbSnapshotsOfSet(modifying)).toHaveLength(0);
    expect(result.stdout).toMatch(/modifying-db is 'modifying'/);
    expect(aws.count({ action: 'CreateDBSnapshot' })).toBe(1);
  });

  it('copies a DB snapshot with a non-default option group only with copy-option-group, checked before anything is made', async () => {
    await rdsClient().send(
      new CreateOptionGroupCommand({
        OptionGroupName: 'orders-og',
        EngineName: 'postgres',
        MajorEngineVersion: '13',
        OptionGroupDescription: 'orders',
      }),
    );
    const instance = 'orders-db';
    await rdsClient().send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: instance,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        EngineVersion: '13.12',
        AllocatedStorage: 20,
        MasterUsername: 'admin1',
        MasterUserPassword: 'not-a-secret-1',
        OptionGroupName: 'orders-og',
      }),
    );
    const aws = await through(AWS_SEMANTICS);
    const inputs = inputsFor('rds-instance', instance, { generations: '1', 'copy-to-regions': DR });
    const refused = await runThrough(aws, inputs, '9801');
    expect(refused.code, runLog(refused)).toBe(1);
    expect(refused.stdout).toMatch(
      new RegExp(`option group 'orders-og'.*copy-option-group.*${DR}`, 's'),
    );
    expect(aws.count({ action: /^(Create|Copy)/ })).toBe(0);

    const copied = await runThrough(
      aws,
      { ...inputs, 'copy-option-group': 'orders-og-dr' },
      '9802',
    );
    expectSuccess(copied);
    const copyCall = aws.calls.find((call) => call.action === 'CopyDBSnapshot');
    expect(copyCall?.params.OptionGroupName).toBe('orders-og-dr');
  });

  it('skips a snapshot AWS refuses to delete (locked), deletes the others, and says what was left', async () => {
    const volume = await createVolume();
    const aws = await through(AWS_SEMANTICS);
    const ebs = { 'target-type': 'ebs-volume', 'resource-id': volume };
    const made = await greenRuns(aws, { ...ebs, prune: 'false' }, runIds(9901, 3));
    aws.fidelity!.set({ ...AWS_SEMANTICS, locked: [made[0]!] });
    const pruned = await runThrough(aws, { ...ebs, generations: '1' }, '9904');
    expectSuccess(pruned);
    const newest = pruned.outputs['backup-id'];
    expect((await snapshotsOfSet(volume)).map((s) => s.id)).toEqual([made[0], newest]);
    const report = jsonOutput<{ targets: { message?: string; warnings: string[] }[] }>(
      pruned,
      'report',
    );
    expect(report.targets[0]!.message).toContain(`Left in place`);
    expect(report.targets[0]!.message).toContain(made[0]);
    expect(report.targets[0]!.warnings.join(' ')).toMatch(/locked/);
  });

  it('creates anyway and warns when the RDS quota cannot be read, never assuming 100', async () => {
    const instance = await createDbInstance('orders-db');
    // moto has no DescribeAccountAttributes: without the proxy's, the read fails as on a locked-down role.
    const aws = await through({ ...AWS_SEMANTICS, accountQuotas: undefined });
    const result = await runThrough(
      aws,
      { 'target-type': 'rds-instance', 'resource-id': instance, generations: '1' },
      '9951',
    );
    expectSuccess(result);
    expect(await dbSnapshotsOfSet(instance)).toHaveLength(1);
    expect(result.summary).toMatch(/quota .*could not be read/);
  });

  it('never copies an archived snapshot and copies the others', async () => {
    const volume = await createVolume();
    const aws = await through(AWS_SEMANTICS);
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '3' };
    const made = await greenRuns(aws, inputs, runIds(9961, 2));
    aws.fidelity!.set({ ...AWS_SEMANTICS, archived: [made[0]!] });
    const result = await runThrough(aws, { ...inputs, 'copy-to-regions': DR }, '9963');
    expectSuccess(result);
    const copied = aws.calls
      .filter((call) => call.action === 'CopySnapshot')
      .map((call) => call.params.SourceSnapshotId);
    expect(copied).toHaveLength(2);
    expect(copied).not.toContain(made[0]);
    expect(result.summary).toMatch(/archived/);
  });

  it('queues a copy for a later run when other tools hold the destination’s copy slots', async () => {
    const volume = await createVolume();
    const aws = await through({ ...AWS_SEMANTICS, copySlotsTaken: { [DR]: 20 } });
    const result = await runThrough(
      aws,
      inputsFor('ebs-volume', volume, { generations: '1', 'copy-to-regions': DR }),
      '9971',
    );
    expectSuccess(result);
    const copies = jsonOutput<unknown[]>(result, 'copies');
    expect(copies).toEqual([]);
    expect(result.summary).toMatch(/queued/);
    expect(await snapshotsOfSet(volume)).toHaveLength(1);
  });

  it('deletes a failed RDS copy before copying its backup again (the copy takes the original’s identifier)', async () => {
    const instance = await createDbInstance('orders-db');
    // RDS shows the first run's copy in the DR region as failed (a copy AWS could not finish).
    const failed = new Set<string>();
    const showFailed: AfterHook = (call, answer) => {
      if (call.action !== 'DescribeDBSnapshots' || call.region !== DR || failed.size === 0) {
        return answer;
      }
      const body = answer.body
        .toString()
        .replace(/<DBSnapshot>[\s\S]*?<\/DBSnapshot>/g, (item) =>
          [...failed].some((id) => item.includes(`<DBSnapshotIdentifier>${id}<`))
            ? item.replace(/<Status>[^<]*<\/Status>/, '<Status>failed</Status>')
            : item,
        );
      return { ...answer, body };
    };
    const aws = await through(AWS_SEMANTICS, { after: showFailed });
    const inputs = inputsFor('rds-instance', instance, { generations: '2', 'copy-to-regions': DR });
    const first = await runThrough(aws, inputs, '9991');
    expectSuccess(first);
    const original = first.outputs['backup-id'] ?? '';
    failed.add(original);

    const second = await runThrough(aws, inputs, '9992');
    expectSuccess(second);
    failed.clear();
    const drCalls = aws.calls.filter((call) => call.region === DR).map((call) => call.action);
    const deleteAt = drCalls.lastIndexOf('DeleteDBSnapshot');
    const copies = drCalls.flatMap((action, index) => (action === 'CopyDBSnapshot' ? [index] : []));
    // Deleted first, then copied again under the same identifier; both backups have a copy now.
    expect(deleteAt).toBeGreaterThan(-1);
    expect(copies.filter((index) => index > deleteAt)).toHaveLength(1);
    const drCopies = await dbSnapshotsOfSet(instance, 'default', DR);
    expect(drCopies.map((copy) => copy.id).sort()).toEqual(
      [original, second.outputs['backup-id']].sort(),
    );
  });

  it('says the credentials expired during the run and what to set when RDS answers ExpiredToken', async () => {
    const instance = await createDbInstance('orders-db');
    const expired: BeforeHook = (call) =>
      call.action === 'CreateDBSnapshot'
        ? {
            status: 403,
            body:
              '<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code>' +
              '<Message>The security token included in the request is expired</Message>' +
              '</Error><RequestId>expired</RequestId></ErrorResponse>',
          }
        : undefined;
    const aws = await through(AWS_SEMANTICS, { before: expired });
    const result = await runThrough(
      aws,
      { 'target-type': 'rds-instance', 'resource-id': instance, generations: '1' },
      '9981',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/expired during the run/);
    expect(result.stdout).toContain('role-duration-seconds');
  });
});
