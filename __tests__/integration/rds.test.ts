/**
 * The bundled action against moto, for `target-type: rds-instance` (manual DB snapshots) and
 * `rds-cluster` (manual Aurora DB cluster snapshots): what a workflow sees (exit code, log, outputs,
 * summary) and what RDS holds afterwards.
 *
 * moto 5.2.5 makes instances, clusters and snapshots `available` at once, gives every new instance
 * and cluster one automated snapshot (`rds:<id>-<time>`, SnapshotType `automated`), lower-cases
 * identifiers, validates DB snapshot identifiers but not cluster snapshot identifiers, answers
 * DescribeAccountAttributes with HTTP 500 (not implemented: the AWS_SEMANTICS proxy the action runs
 * through answers it as AWS does, from the manual snapshots moto holds and a quota of 100), and
 * cannot make AWS Backup (`awsbackup`) snapshots.
 */
import { rdsSnapshotIdentifier } from '../../src/naming.js';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  REGION,
  TAG,
  backupIds,
  clusterSnapshotsOfSet,
  createDbCluster,
  createDbInstance,
  createManualClusterSnapshot,
  createManualDbSnapshot,
  dbSnapshotsOfSet,
  errorLines,
  expectBackedUp,
  expectOneTaggedBackup,
  expectOneError,
  expectRerunReuses,
  expectStatus,
  expectSuccess,
  idsOf,
  jsonOutput,
  listClusterSnapshots,
  listDbSnapshots,
  manualOnly,
  reset,
  runAction,
  runIds,
  runOffline,
  sortedIds,
  successfulRuns,
  tagRdsResource,
  type ActionRun,
} from './helpers.js';

/** RDS identifier rules: letters, digits and hyphens, a letter first, no `--`, no trailing `-`. */
const RDS_IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;
/** AWS's default quota of manual DB snapshots, and of manual DB cluster snapshots, per region. */
const MANUAL_SNAPSHOT_QUOTA = 100;

/** Fails unless the run failed as a whole (one target, failed) with exactly one error line. */
function expectFailedWithOneError(run: ActionRun): string {
  expectStatus(run, 'failed', 1);
  return expectOneError(run);
}

/** The tags the action puts on a backup of `source` made `days` days ago (by an earlier run). */
function backupTags(source: string, days: number, set = 'default'): Record<string, string> {
  return {
    [TAG.set]: set,
    [TAG.source]: source,
    [TAG.createdAt]: new Date(Date.now() - days * DAY_MS).toISOString(),
    [TAG.run]: String(100 + days),
  };
}

/**
 * A backup of `source` as an earlier run of the action made it `days` days ago, in `set`, with the
 * set's tags (and `extra` ones): under the identifier the action derives from its set, source and
 * `created-at` tags (a snapshot of another name is none of the set's).
 */
function earlierDbBackup(source: string, days: number, set?: string, extra = {}): Promise<string> {
  const tags = { ...backupTags(source, days, set), ...extra };
  return createManualDbSnapshot(source, derivedId(tags, 255), tags);
}

/** A cluster's backup as an earlier run made it, as `earlierDbBackup` makes an instance's. */
function earlierClusterBackup(source: string, days: number): Promise<string> {
  const tags = backupTags(source, days);
  return createManualClusterSnapshot(source, derivedId(tags, 63), tags);
}

function derivedId(tags: Record<string, string>, maxLength: number): string {
  return rdsSnapshotIdentifier(
    tags[TAG.set] ?? '',
    tags[TAG.source] ?? '',
    new Date(tags[TAG.createdAt] ?? ''),
    maxLength,
  );
}

function expectValidIdentifier(id: string | undefined, maxLength: number): void {
  expect(id).toMatch(RDS_IDENTIFIER);
  expect(id?.length).toBeLessThanOrEqual(maxLength);
}

/**
 * Fills the region with `count` manual snapshots without tags, made by hand with `make` (given
 * each one's identifier), in parallel.
 */
async function fillByHand(count: number, make: (id: string) => Promise<string>): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) => make(`by-hand-${String(i).padStart(3, '0')}`)),
  );
}

beforeEach(reset);

describe('rds-instance', () => {
  const INSTANCE = 'prod-db';

  function instanceInputs(extra: Record<string, string> = {}): Record<string, string> {
    return { 'target-type': 'rds-instance', 'resource-id': INSTANCE, ...extra };
  }

  describe('retention', () => {
    it('keeps the set’s backups within keep-within and the new one, sparing automated, hand-made and other sets’ snapshots', async () => {
      await createDbInstance(INSTANCE, { tags: { Name: 'prod' } });
      const aged: Record<number, string> = {};
      for (const days of [10, 40, 60, 90]) {
        aged[days] = await earlierDbBackup(INSTANCE, days);
      }
      const byHand = await createManualDbSnapshot(INSTANCE, 'made-by-hand');
      const weekly = await earlierDbBackup(INSTANCE, 90, 'weekly');
      // moto made an automated snapshot with the instance: make it look like an old backup of the
      // set, which the action must still never touch (only manual snapshots are its own).
      const automated = (await listDbSnapshots(INSTANCE)).filter((s) => s.type === 'automated');
      expect(automated).toHaveLength(1);
      const automatedTags = backupTags(INSTANCE, 90);
      await tagRdsResource(automated[0]!.arn, automatedTags);
      expect((await listDbSnapshots(INSTANCE)).find((s) => s.type === 'automated')?.tags).toEqual(
        automatedTags,
      );

      const run = await runAction(instanceInputs({ 'keep-within': '50d' }), { runId: '5000' });
      expectSuccess(run);

      const created = run.outputs['backup-id'] ?? '';
      expect(created).not.toBe('');
      expect(run.outputs['deleted-count']).toBe('2');
      expect(jsonOutput(run, 'deleted-ids')).toEqual(
        expect.arrayContaining([
          { region: REGION, id: aged[60] },
          { region: REGION, id: aged[90] },
        ]),
      );
      expect(sortedIds(run)).toEqual([aged[60], aged[90]].sort());

      expect(idsOf(await dbSnapshotsOfSet(INSTANCE))).toEqual([aged[40], aged[10], created]);
      const left = await listDbSnapshots(INSTANCE);
      expect(idsOf(left)).toEqual(expect.arrayContaining([byHand, weekly, automated[0]!.id]));
      expect(left).toHaveLength(6);
    });

    it('never deletes a backup of the set tagged snapshot-rotation:keep=true', async () => {
      await createDbInstance(INSTANCE);
      const pinned = await earlierDbBackup(INSTANCE, 90, 'default', { [TAG.keep]: 'true' });
      const old = await earlierDbBackup(INSTANCE, 80);

      const run = await runAction(instanceInputs({ generations: '1' }), { runId: '5001' });
      expectSuccess(run);

      expect(jsonOutput(run, 'deleted-ids')).toEqual([{ region: REGION, id: old }]);
      expect(idsOf(await dbSnapshotsOfSet(INSTANCE))).toEqual([pinned, run.outputs['backup-id']]);
    });
  });

  describe('manual snapshot quota', () => {
    it('fails the target at the quota, naming it, and creates and deletes nothing', async () => {
      await createDbInstance(INSTANCE);
      const recent = await earlierDbBackup(INSTANCE, 10);
      // Beyond keep-within and not the newest: any run that got as far as pruning would delete it.
      const expired = await earlierDbBackup(INSTANCE, 90);
      await fillByHand(MANUAL_SNAPSHOT_QUOTA - 2, (id) => createManualDbSnapshot(INSTANCE, id));
      const before = await listDbSnapshots();
      expect(manualOnly(before)).toHaveLength(MANUAL_SNAPSHOT_QUOTA);

      const run = await runAction(instanceInputs({ 'keep-within': '50d' }), { runId: '5002' });

      const error = expectFailedWithOneError(run);
      expect(error).toMatch(/quota/i);
      expect(error).toContain(INSTANCE);
      expect(run.outputs['backup-id']).toBe('');
      expect(jsonOutput(run, 'backup-ids')).toEqual([]);
      expect(run.outputs['deleted-count']).toBe('0');
      expect(jsonOutput(run, 'deleted-ids')).toEqual([]);
      expect(await listDbSnapshots()).toEqual(before);
      expect(idsOf(await dbSnapshotsOfSet(INSTANCE))).toEqual([expired, recent]);
    });

    it('creates the last snapshot the quota allows, one below it', async () => {
      await createDbInstance(INSTANCE);
      await fillByHand(MANUAL_SNAPSHOT_QUOTA - 1, (id) => createManualDbSnapshot(INSTANCE, id));

      const run = await runAction(instanceInputs({ generations: '5' }), { runId: '5003' });
      expectSuccess(run);

      expect(idsOf(await dbSnapshotsOfSet(INSTANCE))).toContain(run.outputs['backup-id']);
      expect(manualOnly(await listDbSnapshots())).toHaveLength(MANUAL_SNAPSHOT_QUOTA);
    });
  });

  describe('targets', () => {
    it('fails naming an instance that does not exist, and changes nothing', async () => {
      await createDbInstance(INSTANCE);
      await earlierDbBackup(INSTANCE, 90);
      await earlierDbBackup(INSTANCE, 10);
      const before = await listDbSnapshots();

      const run = await runAction(
        instanceInputs({ 'resource-id': 'missing-db', 'keep-within': '50d' }),
      );

      const error = expectFailedWithOneError(run);
      expect(error).toContain('missing-db');
      expect(run.outputs['deleted-count']).toBe('0');
      expect(await listDbSnapshots()).toEqual(before);
      expect(await listClusterSnapshots()).toEqual([]);
    });

    it('backs up the instance that exists and ends partial when another is missing', async () => {
      await createDbInstance(INSTANCE);
      const run = await runAction(
        instanceInputs({ 'resource-id': `${INSTANCE}\nmissing-db`, generations: '5' }),
      );

      expectStatus(run, 'partial', 1);
      const made = await dbSnapshotsOfSet(INSTANCE);
      expect(made).toHaveLength(1);
      expect(jsonOutput(run, 'backup-ids')).toEqual([made[0]?.id]);
      expect(errorLines(run)).toHaveLength(1);
      expect(errorLines(run)[0]).toContain('missing-db');
    });

    it('refuses an Aurora member instance and says to use rds-cluster with the cluster identifier', async () => {
      await createDbCluster('orders-cluster');
      await createDbInstance('orders-writer', { clusterId: 'orders-cluster' });
      const beforeDb = await listDbSnapshots();
      const beforeCluster = await listClusterSnapshots();

      const run = await runAction(
        instanceInputs({ 'resource-id': 'orders-writer', generations: '5' }),
      );

      const error = expectFailedWithOneError(run);
      expect(error).toContain('orders-writer');
      expect(error).toContain('rds-cluster');
      expect(error).toContain('orders-cluster');
      expect(await listDbSnapshots()).toEqual(beforeDb);
      expect(await listClusterSnapshots()).toEqual(beforeCluster);
    });

    it('backs up only the instances carrying resource-tags and lists them in targets', async () => {
      const tagged = [
        await createDbInstance('orders-db', { tags: { Backup: 'daily' } }),
        await createDbInstance('users-db', { tags: { Backup: 'daily', Name: 'users' } }),
      ];
      const others = [
        await createDbInstance('scratch-db', { tags: { Backup: 'never' } }),
        await createDbInstance('plain-db'),
      ];
      const inputs = { 'target-type': 'rds-instance', 'resource-tags': 'Backup=daily' };
      const run = await runAction({ ...inputs, generations: '5' });

      await expectBackedUp(run, tagged, (id) => dbSnapshotsOfSet(id));
      for (const id of others) expect(manualOnly(await listDbSnapshots(id))).toEqual([]);
    });

    it('finds an instance named in another letter case, as RDS does, under its own identifier', async () => {
      await createDbInstance(INSTANCE);
      const run = await runAction(instanceInputs({ 'resource-id': 'Prod-DB', generations: '5' }));
      expectSuccess(run);

      const [snapshot, ...others] = await dbSnapshotsOfSet(INSTANCE);
      expect(others).toEqual([]);
      expect(snapshot?.id).toBe(run.outputs['backup-id']);
      expect(snapshot?.tags[TAG.source]).toBe(INSTANCE);
      expect(jsonOutput(run, 'targets')).toEqual([INSTANCE]);
    });
  });

  describe('the snapshot it makes', () => {
    it('carries the ownership tags, the instance’s tags and the tags input, under a valid identifier', async () => {
      await createDbInstance(INSTANCE, { tags: { Name: 'prod', Team: 'payments' } });
      const inputs = instanceInputs({ generations: '5', tags: 'Owner=dba\nCostCenter=42' });

      const manualOf = async (id: string) => manualOnly(await listDbSnapshots(id));
      const { backup } = await expectOneTaggedBackup(inputs, '424242', INSTANCE, manualOf);
      expect(backup.status).toBe('available');
      expectValidIdentifier(backup.id, 255);
      expect(backup.id).toContain(INSTANCE);
      // The instance's own tags, and those of the tags input.
      expect(backup.tags).toMatchObject({ Name: 'prod', Team: 'payments' });
      expect(backup.tags).toMatchObject({ Owner: 'dba', CostCenter: '42' });
    });

    it('does not copy the instance’s tags when copy-tags is false', async () => {
      await createDbInstance(INSTANCE, { tags: { Name: 'prod' } });
      const run = await runAction(
        instanceInputs({ generations: '5', 'copy-tags': 'false', tags: 'Owner=dba' }),
      );
      expectSuccess(run);

      const [snapshot] = await dbSnapshotsOfSet(INSTANCE);
      expect(snapshot?.tags).not.toHaveProperty('Name');
      expect(snapshot?.tags).toMatchObject({ Owner: 'dba' });
    });

    it('derives a valid identifier from any backup-set name and a long instance identifier', async () => {
      const long = `db-${'x'.repeat(60)}`;
      await createDbInstance(long);
      const run = await runAction({
        'target-type': 'rds-instance',
        'resource-id': long,
        'backup-set': 'Nightly.DB_v2',
        generations: '5',
      });
      expectSuccess(run);

      const [snapshot, ...others] = await dbSnapshotsOfSet(long, 'Nightly.DB_v2');
      expect(others).toEqual([]);
      expect(snapshot?.id).toBe(run.outputs['backup-id']);
      expectValidIdentifier(snapshot?.id, 255);
    });
  });

  describe('idempotency', () => {
    it('reuses the snapshot of the same workflow run on a re-run', async () => {
      await createDbInstance(INSTANCE);
      const reused = await expectRerunReuses(instanceInputs({ generations: '5' }), '31337');

      expect(idsOf(await dbSnapshotsOfSet(INSTANCE))).toEqual([reused]);
    });

    it('creates nothing within min-interval of the last backup and says why', async () => {
      await createDbInstance(INSTANCE);
      const inputs = instanceInputs({ generations: '5' });
      expectSuccess(await runAction(inputs, { runId: '1' }));
      const before = await listDbSnapshots();

      const run = await runAction({ ...inputs, 'min-interval': '20h' }, { runId: '2' });
      expectSuccess(run);

      expect(await listDbSnapshots()).toEqual(before);
      expect(run.outputs['backup-id']).toBe('');
      expect(run.summary).toMatch(/min-interval|skipped/i);
    });
  });

  describe('dry run', () => {
    it('changes nothing and reports what would be created and deleted', async () => {
      await createDbInstance(INSTANCE);
      await earlierDbBackup(INSTANCE, 10);
      const expired = await earlierDbBackup(INSTANCE, 90);
      const before = await listDbSnapshots();

      const run = await runAction(instanceInputs({ 'keep-within': '50d', 'dry-run': 'true' }));
      expectSuccess(run);

      expect(await listDbSnapshots()).toEqual(before);
      expect(jsonOutput(run, 'deleted-ids')).toEqual([{ region: REGION, id: expired }]);
      expect(run.outputs['deleted-count']).toBe('1');
      expect(jsonOutput(run, 'targets')).toEqual([INSTANCE]);
      expect(run.summary).toMatch(/dry run/i);
      expect(run.summary).toMatch(/would create/i);
    });
  });
});

describe('rds-cluster', () => {
  const CLUSTER = 'prod-aurora';

  function clusterInputs(extra: Record<string, string> = {}): Record<string, string> {
    return { 'target-type': 'rds-cluster', 'resource-id': CLUSTER, ...extra };
  }

  describe('retention', () => {
    it.each(['aurora-postgresql', 'aurora-mysql'])(
      'keeps the 2 newest cluster snapshots of the set over three runs (%s)',
      async (engine) => {
        await createDbCluster(CLUSTER, { engine, tags: { Name: 'prod' } });
        await createDbInstance(`${CLUSTER}-writer`, { clusterId: CLUSTER, engine });
        const byHand = await createManualClusterSnapshot(CLUSTER, 'made-by-hand');
        const automated = (await listClusterSnapshots(CLUSTER)).filter(
          (s) => s.type === 'automated',
        );
        expect(automated).toHaveLength(1);

        const runs = await successfulRuns(clusterInputs({ generations: '2' }), runIds(6001, 3));
        const created = backupIds(runs);
        expect(new Set(created).size).toBe(3);
        for (const id of created) expectValidIdentifier(id, 63);
        expect(runs.map((run) => run.outputs['deleted-count'])).toEqual(['0', '0', '1']);
        expect(jsonOutput(runs[2]!, 'deleted-ids')).toEqual([{ region: REGION, id: created[0] }]);

        const kept = await clusterSnapshotsOfSet(CLUSTER);
        expect(idsOf(kept)).toEqual([created[1], created[2]]);
        expect(kept.map((s) => s.tags[TAG.run])).toEqual(['6002', '6003']);
        const left = idsOf(await listClusterSnapshots(CLUSTER));
        expect(left).toEqual(expect.arrayContaining([byHand, automated[0]!.id]));
        expect(left).toHaveLength(4);
        // Cluster backups are cluster snapshots: no DB snapshot of the member was made.
        expect(manualOnly(await listDbSnapshots())).toEqual([]);
      },
    );

    it('keeps the set’s backups within keep-within, sparing automated and hand-made cluster snapshots', async () => {
      await createDbCluster(CLUSTER);
      const aged: Record<number, string> = {};
      for (const days of [10, 40, 60, 90]) {
        aged[days] = await earlierClusterBackup(CLUSTER, days);
      }
      const byHand = await createManualClusterSnapshot(CLUSTER, 'made-by-hand');
      const automated = (await listClusterSnapshots(CLUSTER)).filter((s) => s.type === 'automated');
      expect(automated).toHaveLength(1);
      await tagRdsResource(automated[0]!.arn, backupTags(CLUSTER, 90));

      const run = await runAction(clusterInputs({ 'keep-within': '50d' }), { runId: '6100' });
      expectSuccess(run);

      expect(run.outputs['deleted-count']).toBe('2');
      expect(sortedIds(run)).toEqual([aged[60], aged[90]].sort());
      expect(idsOf(await clusterSnapshotsOfSet(CLUSTER))).toEqual([
        aged[40],
        aged[10],
        run.outputs['backup-id'],
      ]);
      expect(idsOf(await listClusterSnapshots(CLUSTER))).toEqual(
        expect.arrayContaining([byHand, automated[0]!.id]),
      );
    });
  });

  describe('manual cluster snapshot quota', () => {
    it('fails the target at the quota, naming it, and creates and deletes nothing', async () => {
      await createDbCluster(CLUSTER);
      await earlierClusterBackup(CLUSTER, 10);
      await earlierClusterBackup(CLUSTER, 90);
      await fillByHand(MANUAL_SNAPSHOT_QUOTA - 2, (id) => createManualClusterSnapshot(CLUSTER, id));
      const before = await listClusterSnapshots();
      expect(manualOnly(before)).toHaveLength(MANUAL_SNAPSHOT_QUOTA);

      const run = await runAction(clusterInputs({ 'keep-within': '50d' }), { runId: '6200' });

      const error = expectFailedWithOneError(run);
      expect(error).toMatch(/quota/i);
      expect(error).toContain(CLUSTER);
      expect(run.outputs['deleted-count']).toBe('0');
      expect(await listClusterSnapshots()).toEqual(before);
    });
  });

  describe('targets', () => {
    it('fails naming a cluster that does not exist, and changes nothing', async () => {
      await createDbCluster(CLUSTER);
      await earlierClusterBackup(CLUSTER, 90);
      await earlierClusterBackup(CLUSTER, 10);
      const before = await listClusterSnapshots();

      const run = await runAction(
        clusterInputs({ 'resource-id': 'missing-cluster', 'keep-within': '50d' }),
      );

      const error = expectFailedWithOneError(run);
      expect(error).toContain('missing-cluster');
      expect(await listClusterSnapshots()).toEqual(before);
    });
  });

  describe('the cluster snapshot it makes', () => {
    it('carries the ownership tags, the cluster’s tags and the tags input', async () => {
      await createDbCluster(CLUSTER, { tags: { Name: 'prod', Team: 'orders' } });
      const inputs = clusterInputs({ generations: '5', tags: 'Owner=dba' });

      const { backup } = await expectOneTaggedBackup(
        inputs,
        '525252',
        CLUSTER,
        clusterSnapshotsOfSet,
      );
      expect(backup.status).toBe('available');
      expectValidIdentifier(backup.id, 63);
      expect(backup.tags).toMatchObject({ Name: 'prod', Team: 'orders', Owner: 'dba' });
    });

    it('keeps the identifier within 63 characters for a 63-character cluster identifier', async () => {
      // moto accepts any cluster snapshot identifier, so the test checks RDS's rules itself.
      const long = `aurora-${'x'.repeat(56)}`;
      expect(long).toHaveLength(63);
      await createDbCluster(long);
      const inputs = {
        'target-type': 'rds-cluster',
        'resource-id': long,
        'backup-set': 'Nightly.Aurora_v2',
        generations: '5',
      };
      const runs = await successfulRuns(inputs, ['1', '2']);

      const made = idsOf(await clusterSnapshotsOfSet(long, 'Nightly.Aurora_v2'));
      expect(made).toEqual(backupIds(runs));
      expect(new Set(made).size).toBe(2);
      for (const id of made) expectValidIdentifier(id, 63);
    });
  });

  describe('idempotency and dry run', () => {
    it('reuses the cluster snapshot of the same workflow run on a re-run', async () => {
      await createDbCluster(CLUSTER);
      const reused = await expectRerunReuses(clusterInputs({ generations: '5' }), '41414');

      expect(idsOf(await clusterSnapshotsOfSet(CLUSTER))).toEqual([reused]);
    });

    it('creates nothing within min-interval of the last backup', async () => {
      await createDbCluster(CLUSTER);
      await earlierClusterBackup(CLUSTER, 0.25);
      const before = await listClusterSnapshots();

      const run = await runAction(clusterInputs({ generations: '5', 'min-interval': '20h' }));
      expectSuccess(run);

      expect(await listClusterSnapshots()).toEqual(before);
      expect(run.outputs['backup-id']).toBe('');
    });

    it('changes nothing in a dry run and reports what would be deleted', async () => {
      await createDbCluster(CLUSTER);
      await earlierClusterBackup(CLUSTER, 10);
      const expired = await earlierClusterBackup(CLUSTER, 90);
      const before = await listClusterSnapshots();

      const run = await runAction(clusterInputs({ 'keep-within': '50d', 'dry-run': 'true' }));
      expectSuccess(run);

      expect(await listClusterSnapshots()).toEqual(before);
      expect(jsonOutput(run, 'deleted-ids')).toEqual([{ region: REGION, id: expired }]);
      expect(run.summary).toMatch(/dry run/i);
    });
  });
});

describe('invalid RDS identifiers in resource-id', () => {
  type Case = [targetType: 'rds-instance' | 'rds-cluster', resourceId: string];
  const cases: Case[] = [
    ['rds-instance', '1db'],
    ['rds-instance', 'db--x'],
    ['rds-instance', 'db-'],
    ['rds-instance', 'db_x'],
    ['rds-instance', `d${'b'.repeat(63)}`],
    ['rds-cluster', '1cluster'],
    ['rds-cluster', 'cluster--x'],
    ['rds-cluster', 'cluster-'],
    ['rds-cluster', 'arn:aws:rds:us-east-1:123456789012:cluster:prod'],
  ];

  it.each(cases)(
    '%s fails on resource-id %s with one ::error:: line naming it, before any AWS call',
    async (targetType, resourceId) => {
      const inputs = { 'target-type': targetType, 'resource-id': resourceId, generations: '5' };

      const error = expectOneError(await runAction(inputs));
      expect(error).toContain('resource-id');
      expect(error).toContain(resourceId);

      const offline = await runOffline(inputs);
      expect(offline.run.code).toBe(1);
      expect(offline.requests).toEqual([]);
    },
  );
});
