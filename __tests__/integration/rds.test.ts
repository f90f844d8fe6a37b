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
  REGION,
  clusterSnapshotsOfSet,
  createDbCluster,
  createDbInstance,
  createManualClusterSnapshot,
  createManualDbSnapshot,
  dbSnapshotsOfSet,
  errorLines,
  jsonOutput,
  listClusterSnapshots,
  listDbSnapshots,
  recordingEndpoint,
  reset,
  runAction,
  tagRdsResource,
  type ActionRun,
  type RdsSnapshotInfo,
} from './helpers.js';

const DAY_MS = 86_400_000;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** RDS identifier rules: letters, digits and hyphens, a letter first, no `--`, no trailing `-`. */
const RDS_IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;
/** AWS's default quota of manual DB snapshots, and of manual DB cluster snapshots, per region. */
const MANUAL_SNAPSHOT_QUOTA = 100;

/** Fails with the action's log, so a broken run explains itself. */
function expectSuccess(run: ActionRun): void {
  expect(
    { code: run.code, status: run.outputs.status },
    `action log:\n${run.stdout}\n${run.stderr}`,
  ).toEqual({ code: 0, status: 'success' });
}

/** Fails unless the run failed as a whole (one target, failed) with exactly one error line. */
function expectFailedWithOneError(run: ActionRun): string {
  expect(
    { code: run.code, status: run.outputs.status },
    `action log:\n${run.stdout}\n${run.stderr}`,
  ).toEqual({ code: 1, status: 'failed' });
  const errors = errorLines(run);
  expect(errors, run.stdout).toHaveLength(1);
  return errors[0] ?? '';
}

/** The tags the action puts on a backup of `source` made `days` days ago (by an earlier run). */
function backupTags(source: string, days: number, set = 'default'): Record<string, string> {
  return {
    'snapshot-rotation:backup-set': set,
    'snapshot-rotation:source': source,
    'snapshot-rotation:created-at': new Date(Date.now() - days * DAY_MS).toISOString(),
    'snapshot-rotation:run': String(100 + days),
  };
}

/**
 * A snapshot as an earlier run of the action made it: under the identifier the action derives from
 * its set, source and `created-at` tags (a snapshot of another name is none of the set's).
 */
function earlierDbBackup(source: string, tags: Record<string, string>): Promise<string> {
  return createManualDbSnapshot(source, derivedId(tags, 255), tags);
}

function earlierClusterBackup(source: string, tags: Record<string, string>): Promise<string> {
  return createManualClusterSnapshot(source, derivedId(tags, 63), tags);
}

function derivedId(tags: Record<string, string>, maxLength: number): string {
  return rdsSnapshotIdentifier(
    tags['snapshot-rotation:backup-set'] ?? '',
    tags['snapshot-rotation:source'] ?? '',
    new Date(tags['snapshot-rotation:created-at'] ?? ''),
    maxLength,
  );
}

function ids(snapshots: RdsSnapshotInfo[]): string[] {
  return snapshots.map((snapshot) => snapshot.id);
}

function sortedIds(run: ActionRun, output = 'deleted-ids'): string[] {
  return jsonOutput<{ id: string }[]>(run, output)
    .map((entry) => entry.id)
    .sort();
}

function expectValidIdentifier(id: string | undefined, maxLength: number): void {
  expect(id).toMatch(RDS_IDENTIFIER);
  expect(id?.length).toBeLessThanOrEqual(maxLength);
}

/** Fills the region with hand-made manual snapshots without tags, `count` of them, in parallel. */
async function fillWithManualDbSnapshots(instanceId: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      createManualDbSnapshot(instanceId, `by-hand-${String(i).padStart(3, '0')}`),
    ),
  );
}

async function fillWithManualClusterSnapshots(clusterId: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      createManualClusterSnapshot(clusterId, `by-hand-${String(i).padStart(3, '0')}`),
    ),
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
        aged[days] = await earlierDbBackup(INSTANCE, backupTags(INSTANCE, days));
      }
      const byHand = await createManualDbSnapshot(INSTANCE, 'made-by-hand');
      const weekly = await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 90, 'weekly'));
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

      expect(ids(await dbSnapshotsOfSet(INSTANCE))).toEqual([aged[40], aged[10], created]);
      const left = await listDbSnapshots(INSTANCE);
      expect(ids(left)).toEqual(expect.arrayContaining([byHand, weekly, automated[0]!.id]));
      expect(left).toHaveLength(6);
    });

    it('never deletes a backup of the set tagged snapshot-rotation:keep=true', async () => {
      await createDbInstance(INSTANCE);
      const pinned = await earlierDbBackup(INSTANCE, {
        ...backupTags(INSTANCE, 90),
        'snapshot-rotation:keep': 'true',
      });
      const old = await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 80));

      const run = await runAction(instanceInputs({ generations: '1' }), { runId: '5001' });
      expectSuccess(run);

      expect(jsonOutput(run, 'deleted-ids')).toEqual([{ region: REGION, id: old }]);
      expect(ids(await dbSnapshotsOfSet(INSTANCE))).toEqual([pinned, run.outputs['backup-id']]);
    });
  });

  describe('manual snapshot quota', () => {
    it('fails the target at the quota, naming it, and creates and deletes nothing', async () => {
      await createDbInstance(INSTANCE);
      const recent = await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 10));
      // Beyond keep-within and not the newest: any run that got as far as pruning would delete it.
      const expired = await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 90));
      await fillWithManualDbSnapshots(INSTANCE, MANUAL_SNAPSHOT_QUOTA - 2);
      const before = await listDbSnapshots();
      expect(before.filter((s) => s.type === 'manual')).toHaveLength(MANUAL_SNAPSHOT_QUOTA);

      const run = await runAction(instanceInputs({ 'keep-within': '50d' }), { runId: '5002' });

      const error = expectFailedWithOneError(run);
      expect(error).toMatch(/quota/i);
      expect(error).toContain(INSTANCE);
      expect(run.outputs['backup-id']).toBe('');
      expect(jsonOutput(run, 'backup-ids')).toEqual([]);
      expect(run.outputs['deleted-count']).toBe('0');
      expect(jsonOutput(run, 'deleted-ids')).toEqual([]);
      expect(await listDbSnapshots()).toEqual(before);
      expect(ids(await dbSnapshotsOfSet(INSTANCE))).toEqual([expired, recent]);
    });

    it('creates the last snapshot the quota allows, one below it', async () => {
      await createDbInstance(INSTANCE);
      await fillWithManualDbSnapshots(INSTANCE, MANUAL_SNAPSHOT_QUOTA - 1);

      const run = await runAction(instanceInputs({ generations: '5' }), { runId: '5003' });
      expectSuccess(run);

      expect(ids(await dbSnapshotsOfSet(INSTANCE))).toContain(run.outputs['backup-id']);
      const manual = (await listDbSnapshots()).filter((s) => s.type === 'manual');
      expect(manual).toHaveLength(MANUAL_SNAPSHOT_QUOTA);
    });
  });

  describe('targets', () => {
    it('fails naming an instance that does not exist, and changes nothing', async () => {
      await createDbInstance(INSTANCE);
      await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 90));
      await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 10));
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

      expect(run.code).toBe(1);
      expect(run.outputs.status).toBe('partial');
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
      const run = await runAction({
        'target-type': 'rds-instance',
        'resource-tags': 'Backup=daily',
        generations: '5',
      });
      expectSuccess(run);

      expect(jsonOutput<string[]>(run, 'targets').sort()).toEqual([...tagged].sort());
      for (const id of tagged) expect(await dbSnapshotsOfSet(id)).toHaveLength(1);
      for (const id of others) {
        expect((await listDbSnapshots(id)).filter((s) => s.type === 'manual')).toEqual([]);
      }
    });

    it('finds an instance named in another letter case, as RDS does, under its own identifier', async () => {
      await createDbInstance(INSTANCE);
      const run = await runAction(instanceInputs({ 'resource-id': 'Prod-DB', generations: '5' }));
      expectSuccess(run);

      const [snapshot, ...others] = await dbSnapshotsOfSet(INSTANCE);
      expect(others).toEqual([]);
      expect(snapshot?.id).toBe(run.outputs['backup-id']);
      expect(snapshot?.tags['snapshot-rotation:source']).toBe(INSTANCE);
      expect(jsonOutput(run, 'targets')).toEqual([INSTANCE]);
    });
  });

  describe('the snapshot it makes', () => {
    it('carries the ownership tags, the instance’s tags and the tags input, under a valid identifier', async () => {
      await createDbInstance(INSTANCE, { tags: { Name: 'prod', Team: 'payments' } });
      const before = new Date();
      const run = await runAction(
        instanceInputs({ generations: '5', tags: 'Owner=dba\nCostCenter=42' }),
        { runId: '424242' },
      );
      const after = new Date();
      expectSuccess(run);

      const manual = (await listDbSnapshots(INSTANCE)).filter((s) => s.type === 'manual');
      expect(manual).toHaveLength(1);
      const snapshot = manual[0]!;
      expect(snapshot.id).toBe(run.outputs['backup-id']);
      expect(jsonOutput(run, 'backup-ids')).toEqual([snapshot.id]);
      expect(snapshot.status).toBe('available');
      expectValidIdentifier(snapshot.id, 255);
      expect(snapshot.id).toContain(INSTANCE);

      expect(snapshot.tags).toMatchObject({
        'snapshot-rotation:backup-set': 'default',
        'snapshot-rotation:source': INSTANCE,
        'snapshot-rotation:run': '424242',
        Name: 'prod',
        Team: 'payments',
        Owner: 'dba',
        CostCenter: '42',
      });
      const createdAt = snapshot.tags['snapshot-rotation:created-at'] ?? '';
      expect(createdAt).toMatch(ISO_UTC);
      expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(Date.parse(createdAt)).toBeLessThanOrEqual(after.getTime() + 1000);
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
      const inputs = instanceInputs({ generations: '5' });
      const first = await runAction(inputs, { runId: '31337' });
      const again = await runAction(inputs, { runId: '31337' });
      expectSuccess(first);
      expectSuccess(again);

      expect(again.outputs['backup-id']).toBe(first.outputs['backup-id']);
      expect(ids(await dbSnapshotsOfSet(INSTANCE))).toEqual([first.outputs['backup-id']]);
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
      await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 10));
      const expired = await earlierDbBackup(INSTANCE, backupTags(INSTANCE, 90));
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

        const runs: ActionRun[] = [];
        for (let i = 1; i <= 3; i++) {
          const run = await runAction(clusterInputs({ generations: '2' }), {
            runId: String(6000 + i),
          });
          expectSuccess(run);
          runs.push(run);
        }
        const created = runs.map((run) => run.outputs['backup-id'] ?? '');
        expect(new Set(created).size).toBe(3);
        for (const id of created) expectValidIdentifier(id, 63);
        expect(runs.map((run) => run.outputs['deleted-count'])).toEqual(['0', '0', '1']);
        expect(jsonOutput(runs[2]!, 'deleted-ids')).toEqual([{ region: REGION, id: created[0] }]);

        const kept = await clusterSnapshotsOfSet(CLUSTER);
        expect(ids(kept)).toEqual([created[1], created[2]]);
        expect(kept.map((s) => s.tags['snapshot-rotation:run'])).toEqual(['6002', '6003']);
        const left = ids(await listClusterSnapshots(CLUSTER));
        expect(left).toEqual(expect.arrayContaining([byHand, automated[0]!.id]));
        expect(left).toHaveLength(4);
        // Cluster backups are cluster snapshots: no DB snapshot of the member was made.
        expect((await listDbSnapshots()).filter((s) => s.type === 'manual')).toEqual([]);
      },
    );

    it('keeps the set’s backups within keep-within, sparing automated and hand-made cluster snapshots', async () => {
      await createDbCluster(CLUSTER);
      const aged: Record<number, string> = {};
      for (const days of [10, 40, 60, 90]) {
        aged[days] = await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, days));
      }
      const byHand = await createManualClusterSnapshot(CLUSTER, 'made-by-hand');
      const automated = (await listClusterSnapshots(CLUSTER)).filter((s) => s.type === 'automated');
      expect(automated).toHaveLength(1);
      await tagRdsResource(automated[0]!.arn, backupTags(CLUSTER, 90));

      const run = await runAction(clusterInputs({ 'keep-within': '50d' }), { runId: '6100' });
      expectSuccess(run);

      expect(run.outputs['deleted-count']).toBe('2');
      expect(sortedIds(run)).toEqual([aged[60], aged[90]].sort());
      expect(ids(await clusterSnapshotsOfSet(CLUSTER))).toEqual([
        aged[40],
        aged[10],
        run.outputs['backup-id'],
      ]);
      expect(ids(await listClusterSnapshots(CLUSTER))).toEqual(
        expect.arrayContaining([byHand, automated[0]!.id]),
      );
    });
  });

  describe('manual cluster snapshot quota', () => {
    it('fails the target at the quota, naming it, and creates and deletes nothing', async () => {
      await createDbCluster(CLUSTER);
      await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, 10));
      await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, 90));
      await fillWithManualClusterSnapshots(CLUSTER, MANUAL_SNAPSHOT_QUOTA - 2);
      const before = await listClusterSnapshots();
      expect(before.filter((s) => s.type === 'manual')).toHaveLength(MANUAL_SNAPSHOT_QUOTA);

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
      await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, 90));
      await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, 10));
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
      const before = new Date();
      const run = await runAction(clusterInputs({ generations: '5', tags: 'Owner=dba' }), {
        runId: '525252',
      });
      const after = new Date();
      expectSuccess(run);

      const [snapshot, ...others] = await clusterSnapshotsOfSet(CLUSTER);
      expect(others).toEqual([]);
      expect(snapshot?.id).toBe(run.outputs['backup-id']);
      expect(jsonOutput(run, 'backup-ids')).toEqual([snapshot?.id]);
      expect(snapshot?.status).toBe('available');
      expectValidIdentifier(snapshot?.id, 63);
      expect(snapshot?.tags).toMatchObject({
        'snapshot-rotation:backup-set': 'default',
        'snapshot-rotation:source': CLUSTER,
        'snapshot-rotation:run': '525252',
        Name: 'prod',
        Team: 'orders',
        Owner: 'dba',
      });
      const createdAt = snapshot?.tags['snapshot-rotation:created-at'] ?? '';
      expect(createdAt).toMatch(ISO_UTC);
      expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(Date.parse(createdAt)).toBeLessThanOrEqual(after.getTime() + 1000);
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
      const first = await runAction(inputs, { runId: '1' });
      const second = await runAction(inputs, { runId: '2' });
      expectSuccess(first);
      expectSuccess(second);

      const made = ids(await clusterSnapshotsOfSet(long, 'Nightly.Aurora_v2'));
      expect(made).toEqual([first.outputs['backup-id'], second.outputs['backup-id']]);
      expect(new Set(made).size).toBe(2);
      for (const id of made) expectValidIdentifier(id, 63);
    });
  });

  describe('idempotency and dry run', () => {
    it('reuses the cluster snapshot of the same workflow run on a re-run', async () => {
      await createDbCluster(CLUSTER);
      const inputs = clusterInputs({ generations: '5' });
      const first = await runAction(inputs, { runId: '41414' });
      const again = await runAction(inputs, { runId: '41414' });
      expectSuccess(first);
      expectSuccess(again);

      expect(again.outputs['backup-id']).toBe(first.outputs['backup-id']);
      expect(ids(await clusterSnapshotsOfSet(CLUSTER))).toEqual([first.outputs['backup-id']]);
    });

    it('creates nothing within min-interval of the last backup', async () => {
      await createDbCluster(CLUSTER);
      await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, 0.25));
      const before = await listClusterSnapshots();

      const run = await runAction(clusterInputs({ generations: '5', 'min-interval': '20h' }));
      expectSuccess(run);

      expect(await listClusterSnapshots()).toEqual(before);
      expect(run.outputs['backup-id']).toBe('');
    });

    it('changes nothing in a dry run and reports what would be deleted', async () => {
      await createDbCluster(CLUSTER);
      await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, 10));
      const expired = await earlierClusterBackup(CLUSTER, backupTags(CLUSTER, 90));
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

      const run = await runAction(inputs);
      expect(run.code).toBe(1);
      const errors = errorLines(run);
      expect(errors, run.stdout).toHaveLength(1);
      expect(errors[0]).toContain('resource-id');
      expect(errors[0]).toContain(resourceId);

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
