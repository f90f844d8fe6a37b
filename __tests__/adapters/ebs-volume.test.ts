// Adapter tests for `ebs-volume` (DESIGN §8): what moto cannot show — pagination, pending and error
// states, per-volume limits, throttling, waiter timeouts and cancellation. A real EC2Client is wrapped
// by aws-sdk-client-mock, except in the throttling tests that replace the client's HTTP handler so
// the SDK's own retry strategy runs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  EC2ServiceException,
  type CreateSnapshotCommandOutput,
  type DescribeSnapshotsCommandInput,
  type DescribeVolumesCommandInput,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import { ec2Client } from '../../src/aws.js';
import { TAGS } from '../../src/constants.js';
import { CancelledError, isAbort, TargetError } from '../../src/errors.js';
import { sleep as realSleep, type Sleep } from '../../src/sleep.js';
import { EbsVolumeAdapter, type EbsVolumeOptions } from '../../src/targets/ebs-volume.js';
import type { Backup, CreateRequest } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';

const REGION = 'us-east-1';
const SET = 'nightly';
const START_TIME = new Date('2026-11-20T08:00:00Z');
const CREATED_AT = '2026-11-22T12:00:00.000Z';

/** An error shaped like the ones the SDK throws for an AWS error code (`name` is the code). */
function awsError(code: string, message = `Simulated ${code}.`, status = 400): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

function ownershipTags(sourceId = 'vol-1', set = SET): Record<string, string> {
  return { [TAGS.backupSet]: set, [TAGS.source]: sourceId };
}

function ec2Tags(record: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

/** A snapshot of `vol-1` in the set, completed, with a created-at tag unless overridden. */
function snapshot(
  id: string,
  overrides: Partial<Snapshot> & { tags?: Record<string, string> } = {},
): Snapshot {
  const { tags, ...rest } = overrides;
  return {
    SnapshotId: id,
    VolumeId: 'vol-1',
    State: 'completed',
    StartTime: START_TIME,
    Tags: ec2Tags(tags ?? { ...ownershipTags(), [TAGS.createdAt]: CREATED_AT }),
    ...rest,
  };
}

/**
 * CreateSnapshot's answer as the SDK returns it: `$metadata.attempts` counts the HTTP requests the
 * SDK sent for the one call (more than 1 when an answer was lost and the request sent again).
 */
function answered(made: Snapshot, attempts = 1): CreateSnapshotCommandOutput {
  return { ...made, $metadata: { attempts } };
}

function volume(id: string, tags: Record<string, string> = {}): Volume {
  return { VolumeId: id, Tags: ec2Tags(tags) };
}

function pendingBackup(id = 'snap-new'): Backup {
  return {
    id,
    kind: 'ebs-volume',
    region: REGION,
    sourceId: 'vol-1',
    set: SET,
    createdAt: new Date(CREATED_AT),
    state: 'pending',
    tags: { ...ownershipTags(), [TAGS.createdAt]: CREATED_AT },
  };
}

function createRequest(overrides: Partial<CreateRequest> = {}): CreateRequest {
  return {
    source: { id: 'vol-1', tags: { Name: 'data' } },
    set: SET,
    tags: { ...ownershipTags(), [TAGS.createdAt]: CREATED_AT, [TAGS.run]: '42', Name: 'data' },
    ...overrides,
  };
}

let client: EC2Client;
let ec2: AwsClientStub<EC2Client>;
let fakeSleep: ReturnType<typeof vi.fn<Sleep>>;

function adapter(options: EbsVolumeOptions = {}): EbsVolumeAdapter {
  return new EbsVolumeAdapter(client, REGION, {
    minDelaySeconds: 1,
    maxDelaySeconds: 1,
    sleep: fakeSleep,
    rateLimitBackoffMs: 20_000,
    ...options,
  });
}

beforeEach(() => {
  // A fresh client per test: a waiter left polling by an aborted test cannot reach the next test's mock.
  client = new EC2Client({
    region: REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  ec2 = mockClient(client);
  fakeSleep = vi.fn<Sleep>(() => Promise.resolve());
});

afterEach(() => {
  ec2.restore();
  vi.unstubAllEnvs();
});

describe('EbsVolumeAdapter.findSources', () => {
  it('looks the ids up with a volume-id filter and reports the ids that do not exist as missing', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [volume('vol-2', { Name: 'two' })] });

    const lookup = await adapter().findSources(['vol-1', 'vol-2', 'vol-3'], {});

    const calls = ec2.commandCalls(DescribeVolumesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.Filters).toEqual([
      { Name: 'volume-id', Values: ['vol-1', 'vol-2', 'vol-3'] },
    ]);
    // A filter, not VolumeIds: VolumeIds would fail the whole call on the first missing id.
    expect(calls[0]?.args[0].input.VolumeIds).toBeUndefined();
    expect(lookup).toEqual({
      found: [{ id: 'vol-2', tags: { Name: 'two' } }],
      missing: ['vol-1', 'vol-3'],
    });
  });

  it('returns the volumes of every page (NextToken) with their tags', async () => {
    const inputs: DescribeVolumesCommandInput[] = [];
    const pages = [
      { Volumes: [volume('vol-1', { Name: 'one' })], NextToken: 'page-2' },
      { Volumes: [volume('vol-2', { Name: 'two', team: 'db' })], NextToken: 'page-3' },
      { Volumes: [volume('vol-3')] },
    ];
    ec2.on(DescribeVolumesCommand).callsFake((input: DescribeVolumesCommandInput) => {
      inputs.push(structuredClone(input));
      return pages[inputs.length - 1];
    });

    const lookup = await adapter().findSources(['vol-1', 'vol-2', 'vol-3'], {});

    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(lookup).toEqual({
      found: [
        { id: 'vol-1', tags: { Name: 'one' } },
        { id: 'vol-2', tags: { Name: 'two', team: 'db' } },
        { id: 'vol-3', tags: {} },
      ],
      missing: [],
    });
  });

  it('discovers volumes by tags with one tag:Key filter per tag and merges them with the ids', async () => {
    ec2
      .on(DescribeVolumesCommand)
      .resolvesOnce({ Volumes: [volume('vol-9', { backup: 'yes', env: 'prod' })] })
      .resolvesOnce({
        Volumes: [
          volume('vol-5', { backup: 'yes', env: 'prod' }),
          volume('vol-9', { backup: 'yes', env: 'prod' }),
        ],
      });

    const lookup = await adapter().findSources(['vol-9'], { backup: 'yes', env: 'prod' });

    const calls = ec2.commandCalls(DescribeVolumesCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Filters).toEqual([
      { Name: 'tag:backup', Values: ['yes'] },
      { Name: 'tag:env', Values: ['prod'] },
    ]);
    expect(lookup.found.map((source) => source.id)).toEqual(['vol-5', 'vol-9']);
    expect(lookup.found[0]?.tags).toEqual({ backup: 'yes', env: 'prod' });
    expect(lookup.missing).toEqual([]);
  });

  it('makes no tag lookup when no tags are given', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [volume('vol-1')] });

    await adapter().findSources(['vol-1'], {});

    expect(ec2.commandCalls(DescribeVolumesCommand)).toHaveLength(1);
  });

  it('splits more than 200 ids into volume-id filters of at most 200 values', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `vol-${String(i).padStart(4, '0')}`);
    ec2.on(DescribeVolumesCommand).callsFake((input: DescribeVolumesCommandInput) => ({
      Volumes: (input.Filters?.[0]?.Values ?? []).map((id) => volume(id)),
    }));

    const lookup = await adapter().findSources(ids, {});

    const valueLists = ec2
      .commandCalls(DescribeVolumesCommand)
      .map((call) => call.args[0].input.Filters?.[0]?.Values ?? []);
    expect(valueLists.map((values) => values.length)).toEqual([200, 200, 50]);
    expect(valueLists.flat()).toEqual(ids);
    expect(lookup.found).toHaveLength(450);
    expect(lookup.missing).toEqual([]);
  });

  it('turns AccessDenied into a TargetError naming the region and the code', async () => {
    ec2
      .on(DescribeVolumesCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized to perform ec2:DescribeVolumes'));

    const error = await rejectionOf(adapter().findSources(['vol-1'], {}));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain('AccessDenied');
    expect(error.message).toContain('vol-1');
    expect(error.cause).toBeInstanceOf(EC2ServiceException);
  });
});

describe('EbsVolumeAdapter.listBackups', () => {
  it('asks only for own snapshots of the set (OwnerIds self and the backup-set tag filter)', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });

    await adapter().listBackups(SET);

    const calls = ec2.commandCalls(DescribeSnapshotsCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.OwnerIds).toEqual(['self']);
    expect(input?.Filters).toEqual([{ Name: `tag:${TAGS.backupSet}`, Values: [SET] }]);
    expect(input?.MaxResults).toBe(1000);
  });

  it('leaves out snapshots that carry the set’s tags but were made from another volume or copied', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-1'),
        // A copy made by hand with the tags copied: AWS names no real volume (vol-ffffffff).
        snapshot('snap-copied', { VolumeId: 'vol-ffffffff' }),
        // Tagged by hand like the set's, but a snapshot of another volume.
        snapshot('snap-other', { VolumeId: 'vol-2' }),
        // The action's own copy (copy-of): a copy is the set's by that tag.
        snapshot('snap-own-copy', {
          VolumeId: 'vol-ffffffff',
          tags: { ...ownershipTags(), [TAGS.copyOf]: 'snap-0', [TAGS.sourceRegion]: 'eu-west-1' },
        }),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map((b) => b.id)).toEqual(['snap-1', 'snap-own-copy']);
  });

  it('lists every page of snapshots and keeps only those with both ownership tags of this set', async () => {
    const inputs: DescribeSnapshotsCommandInput[] = [];
    const pages = [
      {
        Snapshots: [
          snapshot('snap-1'),
          // No source tag: a snapshot someone tagged by hand, never managed.
          snapshot('snap-manual', { tags: { [TAGS.backupSet]: SET } }),
        ],
        NextToken: 'token-2',
      },
      {
        Snapshots: [
          snapshot('snap-2', { VolumeId: 'vol-2', tags: ownershipTags('vol-2') }),
          // Another set (a server that ignored the filter must not leak it into this set).
          snapshot('snap-other', { tags: ownershipTags('vol-1', 'weekly') }),
        ],
        NextToken: 'token-3',
      },
      {
        Snapshots: [
          snapshot('snap-3'),
          // No backup-set tag at all.
          snapshot('snap-untagged', { tags: { [TAGS.source]: 'vol-1' } }),
        ],
      },
    ];
    ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => {
      inputs.push(structuredClone(input));
      return pages[inputs.length - 1];
    });

    const backups = await adapter().listBackups(SET);

    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 'token-2', 'token-3']);
    expect(backups.map((backup) => backup.id)).toEqual(['snap-1', 'snap-2', 'snap-3']);
    expect(backups[1]).toEqual({
      id: 'snap-2',
      kind: 'ebs-volume',
      region: REGION,
      sourceId: 'vol-2',
      set: SET,
      createdAt: START_TIME,
      state: 'completed',
      tags: ownershipTags('vol-2'),
    });
  });

  it('maps pending, completed and error to pending, completed and failed with the StateMessage', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-p', { State: 'pending', Progress: '40%' }),
        snapshot('snap-c', { State: 'completed' }),
        snapshot('snap-e', {
          State: 'error',
          StateMessage: 'Internal error while copying the data.',
        }),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map(({ id, state, stateMessage }) => ({ id, state, stateMessage }))).toEqual([
      { id: 'snap-p', state: 'pending', stateMessage: undefined },
      { id: 'snap-c', state: 'completed', stateMessage: undefined },
      { id: 'snap-e', state: 'failed', stateMessage: 'Internal error while copying the data.' },
    ]);
    expect(backups[0]).not.toHaveProperty('stateMessage');
  });

  it('leaves out snapshots in the Recycle Bin (recoverable, recovering): not pending, not counted, never deleted', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-live'),
        snapshot('snap-binned', { State: 'recoverable' }),
        snapshot('snap-restoring', { State: 'recovering' }),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map((b) => [b.id, b.state])).toEqual([['snap-live', 'completed']]);
  });

  it('marks a snapshot in the archive tier archived, and only that one', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-archived', { StorageTier: 'archive' }),
        snapshot('snap-standard', { StorageTier: 'standard' }),
        snapshot('snap-untiered'),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map((b) => [b.id, b.archived])).toEqual([
      ['snap-archived', true],
      ['snap-standard', undefined],
      ['snap-untiered', undefined],
    ]);
    expect(backups[1]).not.toHaveProperty('archived');
  });

  it('takes createdAt from the created-at tag when it is valid, else from StartTime', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-tagged', {
          tags: { ...ownershipTags(), [TAGS.createdAt]: '2026-01-02T03:04:05.000Z' },
        }),
        snapshot('snap-invalid', {
          tags: { ...ownershipTags(), [TAGS.createdAt]: 'yesterday-ish' },
        }),
        snapshot('snap-untagged', { tags: ownershipTags() }),
      ],
    });

    const backups = await adapter().listBackups(SET);

    expect(backups.map((backup) => backup.createdAt.toISOString())).toEqual([
      '2026-01-02T03:04:05.000Z',
      START_TIME.toISOString(),
      START_TIME.toISOString(),
    ]);
  });

  it('turns a listing error into a TargetError naming the set, the region and the code', async () => {
    ec2.on(DescribeSnapshotsCommand).rejects(awsError('UnauthorizedOperation', 'Not allowed.'));

    const error = await rejectionOf(adapter().listBackups(SET));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(SET);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain('UnauthorizedOperation');
  });
});

describe('EbsVolumeAdapter.create', () => {
  it('sends the VolumeId, a Description naming set and source, and exactly the given tags at creation', async () => {
    ec2.on(CreateSnapshotCommand).resolves(answered(snapshot('snap-new', { State: 'pending' })));
    const request = createRequest();

    await adapter().create(request);

    const calls = ec2.commandCalls(CreateSnapshotCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.VolumeId).toBe('vol-1');
    expect(input?.Description).toContain(SET);
    expect(input?.Description).toContain('vol-1');
    expect(input?.TagSpecifications).toHaveLength(1);
    expect(input?.TagSpecifications?.[0]?.ResourceType).toBe('snapshot');
    const sent = input?.TagSpecifications?.[0]?.Tags ?? [];
    expect(Object.fromEntries(sent.map(({ Key, Value }) => [Key, Value]))).toEqual(request.tags);
    expect(sent).toHaveLength(Object.keys(request.tags).length);
  });

  it('returns the accepted snapshot as a pending Backup', async () => {
    const request = createRequest();
    ec2.on(CreateSnapshotCommand).resolves(
      answered({
        SnapshotId: 'snap-new',
        VolumeId: 'vol-1',
        State: 'pending',
        StartTime: new Date('2026-11-22T12:00:03Z'),
        Tags: ec2Tags(request.tags),
      }),
    );

    const backup = await adapter().create(request);

    expect(backup).toEqual({
      id: 'snap-new',
      kind: 'ebs-volume',
      region: REGION,
      sourceId: 'vol-1',
      set: SET,
      createdAt: new Date(CREATED_AT),
      state: 'pending',
      tags: request.tags,
    });
  });

  it('falls back to the requested tags when the response carries no tag list', async () => {
    const request = createRequest();
    ec2.on(CreateSnapshotCommand).resolves(answered({ SnapshotId: 'snap-new', State: 'pending' }));

    const backup = await adapter().create(request);

    expect(backup).toMatchObject({ id: 'snap-new', state: 'pending', sourceId: 'vol-1', set: SET });
    expect(backup.tags).toEqual(request.tags);
  });

  it('falls back to the requested tags when the response carries an empty tag list', async () => {
    // The SDK turns an empty `<tagSet/>` in the XML answer into `Tags: []`.
    const request = createRequest();
    ec2
      .on(CreateSnapshotCommand)
      .resolves(answered({ SnapshotId: 'snap-new', State: 'pending', Tags: [] }));

    const backup = await adapter().create(request);

    expect(backup).toMatchObject({ id: 'snap-new', state: 'pending', sourceId: 'vol-1', set: SET });
    expect(backup.tags).toEqual(request.tags);
  });

  it('retries SnapshotCreationPerVolumeRateExceeded after the injected back-off and then succeeds', async () => {
    ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(awsError('SnapshotCreationPerVolumeRateExceeded'))
      .rejectsOnce(awsError('SnapshotCreationPerVolumeRateExceeded'))
      .resolves(answered(snapshot('snap-new', { State: 'pending' })));
    const controller = new AbortController();

    const backup = await adapter({ rateLimitBackoffMs: 20_000 }).create(
      createRequest({ signal: controller.signal }),
    );

    expect(backup).toMatchObject({ id: 'snap-new', state: 'pending' });
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(3);
    expect(fakeSleep.mock.calls).toEqual([
      [20_000, controller.signal],
      [40_000, controller.signal],
    ]);
  });

  it('backs off at least 15 s by default after SnapshotCreationPerVolumeRateExceeded', async () => {
    ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(awsError('SnapshotCreationPerVolumeRateExceeded'))
      .resolves(answered(snapshot('snap-new', { State: 'pending' })));
    const defaults = new EbsVolumeAdapter(client, REGION, { sleep: fakeSleep });

    await defaults.create(createRequest());

    expect(fakeSleep).toHaveBeenCalledTimes(1);
    expect(fakeSleep.mock.calls[0]?.[0]).toBeGreaterThanOrEqual(15_000);
  });

  it('gives up with a TargetError after 4 rate-limited attempts', async () => {
    ec2.on(CreateSnapshotCommand).rejects(awsError('SnapshotCreationPerVolumeRateExceeded'));

    const error = await rejectionOf(adapter().create(createRequest()));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('vol-1');
    expect(error.message).toContain('SnapshotCreationPerVolumeRateExceeded');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(4);
    expect(fakeSleep).toHaveBeenCalledTimes(3);
  });

  it('waits out ConcurrentSnapshotLimitExceeded with growing back-offs, then reports the volume alone', async () => {
    ec2.on(CreateSnapshotCommand).rejects(awsError('ConcurrentSnapshotLimitExceeded'));

    const error = await rejectionOf(
      adapter({ rateLimitBackoffMs: 15_000 }).create(createRequest()),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('vol-1');
    expect(error.message).toContain('ConcurrentSnapshotLimitExceeded');
    expect(error.message).toContain('after waiting 90 s');
    expect(error.message).toMatch(/later run will try again/);
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(4);
    expect(fakeSleep.mock.calls.map(([ms]) => ms)).toEqual([15_000, 30_000, 45_000]);
  });

  it('creates the snapshot once an earlier one of the volume finished (ConcurrentSnapshotLimitExceeded waited out)', async () => {
    ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(awsError('ConcurrentSnapshotLimitExceeded'))
      .resolves(answered(snapshot('snap-new', { State: 'pending' })));

    const backup = await adapter().create(createRequest());

    expect(backup).toMatchObject({ id: 'snap-new', state: 'pending' });
    expect(fakeSleep).toHaveBeenCalledTimes(1);
  });

  it('throws a CancelledError without sending anything when the signal is already aborted', async () => {
    ec2.on(CreateSnapshotCommand).resolves(answered(snapshot('snap-new', { State: 'pending' })));

    const error = await rejectionOf(
      adapter().create(createRequest({ signal: AbortSignal.abort() })),
    );

    expect(error).toBeInstanceOf(CancelledError);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('stops at once and sends nothing more when the run is cancelled during the rate-limit back-off', async () => {
    ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(awsError('SnapshotCreationPerVolumeRateExceeded'))
      .resolves(answered(snapshot('snap-new', { State: 'pending' })));
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);

    const error = await rejectionOf(
      adapter({ sleep: realSleep, rateLimitBackoffMs: 60_000 }).create(
        createRequest({ signal: controller.signal }),
      ),
    );

    expect(isAbort(error)).toBe(true);
    // The back-off is 60 s; the abort must not wait for it.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
  });
});

describe('throttling', () => {
  it('surfaces a RequestLimitExceeded answer from the mock as a TargetError naming the code', async () => {
    // aws-sdk-client-mock replaces `send`, so the SDK's retry strategy never sees this error.
    ec2
      .on(CreateSnapshotCommand)
      .rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503));

    const error = await rejectionOf(adapter().create(createRequest()));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('RequestLimitExceeded');
    expect(error.message).toContain('vol-1');
    // Throttling is the SDK's business (DESIGN §5): the adapter does not back off on it itself.
    expect(fakeSleep).not.toHaveBeenCalled();
  });

  describe('through the real SDK middleware stack (HTTP handler replaced)', () => {
    interface Answer {
      status: number;
      body: string;
    }

    const errorXml = (code: string): string =>
      `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code>` +
      `<Message>Simulated ${code}.</Message></Error></Errors><RequestID>req-1</RequestID></Response>`;

    const createSnapshotXml = (tags: Record<string, string>): string =>
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<CreateSnapshotResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      '<requestId>req-2</requestId><snapshotId>snap-new</snapshotId><volumeId>vol-1</volumeId>' +
      '<status>pending</status><startTime>2026-11-22T12:00:03.000Z</startTime><tagSet>' +
      Object.entries(tags)
        .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
        .join('') +
      '</tagSet></CreateSnapshotResponse>';

    const describeSnapshotsXml = (ids: string[], tags: Record<string, string>): string =>
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<DescribeSnapshotsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      '<requestId>req-3</requestId><snapshotSet>' +
      ids
        .map(
          (id) =>
            `<item><snapshotId>${id}</snapshotId><volumeId>vol-1</volumeId><status>completed</status>` +
            '<startTime>2026-11-22T12:00:03.000Z</startTime><tagSet>' +
            Object.entries(tags)
              .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
              .join('') +
            '</tagSet></item>',
        )
        .join('') +
      '</snapshotSet></DescribeSnapshotsResponse>';

    /** The action's own client (src/aws.ts), answering from `answers` instead of the network. */
    function httpStubbedClient(answers: Answer[]): { client: EC2Client; bodies: string[] } {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
      vi.stubEnv('AWS_SESSION_TOKEN', '');
      const real = ec2Client(REGION);
      const bodies: string[] = [];
      const handler = {
        handle: (request: { body?: unknown }) => {
          bodies.push(String(request.body));
          const answer = answers.shift();
          if (!answer) throw new Error('no more stubbed HTTP answers');
          return Promise.resolve({
            response: {
              statusCode: answer.status,
              headers: { 'content-type': 'text/xml;charset=UTF-8' },
              body: new TextEncoder().encode(answer.body),
            },
          });
        },
      };
      Object.assign(real.config, { requestHandler: handler });
      return { client: real, bodies };
    }

    // Real timers (vi fake timers stall the SDK's send path): the SDK's throttling back-off plus the
    // adaptive rate limiter take about 1-2 s here.
    it(
      'lets the SDK retry RequestLimitExceeded itself, so create succeeds after a throttled answer',
      {
        timeout: 10_000,
      },
      async () => {
        const request = createRequest();
        const { client: real, bodies } = httpStubbedClient([
          { status: 503, body: errorXml('RequestLimitExceeded') },
          { status: 200, body: createSnapshotXml(request.tags) },
        ]);

        const backup = await new EbsVolumeAdapter(real, REGION, { sleep: fakeSleep }).create(
          request,
        );

        expect(backup).toMatchObject({ id: 'snap-new', state: 'pending', tags: request.tags });
        expect(bodies).toHaveLength(2);
        expect(bodies.every((body) => body.includes('Action=CreateSnapshot'))).toBe(true);
        expect(fakeSleep).not.toHaveBeenCalled();
      },
    );

    it(
      'remembers a CreateSnapshot whose answer was lost and that the SDK sent again, and finds its twin',
      { timeout: 10_000 },
      async () => {
        const request = createRequest();
        const { client: real, bodies } = httpStubbedClient([
          // AWS made the snapshot, but the answer came back as a server error: the SDK retries.
          { status: 500, body: errorXml('InternalError') },
          { status: 200, body: createSnapshotXml(request.tags) },
          { status: 200, body: describeSnapshotsXml(['snap-new', 'snap-twin'], request.tags) },
        ]);
        const snapshots = new EbsVolumeAdapter(real, REGION, { sleep: fakeSleep });

        const made = await snapshots.create(request);
        const strays = await snapshots.strays(made);

        expect(strays.map((b) => b.id)).toEqual(['snap-twin']);
        expect(bodies.map((body) => /Action=(\w+)/.exec(body)?.[1])).toEqual([
          'CreateSnapshot',
          'CreateSnapshot',
          'DescribeSnapshots',
        ]);
      },
    );

    it('re-sends the same CreateSnapshot after SnapshotCreationPerVolumeRateExceeded, which the SDK does not retry', async () => {
      const request = createRequest();
      const { client: real, bodies } = httpStubbedClient([
        { status: 400, body: errorXml('SnapshotCreationPerVolumeRateExceeded') },
        { status: 200, body: createSnapshotXml(request.tags) },
      ]);

      const backup = await new EbsVolumeAdapter(real, REGION, {
        sleep: fakeSleep,
        rateLimitBackoffMs: 15_000,
      }).create(request);

      expect(backup).toMatchObject({ id: 'snap-new', state: 'pending' });
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toBe(bodies[0]);
      expect(fakeSleep).toHaveBeenCalledTimes(1);
    });
  });
});

describe('EbsVolumeAdapter.waitUntilDone', () => {
  it('returns a backup that is not pending at once, without calling AWS', async () => {
    const done: Backup = { ...pendingBackup(), state: 'completed' };

    const result = await adapter().waitUntilDone(done, { maxWaitSeconds: 60 });

    expect(result).toBe(done);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('polls a pending snapshot until it completes and returns the completed Backup', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [snapshot('snap-new', { State: 'pending', Progress: '80%' })] })
      .resolves({ Snapshots: [snapshot('snap-new', { State: 'completed', Progress: '100%' })] });

    const result = await adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

    expect(result).toMatchObject({ id: 'snap-new', state: 'completed', sourceId: 'vol-1' });
    const calls = ec2.commandCalls(DescribeSnapshotsCommand);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    // Read through the shared, batched describe: a filter by id, of this account's snapshots.
    for (const call of calls) {
      expect(call.args[0].input.Filters).toEqual([{ Name: 'snapshot-id', Values: ['snap-new'] }]);
      expect(call.args[0].input.OwnerIds).toEqual(['self']);
    }
  });

  it('returns a failed Backup with AWS’s StateMessage when the snapshot ends in error', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-new', { State: 'error', StateMessage: 'The volume is not available.' }),
      ],
    });

    const result = await adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

    expect(result).toMatchObject({
      id: 'snap-new',
      state: 'failed',
      stateMessage: 'The volume is not available.',
    });
  });

  it('throws a TargetError naming wait-timeout, leaving the snapshot in place, when it stays pending', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .resolves({ Snapshots: [snapshot('snap-new', { State: 'pending' })] });
    const started = performance.now();

    const error = await rejectionOf(
      adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 0.01 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('snap-new');
    expect(error.message).toContain('wait-timeout');
    expect(error.message).toMatch(/left in place/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });

  it('reports the describe error, not a timeout, when the snapshot cannot be read while waiting', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .rejects(
        awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      );

    const error = await rejectionOf(
      adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 0.01 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(/Could not read snapshot snap-new while waiting/);
    expect(error.message).toContain('UnauthorizedOperation');
    expect(error.message).not.toMatch(/left in place/);
  });

  it('reports at once, not at the timeout, a snapshot that disappeared after it was seen', async () => {
    // A filter by id answers a deleted snapshot with an empty list.
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [snapshot('snap-new', { State: 'pending' })] })
      .resolves({ Snapshots: [] });
    const started = performance.now();

    const error = await rejectionOf(
      adapter({ minDelaySeconds: 0.1, maxDelaySeconds: 0.1 }).waitUntilDone(pendingBackup(), {
        maxWaitSeconds: 600,
      }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(/snap-new of vol-1 disappeared while waiting/);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(2);
    // Well under the 600 s a retry-until-timeout (or the 300 s visibility grace) would take.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('waits for a new snapshot that describe calls do not show yet (EC2 is eventually consistent)', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [] })
      .resolvesOnce({ Snapshots: [] })
      .resolves({ Snapshots: [snapshot('snap-new', { State: 'completed' })] });

    const result = await adapter({
      minDelaySeconds: 0.1,
      maxDelaySeconds: 0.1,
      visibilityGraceSeconds: 30,
    }).waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

    expect(result).toMatchObject({ id: 'snap-new', state: 'completed' });
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(3);
  });

  it('fails, leaving it in place, a snapshot that stays invisible for the whole visibility grace', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });

    const error = await rejectionOf(
      adapter({
        minDelaySeconds: 0.1,
        maxDelaySeconds: 0.1,
        visibilityGraceSeconds: 0.3,
      }).waitUntilDone(pendingBackup(), { maxWaitSeconds: 600 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      /^Snapshot snap-new of vol-1 was accepted by AWS but has not become visible in .*; it is left in place \(if it exists\)/,
    );
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });

  it('throws a CancelledError promptly when the run is cancelled during the wait', async () => {
    ec2
      .on(DescribeSnapshotsCommand)
      .resolves({ Snapshots: [snapshot('snap-new', { State: 'pending' })] });
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

describe('EbsVolumeAdapter.delete', () => {
  it('sends DeleteSnapshot for the backup and reports it deleted', async () => {
    ec2.on(DeleteSnapshotCommand).resolves({});

    const outcome = await adapter().delete({ ...pendingBackup('snap-old'), state: 'completed' });

    expect(outcome).toEqual({ result: 'deleted' });
    const calls = ec2.commandCalls(DeleteSnapshotCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ SnapshotId: 'snap-old' });
  });

  it('reports InvalidSnapshot.NotFound as already gone', async () => {
    ec2.on(DeleteSnapshotCommand).rejects(awsError('InvalidSnapshot.NotFound'));

    const outcome = await adapter().delete(pendingBackup('snap-old'));

    expect(outcome).toEqual({ result: 'already-gone' });
  });

  it('skips a snapshot still used by an image (InvalidSnapshot.InUse) with a message', async () => {
    ec2
      .on(DeleteSnapshotCommand)
      .rejects(awsError('InvalidSnapshot.InUse', 'snap-old is in use by ami-1'));

    const outcome = await adapter().delete(pendingBackup('snap-old'));

    expect(outcome).toMatchObject({ result: 'skipped' });
    expect(outcome.result === 'skipped' && outcome.message).toContain('snap-old');
    expect(outcome.result === 'skipped' && outcome.message).toContain('InvalidSnapshot.InUse');
  });

  it('skips a locked snapshot (EBS snapshot lock), naming the lock and AWS’s message, instead of failing', async () => {
    const refusal = 'The snapshot snap-old is locked in compliance mode and cannot be deleted.';
    ec2.on(DeleteSnapshotCommand).rejects(awsError('InvalidParameterValue', refusal));

    const outcome = await adapter().delete(pendingBackup('snap-old'));

    expect(outcome.result).toBe('skipped');
    expect(outcome.message).toMatch(/^snap-old is locked \(EBS snapshot lock\)/);
    expect(outcome.message).toContain(refusal);
    expect(outcome.message).toMatch(/left in place/);
  });

  it('turns any other error into a TargetError naming the snapshot and the code', async () => {
    ec2.on(DeleteSnapshotCommand).rejects(awsError('UnauthorizedOperation', 'Not allowed.'));

    const error = await rejectionOf(adapter().delete(pendingBackup('snap-old')));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('snap-old');
    expect(error.message).toContain('UnauthorizedOperation');
  });
});

describe('EbsVolumeAdapter.strays (a CreateSnapshot that AWS carried out twice)', () => {
  /** Creates snap-new through an answer that says how many times the SDK sent the request. */
  async function created(attempts: number): Promise<{ adapter: EbsVolumeAdapter; made: Backup }> {
    ec2
      .on(CreateSnapshotCommand)
      .resolves(answered(snapshot('snap-new', { State: 'pending' }), attempts));
    const snapshots = adapter();
    const made = await snapshots.create(createRequest());
    ec2.resetHistory();
    return { adapter: snapshots, made };
  }

  it('makes no call at all after a create that the SDK sent once', async () => {
    const { adapter: snapshots, made } = await created(1);

    expect(await snapshots.strays(made)).toEqual([]);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('after a create sent twice, reads the set’s snapshots of that created-at once and returns the other one', async () => {
    const { adapter: snapshots, made } = await created(2);
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-new', { State: 'completed' }),
        // What the attempt whose answer was lost made: the very same tags.
        snapshot('snap-twin', { State: 'completed' }),
        // The action's copy of an original made at the same instant: not a duplicate.
        snapshot('snap-copy', {
          VolumeId: 'vol-ffffffff',
          tags: {
            ...ownershipTags(),
            [TAGS.createdAt]: CREATED_AT,
            [TAGS.copyOf]: 'snap-0',
            [TAGS.sourceRegion]: 'eu-west-1',
          },
        }),
        // Another volume of the set, backed up at the same instant.
        snapshot('snap-vol-2', {
          VolumeId: 'vol-2',
          tags: { ...ownershipTags('vol-2'), [TAGS.createdAt]: CREATED_AT },
        }),
      ],
    });

    const strays = await snapshots.strays(made);

    expect(strays.map((b) => [b.id, b.sourceId, b.state])).toEqual([
      ['snap-twin', 'vol-1', 'completed'],
    ]);
    const calls = ec2.commandCalls(DescribeSnapshotsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.OwnerIds).toEqual(['self']);
    expect(calls[0]?.args[0].input.Filters).toEqual([
      { Name: `tag:${TAGS.backupSet}`, Values: [SET] },
      { Name: `tag:${TAGS.createdAt}`, Values: [CREATED_AT] },
    ]);
  });

  it('returns nothing when the retried create made no second snapshot', async () => {
    const { adapter: snapshots, made } = await created(3);
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snapshot('snap-new')] });

    expect(await snapshots.strays(made)).toEqual([]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(1);
  });

  it('after a CopySnapshot sent twice, returns the other copy of the same original, not the original', async () => {
    const copyTags = {
      ...ownershipTags(),
      [TAGS.createdAt]: CREATED_AT,
      [TAGS.copyOf]: 'snap-0',
      [TAGS.sourceRegion]: 'eu-west-1',
    };
    ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy', $metadata: { attempts: 2 } });
    const snapshots = adapter();
    const copy = await snapshots.copy({
      original: { ...pendingBackup('snap-0'), region: 'eu-west-1', state: 'completed' },
      tags: copyTags,
      clientToken: 'token',
    });
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        snapshot('snap-copy', { VolumeId: 'vol-ffffffff', tags: copyTags }),
        snapshot('snap-copy-twin', { VolumeId: 'vol-ffffffff', tags: copyTags }),
        // A backup of this region made at the same instant: no copy, so no twin of a copy.
        snapshot('snap-local', { State: 'completed' }),
      ],
    });

    const strays = await snapshots.strays(copy);

    expect(strays.map((b) => [b.id, b.copyOf])).toEqual([['snap-copy-twin', 'snap-0']]);
  });

  it('makes no call for a snapshot this adapter did not create', async () => {
    const snapshots = adapter();

    expect(await snapshots.strays(pendingBackup('snap-listed'))).toEqual([]);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('turns a failed lookup into a TargetError naming the backup and the code', async () => {
    const { adapter: snapshots, made } = await created(2);
    ec2.on(DescribeSnapshotsCommand).rejects(awsError('UnauthorizedOperation', 'Not allowed.'));

    const error = await rejectionOf(snapshots.strays(made));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      /^Could not look for duplicates of snap-new after a retried create/,
    );
    expect(error.message).toContain('UnauthorizedOperation');
  });
});
