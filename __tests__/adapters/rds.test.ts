// Adapter tests for `rds-instance` and `rds-cluster` (DESIGN §4, §5, §8): what moto cannot show —
// Marker pagination, id chunks, client-side tag matching, snapshot statuses, the manual-snapshot
// quota, error codes and waiter outcomes. A real RDSClient is wrapped by aws-sdk-client-mock; a fresh
// client per test keeps a waiter left polling by one test away from the next test's mock. The waiter
// really sleeps 1 s between polls, and its shortest budget is 2 s (minDelay + 1).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ListTagsForResourceCommand,
  RDSClient,
  RDSServiceException,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type DBSnapshot,
  type Filter,
  type Tag,
} from '@aws-sdk/client-rds';
import { TAGS } from '../../src/constants.js';
import { CancelledError, hasAwsCode, TargetError } from '../../src/errors.js';
import { rdsSnapshotIdentifier } from '../../src/naming.js';
import type { Sleep } from '../../src/sleep.js';
import type { RdsAdapter, RdsOptions } from '../../src/targets/rds.js';
import { rdsClusterAdapter } from '../../src/targets/rds-cluster.js';
import { rdsInstanceAdapter } from '../../src/targets/rds-instance.js';
import type { Backup, CreateRequest } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';

const REGION = 'us-east-1';
const SET = 'nightly';
// AWS's creation time, a few seconds after the created-at tag that the action set just before.
const SNAPSHOT_TIME = new Date('2026-11-22T12:00:05Z');
const CREATED_AT = '2026-11-22T12:00:00.000Z';
const POLLING = { minDelaySeconds: 1, maxDelaySeconds: 1 } as const;
/** Polls 10 times a second, for the waits that poll more than once. */
const FAST = { minDelaySeconds: 0.1, maxDelaySeconds: 0.1 } as const;

/** An error shaped like the ones the SDK throws for an RDS error code (`name` is the code). */
function awsError(code: string, message = `Simulated ${code}.`, status = 400): RDSServiceException {
  return new RDSServiceException({
    name: code,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** Runs `answer` as a mock answer: a thrown error becomes a rejected `send`. */
function settle<T>(answer: () => T): Promise<T> {
  return new Promise((resolve) => resolve(answer()));
}

function rdsTags(record: Record<string, string>): Tag[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

function tagRecord(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? '']));
}

function ownershipTags(sourceId: string, set = SET): Record<string, string> {
  return { [TAGS.backupSet]: set, [TAGS.source]: sourceId };
}

// ---- The two flavors, described in neutral shapes so that one test body covers both. ----

/** A DB instance or DB cluster as a test describes it. */
interface RawSource {
  id: string;
  status?: string;
  tags?: Record<string, string>;
  /** Instances only: the Aurora cluster the instance belongs to. */
  clusterId?: string;
  /** Instances only: the option group of its first OptionGroupMemberships entry. */
  optionGroup?: string;
}

/** A DB snapshot or DB cluster snapshot as a test describes it. */
interface RawSnapshot {
  id: string;
  status?: string;
  created?: Date;
  /** Sent as the TagList; undefined sends no TagList at all. */
  tags?: Record<string, string> | undefined;
  /** The DB instance or cluster AWS names as its origin (default: the source tag). */
  madeFrom?: string;
  /** The snapshot it was copied from, for a copy. */
  copiedFrom?: string;
}

interface Page<T> {
  items: T[];
  marker?: string;
}

/** What the adapter sent to Describe DB instances / clusters. */
interface SourceQuery {
  Filters?: Filter[] | undefined;
  Marker?: string | undefined;
}

/** What the adapter sent to Describe DB (cluster) snapshots. */
interface SnapshotQuery {
  id?: string | undefined;
  SnapshotType?: string | undefined;
  MaxRecords?: number | undefined;
  Marker?: string | undefined;
}

/** What the adapter sent to Create DB (cluster) snapshot. */
interface CreateQuery {
  id?: string | undefined;
  sourceId?: string | undefined;
  Tags?: Tag[] | undefined;
}

type Stub = AwsClientStub<RDSClient>;

interface FlavorCase {
  type: 'rds-instance' | 'rds-cluster';
  adapter: (client: RDSClient, region: string, options?: RdsOptions) => RdsAdapter;
  sourceId: string;
  idFilter: string;
  maxIdentifierLength: number;
  quotaName: string;
  /** The not-found code of a snapshot as RDS sends it in the XML, and as the SDK names the exception. */
  snapshotNotFound: [string, string];
  /** The exception name the SDK gives RDS's "identifier taken" error. */
  alreadyExists: string;
  invalidSnapshotState: string;
  invalidSourceState: string;
  answerSources(rds: Stub, answer: (query: SourceQuery) => Page<RawSource>): void;
  /** What the adapter asked, copied when asked (the SDK paginator reuses its input object). */
  sourceQueries(): SourceQuery[];
  answerSnapshots(rds: Stub, answer: (query: SnapshotQuery) => Page<RawSnapshot>): void;
  snapshotQueries(): SnapshotQuery[];
  answerCreate(rds: Stub, answer: (query: CreateQuery) => RawSnapshot | undefined): void;
  createQueries(rds: Stub): CreateQuery[];
  answerDelete(rds: Stub, answer: () => void): void;
  deleteQueries(rds: Stub): (string | undefined)[];
}

let sourceLog: SourceQuery[] = [];
let snapshotLog: SnapshotQuery[] = [];

/** Records a copy of what the adapter sent and returns it. */
function logged<T>(log: T[], query: T): T {
  const copy = structuredClone(query);
  log.push(copy);
  return copy;
}

const toTagList = (tags: Record<string, string> | undefined): Tag[] | undefined =>
  tags ? rdsTags(tags) : undefined;

const dbSnapshot = (s: RawSnapshot): DBSnapshot => ({
  DBSnapshotIdentifier: s.id,
  DBInstanceIdentifier: s.madeFrom ?? s.tags?.[TAGS.source],
  ...(s.copiedFrom ? { SourceDBSnapshotIdentifier: s.copiedFrom } : {}),
  SnapshotType: 'manual',
  Status: s.status ?? 'available',
  SnapshotCreateTime: s.created ?? SNAPSHOT_TIME,
  TagList: toTagList(s.tags),
});

const dbClusterSnapshot = (s: RawSnapshot): DBClusterSnapshot => ({
  DBClusterSnapshotIdentifier: s.id,
  DBClusterIdentifier: s.madeFrom ?? s.tags?.[TAGS.source],
  ...(s.copiedFrom ? { SourceDBClusterSnapshotArn: s.copiedFrom } : {}),
  SnapshotType: 'manual',
  Status: s.status ?? 'available',
  SnapshotCreateTime: s.created ?? SNAPSHOT_TIME,
  TagList: toTagList(s.tags),
});

const dbInstance = (s: RawSource): DBInstance => ({
  DBInstanceIdentifier: s.id,
  DBInstanceStatus: s.status ?? 'available',
  TagList: rdsTags(s.tags ?? {}),
  ...(s.clusterId ? { DBClusterIdentifier: s.clusterId } : {}),
  ...(s.optionGroup
    ? {
        OptionGroupMemberships: [
          { OptionGroupName: s.optionGroup, Status: 'in-sync' },
          { OptionGroupName: 'pending-og', Status: 'pending-apply' },
        ],
      }
    : {}),
});

const dbCluster = (s: RawSource): DBCluster => ({
  DBClusterIdentifier: s.id,
  Status: s.status ?? 'available',
  TagList: rdsTags(s.tags ?? {}),
});

const INSTANCE: FlavorCase = {
  type: 'rds-instance',
  adapter: rdsInstanceAdapter,
  sourceId: 'db-1',
  idFilter: 'db-instance-id',
  maxIdentifierLength: 255,
  quotaName: 'ManualSnapshots',
  snapshotNotFound: ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'],
  alreadyExists: 'DBSnapshotAlreadyExistsFault',
  invalidSnapshotState: 'InvalidDBSnapshotState',
  invalidSourceState: 'InvalidDBInstanceState',
  answerSources: (rds, answer) =>
    rds.on(DescribeDBInstancesCommand).callsFake((input: SourceQuery) =>
      settle(() => {
        const page = answer(logged(sourceLog, input));
        return { DBInstances: page.items.map(dbInstance), Marker: page.marker };
      }),
    ),
  sourceQueries: () => sourceLog,
  answerSnapshots: (rds, answer) =>
    rds.on(DescribeDBSnapshotsCommand).callsFake((input: DescribeDBSnapshotsInput) =>
      settle(() => {
        const page = answer(logged(snapshotLog, { ...input, id: input.DBSnapshotIdentifier }));
        return { DBSnapshots: page.items.map(dbSnapshot), Marker: page.marker };
      }),
    ),
  snapshotQueries: () => snapshotLog,
  answerCreate: (rds, answer) =>
    rds.on(CreateDBSnapshotCommand).callsFake((input: CreateDBSnapshotInput) =>
      settle(() => {
        const made = answer(
          createQuery(input.DBSnapshotIdentifier, input.DBInstanceIdentifier, input.Tags),
        );
        return made ? { DBSnapshot: dbSnapshot(made) } : {};
      }),
    ),
  createQueries: (rds) =>
    rds
      .commandCalls(CreateDBSnapshotCommand)
      .map(({ args: [{ input }] }) =>
        createQuery(input.DBSnapshotIdentifier, input.DBInstanceIdentifier, input.Tags),
      ),
  answerDelete: (rds, answer) =>
    rds.on(DeleteDBSnapshotCommand).callsFake(() =>
      settle(() => {
        answer();
        return {};
      }),
    ),
  deleteQueries: (rds) =>
    rds.commandCalls(DeleteDBSnapshotCommand).map((c) => c.args[0].input.DBSnapshotIdentifier),
};

const CLUSTER: FlavorCase = {
  type: 'rds-cluster',
  adapter: rdsClusterAdapter,
  sourceId: 'aurora-1',
  idFilter: 'db-cluster-id',
  maxIdentifierLength: 63,
  quotaName: 'ManualClusterSnapshots',
  snapshotNotFound: ['DBClusterSnapshotNotFound', 'DBClusterSnapshotNotFoundFault'],
  alreadyExists: 'DBClusterSnapshotAlreadyExistsFault',
  invalidSnapshotState: 'InvalidDBClusterSnapshotStateFault',
  invalidSourceState: 'InvalidDBClusterStateFault',
  answerSources: (rds, answer) =>
    rds.on(DescribeDBClustersCommand).callsFake((input: SourceQuery) =>
      settle(() => {
        const page = answer(logged(sourceLog, input));
        return { DBClusters: page.items.map(dbCluster), Marker: page.marker };
      }),
    ),
  sourceQueries: () => sourceLog,
  answerSnapshots: (rds, answer) =>
    rds.on(DescribeDBClusterSnapshotsCommand).callsFake((input: DescribeDBClusterSnapshotsInput) =>
      settle(() => {
        const page = answer(
          logged(snapshotLog, { ...input, id: input.DBClusterSnapshotIdentifier }),
        );
        return { DBClusterSnapshots: page.items.map(dbClusterSnapshot), Marker: page.marker };
      }),
    ),
  snapshotQueries: () => snapshotLog,
  answerCreate: (rds, answer) =>
    rds.on(CreateDBClusterSnapshotCommand).callsFake((input: CreateDBClusterSnapshotInput) =>
      settle(() => {
        const made = answer(
          createQuery(input.DBClusterSnapshotIdentifier, input.DBClusterIdentifier, input.Tags),
        );
        return made ? { DBClusterSnapshot: dbClusterSnapshot(made) } : {};
      }),
    ),
  createQueries: (rds) =>
    rds
      .commandCalls(CreateDBClusterSnapshotCommand)
      .map(({ args: [{ input }] }) =>
        createQuery(input.DBClusterSnapshotIdentifier, input.DBClusterIdentifier, input.Tags),
      ),
  answerDelete: (rds, answer) =>
    rds.on(DeleteDBClusterSnapshotCommand).callsFake(() =>
      settle(() => {
        answer();
        return {};
      }),
    ),
  deleteQueries: (rds) =>
    rds
      .commandCalls(DeleteDBClusterSnapshotCommand)
      .map((c) => c.args[0].input.DBClusterSnapshotIdentifier),
};

interface DescribeDBSnapshotsInput {
  DBSnapshotIdentifier?: string | undefined;
  SnapshotType?: string | undefined;
  MaxRecords?: number | undefined;
  Marker?: string | undefined;
}
interface DescribeDBClusterSnapshotsInput {
  DBClusterSnapshotIdentifier?: string | undefined;
  SnapshotType?: string | undefined;
  MaxRecords?: number | undefined;
  Marker?: string | undefined;
}
interface CreateDBSnapshotInput {
  DBSnapshotIdentifier?: string | undefined;
  DBInstanceIdentifier?: string | undefined;
  Tags?: Tag[] | undefined;
}
interface CreateDBClusterSnapshotInput {
  DBClusterSnapshotIdentifier?: string | undefined;
  DBClusterIdentifier?: string | undefined;
  Tags?: Tag[] | undefined;
}

function createQuery(
  id: string | undefined,
  sourceId: string | undefined,
  Tags: Tag[] | undefined,
): CreateQuery {
  return { id, sourceId, Tags };
}

const FLAVORS: FlavorCase[] = [INSTANCE, CLUSTER];

// ---- Per-test state. ----

let client: RDSClient;
let rds: Stub;

function newClient(): RDSClient {
  return new RDSClient({
    region: REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
}

beforeEach(() => {
  // A fresh client per test: a waiter left polling by one test cannot reach the next test's mock.
  client = newClient();
  rds = mockClient(client);
  sourceLog = [];
  snapshotLog = [];
});

afterEach(() => {
  rds.restore();
});

describe('hasAwsCode with RDS exceptions', () => {
  it.each([
    ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'],
    ['DBSnapshotNotFoundFault', 'DBSnapshotNotFound'],
    ['DBSnapshotNotFoundFault', 'DBSnapshotNotFoundFault'],
    ['DBSnapshotNotFound', 'DBSnapshotNotFound'],
  ])('matches an exception named %s when asked for %s', (name, code) => {
    expect(hasAwsCode(awsError(name), code)).toBe(true);
  });

  it('does not match a different code that merely shares a prefix', () => {
    expect(hasAwsCode(awsError('DBSnapshotNotFoundFault'), 'DBSnapshot')).toBe(false);
    expect(hasAwsCode(awsError('DBClusterSnapshotNotFoundFault'), 'DBSnapshotNotFound')).toBe(
      false,
    );
  });
});

describe.each(FLAVORS)('$type adapter', (flavor) => {
  const SOURCE = flavor.sourceId;

  function adapter(options: RdsOptions = {}): RdsAdapter {
    return flavor.adapter(client, REGION, { ...POLLING, ...options });
  }

  /** A snapshot of SOURCE in the set, available, with a created-at tag unless overridden. */
  function snap(id: string, overrides: Partial<RawSnapshot> = {}): RawSnapshot {
    return {
      id,
      status: 'available',
      created: SNAPSHOT_TIME,
      tags: { ...ownershipTags(SOURCE), [TAGS.createdAt]: CREATED_AT },
      ...overrides,
    };
  }

  /** The identifier the action gives a backup of `sourceId` made at `iso`. */
  function idAt(iso: string, sourceId = SOURCE): string {
    return rdsSnapshotIdentifier(SET, sourceId, new Date(iso), flavor.maxIdentifierLength);
  }

  /** A snapshot of the set made at `iso`, under the identifier the action derives for it. */
  function owned(iso: string, overrides: Partial<RawSnapshot> = {}): RawSnapshot {
    const sourceId = overrides.tags?.[TAGS.source] ?? SOURCE;
    return snap(idAt(iso, sourceId), {
      tags: { ...ownershipTags(sourceId), [TAGS.createdAt]: iso },
      ...overrides,
    });
  }

  const T1 = '2026-11-20T12:00:00.000Z';
  const T2 = '2026-11-21T12:00:00.000Z';
  const T3 = '2026-11-22T12:00:00.000Z';

  function requestTags(): Record<string, string> {
    return { ...ownershipTags(SOURCE), [TAGS.createdAt]: CREATED_AT, [TAGS.run]: '42', app: 'web' };
  }

  function createRequest(overrides: Partial<CreateRequest> = {}): CreateRequest {
    return {
      source: { id: SOURCE, tags: { app: 'web' } },
      set: SET,
      tags: requestTags(),
      ...overrides,
    };
  }

  function expectedId(sourceId = SOURCE): string {
    return rdsSnapshotIdentifier(SET, sourceId, new Date(CREATED_AT), flavor.maxIdentifierLength);
  }

  function pendingBackup(id = expectedId()): Backup {
    return {
      id,
      kind: flavor.type,
      region: REGION,
      sourceId: SOURCE,
      set: SET,
      createdAt: new Date(CREATED_AT),
      state: 'pending',
      tags: requestTags(),
    };
  }

  describe('findSources', () => {
    it(`looks the ids up with a ${flavor.idFilter} filter and reports the ids that do not exist as missing`, async () => {
      flavor.answerSources(rds, () => ({ items: [{ id: 'src-2', tags: { app: 'two' } }] }));

      const lookup = await adapter().findSources(['src-1', 'src-2', 'src-3'], {});

      const queries = flavor.sourceQueries();
      expect(queries).toHaveLength(1);
      expect(queries[0]?.Filters).toEqual([
        { Name: flavor.idFilter, Values: ['src-1', 'src-2', 'src-3'] },
      ]);
      expect(lookup).toEqual({
        found: [{ id: 'src-2', tags: { app: 'two' } }],
        missing: ['src-1', 'src-3'],
      });
    });

    it('splits 250 ids into filters of at most 100 values (3 calls) and reports the missing ones', async () => {
      const ids = Array.from({ length: 250 }, (_, i) => `src-${String(i).padStart(3, '0')}`);
      const absent = new Set(['src-000', 'src-150', 'src-249']);
      flavor.answerSources(rds, (query) => ({
        items: (query.Filters?.[0]?.Values ?? [])
          .filter((id) => !absent.has(id))
          .map((id) => ({ id })),
      }));

      const lookup = await adapter().findSources(ids, {});

      const valueLists = flavor.sourceQueries().map((q) => q.Filters?.[0]?.Values ?? []);
      expect(valueLists.map((values) => values.length)).toEqual([100, 100, 50]);
      expect(valueLists.flat()).toEqual(ids);
      expect(flavor.sourceQueries().every((q) => q.Filters?.length === 1)).toBe(true);
      expect(lookup.found).toHaveLength(247);
      expect(lookup.missing).toEqual(['src-000', 'src-150', 'src-249']);
    });

    it('follows Marker over several pages and returns the sources of every page', async () => {
      const pages: Page<RawSource>[] = [
        { items: [{ id: 'src-1', tags: { app: 'one' } }], marker: 'm-2' },
        { items: [{ id: 'src-2' }], marker: 'm-3' },
        { items: [{ id: 'src-3', tags: { team: 'db' } }] },
      ];
      let call = 0;
      flavor.answerSources(rds, () => pages[call++] ?? { items: [] });

      const lookup = await adapter().findSources(['src-1', 'src-2', 'src-3'], {});

      expect(flavor.sourceQueries().map((q) => q.Marker)).toEqual([undefined, 'm-2', 'm-3']);
      expect(lookup).toEqual({
        found: [
          { id: 'src-1', tags: { app: 'one' } },
          { id: 'src-2', tags: {} },
          { id: 'src-3', tags: { team: 'db' } },
        ],
        missing: [],
      });
    });

    it('discovers by tags by reading every source once without a filter and matching all tags from TagList', async () => {
      flavor.answerSources(rds, (): Page<RawSource> => ({
        items: [
          { id: 'src-all', tags: { backup: 'yes', env: 'prod', extra: 'x' } },
          { id: 'src-one-tag', tags: { backup: 'yes' } },
          { id: 'src-wrong-value', tags: { backup: 'yes', env: 'dev' } },
          { id: 'src-none' },
        ],
      }));

      const lookup = await adapter().findSources([], { backup: 'yes', env: 'prod' });

      const queries = flavor.sourceQueries();
      expect(queries).toHaveLength(1);
      // RDS has no tag filter on these calls: nothing may narrow the listing server-side.
      expect(queries[0]?.Filters ?? []).toEqual([]);
      expect(rds.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
      expect(lookup).toEqual({
        found: [{ id: 'src-all', tags: { backup: 'yes', env: 'prod', extra: 'x' } }],
        missing: [],
      });
    });

    it('merges sources found by id and by tags, reading each once per lookup', async () => {
      flavor.answerSources(rds, (query): Page<RawSource> =>
        query.Filters?.length
          ? { items: [{ id: 'src-id', tags: {} }] }
          : {
              items: [
                { id: 'src-id', tags: {} },
                { id: 'src-tagged', tags: { backup: 'yes' } },
              ],
            },
      );

      const lookup = await adapter().findSources(['src-id'], { backup: 'yes' });

      expect(flavor.sourceQueries()).toHaveLength(2);
      expect(lookup.found.map((s) => s.id)).toEqual(['src-id', 'src-tagged']);
      expect(lookup.missing).toEqual([]);
    });

    it('gives a source that is not available a problem naming its status', async () => {
      flavor.answerSources(rds, () => ({
        items: [
          { id: 'src-stopped', status: 'stopped' },
          { id: 'src-ok', status: 'available' },
        ],
      }));

      const lookup = await adapter().findSources(['src-stopped', 'src-ok'], {});

      const stopped = lookup.found.find((s) => s.id === 'src-stopped');
      expect(stopped?.problem).toContain("'stopped'");
      expect(stopped?.problem).toContain('src-stopped');
      expect(lookup.found.find((s) => s.id === 'src-ok')).not.toHaveProperty('problem');
    });

    it('turns a describe error into a TargetError naming the region and the code', async () => {
      flavor.answerSources(rds, () => {
        throw awsError('AccessDenied', 'User is not authorized to describe.');
      });

      const error = await rejectionOf(adapter().findSources(['src-1'], {}));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(REGION);
      expect(error.message).toContain('src-1');
      expect(error.message).toContain('AccessDenied');
      expect(error.cause).toBeInstanceOf(RDSServiceException);
    });
  });

  describe('listBackups', () => {
    it('asks for manual snapshots only, 100 per page, and never reads tags per snapshot', async () => {
      flavor.answerSnapshots(rds, () => ({ items: [snap('sr-1')] }));

      await adapter().listBackups(SET);

      const queries = flavor.snapshotQueries();
      expect(queries).toHaveLength(1);
      // Manual only: automated and AWS Backup (`awsbackup`) snapshots are never listed, so never deleted.
      expect(queries[0]?.SnapshotType).toBe('manual');
      expect(queries[0]?.MaxRecords).toBe(100);
      expect(rds.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
      expect(rds.calls()).toHaveLength(1);
    });

    it('leaves out snapshots that carry the set’s tags but were copied by hand or made from another source', async () => {
      flavor.answerSnapshots(rds, () => ({
        items: [
          owned(T1),
          // CopyDBSnapshot with CopyTags by a person: the tags came along, the action never made it.
          owned(T2, { id: 'copied-by-hand', copiedFrom: idAt(T1) }),
          // Tagged by hand like the set's, but a snapshot of another database.
          owned(T2, { madeFrom: 'another-db' }),
          // RDS keeps identifiers in lower case; the source tag may differ in case.
          owned(T3, { madeFrom: SOURCE.toUpperCase() }),
        ],
      }));

      const backups = await adapter().listBackups(SET);

      expect(backups.map((b) => b.id)).toEqual([idAt(T1), idAt(T3)]);
    });

    it('leaves out a same-region copy made by hand that carries every tag of the set, since RDS names no source on it', async () => {
      flavor.answerSnapshots(rds, () => ({
        items: [
          owned(T1),
          // Copied within the region with CopyTags: the same tags, no SourceDBSnapshotIdentifier,
          // and an identifier the action would never give it.
          owned(T1, { id: `${idAt(T1)}-copy` }),
          owned(T1, { id: 'manual-before-upgrade' }),
        ],
      }));

      const backups = await adapter().listBackups(SET);

      expect(backups.map((b) => b.id)).toEqual([idAt(T1)]);
    });

    it('counts a snapshot under its derived identifier whatever its case, and a copy under the identifier of its copy-of tag', async () => {
      flavor.answerSnapshots(rds, () => ({
        items: [
          owned(T1, { id: idAt(T1).toUpperCase() }),
          // The action's copy (from another region) keeps its original's identifier.
          owned(T2, {
            id: 'sr-original-identifier',
            tags: {
              ...ownershipTags(SOURCE),
              [TAGS.createdAt]: T2,
              [TAGS.copyOf]: 'sr-original-identifier',
              [TAGS.sourceRegion]: 'eu-west-1',
            },
          }),
          // A copy-of tag that names another identifier: copied again by hand.
          owned(T3, {
            id: 'sr-copied-again',
            tags: {
              ...ownershipTags(SOURCE),
              [TAGS.createdAt]: T3,
              [TAGS.copyOf]: 'sr-original-identifier',
              [TAGS.sourceRegion]: 'eu-west-1',
            },
          }),
        ],
      }));

      const backups = await adapter().listBackups(SET);

      expect(backups.map((b) => [b.id, b.copyOf])).toEqual([
        [idAt(T1).toUpperCase(), undefined],
        ['sr-original-identifier', 'sr-original-identifier'],
      ]);
    });

    it('follows Marker over 3 pages and keeps only snapshots carrying the set and source tags of this set', async () => {
      const pages: Page<RawSnapshot>[] = [
        {
          items: [
            owned(T1),
            // Only the set tag: tagged by hand, never managed.
            owned(T2, { tags: { [TAGS.backupSet]: SET } }),
          ],
          marker: 'm-2',
        },
        {
          items: [
            owned(T2, { tags: { ...ownershipTags('other-src'), [TAGS.createdAt]: T2 } }),
            owned(T2, { tags: { ...ownershipTags(SOURCE, 'weekly'), [TAGS.createdAt]: T2 } }),
            owned(T2, { id: 'no-tags', tags: undefined }),
          ],
          marker: 'm-3',
        },
        {
          items: [owned(T3), owned(T3, { tags: { [TAGS.source]: SOURCE, [TAGS.createdAt]: T3 } })],
        },
      ];
      let call = 0;
      flavor.answerSnapshots(rds, () => pages[call++] ?? { items: [] });

      const backups = await adapter().listBackups(SET);

      const queries = flavor.snapshotQueries();
      expect(queries.map((q) => q.Marker)).toEqual([undefined, 'm-2', 'm-3']);
      expect(queries.every((q) => q.SnapshotType === 'manual' && q.MaxRecords === 100)).toBe(true);
      expect(backups.map((b) => b.id)).toEqual([idAt(T1), idAt(T2, 'other-src'), idAt(T3)]);
      expect(backups[1]).toEqual({
        id: idAt(T2, 'other-src'),
        kind: flavor.type,
        region: REGION,
        sourceId: 'other-src',
        set: SET,
        createdAt: new Date(T2),
        state: 'completed',
        tags: { ...ownershipTags('other-src'), [TAGS.createdAt]: T2 },
      });
      expect(rds.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
    });

    it('maps available, creating/pending, failed/incompatible-* and drops deleting/deleted snapshots', async () => {
      const statuses = [
        'available',
        'creating',
        'pending',
        'failed',
        'incompatible-restore',
        'incompatible-parameters',
        'deleting',
        'deleted',
      ];
      // One instant per snapshot, a minute apart.
      const times = statuses.map((_, i) => new Date(Date.parse(T1) + i * 60_000).toISOString());
      flavor.answerSnapshots(rds, () => ({
        items: statuses.map((status, i) => owned(times[i]!, { status })),
      }));

      const backups = await adapter().listBackups(SET);

      expect(backups.map(({ id, state }) => [id, state])).toEqual([
        [idAt(times[0]!), 'completed'],
        [idAt(times[1]!), 'pending'],
        [idAt(times[2]!), 'pending'],
        [idAt(times[3]!), 'failed'],
        [idAt(times[4]!), 'failed'],
        [idAt(times[5]!), 'failed'],
      ]);
      expect(backups[3]?.stateMessage).toContain('failed');
      expect(backups[0]).not.toHaveProperty('stateMessage');
    });

    it('ages a snapshot by its created-at tag, by AWS’s time when the tag runs ahead of it, and counts none without a valid tag', async () => {
      const ahead = '2026-11-23T12:00:00.000Z';
      flavor.answerSnapshots(rds, () => ({
        items: [
          owned(T1),
          // A tag a day after AWS made it (a clock far off): AWS's time is its age.
          owned(ahead),
          // No identifier derives from a missing or invalid tag: not the set's.
          snap(idAt(T2), { tags: { ...ownershipTags(SOURCE), [TAGS.createdAt]: 'soon' } }),
          snap(idAt(T3), { tags: ownershipTags(SOURCE) }),
        ],
      }));

      const backups = await adapter().listBackups(SET);

      expect(backups.map((b) => [b.id, b.createdAt.toISOString()])).toEqual([
        [idAt(T1), T1],
        [idAt(ahead), SNAPSHOT_TIME.toISOString()],
      ]);
    });

    it('turns a listing error into a TargetError naming the set, the region and the code', async () => {
      flavor.answerSnapshots(rds, () => {
        throw awsError('AccessDenied', 'Not allowed.');
      });

      const error = await rejectionOf(adapter().listBackups(SET));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(SET);
      expect(error.message).toContain(REGION);
      expect(error.message).toContain('AccessDenied');
    });
  });

  describe('quota', () => {
    it(`reads ${flavor.quotaName} Used/Max from DescribeAccountAttributes`, async () => {
      rds.on(DescribeAccountAttributesCommand).resolves({
        AccountQuotas: [
          { AccountQuotaName: 'DBInstances', Used: 3, Max: 40 },
          { AccountQuotaName: 'ManualSnapshots', Used: 17, Max: 100 },
          { AccountQuotaName: 'ManualClusterSnapshots', Used: 9, Max: 150 },
        ],
      });

      const quota = await adapter().quota();

      expect(quota).toEqual(
        flavor.quotaName === 'ManualSnapshots'
          ? { name: 'ManualSnapshots', used: 17, max: 100 }
          : { name: 'ManualClusterSnapshots', used: 9, max: 150 },
      );
      expect(flavor.snapshotQueries()).toHaveLength(0);
    });

    it('sends DescribeAccountAttributes through quotaClient when one is given', async () => {
      const quotaClient = newClient();
      const quotaStub = mockClient(quotaClient);
      try {
        quotaStub.on(DescribeAccountAttributesCommand).resolves({
          AccountQuotas: [{ AccountQuotaName: flavor.quotaName, Used: 5, Max: 100 }],
        });

        const quota = await adapter({ quotaClient }).quota();

        expect(quota).toEqual({ name: flavor.quotaName, used: 5, max: 100 });
        expect(quotaStub.commandCalls(DescribeAccountAttributesCommand)).toHaveLength(1);
        expect(rds.calls()).toHaveLength(0);
      } finally {
        quotaStub.restore();
      }
    });

    it('throws a TargetError naming the quota and the region when DescribeAccountAttributes fails, and counts nothing', async () => {
      rds.on(DescribeAccountAttributesCommand).rejects(awsError('AccessDenied', 'Not allowed.'));
      flavor.answerSnapshots(rds, () => ({ items: [snap('a'), snap('b')] }));

      const error = await rejectionOf(adapter().quota());

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toMatch(
        new RegExp(`^Could not read the ${flavor.quotaName} quota in ${REGION}: `),
      );
      expect(error.message).toContain('AccessDenied');
      // Never a guess (100, AWS's default) from a count: the account's quota may be higher.
      expect(flavor.snapshotQueries()).toHaveLength(0);
    });

    it('throws a TargetError when DescribeAccountAttributes does not state the quota', async () => {
      rds.on(DescribeAccountAttributesCommand).resolves({
        AccountQuotas: [
          { AccountQuotaName: 'DBInstances', Used: 3, Max: 40 },
          // Named, but without numbers: not usable.
          { AccountQuotaName: flavor.quotaName },
        ],
      });
      flavor.answerSnapshots(rds, () => ({ items: [snap('a'), snap('b')] }));

      const error = await rejectionOf(adapter().quota());

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toBe(`RDS did not state the ${flavor.quotaName} quota in ${REGION}.`);
      expect(flavor.snapshotQueries()).toHaveLength(0);
    });
  });

  describe('create', () => {
    it(`names the snapshot rdsSnapshotIdentifier(set, source, created-at, ${flavor.maxIdentifierLength}) and passes exactly the given Tags`, async () => {
      flavor.answerCreate(rds, (q) =>
        snap(q.id ?? '', { status: 'creating', tags: tagRecord(q.Tags) }),
      );
      const request = createRequest();

      await adapter().create(request);

      const queries = flavor.createQueries(rds);
      expect(queries).toHaveLength(1);
      expect(queries[0]?.id).toBe(expectedId());
      expect(queries[0]?.id).toMatch(/^sr-nightly-/);
      expect(queries[0]?.sourceId).toBe(SOURCE);
      expect(tagRecord(queries[0]?.Tags)).toEqual(request.tags);
      expect(queries[0]?.Tags).toHaveLength(Object.keys(request.tags).length);
    });

    it(`keeps the identifier within ${flavor.maxIdentifierLength} characters for a long source id`, async () => {
      // RDS source identifiers are at most 63 characters: the cluster snapshot limit needs shortening.
      const longId = `db-${'x'.repeat(60)}`;
      flavor.answerCreate(rds, (q) =>
        snap(q.id ?? '', { status: 'creating', tags: tagRecord(q.Tags) }),
      );

      await adapter().create(
        createRequest({
          source: { id: longId, tags: {} },
          tags: { ...ownershipTags(longId), [TAGS.createdAt]: CREATED_AT },
        }),
      );

      const id = flavor.createQueries(rds)[0]?.id ?? '';
      expect(id).toBe(expectedId(longId));
      expect(id.length).toBeLessThanOrEqual(flavor.maxIdentifierLength);
      expect(id).toMatch(/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/);
    });

    it('returns a pending Backup for an answer with status creating, aged by the created-at tag', async () => {
      const request = createRequest();
      flavor.answerCreate(rds, (q) =>
        snap(q.id ?? '', {
          status: 'creating',
          created: new Date('2026-11-22T12:00:03Z'),
          tags: tagRecord(q.Tags),
        }),
      );

      const backup = await adapter().create(request);

      expect(backup).toEqual({
        id: expectedId(),
        kind: flavor.type,
        region: REGION,
        sourceId: SOURCE,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state: 'pending',
        tags: request.tags,
      });
    });

    it('still returns the Backup, with the requested tags, when the answer has an empty TagList', async () => {
      const request = createRequest();
      flavor.answerCreate(rds, (q) => snap(q.id ?? '', { status: 'creating', tags: {} }));

      const backup = await adapter().create(request);

      expect(backup).toMatchObject({
        id: expectedId(),
        state: 'pending',
        sourceId: SOURCE,
        set: SET,
      });
      expect(backup.tags).toEqual(request.tags);
    });

    it('still returns a pending Backup when the answer carries no snapshot at all', async () => {
      const request = createRequest();
      flavor.answerCreate(rds, () => undefined);

      const backup = await adapter().create(request);

      expect(backup).toMatchObject({ id: expectedId(), state: 'pending', tags: request.tags });
    });

    it('adopts the snapshot under its identifier when a retried create meets AlreadyExists and the tags are the request’s', async () => {
      const request = createRequest();
      flavor.answerCreate(rds, () => {
        throw awsError(flavor.alreadyExists, `Snapshot ${expectedId()} already exists.`);
      });
      flavor.answerSnapshots(rds, (q) => ({
        items: [snap(q.id ?? '', { status: 'creating', tags: request.tags })],
      }));
      const sleep = vi.fn<Sleep>(() => Promise.resolve());

      const backup = await adapter({ sleep }).create(request);

      expect(backup).toEqual(pendingBackup());
      expect(flavor.createQueries(rds)).toHaveLength(1);
      expect(flavor.snapshotQueries().map((q) => q.id)).toEqual([expectedId()]);
      expect(sleep).not.toHaveBeenCalled();
    });

    it('reads the identifier again within the visibility grace until the snapshot shows, then adopts it', async () => {
      const request = createRequest();
      flavor.answerCreate(rds, () => {
        throw awsError(flavor.alreadyExists, `Snapshot ${expectedId()} already exists.`);
      });
      let reads = 0;
      flavor.answerSnapshots(rds, (q) => {
        reads += 1;
        if (reads === 1) throw awsError(flavor.snapshotNotFound[1], 'Not found.');
        return { items: [snap(q.id ?? '', { status: 'available', tags: request.tags })] };
      });
      const sleep = vi.fn<Sleep>(() => Promise.resolve());

      const backup = await adapter({ sleep, visibilityGraceSeconds: 120 }).create(request);

      expect(backup).toMatchObject({ id: expectedId(), state: 'completed' });
      expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([2_000]);
    });

    it.each([
      ['another created-at', { [TAGS.createdAt]: '2026-11-22T11:00:00.000Z' }],
      ['another source', { [TAGS.source]: 'db-other' }],
      ['a copy-of tag', { [TAGS.copyOf]: 'sr-elsewhere' }],
    ])(
      'reports the taken identifier, adopting nothing, when the snapshot under it has %s',
      async (_, differing) => {
        flavor.answerCreate(rds, () => {
          throw awsError(flavor.alreadyExists, `Snapshot ${expectedId()} already exists.`);
        });
        flavor.answerSnapshots(rds, (q) => ({
          items: [snap(q.id ?? '', { tags: { ...requestTags(), ...differing } })],
        }));
        const sleep = vi.fn<Sleep>(() => Promise.resolve());

        const error = await rejectionOf(
          adapter({ sleep, visibilityGraceSeconds: 0.05 }).create(createRequest()),
        );

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toContain(flavor.alreadyExists);
        expect(error.message).toMatch(
          /already has this identifier and is not one this backup set counts; rename or delete it\.$/,
        );
      },
    );

    it.each(['SnapshotQuotaExceeded', 'SnapshotQuotaExceededFault'])(
      'turns %s into a TargetError that explains the manual snapshot quota',
      async (code) => {
        flavor.answerCreate(rds, () => {
          throw awsError(code, 'Cannot create more than 100 manual snapshots.');
        });

        const error = await rejectionOf(adapter().create(createRequest()));

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toContain('quota');
        expect(error.message).toContain(SOURCE);
        expect(error.message).toContain(code);
        expect(error.cause).toBeInstanceOf(RDSServiceException);
      },
    );

    it(`turns ${flavor.invalidSourceState} into a TargetError naming the source and the code`, async () => {
      flavor.answerCreate(rds, () => {
        throw awsError(flavor.invalidSourceState, 'The source is not in the available state.');
      });

      const error = await rejectionOf(adapter().create(createRequest()));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(SOURCE);
      expect(error.message).toContain(flavor.invalidSourceState);
      expect(error.message).not.toContain('quota');
    });

    it('throws a CancelledError and sends nothing when the signal is already aborted', async () => {
      flavor.answerCreate(rds, (q) => snap(q.id ?? '', { status: 'creating' }));

      const error = await rejectionOf(
        adapter().create(createRequest({ signal: AbortSignal.abort() })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(rds.calls()).toHaveLength(0);
    });
  });

  describe('waitUntilDone', () => {
    it('returns a backup that is not pending at once, without calling RDS', async () => {
      const done: Backup = { ...pendingBackup(), state: 'completed' };

      const result = await adapter().waitUntilDone(done, { maxWaitSeconds: 60 });

      expect(result).toBe(done);
      expect(rds.calls()).toHaveLength(0);
    });

    it('polls a creating snapshot until it is available and returns the completed Backup', async () => {
      const statuses = ['creating', 'available'];
      flavor.answerSnapshots(rds, (q) => ({
        items: [snap(q.id ?? '', { status: statuses.shift() ?? 'available', tags: requestTags() })],
      }));

      const result = await adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

      expect(result).toEqual({ ...pendingBackup(), state: 'completed' });
      const queries = flavor.snapshotQueries();
      // creating, then available: the poll that sees it completed is the last read.
      expect(queries).toHaveLength(2);
      for (const q of queries) expect(q.id).toBe(expectedId());
    });

    it('returns a failed Backup when the snapshot ends failed', async () => {
      flavor.answerSnapshots(rds, (q) => ({
        items: [snap(q.id ?? '', { status: 'failed', tags: requestTags() })],
      }));

      const result = await adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

      expect(result).toMatchObject({ id: expectedId(), state: 'failed' });
      expect(result.stateMessage).toContain('failed');
    });

    it('throws a TargetError naming wait-timeout when the snapshot stays creating', async () => {
      flavor.answerSnapshots(rds, (q) => ({
        items: [snap(q.id ?? '', { status: 'creating', tags: requestTags() })],
      }));
      const started = performance.now();

      const error = await rejectionOf(
        adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 0.01 }),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(expectedId());
      expect(error.message).toContain(SOURCE);
      expect(error.message).toContain('wait-timeout');
      expect(error.message).toMatch(/left in place/);
      // The waiter's shortest budget is minDelay + 1 = 2 s.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(flavor.deleteQueries(rds)).toHaveLength(0);
    });

    it.each([0, 1])(
      'throws a TargetError saying the snapshot disappeared when describe answers the not-found code (form %i) after it was seen',
      async (form) => {
        const code = flavor.snapshotNotFound[form] ?? '';
        let reads = 0;
        flavor.answerSnapshots(rds, (q) => {
          reads += 1;
          if (reads > 1) throw awsError(code, 'The snapshot does not exist.');
          return { items: [snap(q.id ?? '', { status: 'creating', tags: requestTags() })] };
        });
        const started = performance.now();

        const error = await rejectionOf(
          adapter(FAST).waitUntilDone(pendingBackup(), { maxWaitSeconds: 600 }),
        );

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toMatch(/disappeared/);
        expect(error.message).toContain(expectedId());
        expect(error.message).not.toMatch(/wait-timeout/);
        expect(reads).toBe(2);
        expect(performance.now() - started).toBeLessThan(5_000);
      },
    );

    it('throws a TargetError saying the snapshot disappeared when it is being deleted', async () => {
      const statuses = ['creating', 'deleting'];
      flavor.answerSnapshots(rds, (q) => ({
        items: [snap(q.id ?? '', { status: statuses.shift() ?? 'deleting', tags: requestTags() })],
      }));

      const error = await rejectionOf(
        adapter(FAST).waitUntilDone(pendingBackup(), { maxWaitSeconds: 600 }),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toMatch(/disappeared/);
    });

    it('waits for a new snapshot that RDS does not show yet (not-found at first), until it is available', async () => {
      let reads = 0;
      flavor.answerSnapshots(rds, (q) => {
        reads += 1;
        if (reads <= 2) throw awsError(flavor.snapshotNotFound[1], 'The snapshot does not exist.');
        return { items: [snap(q.id ?? '', { status: 'available', tags: requestTags() })] };
      });

      const result = await adapter(FAST).waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

      expect(result).toEqual({ ...pendingBackup(), state: 'completed' });
      expect(reads).toBe(3);
    });

    it('fails, leaving it in place, a snapshot RDS does not show for the whole visibility grace', async () => {
      flavor.answerSnapshots(rds, () => {
        throw awsError(flavor.snapshotNotFound[0], 'The snapshot does not exist.');
      });

      const error = await rejectionOf(
        adapter({ ...FAST, visibilityGraceSeconds: 0.3 }).waitUntilDone(pendingBackup(), {
          maxWaitSeconds: 600,
        }),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toMatch(
        new RegExp(
          `^${flavor.type === 'rds-instance' ? 'DB snapshot' : 'DB cluster snapshot'} ${expectedId()} of ${SOURCE} was accepted by AWS but has not become visible in `,
        ),
      );
      expect(flavor.deleteQueries(rds)).toHaveLength(0);
    });

    it('throws a CancelledError promptly when the run is cancelled during the wait', async () => {
      flavor.answerSnapshots(rds, (q) => ({
        items: [snap(q.id ?? '', { status: 'creating', tags: requestTags() })],
      }));
      const controller = new AbortController();
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, 100);

      const error = await rejectionOf(
        adapter({ minDelaySeconds: 30, maxDelaySeconds: 30 }).waitUntilDone(pendingBackup(), {
          maxWaitSeconds: 600,
          signal: controller.signal,
        }),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(abortedAt).toBeGreaterThan(0);
      // The waiter sleeps 30 s between polls; the abort must not wait for it.
      expect(performance.now() - abortedAt).toBeLessThan(10_000);
    });
  });

  describe('delete', () => {
    it('deletes the snapshot by its identifier and reports it deleted', async () => {
      flavor.answerDelete(rds, () => undefined);

      const outcome = await adapter().delete({ ...pendingBackup('sr-old'), state: 'completed' });

      expect(outcome).toEqual({ result: 'deleted' });
      expect(flavor.deleteQueries(rds)).toEqual(['sr-old']);
    });

    it.each([0, 1])('reports the not-found code (form %i) as already gone', async (form) => {
      const code = flavor.snapshotNotFound[form] ?? '';
      flavor.answerDelete(rds, () => {
        throw awsError(code);
      });

      const outcome = await adapter().delete(pendingBackup('sr-old'));

      expect(outcome).toEqual({ result: 'already-gone' });
    });

    it(`skips a snapshot in a state that cannot be deleted (${flavor.invalidSnapshotState}) with a message`, async () => {
      flavor.answerDelete(rds, () => {
        throw awsError(flavor.invalidSnapshotState, 'The snapshot is being copied.');
      });

      const outcome = await adapter().delete(pendingBackup('sr-old'));

      expect(outcome.result).toBe('skipped');
      expect(outcome.message).toContain('sr-old');
    });

    it('turns Throttling from the mock into a TargetError naming the snapshot and the code', async () => {
      // aws-sdk-client-mock replaces `send`, so the SDK's retry strategy (which retries Throttling
      // for real, DESIGN §5) never sees this error: the adapter's own handling is what is tested.
      flavor.answerDelete(rds, () => {
        throw awsError('Throttling', 'Rate exceeded.');
      });

      const error = await rejectionOf(adapter().delete(pendingBackup('sr-old')));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain('sr-old');
      expect(error.message).toContain('Throttling');
      expect(flavor.deleteQueries(rds)).toHaveLength(1);
    });
  });
});

describe('rds-instance only', () => {
  it('gives an Aurora member instance a problem that points to target-type rds-cluster with the cluster id', async () => {
    INSTANCE.answerSources(rds, () => ({
      items: [{ id: 'aurora-1-instance-1', status: 'available', clusterId: 'aurora-1' }],
    }));

    const lookup = await rdsInstanceAdapter(client, REGION, POLLING).findSources(
      ['aurora-1-instance-1'],
      {},
    );

    expect(lookup.missing).toEqual([]);
    const problem = lookup.found[0]?.problem ?? '';
    expect(problem).toContain('target-type: rds-cluster');
    expect(problem).toContain('aurora-1');
    expect(problem).toContain('resource-id: aurora-1');
  });
});

describe('rds-instance sources: states and option groups', () => {
  async function lookUp(items: RawSource[]) {
    INSTANCE.answerSources(rds, () => ({ items }));
    return rdsInstanceAdapter(client, REGION, POLLING).findSources(
      items.map((item) => item.id),
      {},
    );
  }

  it('lets an instance in storage-optimization be snapshotted, as RDS allows', async () => {
    const lookup = await lookUp([{ id: 'db-growing', status: 'storage-optimization' }]);

    expect(lookup.found).toEqual([{ id: 'db-growing', tags: {} }]);
  });

  it.each(['modifying', 'backing-up', 'stopped', 'rebooting'])(
    'gives an instance that is %s a problem naming its state and the states RDS allows',
    async (status) => {
      const lookup = await lookUp([{ id: 'db-busy', status }]);

      expect(lookup.found[0]?.problem).toBe(
        `db-busy is '${status}'; RDS takes a DB snapshot only of an instance that is 'available' or 'storage-optimization', so a later run will try again.`,
      );
    },
  );

  it('reads the option group of an instance from its first OptionGroupMemberships entry', async () => {
    const lookup = await lookUp([
      { id: 'db-og', optionGroup: 'og-prod-mysql' },
      { id: 'db-plain' },
    ]);

    expect(lookup.found).toEqual([
      { id: 'db-og', tags: {}, optionGroup: 'og-prod-mysql' },
      { id: 'db-plain', tags: {} },
    ]);
  });
});

describe('rds-cluster sources', () => {
  it('gives a cluster that is not available a problem naming its state', async () => {
    CLUSTER.answerSources(rds, () => ({
      items: [{ id: 'aurora-busy', status: 'storage-optimization' }],
    }));

    const lookup = await rdsClusterAdapter(client, REGION, POLLING).findSources(
      ['aurora-busy'],
      {},
    );

    expect(lookup.found[0]?.problem).toBe(
      "aurora-busy is 'storage-optimization'; Aurora takes a cluster snapshot only of a cluster that is 'available', so a later run will try again.",
    );
  });
});

describe('shared RDS waiting (one flavor: the code is shared)', () => {
  // The SDK's prebuilt waiters retry on every describe error, not-found included; the shared wait
  // polls the adapter's own describe, so the first not-found answer after the snapshot was seen
  // ends the wait.
  it('reports a snapshot that vanished while waiting promptly, not after the whole wait-timeout', async () => {
    const id = rdsSnapshotIdentifier(SET, 'db-1', new Date(CREATED_AT), 255);
    const tags = { ...ownershipTags('db-1'), [TAGS.createdAt]: CREATED_AT };
    let reads = 0;
    INSTANCE.answerSnapshots(rds, () => {
      reads += 1;
      if (reads > 1) throw awsError('DBSnapshotNotFoundFault', `DBSnapshot ${id} not found.`);
      return { items: [{ id, status: 'creating', tags }] };
    });
    const backup: Backup = {
      id,
      kind: 'rds-instance',
      region: REGION,
      sourceId: 'db-1',
      set: SET,
      createdAt: new Date(CREATED_AT),
      state: 'pending',
      tags,
    };
    const started = performance.now();

    const error = await rejectionOf(
      rdsInstanceAdapter(client, REGION, POLLING).waitUntilDone(backup, { maxWaitSeconds: 600 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(`DB snapshot ${id} of db-1 disappeared while waiting for it.`);
    // One poll delay (1 s), not the 600 s wait-timeout nor the 300 s visibility grace.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
