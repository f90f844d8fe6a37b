/** `rds-instance`: manual DB snapshots of RDS DB instances (CreateDBSnapshot). */
import {
  CopyDBSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBSnapshotsCommand,
  paginateDescribeDBInstances,
  paginateDescribeDBSnapshots,
  type DBSnapshot,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { RdsFlavor, RdsSnapshot } from './rds-flavor.js';
import { RdsAdapter, type RdsOptions } from './rds.js';

const snapshot = (s: DBSnapshot): RdsSnapshot => ({
  id: s.DBSnapshotIdentifier,
  status: s.Status,
  createdAt: s.SnapshotCreateTime,
  tags: s.TagList,
  arn: s.DBSnapshotArn,
  encrypted: s.Encrypted,
  madeFrom: s.DBInstanceIdentifier,
  copiedFrom: s.SourceDBSnapshotIdentifier,
  sizeGiB: s.AllocatedStorage,
});

export const rdsInstanceFlavor: RdsFlavor = {
  type: 'rds-instance',
  sourceNoun: 'DB instance',
  snapshotNoun: 'DB snapshot',
  idFilter: 'db-instance-id',
  maxIdentifierLength: 255,
  quotaName: 'ManualSnapshots',
  snapshotNotFound: 'DBSnapshotNotFound',
  snapshotExists: 'DBSnapshotAlreadyExists',
  async *sources(client, filters) {
    for await (const page of paginateDescribeDBInstances({ client }, { Filters: filters })) {
      yield (page.DBInstances ?? []).map((db) => ({
        id: db.DBInstanceIdentifier,
        status: db.DBInstanceStatus,
        tags: db.TagList,
        clusterId: db.DBClusterIdentifier,
        encrypted: db.StorageEncrypted,
        optionGroup: db.OptionGroupMemberships?.[0]?.OptionGroupName,
      }));
    }
  },
  async *manualSnapshots(client) {
    // Manual only: automated and AWS Backup snapshots are never listed, so never touched.
    const pages = paginateDescribeDBSnapshots(
      { client, pageSize: 100 },
      { SnapshotType: 'manual' },
    );
    for await (const page of pages) yield (page.DBSnapshots ?? []).map(snapshot);
  },
  async *snapshotsNamed(client, ids, signal) {
    // No SnapshotType: manual and automated, as a describe by identifier reads them.
    const pages = paginateDescribeDBSnapshots(
      { client, pageSize: 100 },
      { Filters: [{ Name: 'db-snapshot-id', Values: ids }] },
      { abortSignal: signal },
    );
    for await (const page of pages) yield (page.DBSnapshots ?? []).map(snapshot);
  },
  async describeSnapshot(client, id, signal) {
    const answer = await client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }), {
      abortSignal: signal,
    });
    const found = answer.DBSnapshots?.[0];
    return found ? snapshot(found) : undefined;
  },
  async createSnapshot(client, { id, sourceId, tags }, signal) {
    const answer = await client.send(
      new CreateDBSnapshotCommand({
        DBSnapshotIdentifier: id,
        DBInstanceIdentifier: sourceId,
        Tags: tags,
      }),
      { abortSignal: signal },
    );
    return answer.DBSnapshot ? snapshot(answer.DBSnapshot) : undefined;
  },
  async copySnapshot(client, { sourceArn, id, tags, kmsKeyId, optionGroup }, signal) {
    const answer = await client.send(
      new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: sourceArn,
        TargetDBSnapshotIdentifier: id,
        Tags: tags,
        ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
        ...(optionGroup ? { OptionGroupName: optionGroup } : {}),
      }),
      { abortSignal: signal },
    );
    return answer.DBSnapshot ? snapshot(answer.DBSnapshot) : undefined;
  },
  async deleteSnapshot(client, id, signal) {
    await client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id }), {
      abortSignal: signal,
    });
  },
  problem(db) {
    if (db.clusterId) {
      return `${db.id} is a member of Aurora cluster ${db.clusterId}, whose storage is backed up by cluster snapshots: use 'target-type: rds-cluster' with 'resource-id: ${db.clusterId}'.`;
    }
    // AWS: "The source DB instance must be in the available or storage-optimization state."
    if (db.status !== 'available' && db.status !== 'storage-optimization') {
      return `${db.id} is '${db.status ?? 'unknown'}'; RDS takes a DB snapshot only of an instance that is 'available' or 'storage-optimization', so a later run will try again.`;
    }
    return undefined;
  },
};

export function rdsInstanceAdapter(
  rds: RDSClient,
  region: string,
  options?: RdsOptions,
): RdsAdapter {
  return new RdsAdapter(rds, region, rdsInstanceFlavor, options);
}
