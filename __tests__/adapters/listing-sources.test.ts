// listBackups with `sources` (the resolve phase's one listing): every set's backups of the run's
// sources, so the core can name the other sets without another call. EC2 asks by the source tag,
// 200 values a filter; RDS, which filters by no tag, reads the same manual snapshots as before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSnapshotsCommand, EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import { TAGS } from '../../src/constants.js';
import { rdsSnapshotIdentifier } from '../../src/naming.js';
import { Ec2InstanceAdapter } from '../../src/targets/ec2-instance.js';
import { toAwsTags } from '../../src/targets/tags.js';
import { backupTags, SET, type Harness, type Stored } from './fixtures.js';
import { TARGET_CASES } from './target-cases.js';

const T1 = '2026-11-20T12:00:00.000Z';
const T2 = '2026-11-21T12:00:00.000Z';
const T3 = '2026-11-22T12:00:00.000Z';
const OTHER_SET = 'weekly.yml.backup';

describe.each(TARGET_CASES)('$type listBackups(set, sources)', (c) => {
  const SOURCE = c.sourceId;
  const ec2 = !c.type.startsWith('rds');
  let h: Harness;

  beforeEach(() => {
    h = c.harness();
  });
  afterEach(() => h.restore());

  /** A backup of `sourceId` in `set` made at `createdAt`, as AWS stores it. */
  function stored(createdAt: string, set = SET, sourceId = SOURCE): Stored {
    const id = c.type.startsWith('rds')
      ? rdsSnapshotIdentifier(
          set,
          sourceId,
          new Date(createdAt),
          c.type === 'rds-cluster' ? 63 : 255,
        )
      : `${c.idOf(sourceId, createdAt)}${set === SET ? '' : 'f'}`;
    return {
      id,
      tags: { ...backupTags(sourceId, createdAt), [TAGS.backupSet]: set },
      awsTime: new Date(Date.parse(createdAt) + 5_000),
    };
  }

  it('keeps every set’s backups of the sources asked for, and no other source’s', async () => {
    h.answerListing(() => ({
      items: [stored(T1), stored(T2, OTHER_SET), stored(T3, OTHER_SET, 'not-asked')],
    }));

    const backups = await h.adapter().listBackups(SET, [SOURCE]);

    expect(backups.map((b) => [b.set, b.sourceId, b.createdAt.toISOString()])).toEqual([
      [SET, SOURCE, T1],
      [OTHER_SET, SOURCE, T2],
    ]);
    const filters = h.listingQueries().map((query) => query.input.Filters);
    if (ec2) {
      expect(filters).toEqual([[{ Name: `tag:${TAGS.source}`, Values: [SOURCE] }]]);
    } else {
      expect(filters).toEqual([undefined]);
    }
  });

  it('without sources, lists the set alone, as before', async () => {
    h.answerListing(() => ({ items: [stored(T1), stored(T2, OTHER_SET)] }));

    const backups = await h.adapter().listBackups(SET);

    expect(backups.map((b) => b.set)).toEqual([SET]);
  });

  it(`asks ${ec2 ? 'once per 200 sources (EC2’s values per filter)' : 'once, whatever the number of sources'}`, async () => {
    const many = [SOURCE, ...Array.from({ length: 249 }, (_, i) => `${SOURCE}-${i}`)];
    const world = [stored(T1), stored(T2, SET, many[230]), stored(T3, OTHER_SET, 'not-asked')];
    // As AWS answers: by the source tag filter when there is one.
    h.answerListing(({ input }) => {
      const filter = (input.Filters as { Name: string; Values: string[] }[] | undefined)?.[0];
      return {
        items: world.filter(
          (backup) => !filter || filter.Values.includes(backup.tags?.[TAGS.source] ?? ''),
        ),
      };
    });

    const backups = await h.adapter().listBackups(SET, many);

    expect(backups.map((b) => b.sourceId)).toEqual([SOURCE, many[230]]);
    const values = h.listingQueries().map((query) => {
      const filters = query.input.Filters as { Values: string[] }[] | undefined;
      return filters?.[0]?.Values.length;
    });
    expect(values).toEqual(ec2 ? [200, 50] : [undefined]);
  });
});

describe('ec2-instance listBackups(set, sources)', () => {
  const INSTANCE = 'i-0123456789abcdef0';
  const CREATED_AT = '2025-06-01T18:30:00.000Z';
  const ec2 = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(ec2);
  afterEach(() => mock.reset());

  /** A member snapshot of the set of INSTANCE made at CREATED_AT, in backup set `set`. */
  function member(id: string, set: string, device: string): Snapshot {
    return {
      SnapshotId: id,
      VolumeId: `vol-${id.slice(5)}`,
      State: 'completed',
      StartTime: new Date(CREATED_AT),
      Tags: toAwsTags({
        [TAGS.backupSet]: set,
        [TAGS.source]: INSTANCE,
        [TAGS.createdAt]: CREATED_AT,
        [TAGS.setId]: `${INSTANCE}/${CREATED_AT}`,
        [TAGS.setSize]: '2',
        [TAGS.device]: device,
      }),
    };
  }

  it('asks by the source tag and never makes one backup of two backup sets’ snapshots', async () => {
    // Two workflows snapshotted the instance at the same millisecond: the same set id.
    mock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        member('snap-00000001', SET, '/dev/xvda'),
        member('snap-00000002', SET, '/dev/sdf'),
        member('snap-00000003', OTHER_SET, '/dev/xvda'),
        member('snap-00000004', OTHER_SET, '/dev/sdf'),
      ],
    });
    const adapter = new Ec2InstanceAdapter(ec2, 'us-east-1', {
      clock: () => new Date(T3),
      exclude: { excludeBootVolume: false, excludeVolumeIds: [] },
    });

    const backups = await adapter.listBackups(SET, [INSTANCE]);

    expect(backups.map((b) => [b.set, b.state])).toEqual([
      [SET, 'completed'],
      [OTHER_SET, 'completed'],
    ]);
    const input = mock.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input;
    expect(input?.Filters).toEqual([
      { Name: `tag:${TAGS.source}`, Values: [INSTANCE] },
      { Name: 'tag-key', Values: [TAGS.setId] },
    ]);
  });
});
