// Adapter tests for `ec2-image` (DESIGN §4, §5, §8): what moto cannot show — pagination, pending and
// failed images, snapshots that are in use or protected, NoReboot, waiter timeouts and error codes.
// A real EC2Client is wrapped by aws-sdk-client-mock; a fresh client per test keeps a waiter left
// polling by one test away from the next test's mock. The waiter really sleeps 1 s between polls.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  type DescribeImagesCommandInput,
  type DescribeImagesCommandOutput,
  type DescribeInstancesCommandInput,
  type Image,
  type Instance,
} from '@aws-sdk/client-ec2';
import { TAGS } from '../../src/constants.js';
import { CancelledError, TargetError } from '../../src/errors.js';
import { imageName } from '../../src/naming.js';
import type { Sleep } from '../../src/sleep.js';
import { imageOfSnapshot } from '../../src/targets/ami-snapshots.js';
import { Ec2ImageAdapter, type Ec2ImageOptions } from '../../src/targets/ec2-image.js';
import type { Backup, CreateRequest } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';

const REGION = 'us-east-1';
const SET = 'nightly';
const INSTANCE = 'i-0123456789abcdef0';
const CREATION_DATE = '2026-11-20T08:00:00.000Z';
const CREATED_AT = '2026-11-22T12:00:00.000Z';
/** What AWS accepts in an AMI name besides letters and digits: ( ) [ ] space . / - ' @ _ */
const AMI_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];
const LIVE_FILTER = { Name: 'instance-state-name', Values: LIVE_STATES };

/** An error shaped like the ones the SDK throws for an AWS error code (`name` is the code). */
function awsError(code: string, message = `Simulated ${code}.`, status = 400): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

function ownershipTags(sourceId = INSTANCE, set = SET): Record<string, string> {
  return { [TAGS.backupSet]: set, [TAGS.source]: sourceId };
}

function ec2Tags(record: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

/** An available image of INSTANCE in the set, backed by the given snapshots. */
function image(
  id: string,
  overrides: Partial<Image> & { tags?: Record<string, string>; snapshots?: string[] } = {},
): Image {
  const { tags, snapshots, ...rest } = overrides;
  return {
    ImageId: id,
    Name: `snapshot-rotation-${SET}-${INSTANCE}-${id}`,
    State: 'available',
    CreationDate: CREATION_DATE,
    Tags: ec2Tags(tags ?? { ...ownershipTags(), [TAGS.createdAt]: CREATED_AT }),
    BlockDeviceMappings: (snapshots ?? []).map((snapshotId, i) => ({
      DeviceName: `/dev/sd${String.fromCharCode(97 + i)}`,
      Ebs: { SnapshotId: snapshotId, VolumeSize: 8 },
    })),
    ...rest,
  };
}

function instance(id: string, tags: Record<string, string> = {}): Instance {
  return { InstanceId: id, Tags: ec2Tags(tags) };
}

function requestTags(): Record<string, string> {
  return { ...ownershipTags(), [TAGS.createdAt]: CREATED_AT, [TAGS.run]: '42', Name: 'web' };
}

function createRequest(overrides: Partial<CreateRequest> = {}): CreateRequest {
  return {
    source: { id: INSTANCE, tags: { Name: 'web' } },
    set: SET,
    tags: requestTags(),
    ...overrides,
  };
}

function pendingBackup(id = 'ami-new'): Backup {
  return {
    id,
    kind: 'ec2-image',
    region: REGION,
    sourceId: INSTANCE,
    set: SET,
    createdAt: new Date(CREATED_AT),
    state: 'pending',
    tags: requestTags(),
  };
}

/** The names of the commands sent so far, in order. */
function commandNames(): string[] {
  return ec2.calls().map((call) => (call.args[0] as object).constructor.name);
}

function tagRecord(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? '']));
}

let client: EC2Client;
let ec2: AwsClientStub<EC2Client>;
let fakeSleep: ReturnType<typeof vi.fn<Sleep>>;

function adapter(options: Partial<Ec2ImageOptions> = {}): Ec2ImageAdapter {
  return new Ec2ImageAdapter(client, REGION, {
    noReboot: true,
    minDelaySeconds: 1,
    maxDelaySeconds: 1,
    sleep: fakeSleep,
    ...options,
  });
}

beforeEach(() => {
  client = new EC2Client({
    region: REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  ec2 = mockClient(client);
  fakeSleep = vi.fn<Sleep>(() => Promise.resolve());
  // The listing also reads the set's snapshots, for those an interrupted prune left behind.
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
});

afterEach(() => {
  ec2.restore();
});

describe('Ec2ImageAdapter.findSources', () => {
  it('looks the ids up with an instance-id filter plus the live-state filter and reports missing ids', async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [instance('i-2', { Name: 'two' })] }],
    });

    const lookup = await adapter().findSources(['i-1', 'i-2', 'i-3'], {});

    const calls = ec2.commandCalls(DescribeInstancesCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.Filters).toEqual([
      { Name: 'instance-id', Values: ['i-1', 'i-2', 'i-3'] },
      LIVE_FILTER,
    ]);
    // A filter, not InstanceIds: InstanceIds would fail the whole call on the first missing id.
    expect(input?.InstanceIds).toBeUndefined();
    expect(lookup).toEqual({
      found: [{ id: 'i-2', tags: { Name: 'two' } }],
      missing: ['i-1', 'i-3'],
    });
  });

  it('never asks for terminated or shutting-down instances', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });

    const lookup = await adapter().findSources(['i-gone'], {});

    const states = ec2
      .commandCalls(DescribeInstancesCommand)[0]
      ?.args[0].input.Filters?.find((filter) => filter.Name === 'instance-state-name')?.Values;
    expect(states).not.toContain('terminated');
    expect(states).not.toContain('shutting-down');
    expect(lookup).toEqual({ found: [], missing: ['i-gone'] });
  });

  it('collects the instances of every Reservation over every page (NextToken)', async () => {
    const inputs: DescribeInstancesCommandInput[] = [];
    const pages = [
      {
        Reservations: [
          { Instances: [instance('i-1', { Name: 'one' }), instance('i-2')] },
          { Instances: [instance('i-3', { team: 'db' })] },
        ],
        NextToken: 'page-2',
      },
      { Reservations: [{ Instances: [] }, { Instances: [instance('i-4')] }], NextToken: 'page-3' },
      { Reservations: [{ Instances: [instance('i-5', { Name: 'five' })] }] },
    ];
    ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
      inputs.push(structuredClone(input));
      return pages[inputs.length - 1];
    });

    const lookup = await adapter().findSources(['i-1', 'i-2', 'i-3', 'i-4', 'i-5', 'i-6'], {});

    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    for (const input of inputs) expect(input.Filters).toContainEqual(LIVE_FILTER);
    expect(lookup).toEqual({
      found: [
        { id: 'i-1', tags: { Name: 'one' } },
        { id: 'i-2', tags: {} },
        { id: 'i-3', tags: { team: 'db' } },
        { id: 'i-4', tags: {} },
        { id: 'i-5', tags: { Name: 'five' } },
      ],
      missing: ['i-6'],
    });
  });

  it('discovers instances by tags with tag:Key filters (plus the live-state filter) and merges them with the ids', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-9', { backup: 'yes' })] }] })
      .resolvesOnce({
        Reservations: [
          { Instances: [instance('i-5', { backup: 'yes', env: 'prod' })] },
          { Instances: [instance('i-9', { backup: 'yes', env: 'prod' })] },
        ],
      });

    const lookup = await adapter().findSources(['i-9'], { backup: 'yes', env: 'prod' });

    const calls = ec2.commandCalls(DescribeInstancesCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Filters).toEqual([
      { Name: 'tag:backup', Values: ['yes'] },
      { Name: 'tag:env', Values: ['prod'] },
      LIVE_FILTER,
    ]);
    expect(lookup.found.map((source) => source.id)).toEqual(['i-5', 'i-9']);
    expect(lookup.found[0]?.tags).toEqual({ backup: 'yes', env: 'prod' });
    expect(lookup.missing).toEqual([]);
  });

  it('turns a describe error into a TargetError naming the region, the instance and the code', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', 'Not allowed.'));

    const error = await rejectionOf(adapter().findSources(['i-1'], {}));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain('i-1');
    expect(error.message).toContain('UnauthorizedOperation');
  });
});

describe('Ec2ImageAdapter.listBackups', () => {
  it('asks for own images of the set, disabled and deprecated ones included', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });

    await adapter().listBackups(SET);

    const calls = ec2.commandCalls(DescribeImagesCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.Owners).toEqual(['self']);
    expect(input?.IncludeDisabled).toBe(true);
    expect(input?.IncludeDeprecated).toBe(true);
    expect(input?.Filters).toEqual([{ Name: `tag:${TAGS.backupSet}`, Values: [SET] }]);
    expect(input?.ImageIds).toBeUndefined();
  });

  it('leaves out images that carry the set’s tags but were copied by hand or made from another instance', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        image('ami-1', { SourceInstanceId: INSTANCE }),
        // CopyImage with CopyImageTags by a person: the tags came along, the action never made it.
        image('ami-copied', { SourceImageId: 'ami-1', SourceImageRegion: REGION }),
        // Tagged by hand like the set's, but an image of another instance.
        image('ami-other', { SourceInstanceId: 'i-0fedcba9876543210' }),
        // An answer that names no origin (older API, emulators): the tags decide.
        image('ami-2'),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map((b) => b.id)).toEqual(['ami-1', 'ami-2']);
  });

  it('follows NextToken over 3 pages and drops other sets, images without a source tag and deregistered images', async () => {
    const inputs: DescribeImagesCommandInput[] = [];
    const pages: DescribeImagesCommandOutput[] = [
      {
        Images: [
          image('ami-1'),
          // No source tag: an image someone tagged by hand, never managed.
          image('ami-manual', { tags: { [TAGS.backupSet]: SET } }),
        ],
        NextToken: 'token-2',
        $metadata: {},
      },
      {
        Images: [
          image('ami-2', { tags: ownershipTags('i-2') }),
          // Another set (a server that ignored the filter must not leak it into this set).
          image('ami-other', { tags: ownershipTags(INSTANCE, 'weekly') }),
        ],
        NextToken: 'token-3',
        $metadata: {},
      },
      {
        Images: [
          image('ami-3'),
          image('ami-deregistered', { State: 'deregistered' }),
          image('ami-untagged', { tags: { [TAGS.source]: INSTANCE } }),
        ],
        $metadata: {},
      },
    ];
    ec2.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) => {
      inputs.push(structuredClone(input));
      return pages[inputs.length - 1];
    });

    const backups = await adapter().listBackups(SET);

    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 'token-2', 'token-3']);
    for (const input of inputs) {
      expect(input.Owners).toEqual(['self']);
      expect(input.Filters).toEqual([{ Name: `tag:${TAGS.backupSet}`, Values: [SET] }]);
    }
    expect(backups.map((backup) => backup.id)).toEqual(['ami-1', 'ami-2', 'ami-3']);
    expect(backups[1]).toEqual({
      id: 'ami-2',
      kind: 'ec2-image',
      region: REGION,
      sourceId: 'i-2',
      set: SET,
      createdAt: new Date(CREATION_DATE),
      state: 'completed',
      tags: ownershipTags('i-2'),
    });
  });

  it('maps pending, available, disabled and failed, with StateReason.Message on the failed one', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        image('ami-p', { State: 'pending' }),
        image('ami-a', { State: 'available' }),
        image('ami-d', { State: 'disabled' }),
        image('ami-f', {
          State: 'failed',
          StateReason: { Code: 'Client.InternalError', Message: 'Instance store volume failed.' },
        }),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map(({ id, state, stateMessage }) => ({ id, state, stateMessage }))).toEqual([
      { id: 'ami-p', state: 'pending', stateMessage: undefined },
      { id: 'ami-a', state: 'completed', stateMessage: undefined },
      { id: 'ami-d', state: 'completed', stateMessage: undefined },
      { id: 'ami-f', state: 'failed', stateMessage: 'Instance store volume failed.' },
    ]);
    expect(backups[0]).not.toHaveProperty('stateMessage');
    expect(backups[1]).not.toHaveProperty('stateMessage');
  });

  it('takes createdAt from the created-at tag when it is valid, else from CreationDate', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        image('ami-tagged', {
          tags: { ...ownershipTags(), [TAGS.createdAt]: '2026-01-02T03:04:05.000Z' },
        }),
        image('ami-invalid', { tags: { ...ownershipTags(), [TAGS.createdAt]: 'last tuesday' } }),
        image('ami-untagged', { tags: ownershipTags() }),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map((backup) => backup.createdAt.toISOString())).toEqual([
      '2026-01-02T03:04:05.000Z',
      CREATION_DATE,
      CREATION_DATE,
    ]);
  });

  it('turns a listing error into a TargetError naming the set, the region and the code', async () => {
    ec2.on(DescribeImagesCommand).rejects(awsError('UnauthorizedOperation', 'Not allowed.'));

    const error = await rejectionOf(adapter().listBackups(SET));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(SET);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain('UnauthorizedOperation');
  });
});

describe('Ec2ImageAdapter.create', () => {
  it('sends InstanceId, a legal unique Name, NoReboot, a Description and the given tags for the image and its snapshots', async () => {
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });
    const request = createRequest();

    await adapter().create(request);

    const calls = ec2.commandCalls(CreateImageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.InstanceId).toBe(INSTANCE);
    expect(input?.NoReboot).toBe(true);
    expect(input?.Name).toBe(imageName(SET, INSTANCE, new Date(CREATED_AT)));
    expect(input?.Name).toMatch(new RegExp(`^snapshot-rotation-${SET}-${INSTANCE}-\\d{8}T`));
    expect(input?.Name).toMatch(AMI_NAME);
    expect(input?.Description).toContain(SET);
    expect(input?.Description).toContain(INSTANCE);
    // Tagged at creation, image and snapshots alike, as AWS accepts it (DESIGN §4).
    expect(input?.TagSpecifications?.map((spec) => spec.ResourceType)).toEqual([
      'image',
      'snapshot',
    ]);
    for (const spec of input?.TagSpecifications ?? []) {
      expect(tagRecord(spec.Tags)).toEqual(request.tags);
      expect(spec.Tags).toHaveLength(Object.keys(request.tags).length);
    }
  });

  it('sends NoReboot false when the no-reboot option is off', async () => {
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });

    await adapter({ noReboot: false }).create(createRequest());

    expect(ec2.commandCalls(CreateImageCommand)[0]?.args[0].input.NoReboot).toBe(false);
  });

  it('returns a pending Backup with the given tags and sends nothing after CreateImage (no describe, no CreateTags)', async () => {
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });

    const backup = await adapter().create(createRequest());

    expect(backup).toEqual(pendingBackup('ami-new'));
    expect(commandNames()).toEqual(['CreateImageCommand']);
  });

  it.each([
    ['InvalidInstanceID.NotFound', `The instance ID '${INSTANCE}' does not exist`],
    [
      'IncorrectInstanceState',
      `The instance '${INSTANCE}' is not in a state from which it can be imaged.`,
    ],
  ])('turns %s into a TargetError naming the instance and the code', async (code, message) => {
    ec2.on(CreateImageCommand).rejects(awsError(code, message));

    const error = await rejectionOf(adapter().create(createRequest()));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(INSTANCE);
    expect(error.message).toContain(code);
    expect(error.cause).toBeInstanceOf(EC2ServiceException);
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });

  it('throws a TargetError when CreateImage answers without an image id', async () => {
    ec2.on(CreateImageCommand).resolves({});

    const error = await rejectionOf(adapter().create(createRequest()));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(INSTANCE);
  });

  it('throws a CancelledError without sending anything when the signal is already aborted', async () => {
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });

    const error = await rejectionOf(
      adapter().create(createRequest({ signal: AbortSignal.abort() })),
    );

    expect(error).toBeInstanceOf(CancelledError);
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('Ec2ImageAdapter.create answered InvalidAMIName.Duplicate (a CreateImage the SDK sent again)', () => {
  const NAME = imageName(SET, INSTANCE, new Date(CREATED_AT));
  const duplicate = () =>
    awsError('InvalidAMIName.Duplicate', `AMI name ${NAME} is already in use by AMI ami-first`);

  it('adopts the image of that name when its set, source and created-at tags are the request’s', async () => {
    ec2.on(CreateImageCommand).rejects(duplicate());
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        image('ami-first', {
          State: 'pending',
          Name: NAME,
          CreationDate: '2026-11-22T12:00:02.000Z',
          tags: requestTags(),
        }),
      ],
    });

    const backup = await adapter().create(createRequest());

    expect(backup).toMatchObject({
      id: 'ami-first',
      state: 'pending',
      sourceId: INSTANCE,
      set: SET,
      createdAt: new Date(CREATED_AT),
    });
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(1);
    const input = ec2.commandCalls(DescribeImagesCommand)[0]?.args[0].input;
    expect(input?.Owners).toEqual(['self']);
    expect(input?.Filters).toEqual([{ Name: 'name', Values: [NAME] }]);
    expect(fakeSleep).not.toHaveBeenCalled();
  });

  it('reads the name again within the visibility grace until the image shows, then adopts it', async () => {
    ec2.on(CreateImageCommand).rejects(duplicate());
    ec2
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [] })
      .resolvesOnce({ Images: [] })
      .resolves({ Images: [image('ami-first', { Name: NAME, tags: requestTags() })] });

    const backup = await adapter({ visibilityGraceSeconds: 60 }).create(createRequest());

    expect(backup).toMatchObject({ id: 'ami-first', state: 'completed' });
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(3);
    expect(fakeSleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000]);
  });

  it.each([
    ['another created-at', { ...requestTags(), [TAGS.createdAt]: '2026-11-22T11:00:00.000Z' }],
    ['another backup set', { ...requestTags(), [TAGS.backupSet]: 'weekly' }],
    ['no tags of the action', { Name: 'hand-made' }],
  ])(
    'reports the duplicate name, adopting nothing, when the image of that name has %s',
    async (_, tags) => {
      ec2.on(CreateImageCommand).rejects(duplicate());
      ec2
        .on(DescribeImagesCommand)
        .resolves({ Images: [image('ami-other', { Name: NAME, tags })] });

      const error = await rejectionOf(
        adapter({ visibilityGraceSeconds: 0.06 }).create(createRequest()),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toMatch(new RegExp(`^Could not create an image of ${INSTANCE}: `));
      expect(error.message).toContain('InvalidAMIName.Duplicate');
      expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(1);
    },
  );

  it('reports at once, without waiting out the grace, when the image of that name is another', async () => {
    ec2.on(CreateImageCommand).rejects(duplicate());
    ec2.on(DescribeImagesCommand).resolves({
      Images: [image('ami-other', { Name: NAME, tags: { Name: 'hand-made' } })],
    });

    const error = await rejectionOf(
      adapter({ visibilityGraceSeconds: 300 }).create(createRequest()),
    );

    expect(error.message).toContain('InvalidAMIName.Duplicate');
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    expect(fakeSleep).not.toHaveBeenCalled();
  });

  it('reports the duplicate name once the grace has passed without the image showing', async () => {
    ec2.on(CreateImageCommand).rejects(duplicate());
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });

    const error = await rejectionOf(
      adapter({ visibilityGraceSeconds: 60 }).create(createRequest()),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('InvalidAMIName.Duplicate');
    // Pauses of 1, 2, 4, 8 and 16 s: the next one would pass the 60 s grace.
    expect(fakeSleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('reads nothing for any other CreateImage error', async () => {
    ec2.on(CreateImageCommand).rejects(awsError('InvalidParameterValue', 'Bad name.'));

    await rejectionOf(adapter().create(createRequest()));

    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });
});

describe('Ec2ImageAdapter.waitUntilDone', () => {
  it('returns a backup that is not pending at once, without calling AWS', async () => {
    const done: Backup = { ...pendingBackup(), state: 'completed' };

    const result = await adapter().waitUntilDone(done, { maxWaitSeconds: 60 });

    expect(result).toBe(done);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('polls pending → available and returns it completed, tagging nothing (tagged at creation)', async () => {
    const tags = requestTags();
    let polls = 0;
    ec2.on(DescribeImagesCommand).callsFake(() => {
      polls += 1;
      return {
        Images: [
          polls === 1
            ? image('ami-new', { State: 'pending', tags })
            : image('ami-new', { State: 'available', tags, snapshots: ['snap-1', 'snap-2'] }),
        ],
      };
    });
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });
    const images = adapter();

    const created = await images.create(createRequest());
    const result = await images.waitUntilDone(created, { maxWaitSeconds: 60 });

    expect(result).toMatchObject({ id: 'ami-new', state: 'completed', sourceId: INSTANCE });
    for (const call of ec2.commandCalls(DescribeImagesCommand)) {
      expect(call.args[0].input.Filters).toEqual([{ Name: 'image-id', Values: ['ami-new'] }]);
    }
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('counts an image it made that comes back without its tags as its own, and tags it and its snapshots in one call once available', async () => {
    const tags = requestTags();
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });
    ec2
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [image('ami-new', { State: 'pending', tags: {} })] })
      .resolves({
        Images: [
          image('ami-new', { State: 'available', tags: {}, snapshots: ['snap-1', 'snap-2'] }),
        ],
      });
    ec2.on(CreateTagsCommand).resolves({});
    const warn = vi.fn();
    const images = adapter();

    const created = await images.create(createRequest());
    const result = await images.waitUntilDone(created, { maxWaitSeconds: 60, warn });

    expect(result).toMatchObject({ id: 'ami-new', state: 'completed', set: SET, tags });
    const tagCalls = ec2.commandCalls(CreateTagsCommand);
    expect(tagCalls).toHaveLength(1);
    expect(tagCalls[0]?.args[0].input.Resources).toEqual(['ami-new', 'snap-1', 'snap-2']);
    expect(tagRecord(tagCalls[0]?.args[0].input.Tags)).toEqual(tags);
    expect(warn).not.toHaveBeenCalled();

    // Waited for again (the completed record): tagged once only.
    await images.waitUntilDone({ ...created, state: 'pending' }, { maxWaitSeconds: 60 });
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(1);
  });

  it('warns, and still returns the completed image, when tagging an image that lost its tags is refused', async () => {
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-new' });
    ec2.on(DescribeImagesCommand).resolves({
      Images: [image('ami-new', { State: 'available', tags: {}, snapshots: ['snap-1'] })],
    });
    ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation', 'Not allowed.'));
    const warn = vi.fn<(message: string) => void>();
    const images = adapter();

    const created = await images.create(createRequest());
    const result = await images.waitUntilDone(created, { maxWaitSeconds: 60, warn });

    expect(result.state).toBe('completed');
    expect(warn).toHaveBeenCalledTimes(1);
    const message = warn.mock.calls[0]?.[0] ?? '';
    expect(message).toMatch(/^Image ami-new came back without the tags it was created with/);
    expect(message).toContain('snap-1');
    expect(message).toContain('UnauthorizedOperation');
    expect(message).toMatch(/deregister it by hand/);
  });

  it('never tags an untagged image it did not make', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [image('ami-new', { State: 'available', tags: {}, snapshots: ['snap-1'] })],
    });

    // Not this adapter's image: without tags it is no backup of the set at all.
    const error = await rejectionOf(
      adapter({
        minDelaySeconds: 0.1,
        maxDelaySeconds: 0.1,
        visibilityGraceSeconds: 0.3,
      }).waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('returns a failed Backup with the StateReason message when the image fails', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        image('ami-new', {
          State: 'failed',
          tags: requestTags(),
          snapshots: ['snap-1'],
          StateReason: { Code: 'Server.InternalError', Message: 'Internal error.' },
        }),
      ],
    });

    const result = await adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

    expect(result).toMatchObject({
      id: 'ami-new',
      state: 'failed',
      stateMessage: 'Internal error.',
    });
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('fails pending → failed after a poll, with the StateReason message', async () => {
    ec2
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [image('ami-new', { State: 'pending', tags: requestTags() })] })
      .resolves({
        Images: [
          image('ami-new', {
            State: 'failed',
            tags: requestTags(),
            StateReason: { Code: 'Client.InvalidSnapshot', Message: 'Snapshot copy failed.' },
          }),
        ],
      });

    const result = await adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

    expect(result).toMatchObject({ state: 'failed', stateMessage: 'Snapshot copy failed.' });
  });

  it('waits for a new image that DescribeImages does not show yet', async () => {
    ec2
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [] })
      .resolves({ Images: [image('ami-new', { State: 'available', tags: requestTags() })] });

    const result = await adapter({
      minDelaySeconds: 0.1,
      maxDelaySeconds: 0.1,
    }).waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

    expect(result).toMatchObject({ id: 'ami-new', state: 'completed' });
  });

  it('throws a TargetError naming wait-timeout, leaving the image in place, when it stays pending', async () => {
    ec2
      .on(DescribeImagesCommand)
      .resolves({ Images: [image('ami-new', { State: 'pending', tags: requestTags() })] });
    const started = performance.now();

    const error = await rejectionOf(
      adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 0.01 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('ami-new');
    expect(error.message).toContain(INSTANCE);
    expect(error.message).toContain('wait-timeout');
    expect(error.message).toMatch(/left in place/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(ec2.commandCalls(DeregisterImageCommand)).toHaveLength(0);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('throws a CancelledError promptly when the run is cancelled during the wait', async () => {
    ec2
      .on(DescribeImagesCommand)
      .resolves({ Images: [image('ami-new', { State: 'pending', tags: requestTags() })] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();

    const error = await rejectionOf(
      adapter({ minDelaySeconds: 30, maxDelaySeconds: 30 }).waitUntilDone(pendingBackup(), {
        maxWaitSeconds: 600,
        signal: controller.signal,
      }),
    );

    expect(error).toBeInstanceOf(CancelledError);
    // The waiter sleeps 30 s between polls; the abort must not wait for it.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('snapshots left behind by an interrupted prune', () => {
  /** A snapshot of the set, tagged like the image it was made for. */
  function imageSnapshot(id: string, description: string, tags = ownershipTags()) {
    return {
      SnapshotId: id,
      Description: description,
      State: 'completed' as const,
      StartTime: new Date(CREATION_DATE),
      Tags: ec2Tags({ ...tags, [TAGS.createdAt]: CREATED_AT }),
    };
  }

  it('lists the set’s snapshots before its images and returns those of unregistered images as failed backups', async () => {
    const order: string[] = [];
    ec2.on(DescribeSnapshotsCommand).callsFake(() => {
      order.push('DescribeSnapshots');
      return {
        Snapshots: [
          imageSnapshot('snap-live', `Created by CreateImage(${INSTANCE}) for ami-live`),
          imageSnapshot('snap-gone-1', `Created by CreateImage(${INSTANCE}) for ami-gone`),
          imageSnapshot('snap-gone-2', 'Auto-created snapshot for AMI ami-gone'),
          // Not made for an image (an EBS backup of the same set name): not this adapter's.
          imageSnapshot('snap-ebs', 'snapshot-rotation backup-set=nightly source=vol-1', {
            ...ownershipTags('vol-1'),
          }),
          // Without the source tag: never managed.
          imageSnapshot('snap-hand', `Created by CreateImage(${INSTANCE}) for ami-gone`, {
            [TAGS.backupSet]: SET,
          }),
        ],
      };
    });
    ec2.on(DescribeImagesCommand).callsFake(() => {
      order.push('DescribeImages');
      return { Images: [image('ami-live', { snapshots: ['snap-live'] })] };
    });

    const backups = await adapter().listBackups(SET);

    expect(order).toEqual(['DescribeSnapshots', 'DescribeImages']);
    const snapshotInput = ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input;
    expect(snapshotInput?.OwnerIds).toEqual(['self']);
    expect(snapshotInput?.Filters).toEqual([{ Name: `tag:${TAGS.backupSet}`, Values: [SET] }]);
    expect(backups.map((b) => [b.id, b.state])).toEqual([
      ['ami-live', 'completed'],
      ['snap-gone-1', 'failed'],
      ['snap-gone-2', 'failed'],
    ]);
    expect(backups[1]).toMatchObject({
      kind: 'ec2-image',
      sourceId: INSTANCE,
      set: SET,
      stateMessage: expect.stringContaining('ami-gone, which is no longer registered') as string,
    });
  });

  it('deletes such a snapshot alone, without deregistering anything', async () => {
    ec2.on(DeleteSnapshotCommand).resolves({});
    const leftBehind: Backup = { ...pendingBackup('snap-gone-1'), state: 'failed' };

    const outcome = await adapter().delete(leftBehind);

    expect(outcome).toEqual({ result: 'deleted' });
    expect(commandNames()).toEqual(['DeleteSnapshotCommand']);
    expect(ec2.commandCalls(DeleteSnapshotCommand)[0]?.args[0].input).toEqual({
      SnapshotId: 'snap-gone-1',
    });
  });

  it.each([
    ['Created by CreateImage(i-0abc) for ami-0123456789abcdef0', 'ami-0123456789abcdef0'],
    ['Auto-created snapshot for AMI ami-1a2b', 'ami-1a2b'],
    [
      'Copied for DestinationAmi ami-0dest from SourceAmi ami-0src for SourceSnapshot snap-1. Task created on 1,700,000,000.',
      'ami-0dest',
    ],
    ['snapshot-rotation backup-set=nightly source=vol-1', undefined],
    ['', undefined],
  ])('reads the image of %j as %s', (description, expected) => {
    expect(imageOfSnapshot(description)).toBe(expected);
  });
});

describe('Ec2ImageAdapter.delete', () => {
  /** An adapter that has listed `images` (so it knows their snapshots). */
  async function listed(
    ...images: Image[]
  ): Promise<{ adapter: Ec2ImageAdapter; backups: Backup[] }> {
    ec2.on(DescribeImagesCommand).resolvesOnce({ Images: images });
    const fresh = adapter();
    const backups = await fresh.listBackups(SET);
    ec2.resetHistory();
    return { adapter: fresh, backups };
  }

  it('deregisters the image with DeleteAssociatedSnapshots and sends nothing more when AWS deleted every snapshot', async () => {
    const { adapter: images, backups } = await listed(
      image('ami-old', { snapshots: ['snap-1', 'snap-2'] }),
    );
    ec2.on(DeregisterImageCommand).resolves({
      DeleteSnapshotResults: [
        { SnapshotId: 'snap-1', ReturnCode: 'success' },
        { SnapshotId: 'snap-2', ReturnCode: 'success' },
      ],
    });

    const outcome = await images.delete(backups[0]!);

    expect(outcome).toEqual({
      result: 'deleted',
      message: 'snapshots: snap-1 deleted; snap-2 deleted',
    });
    expect(commandNames()).toEqual(['DeregisterImageCommand']);
    expect(ec2.commandCalls(DeregisterImageCommand)[0]?.args[0].input).toEqual({
      ImageId: 'ami-old',
      DeleteAssociatedSnapshots: true,
    });
  });

  it('deletes each snapshot itself, in order, when the answer reports no snapshot results', async () => {
    const { adapter: images, backups } = await listed(
      image('ami-old', { snapshots: ['snap-1', 'snap-2'] }),
    );
    ec2.on(DeregisterImageCommand).resolves({});
    ec2.on(DeleteSnapshotCommand).resolves({});

    const outcome = await images.delete(backups[0]!);

    expect(outcome.result).toBe('deleted');
    expect(commandNames()).toEqual([
      'DeregisterImageCommand',
      'DeleteSnapshotCommand',
      'DeleteSnapshotCommand',
    ]);
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId)).toEqual([
      'snap-1',
      'snap-2',
    ]);
  });

  it.each(['missing-permissions', 'internal-error', 'client-error'] as const)(
    'deletes with DeleteSnapshot a snapshot that AWS reports %s, and only that one',
    async (code) => {
      const { adapter: images, backups } = await listed(
        image('ami-old', { snapshots: ['snap-1', 'snap-2', 'snap-3'] }),
      );
      ec2.on(DeregisterImageCommand).resolves({
        DeleteSnapshotResults: [
          { SnapshotId: 'snap-1', ReturnCode: 'success' },
          { SnapshotId: 'snap-2', ReturnCode: code },
        ],
      });
      ec2.on(DeleteSnapshotCommand).resolves({});

      const outcome = await images.delete(backups[0]!);

      expect(outcome.result).toBe('deleted');
      // snap-3 is named in no result: it is made sure of too.
      expect(
        ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId),
      ).toEqual(['snap-2', 'snap-3']);
    },
  );

  it('leaves a snapshot that AWS skipped (used by another image) in place and names it, without retrying', async () => {
    const { adapter: images, backups } = await listed(
      image('ami-old', { snapshots: ['snap-shared', 'snap-2'] }),
    );
    ec2.on(DeregisterImageCommand).resolves({
      DeleteSnapshotResults: [
        { SnapshotId: 'snap-shared', ReturnCode: 'skipped' },
        { SnapshotId: 'snap-2', ReturnCode: 'success' },
      ],
    });

    const outcome = await images.delete(backups[0]!);

    expect(outcome).toEqual({
      result: 'deleted',
      message:
        'snapshots: snap-shared is still used by another image; left in place; snap-2 deleted',
    });
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });

  it('reads the image again when the listing named no snapshots, so none is left behind', async () => {
    const { adapter: images, backups } = await listed(image('ami-old', { snapshots: [] }));
    ec2.on(DescribeImagesCommand).resolves({
      Images: [image('ami-old', { snapshots: ['snap-1'] })],
    });
    ec2.on(DeregisterImageCommand).resolves({});
    ec2.on(DeleteSnapshotCommand).resolves({});

    await images.delete(backups[0]!);

    expect(commandNames()).toEqual([
      'DescribeImagesCommand',
      'DeregisterImageCommand',
      'DeleteSnapshotCommand',
    ]);
  });

  it('describes an image it never saw first, then deregisters it and deletes its snapshots', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [image('ami-old', { snapshots: ['snap-1', 'snap-2'] })],
    });
    ec2.on(DeregisterImageCommand).resolves({});
    ec2.on(DeleteSnapshotCommand).resolves({});

    const outcome = await adapter().delete({ ...pendingBackup('ami-old'), state: 'completed' });

    expect(outcome.result).toBe('deleted');
    expect(commandNames()).toEqual([
      'DescribeImagesCommand',
      'DeregisterImageCommand',
      'DeleteSnapshotCommand',
      'DeleteSnapshotCommand',
    ]);
    const describeInput = ec2.commandCalls(DescribeImagesCommand)[0]?.args[0].input;
    expect(describeInput?.ImageIds).toEqual(['ami-old']);
    expect(describeInput?.IncludeDisabled).toBe(true);
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId)).toEqual([
      'snap-1',
      'snap-2',
    ]);
  });

  it('retries InvalidSnapshot.InUse after deregistering with doubling pauses, and deletes the snapshot once AWS releases it', async () => {
    const { adapter: images, backups } = await listed(image('ami-old', { snapshots: ['snap-1'] }));
    ec2.on(DeregisterImageCommand).resolves({});
    ec2
      .on(DeleteSnapshotCommand)
      .rejectsOnce(awsError('InvalidSnapshot.InUse', 'snap-1 is in use by ami-old'))
      .rejectsOnce(awsError('InvalidSnapshot.InUse', 'snap-1 is in use by ami-old'))
      .resolves({});

    const outcome = await images.delete(backups[0]!);

    expect(outcome).toEqual({ result: 'deleted', message: 'snapshots: snap-1 deleted' });
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(3);
    // A sixtieth of the 60 s default, doubling.
    expect(fakeSleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000]);
  });

  it('does not retry a locked snapshot after deregistering (a lock lasts days): skipped at once', async () => {
    const { adapter: images, backups } = await listed(image('ami-old', { snapshots: ['snap-1'] }));
    ec2.on(DeregisterImageCommand).resolves({});
    ec2
      .on(DeleteSnapshotCommand)
      .rejects(awsError('IncorrectState', "The snapshot 'snap-1' is locked and can't be deleted."));

    const outcome = await images.delete(backups[0]!);

    expect(outcome.result).toBe('deleted');
    expect(outcome.message).toMatch(/snap-1 is locked/);
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(1);
    expect(fakeSleep).not.toHaveBeenCalled();
  });

  it('leaves a snapshot still in use after inUseRetrySeconds in place, names it, and deletes the others', async () => {
    const images = adapter({ inUseRetrySeconds: 6 });
    ec2.on(DescribeImagesCommand).resolvesOnce({
      Images: [image('ami-old', { snapshots: ['snap-shared', 'snap-2'] })],
    });
    const [listedImage] = await images.listBackups(SET);
    ec2.resetHistory();
    ec2.on(DeregisterImageCommand).resolves({});
    ec2
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-shared' })
      .rejects(awsError('InvalidSnapshot.InUse', 'snap-shared is in use by ami-other'));
    ec2.on(DeleteSnapshotCommand, { SnapshotId: 'snap-2' }).resolves({});

    const outcome = await images.delete(listedImage!);

    expect(outcome.result).toBe('deleted');
    expect(outcome.message).toContain(
      'snap-shared is still used by an image (InvalidSnapshot.InUse)',
    );
    expect(outcome.message).toContain('snap-2 deleted');
    // Pauses of 0.1, 0.2, 0.4, 0.8, 1.6 s (3.1 s); the next 3.2 s would pass the 6 s budget.
    expect(fakeSleep.mock.calls.map(([ms]) => ms)).toEqual([100, 200, 400, 800, 1_600]);
    const deleted = ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId);
    expect(deleted).toEqual([...Array<string>(6).fill('snap-shared'), 'snap-2']);
  });

  it.each(['enabled', 'enabled-with-cooldown', 'disabled-until 2026-11-23T00:00:00Z'])(
    'skips an image with DeregistrationProtection %s, deregistering and deleting nothing',
    async (protection) => {
      const { adapter: images, backups } = await listed(
        image('ami-old', { snapshots: ['snap-1'], DeregistrationProtection: protection }),
      );

      const outcome = await images.delete(backups[0]!);

      expect(outcome.result).toBe('skipped');
      expect(outcome.message).toContain('ami-old');
      expect(outcome.message).toMatch(/deregistration protection/);
      expect(ec2.calls()).toHaveLength(0);
    },
  );

  it('checks deregistration protection of an image it never saw before deregistering', async () => {
    ec2.on(DescribeImagesCommand).resolves({
      Images: [image('ami-old', { snapshots: ['snap-1'], DeregistrationProtection: 'enabled' })],
    });

    const outcome = await adapter().delete(pendingBackup('ami-old'));

    expect(outcome.result).toBe('skipped');
    expect(ec2.commandCalls(DeregisterImageCommand)).toHaveLength(0);
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });

  it('still deletes the snapshots and reports already-gone when DeregisterImage answers InvalidAMIID.NotFound', async () => {
    const { adapter: images, backups } = await listed(
      image('ami-old', { snapshots: ['snap-1', 'snap-2'] }),
    );
    ec2.on(DeregisterImageCommand).rejects(awsError('InvalidAMIID.NotFound'));
    ec2.on(DeleteSnapshotCommand).resolves({});

    const outcome = await images.delete(backups[0]!);

    expect(outcome.result).toBe('already-gone');
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId)).toEqual([
      'snap-1',
      'snap-2',
    ]);
  });

  it('counts a snapshot that is already gone as done', async () => {
    const { adapter: images, backups } = await listed(image('ami-old', { snapshots: ['snap-1'] }));
    ec2.on(DeregisterImageCommand).resolves({});
    ec2.on(DeleteSnapshotCommand).rejects(awsError('InvalidSnapshot.NotFound'));

    const outcome = await images.delete(backups[0]!);

    expect(outcome.result).toBe('deleted');
    expect(outcome.message).toContain('snap-1');
  });

  it('turns a DeleteSnapshot failure after deregistering into a TargetError naming the snapshot left behind', async () => {
    const { adapter: images, backups } = await listed(
      image('ami-old', { snapshots: ['snap-1', 'snap-2'] }),
    );
    ec2.on(DeregisterImageCommand).resolves({});
    ec2
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-1' })
      .rejects(awsError('AccessDenied', 'User is not authorized to perform ec2:DeleteSnapshot'));
    ec2.on(DeleteSnapshotCommand, { SnapshotId: 'snap-2' }).resolves({});

    const error = await rejectionOf(images.delete(backups[0]!));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('ami-old');
    expect(error.message).toContain('snap-1');
    expect(error.message).toMatch(
      /^Image ami-old was deregistered, but these of its snapshots could not be deleted and are left behind \(the next run tries again\): snap-1 \(/,
    );
    expect(error.message).not.toContain('snap-2');
    expect(error.message).toContain('AccessDenied');
    expect(ec2.commandCalls(DeregisterImageCommand)).toHaveLength(1);
    // The other snapshot still went: once the image is gone, only the set's tags list them.
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input.SnapshotId)).toEqual([
      'snap-1',
      'snap-2',
    ]);
    expect(fakeSleep).not.toHaveBeenCalled();
  });

  it('turns a DeregisterImage AccessDenied into a TargetError and deletes no snapshot', async () => {
    const { adapter: images, backups } = await listed(
      image('ami-old', { snapshots: ['snap-1', 'snap-2'] }),
    );
    ec2
      .on(DeregisterImageCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized to perform ec2:DeregisterImage'));
    ec2.on(DeleteSnapshotCommand).resolves({});

    const error = await rejectionOf(images.delete(backups[0]!));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('ami-old');
    expect(error.message).toContain('AccessDenied');
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });

  it('reports already-gone for an image it never saw that no longer exists (DescribeImages InvalidAMIID.NotFound)', async () => {
    ec2
      .on(DescribeImagesCommand)
      .rejects(awsError('InvalidAMIID.NotFound', "The image id '[ami-old]' does not exist"));
    ec2.on(DeregisterImageCommand).rejects(awsError('InvalidAMIID.NotFound'));

    const outcome = await adapter().delete(pendingBackup('ami-old'));

    expect(outcome.result).toBe('already-gone');
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });
});
