// What differs between the target types, one row each: ids, filters, states, error codes,
// messages and the IAM actions of their calls. contract.test.ts runs the TargetAdapter contract over
// every row, driving each type through its harness (fixtures.ts).
import { EC2ServiceException, type EC2Client } from '@aws-sdk/client-ec2';
import { RDSServiceException, type RDSClient } from '@aws-sdk/client-rds';
import { ec2Client, rdsClient } from '../../src/aws.js';
import { TAGS, type TargetType } from '../../src/constants.js';
import { imageName, rdsSnapshotIdentifier } from '../../src/naming.js';
import { EbsVolumeAdapter } from '../../src/targets/ebs-volume.js';
import { Ec2ImageAdapter } from '../../src/targets/ec2-image.js';
import { rdsClusterAdapter } from '../../src/targets/rds-cluster.js';
import { rdsInstanceAdapter } from '../../src/targets/rds-instance.js';
import type { Backup, BackupState, TargetAdapter } from '../../src/targets/target.js';
import {
  ACCOUNT,
  amiId,
  answerHttp,
  awsTags,
  CLIENT_TOKEN,
  CREATED_AT,
  EBS_SOURCE,
  ebsCopyId,
  ebsHarness,
  ebsId,
  ec2Error,
  ec2ErrorXml,
  IMAGE_SOURCE,
  imageHarness,
  LIVE_INSTANCES,
  rdsArn,
  rdsError,
  rdsErrorXml,
  rdsHarness,
  RDS_SOURCES,
  SET,
  type DeleteAnswer,
  type Harness,
  type QueryFilter,
  type Read,
  type Stored,
} from './fixtures.js';

/** A deletion AWS (or the adapter) refuses for a reason that passes: the backup is skipped. */
export interface Skip {
  name: string;
  answer: DeleteAnswer;
  /** What the message says of backup `id`. */
  says: (id: string) => (string | RegExp)[];
  /** How many deleting calls it takes (the refused one; none where the adapter refuses first). */
  deleteCalls: number;
}

export interface TargetCase {
  type: TargetType;
  /** A source of this type, the one the contract's backups are made of. */
  sourceId: string;
  /** How messages name one backup: `snapshot`, `image`, `DB snapshot`. */
  noun: string;
  /** The start of the sentence of a failed create of `sourceId`. */
  createFailed: (sourceId: string) => string;
  ServiceException: typeof EC2ServiceException | typeof RDSServiceException;
  error: (code: string, message?: string, status?: number) => Error;
  harness: () => Harness;
  /** The id AWS gives (EC2) or the action derives (RDS) for a backup of `sourceId` at `createdAt`. */
  idOf: (sourceId: string, createdAt: string) => string;
  /** The id of a copy of `originalId` in the destination (RDS: the original's identifier). */
  copyIdOf: (originalId: string) => string;
  /** What a backup of `id` in `region` carries besides the common record: RDS's ARN. */
  arnOf: (region: string, id: string) => { arn?: string };
  sources: {
    command: string;
    /** The filter that selects by id, and those every lookup adds (EC2 instances: live states). */
    idFilter: string;
    alwaysFilters: QueryFilter[];
    /** The describe call's list of ids, which fails on the first missing one: never used. */
    idList: string;
    maxIdsPerFilter: number;
    /** EC2 filters by tag on the server; RDS reads every source once and matches the tags. */
    serverTagFilter: boolean;
  };
  listing: {
    commands: string[];
    query: (set: string) => Record<string, unknown>;
    /** What the listing leaves out of its query: it asks for the set, not for given backups. */
    unasked: string[];
  };
  states: {
    pending: string;
    completed: string;
    failed: string;
    /** AWS's states and what each is to the core; undefined: no backup of the set any more. */
    table: [string, BackupState | undefined][];
  };
  /** A failed backup's stateMessage, for AWS's state word and reason. */
  failedMessage: (state: string, reason: string) => string;
  /** A backup without a valid created-at tag: aged by AWS's time, or not the set's at all. */
  untagged: 'aws-time' | 'left out';
  create: {
    command: string;
    taggedResources: string[];
    /** Refusals of the create: [code, message, HTTP status]. */
    refusals: [string, string, number?][];
  };
  read: {
    command: string;
    query: (id: string) => Record<string, unknown>;
    /** The describe of a poll of the waits for `ids`: every one of them in one call. */
    many: (ids: string[]) => Record<string, unknown>;
    /** The most ids that one describe of the waits asks for (AWS's limit of filter values). */
    maxIds: number;
    /** How AWS answers for a backup gone while it was waited for. */
    gone: [string, Read][];
  };
  delete: {
    input: (id: string) => Record<string, unknown>;
    /** The message of an outcome `deleted`, if any. */
    note?: string;
    notFound: string[];
    skips: Skip[];
    failure: [string, string];
  };
  copy: {
    command: string;
    /** The whole input of the copy call for `of` with `tags`, without a key. */
    input: (of: Backup, tags: Record<string, string>) => Record<string, unknown>;
    /** What a key adds to it. */
    key: (kmsKeyId: string) => Record<string, unknown>;
    failure: (originalId: string) => [string, string];
    /** The refusal that says the destination's copies in flight are at AWS's limit. */
    slotsTaken: [string, string];
  };
  /** Where a retried request meets its own backup under a derived name. */
  duplicate?: {
    code: string;
    /** Which requests derive the name: the create, and for RDS the copy too. */
    requests: ('create' | 'copy')[];
    /** The describe that looks the name up, for the backup `id` of `sourceId` at CREATED_AT. */
    lookup: (id: string, sourceId: string) => Record<string, unknown>;
    /** What the refusal adds when the name is another's. */
    hint: (region: string) => string;
  };
  iam: {
    code: string;
    message: string;
    /** The adapter over the action's own client, every answer of which is a 403 refusal. */
    deniedAdapter: (region: string) => TargetAdapter;
    create: string;
    tagging: string;
    list: string;
    /** The first call of a deletion, and how its failure begins. */
    delete: string;
    deleteFailed: (id: string) => string;
    policy: string;
    deletePolicy: string;
  };
  /** The optional members of TargetAdapter it has. */
  optional: { strays: boolean; quota: boolean; copiesNamedAfterOriginal: boolean };
  /** Its size in GiB (`sizeGiB`), as AWS states it. */
  size: {
    /** A backup of `gib` GiB as AWS describes it (in AWS's own field for this type). */
    stored: (gib: number) => Partial<Stored>;
    /** Whether the create call's answer states it; CreateImage answers with the image id alone. */
    createAnswers: boolean;
    /** Whether the copy call's answer states it; EC2's answer with an id alone. */
    copyAnswers: boolean;
  };
}

const EC2_DENIED =
  'You are not authorized to perform this operation. Encoded authorization failure message: abc';
const RDS_DENIED = `User: arn:aws:sts::${ACCOUNT}:assumed-role/backup/gha is not authorized to perform this operation`;

function deniedEc2(region: string): EC2Client {
  const client = ec2Client(region);
  answerHttp(client, () => ({
    status: 403,
    body: ec2ErrorXml('UnauthorizedOperation', EC2_DENIED),
  }));
  return client;
}

function deniedRds(region: string): RDSClient {
  const client = rdsClient(region);
  answerHttp(client, () => ({ status: 403, body: rdsErrorXml('AccessDenied', RDS_DENIED) }));
  return client;
}

/** CopySnapshot's or CopyImage's whole input: from the original's region, tagged at creation. */
function ec2CopyInput(
  of: Backup,
  tags: Record<string, string>,
  sourceId: Record<string, string>,
  resources: string[],
): Record<string, unknown> {
  return {
    SourceRegion: of.region,
    ...sourceId,
    Description: `snapshot-rotation copy of ${of.id} from ${of.region} (source=${of.sourceId})`,
    TagSpecifications: resources.map((ResourceType) => ({ ResourceType, Tags: awsTags(tags) })),
  };
}

const EC2_COMMON = {
  ServiceException: EC2ServiceException,
  error: ec2Error,
  arnOf: () => ({}),
  failedMessage: (_state: string, reason: string) => reason,
  untagged: 'aws-time',
} as const;

export const EBS: TargetCase = {
  ...EC2_COMMON,
  type: 'ebs-volume',
  sourceId: EBS_SOURCE,
  noun: 'snapshot',
  createFailed: (sourceId) => `Could not snapshot ${sourceId}`,
  harness: ebsHarness,
  idOf: ebsId,
  copyIdOf: ebsCopyId,
  sources: {
    command: 'DescribeVolumesCommand',
    idFilter: 'volume-id',
    alwaysFilters: [],
    idList: 'VolumeIds',
    maxIdsPerFilter: 200,
    serverTagFilter: true,
  },
  listing: {
    commands: ['DescribeSnapshotsCommand'],
    query: (set) => ({
      OwnerIds: ['self'],
      Filters: [{ Name: `tag:${TAGS.backupSet}`, Values: [set] }],
      MaxResults: 1000,
    }),
    unasked: ['SnapshotIds'],
  },
  states: {
    pending: 'pending',
    completed: 'completed',
    failed: 'error',
    table: [
      ['pending', 'pending'],
      ['completed', 'completed'],
      ['error', 'failed'],
      // In the Recycle Bin, or being restored from it: not pending, not counted, never deleted.
      ['recoverable', undefined],
      ['recovering', undefined],
    ],
  },
  create: {
    command: 'CreateSnapshotCommand',
    taggedResources: ['snapshot'],
    refusals: [
      ['IncorrectState', `The volume '${EBS_SOURCE}' is not in the 'available' or 'in-use' state.`],
      // aws-sdk-client-mock replaces `send`, so the SDK's retries never see it; the adapter does
      // not back off on it itself (throttling is the SDK's business).
      ['RequestLimitExceeded', 'Request limit exceeded.', 503],
    ],
  },
  read: {
    command: 'DescribeSnapshotsCommand',
    query: (id) => ({ OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: [id] }] }),
    many: (ids) => ({ OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: ids }] }),
    maxIds: 200,
    gone: [['an empty answer to a filter by its id', 'absent']],
  },
  delete: {
    input: (id) => ({ SnapshotId: id }),
    notFound: ['InvalidSnapshot.NotFound'],
    skips: [
      {
        name: 'a snapshot still used by an image (InvalidSnapshot.InUse)',
        answer: ec2Error('InvalidSnapshot.InUse', 'The snapshot is in use by ami-1'),
        says: (id) => [id, 'InvalidSnapshot.InUse'],
        deleteCalls: 1,
      },
      {
        name: 'a locked snapshot (EBS snapshot lock), instead of failing',
        answer: ec2Error(
          'InvalidParameterValue',
          'The snapshot is locked in compliance mode and cannot be deleted.',
        ),
        says: (id) => [
          new RegExp(`^${id} is locked \\(EBS snapshot lock\\)`),
          'The snapshot is locked in compliance mode and cannot be deleted.',
          /left in place/,
        ],
        deleteCalls: 1,
      },
    ],
    failure: ['UnauthorizedOperation', 'Not allowed.'],
  },
  copy: {
    command: 'CopySnapshotCommand',
    input: (of, tags) => ec2CopyInput(of, tags, { SourceSnapshotId: of.id }, ['snapshot']),
    key: (kmsKeyId) => ({ Encrypted: true, KmsKeyId: kmsKeyId }),
    failure: (id) => ['InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`],
    slotsTaken: ['ResourceLimitExceeded', 'Too many snapshot copies in progress in the region.'],
  },
  iam: {
    code: 'UnauthorizedOperation',
    message: EC2_DENIED,
    deniedAdapter: (region) => new EbsVolumeAdapter(deniedEc2(region), region),
    create: 'ec2:CreateSnapshot',
    tagging: 'ec2:CreateTags',
    list: 'ec2:DescribeSnapshots',
    delete: 'ec2:DeleteSnapshot',
    deleteFailed: (id) => `Could not delete snapshot ${id}`,
    policy: 'ebs-volume',
    deletePolicy: 'ebs-volume or ec2-image or ec2-instance',
  },
  optional: { strays: true, quota: false, copiesNamedAfterOriginal: false },
  // Snapshot.VolumeSize: the size of the volume it was made from.
  size: { stored: (gib) => ({ sizeGiB: gib }), createAnswers: true, copyAnswers: false },
};

export const IMAGE: TargetCase = {
  ...EC2_COMMON,
  type: 'ec2-image',
  sourceId: IMAGE_SOURCE,
  noun: 'image',
  createFailed: (sourceId) => `Could not create an image of ${sourceId}`,
  harness: imageHarness,
  idOf: amiId,
  copyIdOf: (originalId) => originalId.replace(/^ami-/, 'ami-copy-'),
  sources: {
    command: 'DescribeInstancesCommand',
    idFilter: 'instance-id',
    alwaysFilters: [LIVE_INSTANCES],
    idList: 'InstanceIds',
    maxIdsPerFilter: 200,
    serverTagFilter: true,
  },
  listing: {
    // The set's snapshots first, for those an interrupted prune left behind; then its images.
    commands: ['DescribeSnapshotsCommand', 'DescribeImagesCommand'],
    query: (set) => ({
      Owners: ['self'],
      // Disabled and deprecated images still hold snapshots.
      IncludeDisabled: true,
      IncludeDeprecated: true,
      Filters: [{ Name: `tag:${TAGS.backupSet}`, Values: [set] }],
    }),
    unasked: ['ImageIds'],
  },
  states: {
    pending: 'pending',
    completed: 'available',
    failed: 'failed',
    table: [
      ['pending', 'pending'],
      ['available', 'completed'],
      ['disabled', 'completed'],
      ['failed', 'failed'],
      ['deregistered', undefined],
    ],
  },
  create: {
    command: 'CreateImageCommand',
    taggedResources: ['image', 'snapshot'],
    refusals: [
      ['InvalidInstanceID.NotFound', `The instance ID '${IMAGE_SOURCE}' does not exist`],
      [
        'IncorrectInstanceState',
        `The instance '${IMAGE_SOURCE}' is not in a state from which it can be imaged.`,
      ],
      // No name lookup for any error but InvalidAMIName.Duplicate.
      ['InvalidParameterValue', 'Bad name.'],
    ],
  },
  read: {
    command: 'DescribeImagesCommand',
    query: (id) => ({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: [id] }] }),
    many: (ids) => ({ Owners: ['self'], Filters: [{ Name: 'image-id', Values: ids }] }),
    maxIds: 200,
    gone: [['an empty answer to a filter by its id', 'absent']],
  },
  delete: {
    // Deregistered together with its snapshots (DeleteAssociatedSnapshots).
    input: (id) => ({ ImageId: id, DeleteAssociatedSnapshots: true }),
    note: 'snapshots: snap-1 deleted',
    notFound: ['InvalidAMIID.NotFound'],
    skips: [
      {
        name: 'an image with deregistration protection it never saw, deregistering nothing',
        answer: { protection: 'enabled' },
        says: (id) => [id, /deregistration protection/],
        deleteCalls: 0,
      },
    ],
    failure: ['AccessDenied', 'User is not authorized to perform ec2:DeregisterImage'],
  },
  copy: {
    command: 'CopyImageCommand',
    // The image's name and a client token: a request sent again returns the same copy.
    input: (of, tags) => ({
      ...ec2CopyInput(of, tags, { SourceImageId: of.id }, ['image', 'snapshot']),
      Name: imageName(of.set, of.sourceId, of.createdAt),
      ClientToken: CLIENT_TOKEN,
    }),
    key: (kmsKeyId) => ({ Encrypted: true, KmsKeyId: kmsKeyId }),
    failure: (id) => ['InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`],
    slotsTaken: ['ResourceLimitExceeded', 'You have reached the limit of copies.'],
  },
  duplicate: {
    code: 'InvalidAMIName.Duplicate',
    requests: ['create'],
    lookup: (_id, sourceId) => ({
      Owners: ['self'],
      Filters: [{ Name: 'name', Values: [imageName(SET, sourceId, new Date(CREATED_AT))] }],
    }),
    hint: () => '',
  },
  iam: {
    code: 'UnauthorizedOperation',
    message: EC2_DENIED,
    deniedAdapter: (region) => new Ec2ImageAdapter(deniedEc2(region), region, { noReboot: true }),
    create: 'ec2:CreateImage',
    tagging: 'ec2:CreateTags',
    // The left-behind snapshots are listed first.
    list: 'ec2:DescribeSnapshots',
    // An image it never listed is read first, for its snapshots and its protection.
    delete: 'ec2:DescribeImages',
    deleteFailed: (id) => `Could not read image ${id}`,
    policy: 'ec2-image',
    deletePolicy: 'ec2-image',
  },
  optional: { strays: false, quota: false, copiesNamedAfterOriginal: false },
  // The sum of BlockDeviceMappings[].Ebs.VolumeSize: two volumes here.
  size: {
    stored: (gib) => ({ volumeSizes: [8, gib - 8] }),
    createAnswers: false,
    copyAnswers: false,
  },
};

function rdsCase(
  type: 'rds-instance' | 'rds-cluster',
  names: {
    noun: string;
    source: string;
    idFilter: string;
    idList: string;
    maxIdentifierLength: number;
    listCommand: string;
    notFound: string;
    alreadyExists: string;
    invalidSnapshotState: string;
    invalidSourceState: string;
    copySource: string;
    copyTarget: string;
    identifier: string;
    snapshotIdFilter: string;
    action: string;
    factory: typeof rdsInstanceAdapter;
  },
): TargetCase {
  const sourceId = RDS_SOURCES[type];
  const idOf = (source: string, createdAt: string) =>
    rdsSnapshotIdentifier(SET, source, new Date(createdAt), names.maxIdentifierLength);
  return {
    type,
    sourceId,
    noun: names.noun,
    createFailed: (source) => `Could not create a ${names.noun} of ${source}`,
    ServiceException: RDSServiceException,
    error: rdsError,
    harness: () => rdsHarness(type),
    idOf,
    // A copy keeps its original's identifier.
    copyIdOf: (originalId) => originalId,
    arnOf: (region, id) => ({ arn: rdsArn(type, region, id) }),
    sources: {
      command: names.source,
      idFilter: names.idFilter,
      alwaysFilters: [],
      idList: names.idList,
      maxIdsPerFilter: 100,
      serverTagFilter: false,
    },
    listing: {
      // Manual only: automated and AWS Backup snapshots are never listed, so never deleted; and
      // the tags are read in the answer, never one ListTagsForResource per snapshot.
      commands: [names.listCommand],
      query: () => ({ SnapshotType: 'manual', MaxRecords: 100 }),
      unasked: [names.identifier],
    },
    states: {
      pending: 'creating',
      completed: 'available',
      failed: 'failed',
      table: [
        ['available', 'completed'],
        ['creating', 'pending'],
        ['pending', 'pending'],
        ['failed', 'failed'],
        ['incompatible-restore', 'failed'],
        ['incompatible-parameters', 'failed'],
        ['deleting', undefined],
        ['deleted', undefined],
      ],
    },
    // RDS gives no reason: the message names the status.
    failedMessage: (state) => `status ${state}`,
    // The identifier derives from the tag: without a valid one the snapshot is none of the set's.
    untagged: 'left out',
    create: {
      command: `Create${names.action}Command`,
      taggedResources: ['snapshot'],
      refusals: [[names.invalidSourceState, 'The source is not in the available state.']],
    },
    read: {
      command: names.listCommand,
      // By the identifier filter, which leaves out what does not exist (no not-found error).
      query: (id) => ({ Filters: [{ Name: names.snapshotIdFilter, Values: [id] }] }),
      many: (ids) => ({ Filters: [{ Name: names.snapshotIdFilter, Values: ids }] }),
      maxIds: 100,
      gone: [
        ['an empty answer to a filter by its identifier', 'absent'],
        ['status deleting', { state: 'deleting' }],
      ],
    },
    delete: {
      input: (id) => ({ [names.identifier]: id }),
      notFound: [names.notFound, `${names.notFound}Fault`],
      skips: [
        {
          name: `a snapshot in a state that cannot be deleted (${names.invalidSnapshotState})`,
          answer: rdsError(names.invalidSnapshotState, 'The snapshot is being copied.'),
          says: (id) => [id],
          deleteCalls: 1,
        },
      ],
      // aws-sdk-client-mock replaces `send`, so the SDK's retry strategy (which retries Throttling
      // for real) never sees it: the adapter's own handling is what is tested.
      failure: ['Throttling', 'Rate exceeded.'],
    },
    copy: {
      command: `Copy${names.action}Command`,
      // The source named by its ARN, the copy under the original's identifier.
      input: (of, tags) => ({
        [names.copySource]: of.arn,
        [names.copyTarget]: of.id,
        Tags: awsTags(tags),
      }),
      key: (kmsKeyId) => ({ KmsKeyId: kmsKeyId }),
      failure: () => [
        'KMSKeyNotAccessibleFault',
        'The specified KMS key does not exist, is not enabled or you do not have permissions to access it.',
      ],
      slotsTaken: [
        'SnapshotQuotaExceededFault',
        'Cannot start more snapshot copies: 5 copies are already in progress to this region.',
      ],
    },
    duplicate: {
      code: names.alreadyExists,
      requests: ['create', 'copy'],
      lookup: (id) => ({ [names.identifier]: id }),
      hint: (region) =>
        ` Another ${names.noun} in ${region} already has this identifier and is not one this backup set counts; rename or delete it.`,
    },
    iam: {
      code: 'AccessDenied',
      message: RDS_DENIED,
      deniedAdapter: (region) => names.factory(deniedRds(region), region),
      create: `rds:Create${names.action}`,
      tagging: 'rds:AddTagsToResource',
      list: `rds:Describe${names.action}s`,
      delete: `rds:Delete${names.action}`,
      deleteFailed: (id) => `Could not delete ${names.noun} ${id}`,
      policy: 'rds-instance and rds-cluster',
      deletePolicy: 'rds-instance and rds-cluster',
    },
    optional: { strays: false, quota: true, copiesNamedAfterOriginal: true },
    // AllocatedStorage. A cluster snapshot's only where the cluster's storage is fixed: a Multi-AZ
    // DB cluster's (engine postgres here); Aurora's is not its size (rds.test.ts).
    size: {
      stored: (gib) => ({
        sizeGiB: gib,
        ...(type === 'rds-cluster' ? { engine: 'postgres' } : {}),
      }),
      createAnswers: true,
      copyAnswers: true,
    },
  };
}

export const RDS_INSTANCE = rdsCase('rds-instance', {
  noun: 'DB snapshot',
  source: 'DescribeDBInstancesCommand',
  idFilter: 'db-instance-id',
  idList: 'DBInstanceIdentifier',
  maxIdentifierLength: 255,
  listCommand: 'DescribeDBSnapshotsCommand',
  notFound: 'DBSnapshotNotFound',
  alreadyExists: 'DBSnapshotAlreadyExistsFault',
  invalidSnapshotState: 'InvalidDBSnapshotState',
  invalidSourceState: 'InvalidDBInstanceState',
  copySource: 'SourceDBSnapshotIdentifier',
  copyTarget: 'TargetDBSnapshotIdentifier',
  identifier: 'DBSnapshotIdentifier',
  snapshotIdFilter: 'db-snapshot-id',
  action: 'DBSnapshot',
  factory: rdsInstanceAdapter,
});

export const RDS_CLUSTER = rdsCase('rds-cluster', {
  noun: 'DB cluster snapshot',
  source: 'DescribeDBClustersCommand',
  idFilter: 'db-cluster-id',
  idList: 'DBClusterIdentifier',
  maxIdentifierLength: 63,
  listCommand: 'DescribeDBClusterSnapshotsCommand',
  notFound: 'DBClusterSnapshotNotFound',
  alreadyExists: 'DBClusterSnapshotAlreadyExistsFault',
  invalidSnapshotState: 'InvalidDBClusterSnapshotStateFault',
  invalidSourceState: 'InvalidDBClusterStateFault',
  copySource: 'SourceDBClusterSnapshotIdentifier',
  copyTarget: 'TargetDBClusterSnapshotIdentifier',
  identifier: 'DBClusterSnapshotIdentifier',
  snapshotIdFilter: 'db-cluster-snapshot-id',
  action: 'DBClusterSnapshot',
  factory: rdsClusterAdapter,
});

/** Every target type, as the contract runs over them. */
export const TARGET_CASES: TargetCase[] = [EBS, IMAGE, RDS_INSTANCE, RDS_CLUSTER];
