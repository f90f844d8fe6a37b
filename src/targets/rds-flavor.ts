/** The calls and names that differ between DB snapshots and DB cluster snapshots, as types. */
import type { Filter, RDSClient, Tag } from '@aws-sdk/client-rds';

/**
 * The most values RDS takes in one describe filter. AWS documents no number; RDS refuses more than
 * 100 (`InvalidParameterCombination`: "Only up to 100 unique filter DB Cluster Identifiers may be
 * specified per filter"), as seen for DescribeDBClusters and its parameter filters.
 */
export const RDS_FILTER_VALUES = 100;

/** A DB instance or cluster as the adapter needs it. */
export interface RdsSource {
  id: string | undefined;
  status: string | undefined;
  tags: Tag[] | undefined;
  /** For an instance: the Aurora cluster it belongs to. */
  clusterId?: string | undefined;
  encrypted: boolean | undefined;
  /** For an instance: its option group. */
  optionGroup?: string | undefined;
}

/** A DB snapshot or DB cluster snapshot as the adapter needs it. */
export interface RdsSnapshot {
  id: string | undefined;
  status: string | undefined;
  createdAt: Date | undefined;
  tags: Tag[] | undefined;
  arn?: string | undefined;
  encrypted?: boolean | undefined;
  /** The DB instance or cluster it was made from. */
  madeFrom?: string | undefined;
  /** For a copy, the snapshot it was copied from. */
  copiedFrom?: string | undefined;
  /** `AllocatedStorage` (GiB) where it is the storage's size: not for Aurora, whose storage grows. */
  sizeGiB?: number | undefined;
}

/** The calls and names that differ between DB snapshots and DB cluster snapshots. */
export interface RdsFlavor {
  type: 'rds-instance' | 'rds-cluster';
  /** `DB instance`, `DB cluster`. */
  sourceNoun: string;
  /** `DB snapshot`, `DB cluster snapshot`. */
  snapshotNoun: string;
  /** The describe filter that selects sources by id. */
  idFilter: string;
  /** RDS identifier limit: 255 for DB snapshots, 63 for cluster snapshots. */
  maxIdentifierLength: number;
  /** DescribeAccountAttributes quota name. */
  quotaName: string;
  /** Codes RDS answers for a snapshot that does not exist, and for a name already taken. */
  snapshotNotFound: string;
  snapshotExists: string;
  sources(client: RDSClient, filters: Filter[]): AsyncIterable<RdsSource[]>;
  manualSnapshots(client: RDSClient): AsyncIterable<RdsSnapshot[]>;
  /**
   * The snapshots of these identifiers (at most RDS_FILTER_VALUES), page by page, read by the
   * identifier filter (`db-snapshot-id`, `db-cluster-snapshot-id`): one that does not exist is left
   * out of the answer, where a describe by `…SnapshotIdentifier` fails with not-found. `signal`
   * goes with every page's call.
   */
  snapshotsNamed(
    client: RDSClient,
    ids: string[],
    signal?: AbortSignal,
  ): AsyncIterable<RdsSnapshot[]>;
  /** The snapshot of one identifier; throws `snapshotNotFound` when there is none. */
  describeSnapshot(
    client: RDSClient,
    id: string,
    signal?: AbortSignal,
  ): Promise<RdsSnapshot | undefined>;
  createSnapshot(
    client: RDSClient,
    input: { id: string; sourceId: string; tags: Tag[] },
    signal?: AbortSignal,
  ): Promise<RdsSnapshot | undefined>;
  /** Copies a snapshot of another region (named by its ARN) into the client's region. */
  copySnapshot(
    client: RDSClient,
    input: { sourceArn: string; id: string; tags: Tag[]; kmsKeyId?: string; optionGroup?: string },
    signal?: AbortSignal,
  ): Promise<RdsSnapshot | undefined>;
  deleteSnapshot(client: RDSClient, id: string, signal?: AbortSignal): Promise<void>;
  /** Why a source cannot be snapshotted now, or undefined when it can. */
  problem(source: RdsSource): string | undefined;
}
