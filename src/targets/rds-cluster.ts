/** `rds-cluster`: manual DB cluster snapshots of Aurora clusters (CreateDBClusterSnapshot). */
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBClusterSnapshots,
  type DBClusterSnapshot,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { RdsFlavor, RdsSnapshot } from './rds-flavor.js';
import { RdsAdapter, type RdsOptions } from './rds.js';

const snapshot = (s: DBClusterSnapshot): RdsSnapshot => ({
  id: s.DBClusterSnapshotIdentifier,
  status: s.Status,
  createdAt: s.SnapshotCreateTime,
  tags: s.TagList,
  arn: s.DBClusterSnapshotArn,
  encrypted: s.StorageEncrypted,
  madeFrom: s.DBClusterIdentifier,
  copiedFrom: s.SourceDBClusterSnapshotArn,
  // Aurora's storage is not fixed: AWS documents its AllocatedStorage as always 1 (0 in some
  // answers), never the data's size. A Multi-AZ DB cluster's (MySQL, PostgreSQL) is its storage.
  sizeGiB: s.Engine?.startsWith('aurora') ? undefined : s.AllocatedStorage,
});

export const rdsClusterFlavor: RdsFlavor = {
  type: 'rds-cluster',
  sourceNoun: 'DB cluster',
  snapshotNoun: 'DB cluster snapshot',
  idFilter: 'db-cluster-id',
  maxIdentifierLength: 63,
  quotaName: 'ManualClusterSnapshots',
  snapshotNotFound: 'DBClusterSnapshotNotFound',
  snapshotExists: 'DBClusterSnapshotAlreadyExistsFault',
  async *sources(client, filters) {
    for await (const page of paginateDescribeDBClusters({ client }, { Filters: filters })) {
      yield (page.DBClusters ?? []).map((cluster) => ({
        id: cluster.DBClusterIdentifier,
        status: cluster.Status,
        tags: cluster.TagList,
        encrypted: cluster.StorageEncrypted,
      }));
    }
  },
  async *manualSnapshots(client) {
    // Manual only: automated and AWS Backup snapshots are never listed, so never touched.
    const pages = paginateDescribeDBClusterSnapshots(
      { client, pageSize: 100 },
      { SnapshotType: 'manual' },
    );
    for await (const page of pages) yield (page.DBClusterSnapshots ?? []).map(snapshot);
  },
  async *snapshotsNamed(client, ids, signal) {
    // No SnapshotType: manual and automated, as a describe by identifier reads them.
    const pages = paginateDescribeDBClusterSnapshots(
      { client, pageSize: 100 },
      { Filters: [{ Name: 'db-cluster-snapshot-id', Values: ids }] },
      { abortSignal: signal },
    );
    for await (const page of pages) yield (page.DBClusterSnapshots ?? []).map(snapshot);
  },
  async describeSnapshot(client, id, signal) {
    const answer = await client.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }),
      { abortSignal: signal },
    );
    const found = answer.DBClusterSnapshots?.[0];
    return found ? snapshot(found) : undefined;
  },
  async createSnapshot(client, { id, sourceId, tags }, signal) {
    const answer = await client.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterSnapshotIdentifier: id,
        DBClusterIdentifier: sourceId,
        Tags: tags,
      }),
      { abortSignal: signal },
    );
    return answer.DBClusterSnapshot ? snapshot(answer.DBClusterSnapshot) : undefined;
  },
  async copySnapshot(client, { sourceArn, id, tags, kmsKeyId }, signal) {
    const answer = await client.send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: sourceArn,
        TargetDBClusterSnapshotIdentifier: id,
        Tags: tags,
        ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
      }),
      { abortSignal: signal },
    );
    return answer.DBClusterSnapshot ? snapshot(answer.DBClusterSnapshot) : undefined;
  },
  async deleteSnapshot(client, id, signal) {
    await client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }), {
      abortSignal: signal,
    });
  },
  problem(cluster) {
    if (cluster.status !== 'available') {
      return `${cluster.id} is '${cluster.status ?? 'unknown'}'; Aurora takes a cluster snapshot only of a cluster that is 'available', so a later run will try again.`;
    }
    return undefined;
  },
};

export function rdsClusterAdapter(
  rds: RDSClient,
  region: string,
  options?: RdsOptions,
): RdsAdapter {
  return new RdsAdapter(rds, region, rdsClusterFlavor, options);
}
