// What only `ebs-volume` does (DESIGN §8), beyond the contract every adapter keeps
// (contract.test.ts): the archive tier, the snapshot's description, the per-volume limits waited
// out, throttling left to the SDK's own retries, and the twins a CreateSnapshot or CopySnapshot sent
// twice may leave (strays). The throttling tests replace the client's HTTP handler so the SDK's own
// retry strategy runs; the others wrap a client in aws-sdk-client-mock (fixtures.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  DescribeSnapshotsCommand,
} from '@aws-sdk/client-ec2';
import { ec2Client } from '../../src/aws.js';
import { TAGS } from '../../src/constants.js';
import { isAbort, TargetError } from '../../src/errors.js';
import { sleep as realSleep } from '../../src/sleep.js';
import { EbsVolumeAdapter, type EbsVolumeOptions } from '../../src/targets/ebs-volume.js';
import type { Backup } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';
import {
  actionOf,
  answerHttp,
  backupOf,
  backupTags,
  copyRequest,
  createRequest,
  CREATED_AT,
  DEST,
  EBS_SOURCE,
  ebsHarness,
  ebsSnapshot,
  ec2Error,
  ec2ErrorXml,
  REGION,
  SET,
  type EbsHarness,
  type HttpAnswer,
  type Stored,
} from './fixtures.js';

const VOLUME = EBS_SOURCE;
let h: EbsHarness;

beforeEach(() => {
  h = ebsHarness();
});

afterEach(() => {
  h.restore();
  vi.unstubAllEnvs();
});

/** Rate-limit back-offs of 20 s (never slept: the sleep is the harness's fake). */
function adapter(options: EbsVolumeOptions = {}): EbsVolumeAdapter {
  return h.adapter({ rateLimitBackoffMs: 20_000, ...options });
}

/** Answers CreateSnapshot with snap-new, sent `attempts` times by the SDK (a lost answer, a retry). */
function answered(attempts = 1, stored: Partial<Stored> = {}) {
  return {
    ...ebsSnapshot({ id: 'snap-new', state: 'pending', ...stored }),
    $metadata: { attempts },
  };
}

describe('EbsVolumeAdapter.listBackups', () => {
  it('marks a snapshot in the archive tier archived, and only that one', async () => {
    h.ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        { ...ebsSnapshot({ id: 'snap-archived' }), StorageTier: 'archive' },
        { ...ebsSnapshot({ id: 'snap-standard' }), StorageTier: 'standard' },
        ebsSnapshot({ id: 'snap-untiered' }),
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
});

describe('EbsVolumeAdapter.create', () => {
  it('describes the snapshot by its set and its volume', async () => {
    h.ec2.on(CreateSnapshotCommand).resolves(answered());

    await adapter().create(createRequest(VOLUME));

    expect(h.createQueries()[0]?.input.Description).toBe(
      `snapshot-rotation backup-set=${SET} source=${VOLUME}`,
    );
  });

  it('retries SnapshotCreationPerVolumeRateExceeded after the injected back-off and then succeeds', async () => {
    h.ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(ec2Error('SnapshotCreationPerVolumeRateExceeded'))
      .rejectsOnce(ec2Error('SnapshotCreationPerVolumeRateExceeded'))
      .resolves(answered());
    const controller = new AbortController();

    const backup = await adapter().create(createRequest(VOLUME, { signal: controller.signal }));

    expect(backup).toMatchObject({ id: 'snap-new', state: 'pending' });
    expect(h.ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(3);
    expect(h.sleep.mock.calls).toEqual([
      [20_000, controller.signal],
      [40_000, controller.signal],
    ]);
  });

  it('backs off at least 15 s by default after SnapshotCreationPerVolumeRateExceeded', async () => {
    h.ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(ec2Error('SnapshotCreationPerVolumeRateExceeded'))
      .resolves(answered());
    const defaults = new EbsVolumeAdapter(h.client, REGION, { sleep: h.sleep });

    await defaults.create(createRequest(VOLUME));

    expect(h.sleep).toHaveBeenCalledTimes(1);
    expect(h.sleep.mock.calls[0]?.[0]).toBeGreaterThanOrEqual(15_000);
  });

  it('gives up with a TargetError after 4 rate-limited attempts', async () => {
    h.ec2.on(CreateSnapshotCommand).rejects(ec2Error('SnapshotCreationPerVolumeRateExceeded'));

    const error = await rejectionOf(adapter().create(createRequest(VOLUME)));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(VOLUME);
    expect(error.message).toContain('SnapshotCreationPerVolumeRateExceeded');
    expect(h.ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(4);
    expect(h.sleep).toHaveBeenCalledTimes(3);
  });

  it('waits out ConcurrentSnapshotLimitExceeded with growing back-offs, then reports the volume alone', async () => {
    h.ec2.on(CreateSnapshotCommand).rejects(ec2Error('ConcurrentSnapshotLimitExceeded'));

    const error = await rejectionOf(
      adapter({ rateLimitBackoffMs: 15_000 }).create(createRequest(VOLUME)),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(VOLUME);
    expect(error.message).toContain('ConcurrentSnapshotLimitExceeded');
    expect(error.message).toContain('after waiting 90 s');
    expect(error.message).toMatch(/later run will try again/);
    expect(h.ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(4);
    expect(h.sleep.mock.calls.map(([ms]) => ms)).toEqual([15_000, 30_000, 45_000]);
  });

  it('creates the snapshot once an earlier one of the volume finished (ConcurrentSnapshotLimitExceeded waited out)', async () => {
    h.ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(ec2Error('ConcurrentSnapshotLimitExceeded'))
      .resolves(answered());

    const backup = await adapter().create(createRequest(VOLUME));

    expect(backup).toMatchObject({ id: 'snap-new', state: 'pending' });
    expect(h.sleep).toHaveBeenCalledTimes(1);
  });

  it('stops at once and sends nothing more when the run is cancelled during the rate-limit back-off', async () => {
    h.ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(ec2Error('SnapshotCreationPerVolumeRateExceeded'))
      .resolves(answered());
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);

    const error = await rejectionOf(
      adapter({ sleep: realSleep, rateLimitBackoffMs: 60_000 }).create(
        createRequest(VOLUME, { signal: controller.signal }),
      ),
    );

    expect(isAbort(error)).toBe(true);
    // The back-off is 60 s; the abort must not wait for it.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(h.ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
  });
});

// Real timers (vi fake timers stall the SDK's send path): the SDK's throttling back-off plus the
// adaptive rate limiter take about 1-2 s here.
describe(
  'throttling through the real SDK middleware stack (HTTP handler replaced)',
  { timeout: 10_000 },
  () => {
    const xmlTags = (tags: Record<string, string>): string =>
      Object.entries(tags)
        .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
        .join('');

    const createSnapshotXml = (tags: Record<string, string>): string =>
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<CreateSnapshotResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      `<requestId>req-2</requestId><snapshotId>snap-new</snapshotId><volumeId>${VOLUME}</volumeId>` +
      `<status>pending</status><startTime>2026-11-22T12:00:03.000Z</startTime><tagSet>${xmlTags(tags)}` +
      '</tagSet></CreateSnapshotResponse>';

    const describeSnapshotsXml = (ids: string[], tags: Record<string, string>): string =>
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<DescribeSnapshotsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      '<requestId>req-3</requestId><snapshotSet>' +
      ids
        .map(
          (id) =>
            `<item><snapshotId>${id}</snapshotId><volumeId>${VOLUME}</volumeId><status>completed</status>` +
            `<startTime>2026-11-22T12:00:03.000Z</startTime><tagSet>${xmlTags(tags)}</tagSet></item>`,
        )
        .join('') +
      '</snapshotSet></DescribeSnapshotsResponse>';

    /** The adapter over the action's own client (src/aws.ts), answering from `answers` in turn. */
    function overHttp(answers: HttpAnswer[], options: EbsVolumeOptions = {}) {
      const client = ec2Client(REGION);
      const sent = answerHttp(client, () => {
        const answer = answers.shift();
        if (!answer) throw new Error('no more stubbed HTTP answers');
        return answer;
      });
      const snapshots = new EbsVolumeAdapter(client, REGION, { sleep: h.sleep, ...options });
      return { snapshots, bodies: () => sent.map((request) => request.body) };
    }

    const request = createRequest(VOLUME);
    const created: HttpAnswer = { status: 200, body: createSnapshotXml(request.tags) };

    it('lets the SDK retry RequestLimitExceeded itself, so create succeeds after a throttled answer', async () => {
      const { snapshots, bodies } = overHttp([
        { status: 503, body: ec2ErrorXml('RequestLimitExceeded') },
        created,
      ]);

      const backup = await snapshots.create(request);

      expect(backup).toMatchObject({ id: 'snap-new', state: 'pending', tags: request.tags });
      expect(bodies().map(actionOf)).toEqual(['CreateSnapshot', 'CreateSnapshot']);
      expect(h.sleep).not.toHaveBeenCalled();
    });

    it('remembers a CreateSnapshot whose answer was lost and that the SDK sent again, and finds its twin', async () => {
      const { snapshots, bodies } = overHttp([
        // AWS made the snapshot, but the answer came back as a server error: the SDK retries.
        { status: 500, body: ec2ErrorXml('InternalError') },
        created,
        { status: 200, body: describeSnapshotsXml(['snap-new', 'snap-twin'], request.tags) },
      ]);

      const made = await snapshots.create(request);
      const strays = await snapshots.strays(made);

      expect(strays.map((b) => b.id)).toEqual(['snap-twin']);
      expect(bodies().map(actionOf)).toEqual([
        'CreateSnapshot',
        'CreateSnapshot',
        'DescribeSnapshots',
      ]);
    });

    it('re-sends the same CreateSnapshot after SnapshotCreationPerVolumeRateExceeded, which the SDK does not retry', async () => {
      const { snapshots, bodies } = overHttp(
        [{ status: 400, body: ec2ErrorXml('SnapshotCreationPerVolumeRateExceeded') }, created],
        { rateLimitBackoffMs: 15_000 },
      );

      const backup = await snapshots.create(request);

      expect(backup).toMatchObject({ id: 'snap-new', state: 'pending' });
      expect(bodies()).toHaveLength(2);
      expect(bodies()[1]).toBe(bodies()[0]);
      expect(h.sleep).toHaveBeenCalledTimes(1);
    });
  },
);

describe('EbsVolumeAdapter.copy', () => {
  it('throws a TargetError naming the destination when CopySnapshot answers without a snapshot id', async () => {
    h.answerCopy(() => undefined);
    const original = backupOf('ebs-volume', 'snap-orig', VOLUME, { state: 'completed' });

    const error = await rejectionOf(h.adapter({}, DEST).copy(copyRequest(original)));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(DEST);
  });
});

describe('EbsVolumeAdapter.strays (a CreateSnapshot or CopySnapshot that AWS carried out twice)', () => {
  const copyTags = {
    ...backupTags(VOLUME),
    [TAGS.copyOf]: 'snap-0',
    [TAGS.sourceRegion]: 'eu-west-1',
  };

  /** Creates snap-new through an answer that says how many times the SDK sent the request. */
  async function created(attempts: number): Promise<{ snapshots: EbsVolumeAdapter; made: Backup }> {
    h.ec2.on(CreateSnapshotCommand).resolves(answered(attempts));
    const snapshots = adapter();
    const made = await snapshots.create(createRequest(VOLUME));
    h.ec2.resetHistory();
    return { snapshots, made };
  }

  it('makes no call at all after a create that the SDK sent once', async () => {
    const { snapshots, made } = await created(1);

    expect(await snapshots.strays(made)).toEqual([]);
    expect(h.commands()).toEqual([]);
  });

  it('after a create sent twice, reads the set’s snapshots of that created-at once and returns the other one', async () => {
    const { snapshots, made } = await created(2);
    h.ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        ebsSnapshot({ id: 'snap-new' }),
        // What the attempt whose answer was lost made: the very same tags.
        ebsSnapshot({ id: 'snap-twin' }),
        // The action's copy of an original made at the same instant: not a duplicate.
        ebsSnapshot({ id: 'snap-copy', tags: copyTags }),
        // Another volume of the set, backed up at the same instant.
        ebsSnapshot({ id: 'snap-vol-2', tags: backupTags('vol-2') }),
      ],
    });

    const strays = await snapshots.strays(made);

    expect(strays.map((b) => [b.id, b.sourceId, b.state])).toEqual([
      ['snap-twin', VOLUME, 'completed'],
    ]);
    const calls = h.ec2.commandCalls(DescribeSnapshotsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.OwnerIds).toEqual(['self']);
    expect(calls[0]?.args[0].input.Filters).toEqual([
      { Name: `tag:${TAGS.backupSet}`, Values: [SET] },
      { Name: `tag:${TAGS.createdAt}`, Values: [CREATED_AT] },
    ]);
  });

  it('sends its read with the run’s abort signal', async () => {
    const { snapshots, made } = await created(2);
    h.ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const controller = new AbortController();

    await snapshots.strays(made, controller.signal);

    // The options `send` got beside the command (the client mock's types name the command only).
    const [call] = h.ec2.commandCalls(DescribeSnapshotsCommand);
    expect((call?.args as unknown[] | undefined)?.[1]).toEqual({ abortSignal: controller.signal });
  });

  it('returns nothing when the retried create made no second snapshot', async () => {
    const { snapshots, made } = await created(3);
    h.ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [ebsSnapshot({ id: 'snap-new' })] });

    expect(await snapshots.strays(made)).toEqual([]);
    expect(h.ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(1);
  });

  it('after a CopySnapshot sent twice, returns the other copy of the same original, not the original', async () => {
    h.ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy', $metadata: { attempts: 2 } });
    const snapshots = adapter();
    const copy = await snapshots.copy({
      original: backupOf('ebs-volume', 'snap-0', VOLUME, {
        region: 'eu-west-1',
        state: 'completed',
      }),
      tags: copyTags,
      clientToken: 'token',
    });
    h.ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        ebsSnapshot({ id: 'snap-copy', tags: copyTags }),
        ebsSnapshot({ id: 'snap-copy-twin', tags: copyTags }),
        // A backup of this region made at the same instant: no copy, so no twin of a copy.
        ebsSnapshot({ id: 'snap-local' }),
      ],
    });

    const strays = await snapshots.strays(copy);

    expect(strays.map((b) => [b.id, b.copyOf])).toEqual([['snap-copy-twin', 'snap-0']]);
  });

  it('makes no call for a snapshot this adapter did not create', async () => {
    const snapshots = adapter();

    expect(await snapshots.strays(backupOf('ebs-volume', 'snap-listed', VOLUME))).toEqual([]);
    expect(h.commands()).toEqual([]);
  });

  it('turns a failed lookup into a TargetError naming the backup and the code', async () => {
    const { snapshots, made } = await created(2);
    h.ec2.on(DescribeSnapshotsCommand).rejects(ec2Error('UnauthorizedOperation', 'Not allowed.'));

    const error = await rejectionOf(snapshots.strays(made));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      /^Could not look for duplicates of snap-new after a retried create/,
    );
    expect(error.message).toContain('UnauthorizedOperation');
  });
});
