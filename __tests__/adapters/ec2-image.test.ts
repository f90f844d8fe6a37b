// What only `ec2-image` does (DESIGN §4, §5, §8), beyond the contract every adapter keeps
// (contract.test.ts): the instances' live states and reservations, the image's name and NoReboot,
// the tags of an image that comes back without them, the snapshots an interrupted prune left
// behind, the deregistration of an image together with its snapshots, and the copy slots an
// image's snapshots take. A real EC2Client is wrapped by aws-sdk-client-mock (fixtures.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  type DeleteSnapshotReturnCode,
  type DescribeInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { TAGS } from '../../src/constants.js';
import { TargetError } from '../../src/errors.js';
import { imageName } from '../../src/naming.js';
import { imageOfSnapshot } from '../../src/targets/ami-snapshots.js';
import type { Ec2ImageAdapter, Ec2ImageOptions } from '../../src/targets/ec2-image.js';
import { imageSizeGiB } from '../../src/targets/image-records.js';
import type { Backup } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';
import {
  amiImage,
  AWS_TIME,
  awsTags,
  backupOf,
  copyRequest,
  createRequest,
  CREATED_AT,
  DEST,
  ec2Error,
  IMAGE_SOURCE,
  imageHarness,
  instance,
  LIVE_INSTANCES,
  ownershipTags,
  SET,
  tagRecord,
  type ImageHarness,
} from './fixtures.js';

const INSTANCE = IMAGE_SOURCE;
/** What AWS accepts in an AMI name besides letters and digits: ( ) [ ] space . / - ' @ _ */
const AMI_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;
let h: ImageHarness;

beforeEach(() => {
  h = imageHarness();
});

afterEach(() => {
  h.restore();
});

describe('Ec2ImageAdapter.findSources', () => {
  it('never asks for terminated or shutting-down instances', async () => {
    h.answerSources(() => ({ items: [] }));

    const lookup = await h.adapter().findSources(['i-gone'], {});

    const states = h
      .sourceQueries()[0]
      ?.filters.find((filter) => filter.Name === 'instance-state-name')?.Values;
    expect(states).not.toContain('terminated');
    expect(states).not.toContain('shutting-down');
    expect(lookup).toEqual({ found: [], missing: ['i-gone'] });
  });

  it('collects the instances of every Reservation over every page, each page with the live-state filter', async () => {
    const tokens: (string | undefined)[] = [];
    const pages = [
      {
        Reservations: [
          { Instances: [instance({ id: 'i-1', tags: { Name: 'one' } }), instance({ id: 'i-2' })] },
          { Instances: [instance({ id: 'i-3', tags: { team: 'db' } })] },
        ],
        NextToken: 'page-2',
      },
      { Reservations: [{ Instances: [] }, { Instances: [instance({ id: 'i-4' })] }] },
    ];
    h.ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
      tokens.push(input.NextToken);
      expect(input.Filters).toContainEqual(LIVE_INSTANCES);
      return pages[tokens.length - 1];
    });

    const lookup = await h.adapter().findSources(['i-1', 'i-2', 'i-3', 'i-4', 'i-5'], {});

    expect(tokens).toEqual([undefined, 'page-2']);
    expect(lookup).toEqual({
      found: [
        { id: 'i-1', tags: { Name: 'one' } },
        { id: 'i-2', tags: {} },
        { id: 'i-3', tags: { team: 'db' } },
        { id: 'i-4', tags: {} },
      ],
      missing: ['i-5'],
    });
  });
});

describe('Ec2ImageAdapter.create', () => {
  it('names the image legally and uniquely after set, instance and time, describes it, and sends NoReboot', async () => {
    h.answerCreate(() => ({}));

    await h.adapter().create(createRequest(INSTANCE));

    const input = h.createQueries()[0]?.input;
    expect(input?.NoReboot).toBe(true);
    expect(input?.Name).toBe(imageName(SET, INSTANCE, new Date(CREATED_AT)));
    expect(input?.Name).toMatch(new RegExp(`^snapshot-rotation-${SET}-${INSTANCE}-\\d{8}T`));
    expect(input?.Name).toMatch(AMI_NAME);
    expect(input?.Description).toBe(`snapshot-rotation backup-set=${SET} source=${INSTANCE}`);
  });

  it('sends NoReboot false when the no-reboot option is off', async () => {
    h.answerCreate(() => ({}));

    await h.adapter({ noReboot: false }).create(createRequest(INSTANCE));

    expect(h.createQueries()[0]?.input.NoReboot).toBe(false);
  });

  it('throws a TargetError naming the instance when CreateImage answers without an image id', async () => {
    h.ec2.on(CreateImageCommand).resolves({});

    const error = await rejectionOf(h.adapter().create(createRequest(INSTANCE)));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(INSTANCE);
  });
});

describe('an image it made or copied that comes back without its tags', () => {
  const original = backupOf('ec2-image', 'ami-orig', INSTANCE, { state: 'completed' });

  /** Starts the image as the adapter's own, and says what it was given. */
  const starts: [string, (images: Ec2ImageAdapter) => Promise<Backup>][] = [
    ['an image it made', (images) => images.create(createRequest(INSTANCE))],
    [
      'a copy it made',
      (images) => {
        h.answerCopy(() => ({}));
        return images.copy(copyRequest(original));
      },
    ],
  ];

  beforeEach(() => {
    h.answerCreate(() => ({}));
  });

  it.each(starts)(
    'counts %s as its own, and tags it and its snapshots in one call once available',
    async (_, start) => {
      h.answerReads(
        { state: 'pending', tags: null, snapshots: ['snap-a', 'snap-b'] },
        { state: 'available', tags: null, snapshots: ['snap-a', 'snap-b'] },
      );
      h.ec2.on(CreateTagsCommand).resolves({});
      const warn = vi.fn();
      const images = h.adapter({}, DEST);
      const pending = await start(images);

      const done = await images.waitUntilDone(pending, { maxWaitSeconds: 60, warn });

      expect(done).toEqual({ ...pending, state: 'completed' });
      const tagCalls = h.ec2.commandCalls(CreateTagsCommand);
      expect(tagCalls.map((call) => call.args[0].input.Resources)).toEqual([
        [pending.id, 'snap-a', 'snap-b'],
      ]);
      expect(tagRecord(tagCalls[0]?.args[0].input.Tags)).toEqual(pending.tags);
      expect(warn).not.toHaveBeenCalled();

      // Waited for again (the completed record): tagged once only.
      await images.waitUntilDone({ ...done, state: 'pending' }, { maxWaitSeconds: 60 });
      expect(h.ec2.commandCalls(CreateTagsCommand)).toHaveLength(1);
    },
  );

  it.each(starts)(
    'sends no CreateTags for %s that shows up with its tags (tagged at creation)',
    async (_, start) => {
      const images = h.adapter({}, DEST);
      const pending = await start(images);
      h.answerReads({ state: 'available', tags: pending.tags, snapshots: ['snap-a'] });

      const done = await images.waitUntilDone(pending, { maxWaitSeconds: 60 });

      expect(done).toEqual({ ...pending, state: 'completed' });
      expect(h.ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    },
  );

  it.each(starts)(
    'warns that %s must be deregistered by hand, and still returns it completed, when tagging it afterwards is refused',
    async (_, start) => {
      h.answerReads({ state: 'available', tags: null, snapshots: ['snap-a'] });
      h.ec2
        .on(CreateTagsCommand)
        .rejects(
          ec2Error('UnauthorizedOperation', 'You are not authorized to perform ec2:CreateTags.'),
        );
      const warn = vi.fn<(message: string) => void>();
      const images = h.adapter({}, DEST);
      const pending = await start(images);

      const done = await images.waitUntilDone(pending, { maxWaitSeconds: 60, warn });

      expect(done.state).toBe('completed');
      expect(warn.mock.calls).toEqual([
        [
          `Image ${pending.id} came back without the tags it was created with, and tagging it and its snapshots (snap-a) afterwards failed; no run will count it, so deregister it by hand: AWS denied the call (UnauthorizedOperation): You are not authorized to perform ec2:CreateTags; the role lacks a permission (see the IAM policy for your target-type in docs/iam.md).`,
        ],
      ]);
    },
  );

  it('never tags an untagged image it did not make', async () => {
    h.answerReads({ state: 'available', tags: null, snapshots: ['snap-1'] });

    // Not this adapter's image: without tags it is no backup of the set at all.
    const error = await rejectionOf(
      h
        .adapter({ minDelaySeconds: 0.1, maxDelaySeconds: 0.1, visibilityGraceSeconds: 0.3 })
        .waitUntilDone(backupOf('ec2-image', 'ami-new', INSTANCE), { maxWaitSeconds: 60 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(h.ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });
});

describe('Ec2ImageAdapter.copySlots', () => {
  it('counts each snapshot of an image it has listed (3 block device mappings → 3), and 1 for one without', async () => {
    const images = h.adapter();
    h.ec2.on(DescribeImagesCommand).resolves({
      Images: [
        amiImage({ id: 'ami-three', snapshots: ['snap-1', 'snap-2', 'snap-3'] }),
        amiImage({ id: 'ami-bare', snapshots: [] }),
      ],
    });

    const backups = await images.listBackups(SET);

    expect(backups.map((backup) => backup.id)).toEqual(['ami-three', 'ami-bare']);
    expect(images.copySlots(backups[0]!)).toBe(3);
    // An image that names no snapshot still takes a slot.
    expect(images.copySlots(backups[1]!)).toBe(1);
  });
});

describe('snapshots left behind by an interrupted prune', () => {
  /** A snapshot of the set, tagged like the image it was made for. */
  function imageSnapshot(id: string, description: string, tags = ownershipTags(INSTANCE)) {
    return {
      SnapshotId: id,
      Description: description,
      State: 'completed' as const,
      StartTime: AWS_TIME,
      Tags: awsTags({ ...tags, [TAGS.createdAt]: CREATED_AT }),
    };
  }

  it('lists the set’s snapshots before its images and returns those of unregistered images as failed backups', async () => {
    const order: string[] = [];
    h.ec2.on(DescribeSnapshotsCommand).callsFake(() => {
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
    h.ec2.on(DescribeImagesCommand).callsFake(() => {
      order.push('DescribeImages');
      return { Images: [amiImage({ id: 'ami-live', snapshots: ['snap-live'] })] };
    });

    const backups = await h.adapter().listBackups(SET);

    expect(order).toEqual(['DescribeSnapshots', 'DescribeImages']);
    const snapshotInput = h.ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input;
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
    h.ec2.on(DeleteSnapshotCommand).resolves({});
    const leftBehind: Backup = backupOf('ec2-image', 'snap-gone-1', INSTANCE, { state: 'failed' });

    const outcome = await h.adapter().delete(leftBehind);

    expect(outcome).toEqual({ result: 'deleted' });
    expect(h.commands()).toEqual(['DeleteSnapshotCommand']);
    expect(h.ec2.commandCalls(DeleteSnapshotCommand)[0]?.args[0].input).toEqual({
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

describe('Ec2ImageAdapter.delete (deregistered with its snapshots)', () => {
  /**
   * ami-old, listed backed by `snapshots` (so the adapter knows them), whose deregistration AWS
   * answers with these snapshot results (none: it names none); DeleteSnapshot succeeds.
   */
  async function listedOld(
    snapshots: string[],
    results: Record<string, DeleteSnapshotReturnCode['ReturnCode']> = {},
    options: Partial<Ec2ImageOptions> = {},
  ): Promise<{ images: Ec2ImageAdapter; old: Backup }> {
    h.ec2
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [amiImage({ id: 'ami-old', snapshots })] });
    const images = h.adapter(options);
    const [old] = await images.listBackups(SET);
    h.ec2.resetHistory();
    const DeleteSnapshotResults = Object.entries(results).map(([SnapshotId, ReturnCode]) => ({
      SnapshotId,
      ReturnCode,
    }));
    h.ec2
      .on(DeregisterImageCommand)
      .resolves(DeleteSnapshotResults.length > 0 ? { DeleteSnapshotResults } : {});
    h.ec2.on(DeleteSnapshotCommand).resolves({});
    return { images, old: old! };
  }

  /** The snapshots DeleteSnapshot was sent for, in order. */
  const deletedSnapshots = () =>
    h.ec2.commandCalls(DeleteSnapshotCommand).map((call) => call.args[0].input.SnapshotId);

  it.each([
    [
      'deleted them all',
      { 'snap-1': 'success', 'snap-2': 'success' } as const,
      'snapshots: snap-1 deleted; snap-2 deleted',
    ],
    [
      'skipped one that another image uses: left in place and named, never retried',
      { 'snap-shared': 'skipped', 'snap-2': 'success' } as const,
      'snapshots: snap-shared is still used by another image; left in place; snap-2 deleted',
    ],
  ])(
    'deregisters the image with DeleteAssociatedSnapshots, and sends nothing more when AWS says it %s',
    async (_, results, message) => {
      const { images, old } = await listedOld(Object.keys(results), results);

      const outcome = await images.delete(old);

      expect(outcome).toEqual({ result: 'deleted', message });
      expect(h.commands()).toEqual(['DeregisterImageCommand']);
      expect(h.ec2.commandCalls(DeregisterImageCommand)[0]?.args[0].input).toEqual({
        ImageId: 'ami-old',
        DeleteAssociatedSnapshots: true,
      });
    },
  );

  it('deletes each snapshot itself, in order, when the answer reports no snapshot results', async () => {
    const { images, old } = await listedOld(['snap-1', 'snap-2']);

    const outcome = await images.delete(old);

    expect(outcome.result).toBe('deleted');
    expect(h.commands()).toEqual([
      'DeregisterImageCommand',
      'DeleteSnapshotCommand',
      'DeleteSnapshotCommand',
    ]);
    expect(deletedSnapshots()).toEqual(['snap-1', 'snap-2']);
  });

  it.each(['missing-permissions', 'internal-error', 'client-error'] as const)(
    'deletes with DeleteSnapshot a snapshot that AWS reports %s, and only that one',
    async (code) => {
      const { images, old } = await listedOld(['snap-1', 'snap-2', 'snap-3'], {
        'snap-1': 'success',
        'snap-2': code,
      });

      const outcome = await images.delete(old);

      expect(outcome.result).toBe('deleted');
      // snap-3 is named in no result: it is made sure of too.
      expect(deletedSnapshots()).toEqual(['snap-2', 'snap-3']);
    },
  );

  it('reads the image again when the listing named no snapshots, so none is left behind', async () => {
    const { images, old } = await listedOld([]);
    h.ec2.on(DescribeImagesCommand).resolves({
      Images: [amiImage({ id: 'ami-old', snapshots: ['snap-1'] })],
    });

    await images.delete(old);

    expect(h.commands()).toEqual([
      'DescribeImagesCommand',
      'DeregisterImageCommand',
      'DeleteSnapshotCommand',
    ]);
  });

  it('describes an image it never saw first, then deregisters it and deletes its snapshots', async () => {
    h.ec2.on(DescribeImagesCommand).resolves({
      Images: [amiImage({ id: 'ami-old', snapshots: ['snap-1', 'snap-2'] })],
    });
    h.ec2.on(DeregisterImageCommand).resolves({});
    h.ec2.on(DeleteSnapshotCommand).resolves({});

    const outcome = await h
      .adapter()
      .delete(backupOf('ec2-image', 'ami-old', INSTANCE, { state: 'completed' }));

    expect(outcome.result).toBe('deleted');
    expect(h.commands()).toEqual([
      'DescribeImagesCommand',
      'DeregisterImageCommand',
      'DeleteSnapshotCommand',
      'DeleteSnapshotCommand',
    ]);
    const describeInput = h.ec2.commandCalls(DescribeImagesCommand)[0]?.args[0].input;
    expect(describeInput?.ImageIds).toEqual(['ami-old']);
    expect(describeInput?.IncludeDisabled).toBe(true);
    expect(deletedSnapshots()).toEqual(['snap-1', 'snap-2']);
  });

  it('retries InvalidSnapshot.InUse after deregistering with doubling pauses, and deletes the snapshot once AWS releases it', async () => {
    const { images, old } = await listedOld(['snap-1']);
    h.ec2
      .on(DeleteSnapshotCommand)
      .rejectsOnce(ec2Error('InvalidSnapshot.InUse', 'snap-1 is in use by ami-old'))
      .rejectsOnce(ec2Error('InvalidSnapshot.InUse', 'snap-1 is in use by ami-old'))
      .resolves({});

    const outcome = await images.delete(old);

    expect(outcome).toEqual({ result: 'deleted', message: 'snapshots: snap-1 deleted' });
    expect(deletedSnapshots()).toHaveLength(3);
    // A sixtieth of the 60 s default, doubling.
    expect(h.sleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000]);
  });

  it('does not retry a locked snapshot after deregistering (a lock lasts days): skipped at once', async () => {
    const { images, old } = await listedOld(['snap-1']);
    h.ec2
      .on(DeleteSnapshotCommand)
      .rejects(ec2Error('IncorrectState', "The snapshot 'snap-1' is locked and can't be deleted."));

    const outcome = await images.delete(old);

    expect(outcome.result).toBe('deleted');
    expect(outcome.message).toMatch(/snap-1 is locked/);
    expect(deletedSnapshots()).toHaveLength(1);
    expect(h.sleep).not.toHaveBeenCalled();
  });

  it('leaves a snapshot still in use after inUseRetrySeconds in place, names it, and deletes the others', async () => {
    const { images, old } = await listedOld(
      ['snap-shared', 'snap-2'],
      {},
      {
        inUseRetrySeconds: 6,
      },
    );
    h.ec2
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-shared' })
      .rejects(ec2Error('InvalidSnapshot.InUse', 'snap-shared is in use by ami-other'));

    const outcome = await images.delete(old);

    expect(outcome.result).toBe('deleted');
    expect(outcome.message).toContain(
      'snap-shared is still used by an image (InvalidSnapshot.InUse)',
    );
    expect(outcome.message).toContain('snap-2 deleted');
    // Pauses of 0.1, 0.2, 0.4, 0.8, 1.6 s (3.1 s); the next 3.2 s would pass the 6 s budget.
    expect(h.sleep.mock.calls.map(([ms]) => ms)).toEqual([100, 200, 400, 800, 1_600]);
    expect(deletedSnapshots()).toEqual([...Array<string>(6).fill('snap-shared'), 'snap-2']);
  });

  it.each(['enabled', 'enabled-with-cooldown', 'disabled-until 2026-11-23T00:00:00Z'])(
    'skips an image with DeregistrationProtection %s, deregistering and deleting nothing',
    async (protection) => {
      h.ec2.on(DescribeImagesCommand).resolvesOnce({
        Images: [amiImage({ id: 'ami-old', snapshots: ['snap-1'], protection })],
      });
      const images = h.adapter();
      const [old] = await images.listBackups(SET);
      h.ec2.resetHistory();

      const outcome = await images.delete(old!);

      expect(outcome.result).toBe('skipped');
      expect(outcome.message).toContain('ami-old');
      expect(outcome.message).toMatch(/deregistration protection/);
      expect(h.commands()).toEqual([]);
    },
  );

  it('still deletes the snapshots and reports already-gone when DeregisterImage answers InvalidAMIID.NotFound', async () => {
    const { images, old } = await listedOld(['snap-1', 'snap-2']);
    h.ec2.on(DeregisterImageCommand).rejects(ec2Error('InvalidAMIID.NotFound'));

    const outcome = await images.delete(old);

    expect(outcome.result).toBe('already-gone');
    expect(deletedSnapshots()).toEqual(['snap-1', 'snap-2']);
  });

  it('counts a snapshot that is already gone as done', async () => {
    const { images, old } = await listedOld(['snap-1']);
    h.ec2.on(DeleteSnapshotCommand).rejects(ec2Error('InvalidSnapshot.NotFound'));

    const outcome = await images.delete(old);

    expect(outcome.result).toBe('deleted');
    expect(outcome.message).toContain('snap-1');
  });

  it('turns a DeleteSnapshot failure after deregistering into a TargetError naming the snapshot left behind', async () => {
    const { images, old } = await listedOld(['snap-1', 'snap-2']);
    h.ec2
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-1' })
      .rejects(ec2Error('AccessDenied', 'User is not authorized to perform ec2:DeleteSnapshot'));

    const error = await rejectionOf(images.delete(old));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      /^Image ami-old was deregistered, but these of its snapshots could not be deleted and are left behind \(the next run tries again\): snap-1 \(/,
    );
    expect(error.message).not.toContain('snap-2');
    expect(error.message).toContain('AccessDenied');
    expect(h.ec2.commandCalls(DeregisterImageCommand)).toHaveLength(1);
    // The other snapshot still went: once the image is gone, only the set's tags list them.
    expect(deletedSnapshots()).toEqual(['snap-1', 'snap-2']);
    expect(h.sleep).not.toHaveBeenCalled();
  });

  it('turns a DeregisterImage AccessDenied into a TargetError and deletes no snapshot', async () => {
    const { images, old } = await listedOld(['snap-1', 'snap-2']);
    h.ec2
      .on(DeregisterImageCommand)
      .rejects(ec2Error('AccessDenied', 'User is not authorized to perform ec2:DeregisterImage'));

    const error = await rejectionOf(images.delete(old));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('ami-old');
    expect(error.message).toContain('AccessDenied');
    expect(deletedSnapshots()).toEqual([]);
  });
});

describe('Ec2ImageAdapter.pointInTimeFixed (quiescing ends once the image has its snapshots)', () => {
  const made = (): Backup => backupOf('ec2-image', 'ami-new', INSTANCE, { state: 'pending' });

  it('resolves once DescribeImages names the image’s snapshots, not before', async () => {
    h.ec2
      .on(DescribeImagesCommand)
      .resolvesOnce({ Images: [] })
      .resolvesOnce({ Images: [amiImage({ id: 'ami-new', state: 'pending' })] })
      .resolves({ Images: [amiImage({ id: 'ami-new', state: 'pending', snapshots: ['snap-1'] })] });

    await h.adapter().pointInTimeFixed(made());

    expect(h.ec2.commandCalls(DescribeImagesCommand)).toHaveLength(3);
  });

  it('fails when the image names no snapshot within the visibility grace', async () => {
    h.ec2
      .on(DescribeImagesCommand)
      .resolves({ Images: [amiImage({ id: 'ami-new', state: 'pending' })] });

    const error = await rejectionOf(
      h.adapter({ visibilityGraceSeconds: 1 }).pointInTimeFixed(made()),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(/Image ami-new named no snapshot within the visibility grace/);
  });
});

describe('the size of an image (imageSizeGiB)', () => {
  it('sums the VolumeSize of its EBS mappings, leaving out instance store volumes', () => {
    expect(
      imageSizeGiB({
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1', VolumeSize: 8 } },
          { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' },
          { DeviceName: '/dev/sdf', Ebs: { SnapshotId: 'snap-2', VolumeSize: 100 } },
        ],
      }),
    ).toBe(108);
  });

  it.each([
    ['no mapping yet (a pending image)', []],
    ['instance store volumes only', [{ DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' }]],
    [
      'an EBS mapping without its size (a part would understate it)',
      [
        { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1', VolumeSize: 8 } },
        { DeviceName: '/dev/sdf', Ebs: { SnapshotId: 'snap-2' } },
      ],
    ],
  ])('states no size for an image with %s', (_, BlockDeviceMappings) => {
    expect(imageSizeGiB({ BlockDeviceMappings })).toBeUndefined();
  });
});
