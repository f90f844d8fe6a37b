// Adapter tests for cross-region copies (DESIGN §8): each adapter as the destination region's adapter
// — what it sends to CopySnapshot / CopyImage / CopyDBSnapshot / CopyDBClusterSnapshot, the copy
// record it returns, its errors, and how copies read back in a listing and in a wait. A real client
// of the destination region is wrapped by aws-sdk-client-mock (so the SDK's presigning middleware
// does not run: the tests look at the command input the adapter built). Fresh clients per test keep
// a waiter left polling by one test away from the next test's mock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  EC2ServiceException,
  type DescribeImagesCommandInput,
  type DescribeSnapshotsCommandInput,
  type Image,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RDSServiceException,
  type DBClusterSnapshot,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { TAGS } from '../../src/constants.js';
import { CancelledError, DeferredError, TargetError } from '../../src/errors.js';
import { imageName, rdsSnapshotIdentifier } from '../../src/naming.js';
import type { Sleep } from '../../src/sleep.js';
import { EbsVolumeAdapter } from '../../src/targets/ebs-volume.js';
import { Ec2ImageAdapter } from '../../src/targets/ec2-image.js';
import type { RdsAdapter, RdsOptions } from '../../src/targets/rds.js';
import { rdsClusterAdapter } from '../../src/targets/rds-cluster.js';
import { rdsInstanceAdapter } from '../../src/targets/rds-instance.js';
import type { Backup, CopyRequest } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';

/** Where the originals live, and the destination whose adapter is under test. */
const SOURCE_REGION = 'us-east-1';
const DEST = 'eu-west-1';
const SET = 'nightly';
const ACCOUNT = '123456789012';
/** The original's created-at tag: the copy's age. */
const CREATED_AT = '2026-11-22T12:00:00.000Z';
/** AWS's time of the copy, days after the original was made. */
const COPY_TIME = new Date('2026-11-25T07:00:00Z');
const DEST_KEY = `arn:aws:kms:${DEST}:${ACCOUNT}:key/1111aaaa-22bb-33cc-44dd-555555eeeeee`;
const CLIENT_TOKEN = 'a'.repeat(64);
const POLLING = { minDelaySeconds: 1, maxDelaySeconds: 1 } as const;

type AwsTag = { Key?: string | undefined; Value?: string | undefined };

function awsTags(record: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

function tagRecord(tags: readonly AwsTag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? '']));
}

function ec2Error(code: string, message: string): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

function rdsError(code: string, message: string): RDSServiceException {
  return new RDSServiceException({
    name: code,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

/** The error the SDK throws when a request's abort signal fires. */
function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

/** A completed original in SOURCE_REGION. */
function original(
  kind: Backup['kind'],
  id: string,
  sourceId: string,
  overrides: Partial<Backup> = {},
): Backup {
  return {
    id,
    kind,
    region: SOURCE_REGION,
    sourceId,
    set: SET,
    createdAt: new Date(CREATED_AT),
    state: 'completed',
    tags: {
      [TAGS.backupSet]: SET,
      [TAGS.source]: sourceId,
      [TAGS.createdAt]: CREATED_AT,
      app: 'web',
    },
    ...overrides,
  };
}

/** The tag set the core gives a copy of `of` (composeCopyTags): carried tags plus ownership. */
function copyTags(of: Backup): Record<string, string> {
  return {
    app: 'web',
    [TAGS.backupSet]: of.set,
    [TAGS.source]: of.sourceId,
    [TAGS.createdAt]: of.createdAt.toISOString(),
    [TAGS.copyOf]: of.id,
    [TAGS.sourceRegion]: of.region,
    [TAGS.run]: '77',
  };
}

function copyRequest(of: Backup, overrides: Partial<CopyRequest> = {}): CopyRequest {
  return { original: of, tags: copyTags(of), clientToken: CLIENT_TOKEN, ...overrides };
}

function newEc2Client(): EC2Client {
  return new EC2Client({
    region: DEST,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
}

function newRdsClient(): RDSClient {
  return new RDSClient({
    region: DEST,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
}

interface DescribeQuery {
  Marker?: string | undefined;
  SnapshotType?: string | undefined;
  id?: string | undefined;
}

/** What the adapter sent to Describe DB (cluster) snapshots, copied when asked (the paginator reuses its input). */
let describeLog: DescribeQuery[] = [];

let ec2Client: EC2Client;
let ec2: AwsClientStub<EC2Client>;
let rdsClient: RDSClient;
let rds: AwsClientStub<RDSClient>;

beforeEach(() => {
  ec2Client = newEc2Client();
  ec2 = mockClient(ec2Client);
  // The image listing also reads the set's snapshots (left behind by an interrupted prune).
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  rdsClient = newRdsClient();
  rds = mockClient(rdsClient);
  describeLog = [];
});

afterEach(() => {
  ec2.restore();
  rds.restore();
});

// ---------------------------------------------------------------------------------------------
// EBS snapshots
// ---------------------------------------------------------------------------------------------

describe('EbsVolumeAdapter as a copy destination', () => {
  const VOLUME = 'vol-1';
  const fakeSleep = vi.fn<Sleep>(() => Promise.resolve());

  function adapter(): EbsVolumeAdapter {
    return new EbsVolumeAdapter(ec2Client, DEST, { ...POLLING, sleep: fakeSleep });
  }

  function snapOriginal(overrides: Partial<Backup> = {}): Backup {
    return original('ebs-volume', 'snap-orig', VOLUME, overrides);
  }

  function copySnapshotInput() {
    const calls = ec2.commandCalls(CopySnapshotCommand);
    expect(calls).toHaveLength(1);
    return calls[0]!.args[0].input;
  }

  describe('copy', () => {
    it('sends CopySnapshot from the original’s region and id, tagged with exactly the given tags', async () => {
      ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });
      const of = snapOriginal();

      await adapter().copy(copyRequest(of));

      const input = copySnapshotInput();
      expect(input.SourceRegion).toBe(SOURCE_REGION);
      expect(input.SourceSnapshotId).toBe('snap-orig');
      expect(input.Description).toContain('snap-orig');
      expect(input.Description).toContain(SOURCE_REGION);
      expect(input.TagSpecifications).toEqual([
        { ResourceType: 'snapshot', Tags: awsTags(copyTags(of)) },
      ]);
      // An original whose encryption is unknown is never asked to be encrypted.
      expect(input).not.toHaveProperty('Encrypted');
      expect(input).not.toHaveProperty('KmsKeyId');
    });

    it('copies an encrypted original with the destination key: Encrypted true and the KmsKeyId', async () => {
      ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });

      await adapter().copy(copyRequest(snapOriginal({ encrypted: true }), { kmsKeyId: DEST_KEY }));

      const input = copySnapshotInput();
      expect(input.Encrypted).toBe(true);
      expect(input.KmsKeyId).toBe(DEST_KEY);
    });

    it('copies an encrypted original without a key under the region’s default key (no KmsKeyId)', async () => {
      ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });

      await adapter().copy(copyRequest(snapOriginal({ encrypted: true })));

      const input = copySnapshotInput();
      expect(input).not.toHaveProperty('Encrypted');
      expect(input).not.toHaveProperty('KmsKeyId');
    });

    it('does not encrypt the copy of an unencrypted original even when a key is given', async () => {
      ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });

      await adapter().copy(copyRequest(snapOriginal({ encrypted: false }), { kmsKeyId: DEST_KEY }));

      const input = copySnapshotInput();
      expect(input).not.toHaveProperty('Encrypted');
      expect(input).not.toHaveProperty('KmsKeyId');
    });

    it('returns a pending copy in the destination region, aged by the original’s created-at tag', async () => {
      ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });
      const of = snapOriginal({ encrypted: true });

      const copy = await adapter().copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      expect(copy).toEqual({
        id: 'snap-copy',
        kind: 'ebs-volume',
        region: DEST,
        sourceId: VOLUME,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state: 'pending',
        tags: copyTags(of),
        copyOf: 'snap-orig',
        sourceRegion: SOURCE_REGION,
        encrypted: true,
      });
    });

    it('turns an AWS error into a TargetError naming the snapshot, the destination and AWS’s message', async () => {
      ec2
        .on(CopySnapshotCommand)
        .rejects(ec2Error('InvalidSnapshot.NotFound', "The snapshot 'snap-orig' does not exist."));

      const error = await rejectionOf(adapter().copy(copyRequest(snapOriginal())));

      expect(error).toBeInstanceOf(TargetError);
      expect(error).not.toBeInstanceOf(DeferredError);
      expect(error.message).toBe(
        `Could not copy snapshot snap-orig to ${DEST}: The snapshot 'snap-orig' does not exist (InvalidSnapshot.NotFound).`,
      );
      expect(error.cause).toBeInstanceOf(EC2ServiceException);
    });

    it('defers a copy refused with ResourceLimitExceeded (copy slots taken by other tools) to a later run', async () => {
      ec2
        .on(CopySnapshotCommand)
        .rejects(
          ec2Error('ResourceLimitExceeded', 'Too many snapshot copies in progress in the region.'),
        );

      const error = await rejectionOf(adapter().copy(copyRequest(snapOriginal())));

      expect(error).toBeInstanceOf(DeferredError);
      expect(error.message).toBe(
        `Could not copy snapshot snap-orig to ${DEST}: Too many snapshot copies in progress in the region (ResourceLimitExceeded). The destination's copies in flight are at AWS's limit (other tools share it); a later run copies it.`,
      );
      expect(error.cause).toBeInstanceOf(EC2ServiceException);
    });

    it('throws a TargetError when CopySnapshot answers without a snapshot id', async () => {
      ec2.on(CopySnapshotCommand).resolves({});

      const error = await rejectionOf(adapter().copy(copyRequest(snapOriginal())));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(DEST);
    });

    it('throws a CancelledError and sends nothing when the signal is already aborted', async () => {
      ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });
      const controller = new AbortController();
      controller.abort();

      const error = await rejectionOf(
        adapter().copy(copyRequest(snapOriginal(), { signal: controller.signal })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(ec2.commandCalls(CopySnapshotCommand)).toHaveLength(0);
    });

    it('throws a CancelledError, not a TargetError, when the run is cancelled during the call', async () => {
      const controller = new AbortController();
      ec2.on(CopySnapshotCommand).callsFake(() => {
        controller.abort();
        throw abortError();
      });

      const error = await rejectionOf(
        adapter().copy(copyRequest(snapOriginal(), { signal: controller.signal })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      // The signal went with the request, so the SDK could abort it.
      const [, options] = ec2.send.firstCall.args as unknown[];
      expect(options).toEqual({ abortSignal: controller.signal });
    });

    it('takes one in-flight copy slot per snapshot', () => {
      expect(adapter().copySlots()).toBe(1);
    });
  });

  describe('listBackups of the destination', () => {
    function copySnapshot(id: string, copyOf: string, overrides: Partial<Snapshot> = {}): Snapshot {
      return {
        SnapshotId: id,
        VolumeId: 'vol-ffffffff',
        State: 'completed',
        StartTime: COPY_TIME,
        Tags: awsTags(copyTags(snapOriginal({ id: copyOf }))),
        ...overrides,
      };
    }

    it('returns the copies of every page (NextToken) with copyOf, sourceRegion and encrypted', async () => {
      const inputs: DescribeSnapshotsCommandInput[] = [];
      const pages = [
        { Snapshots: [copySnapshot('snap-c1', 'snap-o1', { Encrypted: true })], NextToken: 't-2' },
        {
          Snapshots: [copySnapshot('snap-c2', 'snap-o2', { Encrypted: false, State: 'pending' })],
          NextToken: 't-3',
        },
        { Snapshots: [copySnapshot('snap-c3', 'snap-o3', { Encrypted: true })] },
      ];
      ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => {
        inputs.push(structuredClone(input));
        return pages[inputs.length - 1];
      });

      const backups = await adapter().listBackups(SET);

      expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 't-2', 't-3']);
      const expected = (id: string, copyOf: string, state: string, encrypted: boolean) => ({
        id,
        kind: 'ebs-volume',
        region: DEST,
        sourceId: VOLUME,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state,
        tags: copyTags(snapOriginal({ id: copyOf })),
        copyOf,
        sourceRegion: SOURCE_REGION,
        encrypted,
      });
      expect(backups).toEqual([
        expected('snap-c1', 'snap-o1', 'completed', true),
        expected('snap-c2', 'snap-o2', 'pending', false),
        expected('snap-c3', 'snap-o3', 'completed', true),
      ]);
    });

    it('leaves copyOf, sourceRegion and encrypted off a backup made in this region', async () => {
      ec2.on(DescribeSnapshotsCommand).resolves({
        Snapshots: [
          {
            SnapshotId: 'snap-local',
            VolumeId: VOLUME,
            State: 'completed',
            StartTime: COPY_TIME,
            Tags: awsTags(snapOriginal().tags),
          },
        ],
      });

      const [backup] = await adapter().listBackups(SET);

      expect(backup).toBeDefined();
      expect(backup).not.toHaveProperty('copyOf');
      expect(backup).not.toHaveProperty('sourceRegion');
      expect(backup).not.toHaveProperty('encrypted');
    });
  });

  describe('waitUntilDone of a copy', () => {
    it('returns the copy failed with AWS’s StateMessage when it ends in error', async () => {
      const message =
        'The KMS key arn:aws:kms:eu-west-1:123456789012:key/1111 is not accessible: access denied.';
      ec2.on(DescribeSnapshotsCommand).resolves({
        Snapshots: [
          {
            SnapshotId: 'snap-copy',
            State: 'error',
            StateMessage: message,
            StartTime: COPY_TIME,
            Encrypted: true,
            Tags: awsTags(copyTags(snapOriginal())),
          },
        ],
      });
      ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });
      const copies = adapter();
      const pending = await copies.copy(copyRequest(snapOriginal({ encrypted: true })));

      const done = await copies.waitUntilDone(pending, { maxWaitSeconds: 60 });

      expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.Filters).toEqual([
        { Name: 'snapshot-id', Values: ['snap-copy'] },
      ]);
      expect(done).toEqual({
        ...pending,
        state: 'failed',
        stateMessage: message,
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// AMIs
// ---------------------------------------------------------------------------------------------

describe('Ec2ImageAdapter as a copy destination', () => {
  const INSTANCE = 'i-0123456789abcdef0';

  function adapter(client: EC2Client = ec2Client): Ec2ImageAdapter {
    return new Ec2ImageAdapter(client, DEST, { noReboot: true, ...POLLING });
  }

  function amiOriginal(overrides: Partial<Backup> = {}): Backup {
    return original('ec2-image', 'ami-orig', INSTANCE, overrides);
  }

  /** The copy as DescribeImages shows it in the destination; `tags: undefined` drops them (moto). */
  function copiedImage(
    tags: Record<string, string> | undefined,
    overrides: Partial<Image> = {},
    snapshots: string[] = [],
    encrypted?: boolean,
  ): Image {
    return {
      ImageId: 'ami-copy',
      Name: imageName(SET, INSTANCE, new Date(CREATED_AT)),
      State: 'pending',
      CreationDate: COPY_TIME.toISOString(),
      ...(tags ? { Tags: awsTags(tags) } : {}),
      BlockDeviceMappings: snapshots.map((snapshotId, i) => ({
        DeviceName: `/dev/sd${String.fromCharCode(97 + i)}`,
        Ebs: {
          SnapshotId: snapshotId,
          VolumeSize: 8,
          ...(encrypted !== undefined ? { Encrypted: encrypted } : {}),
        },
      })),
      ...overrides,
    };
  }

  function copyImageInput() {
    const calls = ec2.commandCalls(CopyImageCommand);
    expect(calls).toHaveLength(1);
    return calls[0]!.args[0].input;
  }

  function createTagsInputs() {
    return ec2.commandCalls(CreateTagsCommand).map((call) => ({
      Resources: call.args[0].input.Resources,
      Tags: tagRecord(call.args[0].input.Tags),
    }));
  }

  describe('copy', () => {
    it('sends CopyImage from the original’s region and id, with its name, the client token and the tags for the image and its snapshots', async () => {
      ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });
      const of = amiOriginal();

      await adapter().copy(copyRequest(of));

      const input = copyImageInput();
      expect(input.SourceRegion).toBe(SOURCE_REGION);
      expect(input.SourceImageId).toBe('ami-orig');
      expect(input.Name).toBe(imageName(SET, INSTANCE, new Date(CREATED_AT)));
      expect(input.ClientToken).toBe(CLIENT_TOKEN);
      expect(input.Description).toContain('ami-orig');
      expect(input.TagSpecifications).toEqual([
        { ResourceType: 'image', Tags: awsTags(copyTags(of)) },
        { ResourceType: 'snapshot', Tags: awsTags(copyTags(of)) },
      ]);
      expect(input).not.toHaveProperty('Encrypted');
      expect(input).not.toHaveProperty('KmsKeyId');
    });

    it('copies an encrypted original with the destination key: Encrypted true and the KmsKeyId', async () => {
      ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });

      await adapter().copy(copyRequest(amiOriginal({ encrypted: true }), { kmsKeyId: DEST_KEY }));

      const input = copyImageInput();
      expect(input.Encrypted).toBe(true);
      expect(input.KmsKeyId).toBe(DEST_KEY);
    });

    it('does not encrypt the copy of an unencrypted original even when a key is given', async () => {
      ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });

      await adapter().copy(copyRequest(amiOriginal({ encrypted: false }), { kmsKeyId: DEST_KEY }));

      const input = copyImageInput();
      expect(input).not.toHaveProperty('Encrypted');
      expect(input).not.toHaveProperty('KmsKeyId');
    });

    it('returns the pending copy record at once, sending nothing after CopyImage', async () => {
      ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });
      const of = amiOriginal({ encrypted: false });

      const copy = await adapter().copy(copyRequest(of));

      expect(copy).toEqual({
        id: 'ami-copy',
        kind: 'ec2-image',
        region: DEST,
        sourceId: INSTANCE,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state: 'pending',
        tags: copyTags(of),
        copyOf: 'ami-orig',
        sourceRegion: SOURCE_REGION,
        encrypted: false,
      });
      expect(ec2.calls().map((call) => (call.args[0] as object).constructor.name)).toEqual([
        'CopyImageCommand',
      ]);
    });

    it('counts a copy that shows up without its tags as its own, and tags it and its snapshots in one call once available', async () => {
      ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });
      ec2
        .on(DescribeImagesCommand)
        .resolvesOnce({ Images: [copiedImage(undefined, {}, ['snap-a', 'snap-b'], true)] })
        .resolves({
          Images: [copiedImage(undefined, { State: 'available' }, ['snap-a', 'snap-b'], true)],
        });
      ec2.on(CreateTagsCommand).resolves({});
      const of = amiOriginal({ encrypted: true });
      const images = adapter();

      const pending = await images.copy(copyRequest(of, { kmsKeyId: DEST_KEY }));
      const done = await images.waitUntilDone(pending, { maxWaitSeconds: 60 });

      expect(createTagsInputs()).toEqual([
        { Resources: ['ami-copy', 'snap-a', 'snap-b'], Tags: copyTags(of) },
      ]);
      expect(done).toEqual({
        id: 'ami-copy',
        kind: 'ec2-image',
        region: DEST,
        sourceId: INSTANCE,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state: 'completed',
        tags: copyTags(of),
        copyOf: 'ami-orig',
        sourceRegion: SOURCE_REGION,
        encrypted: true,
      });
    });

    it('sends no CreateTags for a copy that shows up with its tags', async () => {
      const of = amiOriginal();
      ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });
      ec2
        .on(DescribeImagesCommand)
        .resolves({ Images: [copiedImage(copyTags(of), { State: 'available' }, ['snap-a'])] });
      const images = adapter();

      const done = await images.waitUntilDone(await images.copy(copyRequest(of)), {
        maxWaitSeconds: 60,
      });

      expect(done).toMatchObject({ id: 'ami-copy', state: 'completed', copyOf: 'ami-orig' });
      expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    });

    it('warns that the copy must be deregistered by hand when tagging a copy that lost its tags is refused', async () => {
      ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });
      ec2.on(DescribeImagesCommand).resolves({
        Images: [copiedImage(undefined, { State: 'available' }, ['snap-a'])],
      });
      ec2
        .on(CreateTagsCommand)
        .rejects(
          ec2Error('UnauthorizedOperation', 'You are not authorized to perform ec2:CreateTags.'),
        );
      const warn = vi.fn<(message: string) => void>();
      const images = adapter();

      const done = await images.waitUntilDone(await images.copy(copyRequest(amiOriginal())), {
        maxWaitSeconds: 60,
        warn,
      });

      expect(done.state).toBe('completed');
      expect(warn.mock.calls).toEqual([
        [
          "Image ami-copy came back without the tags it was created with, and tagging it and its snapshots (snap-a) afterwards failed; no run will count it, so deregister it by hand: AWS denied the call (UnauthorizedOperation): You are not authorized to perform ec2:CreateTags; the role lacks a permission (see the README's minimal IAM policy for your target-type).",
        ],
      ]);
    });

    it('defers a copy refused with ResourceLimitExceeded to a later run', async () => {
      ec2
        .on(CopyImageCommand)
        .rejects(ec2Error('ResourceLimitExceeded', 'You have reached the limit of copies.'));

      const error = await rejectionOf(adapter().copy(copyRequest(amiOriginal())));

      expect(error).toBeInstanceOf(DeferredError);
      expect(error.message).toMatch(
        new RegExp(`^Could not copy image ami-orig to ${DEST}: .*a later run copies it\\.$`),
      );
    });

    it('turns a CopyImage error into a TargetError naming the image, the destination and AWS’s message', async () => {
      ec2
        .on(CopyImageCommand)
        .rejects(ec2Error('InvalidAMIID.NotFound', "The image id '[ami-orig]' does not exist"));

      const error = await rejectionOf(adapter().copy(copyRequest(amiOriginal())));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toBe(
        `Could not copy image ami-orig to ${DEST}: The image id '[ami-orig]' does not exist (InvalidAMIID.NotFound).`,
      );
      expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(0);
    });

    it('throws a CancelledError and sends nothing when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();

      const error = await rejectionOf(
        adapter().copy(copyRequest(amiOriginal(), { signal: controller.signal })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('copySlots', () => {
    it('counts each snapshot of an image it has listed (3 block device mappings → 3)', async () => {
      const images = adapter();
      ec2.on(DescribeImagesCommand).resolves({
        Images: [
          {
            ...copiedImage(amiOriginal().tags, { ImageId: 'ami-orig', State: 'available' }, [
              'snap-1',
              'snap-2',
              'snap-3',
            ]),
          },
          copiedImage(amiOriginal({ id: 'ami-bare' }).tags, { ImageId: 'ami-bare' }, []),
        ],
      });

      const backups = await images.listBackups(SET);

      expect(backups.map((backup) => backup.id)).toEqual(['ami-orig', 'ami-bare']);
      expect(images.copySlots(backups[0]!)).toBe(3);
      // An image that names no snapshot still takes a slot.
      expect(images.copySlots(backups[1]!)).toBe(1);
    });

    it('counts 1 for an image it has never seen', () => {
      expect(adapter().copySlots(amiOriginal({ id: 'ami-unknown' }))).toBe(1);
    });
  });

  describe('listBackups of the destination', () => {
    it('returns copies with copyOf, sourceRegion and encrypted (from the mappings’ Encrypted)', async () => {
      const of = amiOriginal();
      const pages = [
        {
          Images: [copiedImage(copyTags(of), { State: 'available' }, ['snap-a', 'snap-b'], true)],
          NextToken: 't-2',
        },
        {
          Images: [
            copiedImage(copyTags(amiOriginal({ id: 'ami-o2' })), { ImageId: 'ami-c2' }, ['snap-c']),
          ],
        },
      ];
      // Copied when asked: the SDK paginator reuses its input object.
      const tokens: (string | undefined)[] = [];
      ec2.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) => {
        tokens.push(input.NextToken);
        return pages[tokens.length - 1];
      });

      const backups = await adapter().listBackups(SET);

      expect(tokens).toEqual([undefined, 't-2']);
      expect(backups).toEqual([
        {
          id: 'ami-copy',
          kind: 'ec2-image',
          region: DEST,
          sourceId: INSTANCE,
          set: SET,
          createdAt: new Date(CREATED_AT),
          state: 'completed',
          tags: copyTags(of),
          copyOf: 'ami-orig',
          sourceRegion: SOURCE_REGION,
          encrypted: true,
        },
        {
          id: 'ami-c2',
          kind: 'ec2-image',
          region: DEST,
          sourceId: INSTANCE,
          set: SET,
          createdAt: new Date(CREATED_AT),
          state: 'pending',
          tags: copyTags(amiOriginal({ id: 'ami-o2' })),
          copyOf: 'ami-o2',
          sourceRegion: SOURCE_REGION,
        },
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// RDS DB snapshots and DB cluster snapshots
// ---------------------------------------------------------------------------------------------

/** A DB (cluster) snapshot as a test describes it. */
interface RawSnapshot {
  id: string;
  status: string;
  tags?: Record<string, string>;
  arn?: string;
  encrypted?: boolean;
}

interface RdsCase {
  type: 'rds-instance' | 'rds-cluster';
  adapter: (client: RDSClient, region: string, options?: RdsOptions) => RdsAdapter;
  sourceId: string;
  noun: string;
  /** The names of the copy call's source and target identifier fields. */
  sourceField: string;
  targetField: string;
  /** The exception name the SDK gives RDS's "identifier taken" error. */
  alreadyExists: string;
  /** The exception name the SDK gives RDS's "no such snapshot" error. */
  notFound: string;
  /** RDS identifier limit: 255 for DB snapshots, 63 for cluster snapshots. */
  maxIdentifierLength: number;
  arn: (region: string, id: string) => string;
  /** Answers the copy call; a thrown error rejects it. */
  answerCopy(answer: () => RawSnapshot | undefined): void;
  /** The inputs of the copy calls so far. */
  copyInputs(): Record<string, unknown>[];
  answerDescribe(
    answer: (marker: string | undefined) => { items: RawSnapshot[]; marker?: string },
  ): void;
  describeInputs(): DescribeQuery[];
  answerSources(items: { id: string; encrypted?: boolean }[]): void;
}

const dbSnapshot = (s: RawSnapshot): DBSnapshot => ({
  DBSnapshotIdentifier: s.id,
  SnapshotType: 'manual',
  Status: s.status,
  SnapshotCreateTime: COPY_TIME,
  ...(s.tags ? { TagList: awsTags(s.tags) } : {}),
  ...(s.arn ? { DBSnapshotArn: s.arn } : {}),
  ...(s.encrypted !== undefined ? { Encrypted: s.encrypted } : {}),
});

const dbClusterSnapshot = (s: RawSnapshot): DBClusterSnapshot => ({
  DBClusterSnapshotIdentifier: s.id,
  SnapshotType: 'manual',
  Status: s.status,
  SnapshotCreateTime: COPY_TIME,
  ...(s.tags ? { TagList: awsTags(s.tags) } : {}),
  ...(s.arn ? { DBClusterSnapshotArn: s.arn } : {}),
  ...(s.encrypted !== undefined ? { StorageEncrypted: s.encrypted } : {}),
});

const RDS_INSTANCE: RdsCase = {
  type: 'rds-instance',
  adapter: rdsInstanceAdapter,
  sourceId: 'db-1',
  noun: 'DB snapshot',
  sourceField: 'SourceDBSnapshotIdentifier',
  targetField: 'TargetDBSnapshotIdentifier',
  alreadyExists: 'DBSnapshotAlreadyExistsFault',
  notFound: 'DBSnapshotNotFoundFault',
  maxIdentifierLength: 255,
  arn: (region, id) => `arn:aws:rds:${region}:${ACCOUNT}:snapshot:${id}`,
  answerCopy: (answer) =>
    rds.on(CopyDBSnapshotCommand).callsFake(() => {
      const made = answer();
      return made ? { DBSnapshot: dbSnapshot(made) } : {};
    }),
  copyInputs: () =>
    rds
      .commandCalls(CopyDBSnapshotCommand)
      .map((call): Record<string, unknown> => ({ ...call.args[0].input })),
  answerDescribe: (answer) =>
    rds
      .on(DescribeDBSnapshotsCommand)
      .callsFake(
        (input: { Marker?: string; SnapshotType?: string; DBSnapshotIdentifier?: string }) => {
          describeLog.push({
            Marker: input.Marker,
            SnapshotType: input.SnapshotType,
            id: input.DBSnapshotIdentifier,
          });
          const page = answer(input.Marker);
          return { DBSnapshots: page.items.map(dbSnapshot), Marker: page.marker };
        },
      ),
  describeInputs: () => describeLog,
  answerSources: (items) =>
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: items.map((item) => ({
        DBInstanceIdentifier: item.id,
        DBInstanceStatus: 'available',
        TagList: [],
        ...(item.encrypted !== undefined ? { StorageEncrypted: item.encrypted } : {}),
      })),
    }),
};

const RDS_CLUSTER: RdsCase = {
  type: 'rds-cluster',
  adapter: rdsClusterAdapter,
  sourceId: 'aurora-1',
  noun: 'DB cluster snapshot',
  sourceField: 'SourceDBClusterSnapshotIdentifier',
  targetField: 'TargetDBClusterSnapshotIdentifier',
  alreadyExists: 'DBClusterSnapshotAlreadyExistsFault',
  notFound: 'DBClusterSnapshotNotFoundFault',
  maxIdentifierLength: 63,
  arn: (region, id) => `arn:aws:rds:${region}:${ACCOUNT}:cluster-snapshot:${id}`,
  answerCopy: (answer) =>
    rds.on(CopyDBClusterSnapshotCommand).callsFake(() => {
      const made = answer();
      return made ? { DBClusterSnapshot: dbClusterSnapshot(made) } : {};
    }),
  copyInputs: () =>
    rds
      .commandCalls(CopyDBClusterSnapshotCommand)
      .map((call): Record<string, unknown> => ({ ...call.args[0].input })),
  answerDescribe: (answer) =>
    rds
      .on(DescribeDBClusterSnapshotsCommand)
      .callsFake(
        (input: {
          Marker?: string;
          SnapshotType?: string;
          DBClusterSnapshotIdentifier?: string;
        }) => {
          describeLog.push({
            Marker: input.Marker,
            SnapshotType: input.SnapshotType,
            id: input.DBClusterSnapshotIdentifier,
          });
          const page = answer(input.Marker);
          return { DBClusterSnapshots: page.items.map(dbClusterSnapshot), Marker: page.marker };
        },
      ),
  describeInputs: () => describeLog,
  answerSources: (items) =>
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: items.map((item) => ({
        DBClusterIdentifier: item.id,
        Status: 'available',
        TagList: [],
        ...(item.encrypted !== undefined ? { StorageEncrypted: item.encrypted } : {}),
      })),
    }),
};

describe.each([RDS_INSTANCE, RDS_CLUSTER])('$type adapter as a copy destination', (flavor) => {
  // The identifier the action gives a backup of this source and time, which its copy keeps.
  const SNAPSHOT_ID = rdsSnapshotIdentifier(
    SET,
    flavor.sourceId,
    new Date(CREATED_AT),
    flavor.maxIdentifierLength,
  );
  const SOURCE_ARN = flavor.arn(SOURCE_REGION, SNAPSHOT_ID);
  const COPY_ARN = flavor.arn(DEST, SNAPSHOT_ID);
  const fakeSleep = vi.fn<Sleep>(() => Promise.resolve());

  function adapter(options: RdsOptions = {}): RdsAdapter {
    return flavor.adapter(rdsClient, DEST, {
      ...POLLING,
      sleep: fakeSleep,
      visibilityGraceSeconds: 60,
      ...options,
    });
  }

  function rdsOriginal(overrides: Partial<Backup> = {}): Backup {
    return original(flavor.type, SNAPSHOT_ID, flavor.sourceId, { arn: SOURCE_ARN, ...overrides });
  }

  /** The copy as RDS answers the copy call: pending, in the destination, with its own ARN. */
  function answeredCopy(of: Backup, overrides: Partial<RawSnapshot> = {}): RawSnapshot {
    return {
      id: of.id,
      status: 'pending',
      tags: copyTags(of),
      arn: COPY_ARN,
      ...(of.encrypted !== undefined ? { encrypted: of.encrypted } : {}),
      ...overrides,
    };
  }

  function onlyCopyInput(): Record<string, unknown> {
    const inputs = flavor.copyInputs();
    expect(inputs).toHaveLength(1);
    return inputs[0]!;
  }

  describe('copy', () => {
    it('names the source by its ARN, keeps the original’s identifier and sends exactly the given tags', async () => {
      const of = rdsOriginal();
      flavor.answerCopy(() => answeredCopy(of));

      await adapter().copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      // An original whose encryption is unknown is never given a key.
      expect(onlyCopyInput()).toStrictEqual({
        [flavor.sourceField]: SOURCE_ARN,
        [flavor.targetField]: SNAPSHOT_ID,
        Tags: awsTags(copyTags(of)),
      });
    });

    it('passes the destination KmsKeyId for an encrypted original', async () => {
      const of = rdsOriginal({ encrypted: true });
      flavor.answerCopy(() => answeredCopy(of));

      await adapter().copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      expect(onlyCopyInput()).toStrictEqual({
        [flavor.sourceField]: SOURCE_ARN,
        [flavor.targetField]: SNAPSHOT_ID,
        Tags: awsTags(copyTags(of)),
        KmsKeyId: DEST_KEY,
      });
    });

    it('sends no KmsKeyId for an unencrypted original even when a key is given', async () => {
      const of = rdsOriginal({ encrypted: false });
      flavor.answerCopy(() => answeredCopy(of));

      await adapter().copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      expect(onlyCopyInput()).not.toHaveProperty('KmsKeyId');
    });

    it(
      flavor.type === 'rds-instance'
        ? 'gives the copy the option group named for the destination (OptionGroupName)'
        : 'sends no option group: cluster snapshot copies take none',
      async () => {
        const of = rdsOriginal();
        flavor.answerCopy(() => answeredCopy(of));

        await adapter().copy(copyRequest(of, { optionGroup: 'og-dr-mysql' }));

        if (flavor.type === 'rds-instance') {
          expect(onlyCopyInput()).toMatchObject({ OptionGroupName: 'og-dr-mysql' });
        } else {
          expect(onlyCopyInput()).not.toHaveProperty('OptionGroupName');
        }
      },
    );

    it('sends no OptionGroupName when no option group is given', async () => {
      const of = rdsOriginal();
      flavor.answerCopy(() => answeredCopy(of));

      await adapter().copy(copyRequest(of));

      expect(onlyCopyInput()).not.toHaveProperty('OptionGroupName');
    });

    it('returns the pending copy in the destination with copyOf, sourceRegion, encrypted and its own ARN', async () => {
      const of = rdsOriginal({ encrypted: true });
      flavor.answerCopy(() => answeredCopy(of));

      const copy = await adapter().copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      expect(copy).toEqual({
        id: SNAPSHOT_ID,
        kind: flavor.type,
        region: DEST,
        sourceId: flavor.sourceId,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state: 'pending',
        tags: copyTags(of),
        copyOf: SNAPSHOT_ID,
        sourceRegion: SOURCE_REGION,
        encrypted: true,
        arn: COPY_ARN,
      });
    });

    it('keeps the original’s encryption on the copy when RDS’s answer does not say', async () => {
      const of = rdsOriginal({ encrypted: true });
      flavor.answerCopy(() => answeredCopy(of, { encrypted: undefined }));

      const copy = await adapter().copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      expect(copy.encrypted).toBe(true);
      expect(copy.arn).toBe(COPY_ARN);
    });

    it('returns a pending copy from the request’s tags when RDS answers without the snapshot', async () => {
      const of = rdsOriginal({ encrypted: false });
      flavor.answerCopy(() => undefined);

      const copy = await adapter().copy(copyRequest(of));

      expect(copy).toEqual({
        id: SNAPSHOT_ID,
        kind: flavor.type,
        region: DEST,
        sourceId: flavor.sourceId,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state: 'pending',
        tags: copyTags(of),
        copyOf: SNAPSHOT_ID,
        sourceRegion: SOURCE_REGION,
        encrypted: false,
      });
    });

    it('throws a TargetError without calling RDS when the original has no ARN', async () => {
      const of = rdsOriginal();
      delete of.arn;

      const error = await rejectionOf(adapter().copy(copyRequest(of)));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toBe(
        `Could not copy ${flavor.noun} ${SNAPSHOT_ID} to ${DEST}: RDS named no ARN for it.`,
      );
      expect(rds.calls()).toHaveLength(0);
    });

    it('turns KMSKeyNotAccessibleFault into a TargetError carrying AWS’s message', async () => {
      const message = `The specified KMS key [${DEST_KEY}] does not exist, is not enabled or you do not have permissions to access it.`;
      flavor.answerCopy(() => {
        throw rdsError('KMSKeyNotAccessibleFault', message);
      });

      const error = await rejectionOf(
        adapter().copy(copyRequest(rdsOriginal({ encrypted: true }), { kmsKeyId: DEST_KEY })),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toBe(
        `Could not copy ${flavor.noun} ${SNAPSHOT_ID} to ${DEST}: ${message.replace(/\.$/, '')} (KMSKeyNotAccessibleFault).`,
      );
      expect(error.cause).toBeInstanceOf(RDSServiceException);
    });

    it('adopts the copy already under the identifier when its tags say it is this copy (a retried request)', async () => {
      const of = rdsOriginal({ encrypted: false });
      flavor.answerCopy(() => {
        throw rdsError(flavor.alreadyExists, `Snapshot ${SNAPSHOT_ID} already exists.`);
      });
      flavor.answerDescribe(() => ({ items: [answeredCopy(of, { status: 'copying' })] }));

      const copy = await adapter().copy(copyRequest(of));

      expect(copy).toMatchObject({
        id: SNAPSHOT_ID,
        region: DEST,
        state: 'pending',
        copyOf: SNAPSHOT_ID,
        arn: COPY_ARN,
      });
      expect(flavor.copyInputs()).toHaveLength(1);
      expect(flavor.describeInputs().map((input) => input.id)).toEqual([SNAPSHOT_ID]);
    });

    it('reads the identifier again within the visibility grace until the copy shows, then adopts it', async () => {
      const of = rdsOriginal();
      flavor.answerCopy(() => {
        throw rdsError(flavor.alreadyExists, `Snapshot ${SNAPSHOT_ID} already exists.`);
      });
      let reads = 0;
      flavor.answerDescribe(() => {
        reads += 1;
        // Not visible yet: RDS answers that no snapshot has the identifier.
        if (reads < 3) throw rdsError(flavor.notFound, `${SNAPSHOT_ID} not found.`);
        return { items: [answeredCopy(of)] };
      });
      fakeSleep.mockClear();

      const copy = await adapter().copy(copyRequest(of));

      expect(copy.id).toBe(SNAPSHOT_ID);
      expect(reads).toBe(3);
      expect(fakeSleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000]);
    });

    it.each([
      ['another created-at', { [TAGS.createdAt]: '2026-11-21T12:00:00.000Z' }],
      ['another backup set', { [TAGS.backupSet]: 'weekly' }],
      ['another copy-of', { [TAGS.copyOf]: 'sr-something-else' }],
    ])(
      'says another snapshot already has the identifier when the one under it has %s',
      async (_, differing) => {
        const of = rdsOriginal();
        flavor.answerCopy(() => {
          throw rdsError(
            flavor.alreadyExists,
            `Cannot create the snapshot because one named ${SNAPSHOT_ID} already exists.`,
          );
        });
        flavor.answerDescribe(() => ({
          items: [answeredCopy(of, { tags: { ...copyTags(of), ...differing } })],
        }));

        const error = await rejectionOf(adapter().copy(copyRequest(of)));

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toBe(
          `Could not copy ${flavor.noun} ${SNAPSHOT_ID} to ${DEST}: Cannot create the snapshot because one named ${SNAPSHOT_ID} already exists (${flavor.alreadyExists}). Another ${flavor.noun} in ${DEST} already has this identifier and is not one this backup set counts; rename or delete it.`,
        );
      },
    );

    it('adds the quota hint naming the destination region on SnapshotQuotaExceeded', async () => {
      flavor.answerCopy(() => {
        throw rdsError(
          'SnapshotQuotaExceededFault',
          'The request cannot be processed because it would exceed the maximum number of snapshots.',
        );
      });

      const error = await rejectionOf(adapter().copy(copyRequest(rdsOriginal())));

      expect(error).toBeInstanceOf(TargetError);
      expect(error).not.toBeInstanceOf(DeferredError);
      expect(error.message).toBe(
        `Could not copy ${flavor.noun} ${SNAPSHOT_ID} to ${DEST}: The request cannot be processed because it would exceed the maximum number of snapshots (SnapshotQuotaExceededFault). The account is at its manual snapshot quota in ${DEST}; delete old manual snapshots or ask AWS for a higher quota.`,
      );
    });

    it('defers a copy refused with SnapshotQuotaExceeded for the copies in progress to a later run', async () => {
      flavor.answerCopy(() => {
        throw rdsError(
          'SnapshotQuotaExceededFault',
          'Cannot start more snapshot copies: 5 copies are already in progress to this region.',
        );
      });

      const error = await rejectionOf(adapter().copy(copyRequest(rdsOriginal())));

      expect(error).toBeInstanceOf(DeferredError);
      expect(error.message).toBe(
        `Could not copy ${flavor.noun} ${SNAPSHOT_ID} to ${DEST}: Cannot start more snapshot copies: 5 copies are already in progress to this region (SnapshotQuotaExceededFault). The destination's copies in flight are at AWS's limit (other tools share it); a later run copies it.`,
      );
    });

    it('throws a CancelledError and sends nothing when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();

      const error = await rejectionOf(
        adapter().copy(copyRequest(rdsOriginal(), { signal: controller.signal })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(rds.calls()).toHaveLength(0);
    });

    it('throws a CancelledError, not a TargetError, when the run is cancelled during the call', async () => {
      const controller = new AbortController();
      flavor.answerCopy(() => {
        controller.abort();
        throw abortError();
      });

      const error = await rejectionOf(
        adapter().copy(copyRequest(rdsOriginal(), { signal: controller.signal })),
      );

      expect(error).toBeInstanceOf(CancelledError);
    });

    it('takes one in-flight copy slot per snapshot', () => {
      expect(adapter().copySlots()).toBe(1);
    });
  });

  describe('listBackups of the destination', () => {
    it('returns the copies of every page (Marker) with copyOf, sourceRegion, encrypted and arn', async () => {
      const ids = ['copy-1', 'copy-2', 'copy-3'];
      const raw = (id: string, status: string, encrypted: boolean): RawSnapshot => ({
        id,
        status,
        tags: copyTags(rdsOriginal({ id })),
        arn: flavor.arn(DEST, id),
        encrypted,
      });
      const pages: Record<string, { items: RawSnapshot[]; marker?: string }> = {
        start: { items: [raw('copy-1', 'available', true)], marker: 'm-2' },
        'm-2': { items: [raw('copy-2', 'copying', false)], marker: 'm-3' },
        'm-3': { items: [raw('copy-3', 'available', true)] },
      };
      flavor.answerDescribe((marker) => pages[marker ?? 'start']!);

      const backups = await adapter().listBackups(SET);

      expect(flavor.describeInputs().map((input) => input.Marker)).toEqual([
        undefined,
        'm-2',
        'm-3',
      ]);
      expect(flavor.describeInputs().every((input) => input.SnapshotType === 'manual')).toBe(true);
      const expected = (id: string, state: string, encrypted: boolean) => ({
        id,
        kind: flavor.type,
        region: DEST,
        sourceId: flavor.sourceId,
        set: SET,
        createdAt: new Date(CREATED_AT),
        state,
        tags: copyTags(rdsOriginal({ id })),
        copyOf: id,
        sourceRegion: SOURCE_REGION,
        encrypted,
        arn: flavor.arn(DEST, id),
      });
      expect(backups).toEqual([
        expected(ids[0]!, 'completed', true),
        expected(ids[1]!, 'pending', false),
        expected(ids[2]!, 'completed', true),
      ]);
    });
  });

  describe('waitUntilDone of a copy', () => {
    it('returns the copy failed when its status turns to failed while waiting', async () => {
      const of = rdsOriginal({ encrypted: true });
      flavor.answerCopy(() => answeredCopy(of));
      const statuses = ['copying', 'failed'];
      let polls = 0;
      flavor.answerDescribe(() => ({
        items: [answeredCopy(of, { status: statuses[Math.min(polls++, statuses.length - 1)]! })],
      }));
      const copies = adapter();
      const pending = await copies.copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      const done = await copies.waitUntilDone(pending, { maxWaitSeconds: 60 });

      expect(flavor.describeInputs().map((input) => input.id)).toEqual([SNAPSHOT_ID, SNAPSHOT_ID]);
      expect(done).toEqual({ ...pending, state: 'failed', stateMessage: 'status failed' });
    });
  });

  describe('findSources', () => {
    it('sets encrypted from StorageEncrypted, and leaves it off when RDS does not say', async () => {
      flavor.answerSources([
        { id: 'src-enc', encrypted: true },
        { id: 'src-plain', encrypted: false },
        { id: 'src-unknown' },
      ]);

      const lookup = await adapter().findSources(['src-enc', 'src-plain', 'src-unknown'], {});

      expect(lookup).toEqual({
        found: [
          { id: 'src-enc', tags: {}, encrypted: true },
          { id: 'src-plain', tags: {}, encrypted: false },
          { id: 'src-unknown', tags: {} },
        ],
        missing: [],
      });
      expect(lookup.found[2]).not.toHaveProperty('encrypted');
    });
  });
});
