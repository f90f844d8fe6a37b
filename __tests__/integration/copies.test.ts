/**
 * Cross-region copies against moto for every target type: what the destination region holds after
 * runs of the bundled action, how the copies are tagged, and their own retention there.
 */
import { CopySnapshotCommand, DeleteSnapshotCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AWAY_REGION,
  DR_REGION,
  REGION,
  TAG,
  createDbCluster,
  createDbInstance,
  createInstance,
  createKmsKey,
  createManualDbSnapshot,
  createVolume,
  dbSnapshotsOfSet,
  clusterSnapshotsOfSet,
  ec2Client,
  errorLines,
  expectStatus,
  imagesOfSet,
  inputsFor,
  jsonOutput,
  listClusterSnapshots,
  listDbSnapshots,
  listImages,
  listSnapshots,
  reset,
  runAction,
  snapshotsOfSet,
  successfulRuns,
  type ActionRun,
} from './helpers.js';

/** The backups are made in HOME, where the runner is too, and copied to DR. */
const HOME = AWAY_REGION;
const DR = REGION;

/** Runs the action in HOME once per run id, each expected to succeed; returns the runs. */
function runTimes(inputs: Record<string, string>, runIds: string[]): Promise<ActionRun[]> {
  return successfulRuns(inputs, runIds, { region: HOME });
}

/** Inputs of a run in HOME that backs up `resourceId` as `targetType` and copies to DR. */
function copyInputs(
  targetType: string,
  resourceId: string,
  extra: Record<string, string>,
): Record<string, string> {
  return inputsFor(targetType, resourceId, { region: HOME, 'copy-to-regions': DR, ...extra });
}

/** The snapshots of the set in `region` that are copies (carry `copy-of`). */
async function snapshotCopies(region: string) {
  return (await listSnapshots(undefined, region)).filter(
    (snapshot) => snapshot.tags[TAG.set] === 'default' && snapshot.tags[TAG.copyOf],
  );
}

beforeEach(reset);

describe('ebs-volume copies', () => {
  const volumeInputs = (volume: string): Record<string, string> =>
    copyInputs('ebs-volume', volume, { generations: '2', 'copy-generations': '1' });

  it('holds exactly one copy of the newest backup in the destination after two runs, tagged with its source', async () => {
    const volume = await createVolume(HOME, { Name: 'data' });
    const [first, second] = await runTimes(volumeInputs(volume), ['11', '12']);
    const newest = second?.outputs['backup-id'] ?? '';

    const copies = await snapshotCopies(DR);
    expect(copies).toHaveLength(1);
    const [copy] = copies;
    const [original] = (await snapshotsOfSet(volume, 'default', HOME)).filter(
      (snapshot) => snapshot.id === newest,
    );
    expect(copy?.tags).toMatchObject({
      [TAG.copyOf]: newest,
      [TAG.sourceRegion]: HOME,
      [TAG.source]: volume,
      [TAG.set]: 'default',
      [TAG.createdAt]: original?.tags[TAG.createdAt],
      [TAG.run]: '12',
      Name: 'data',
    });
    expect(jsonOutput(second!, 'copies')).toEqual([
      { region: DR, id: copy?.id, 'source-id': newest },
    ]);
    // The first run's copy was deleted in the destination, and said so.
    const firstCopy = jsonOutput<{ id: string }[]>(first!, 'copies')[0]?.id;
    expect(jsonOutput(second!, 'deleted-ids')).toEqual([{ region: DR, id: firstCopy }]);
    // The source region keeps its own retention: two generations.
    const home = await snapshotsOfSet(volume, 'default', HOME);
    expect(home.map((snapshot) => snapshot.id)).toEqual([first?.outputs['backup-id'], newest]);
    expect(second?.summary).toContain('<h3>Copies</h3>');
    expect(second?.summary).toContain(`<code>${DR}</code>`);
  });

  it('never deletes a copy made by hand in the destination, with or without the set’s tags', async () => {
    const volume = await createVolume(HOME);
    const [first] = await runTimes(volumeInputs(volume), ['21']);
    const original = first?.outputs['backup-id'] ?? '';
    const byHand = async (tags: Record<string, string>) => {
      const answer = await ec2Client(DR).send(
        new CopySnapshotCommand({
          SourceRegion: HOME,
          SourceSnapshotId: original,
          Description: 'copied by hand',
          ...(Object.keys(tags).length > 0
            ? {
                TagSpecifications: [
                  {
                    ResourceType: 'snapshot',
                    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
                  },
                ],
              }
            : {}),
        }),
      );
      return answer.SnapshotId ?? '';
    };
    const plain = await byHand({});
    // As a console copy with "copy tags" would be: the set's tags, an old age, but no copy-of.
    const withTags = await byHand({
      [TAG.set]: 'default',
      [TAG.source]: volume,
      [TAG.createdAt]: '2020-01-01T00:00:00.000Z',
    });
    await runTimes(volumeInputs(volume), ['22', '23']);
    const ids = (await listSnapshots(undefined, DR)).map((snapshot) => snapshot.id);
    expect(ids).toEqual(expect.arrayContaining([plain, withTags]));
    expect(await snapshotCopies(DR)).toHaveLength(1);
  });

  it('copies the newest backup again when its copy was deleted, without a new backup', async () => {
    const volume = await createVolume(HOME);
    const [first] = await runTimes(volumeInputs(volume), ['31']);
    const copyId = jsonOutput<{ id: string }[]>(first!, 'copies')[0]?.id ?? '';
    await ec2Client(DR).send(new DeleteSnapshotCommand({ SnapshotId: copyId }));

    const [second] = await runTimes({ ...volumeInputs(volume), 'min-interval': '1d' }, ['32']);
    expect(second?.outputs['backup-id']).toBe('');
    const copies = await snapshotCopies(DR);
    expect(copies.map((copy) => copy.tags[TAG.copyOf])).toEqual([first?.outputs['backup-id']]);
    expect(copies[0]?.id).not.toBe(copyId);
  });

  it('leaves copies of another source region alone', async () => {
    const other = await createVolume(DR_REGION);
    await runTimes(copyInputs('ebs-volume', other, { region: DR_REGION, generations: '1' }), [
      '41',
    ]);
    const volume = await createVolume(HOME);
    await runTimes(volumeInputs(volume), ['42', '43', '44']);
    const regions = (await snapshotCopies(DR)).map((copy) => copy.tags[TAG.sourceRegion]).sort();
    expect(regions).toEqual([HOME, DR_REGION].sort());
  });

  it('copies nothing in a dry run and reports what it would copy', async () => {
    const volume = await createVolume(HOME);
    const [run] = await runTimes({ ...volumeInputs(volume), 'dry-run': 'true' }, ['51']);
    expect(await listSnapshots(undefined, DR)).toEqual([]);
    expect(jsonOutput(run!, 'copies')).toEqual([]);
    const report = jsonOutput<{
      targets: { destinations: { region: string; copies: { result: string }[] }[] }[];
    }>(run!, 'report');
    expect(report.targets[0]?.destinations).toEqual([
      expect.objectContaining({
        region: DR,
        copies: [expect.objectContaining({ result: 'would-copy' })],
      }),
    ]);
  });

  it('refuses a destination that is the source region before any AWS call', async () => {
    const volume = await createVolume(HOME);
    const run = await runAction(
      { ...volumeInputs(volume), 'copy-to-regions': `${DR}\n${HOME}` },
      { runId: '61', region: HOME },
    );
    expect(run.code).not.toBe(0);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toContain('copy-to-regions');
    expect(await listSnapshots(undefined, HOME)).toEqual([]);
  });
});

describe('ec2-image copies', () => {
  it('keeps one copied AMI with its snapshot in the destination, and deletes the older copy with its snapshot', async () => {
    const instance = await createInstance(HOME, { Name: 'web' });
    const inputs = copyInputs('ec2-image', instance, { generations: '2', 'copy-generations': '1' });
    const [first, second] = await runTimes(inputs, ['71', '72']);
    const copies = (await listImages(undefined, DR)).filter((image) => image.tags[TAG.copyOf]);
    expect(copies).toHaveLength(1);
    const [copy] = copies;
    expect(copy?.tags).toMatchObject({
      [TAG.copyOf]: second?.outputs['backup-id'],
      [TAG.sourceRegion]: HOME,
      [TAG.source]: instance,
      Name: 'web',
    });
    expect(copy?.state).toBe('available');
    // The copy's snapshots carry the same tags, so the policy in the README covers them.
    const drSnapshots = await listSnapshots(undefined, DR);
    const copySnapshots = drSnapshots.filter((snapshot) => copy?.snapshotIds.includes(snapshot.id));
    expect(copySnapshots.length).toBeGreaterThan(0);
    for (const snapshot of copySnapshots)
      expect(snapshot.tags[TAG.copyOf]).toBe(copy?.tags[TAG.copyOf]);
    // The first copy went with its snapshots.
    const firstCopy = jsonOutput<{ id: string }[]>(first!, 'copies')[0]?.id;
    expect(jsonOutput(second!, 'deleted-ids')).toEqual([{ region: DR, id: firstCopy }]);
    expect(drSnapshots.map((snapshot) => snapshot.id).sort()).toEqual(
      copySnapshots.map((snapshot) => snapshot.id).sort(),
    );
    expect(await imagesOfSet(instance, 'default', HOME)).toHaveLength(2);
  });
});

describe('rds-instance copies', () => {
  it('keeps one copy of the newest DB snapshot in the destination, under the same identifier', async () => {
    const db = await createDbInstance('orders', { region: HOME });
    const inputs = copyInputs('rds-instance', db, {
      'keep-within': '50d',
      'copy-generations': '1',
    });
    const [, second] = await runTimes(inputs, ['81', '82']);
    const newest = second?.outputs['backup-id'] ?? '';
    const copies = (await listDbSnapshots(undefined, DR)).filter((s) => s.tags[TAG.copyOf]);
    expect(copies.map((copy) => copy.id)).toEqual([newest]);
    expect(copies[0]?.tags).toMatchObject({
      [TAG.copyOf]: newest,
      [TAG.sourceRegion]: HOME,
      [TAG.source]: db,
    });
    expect(await dbSnapshotsOfSet(db, 'default', HOME)).toHaveLength(2);
  });

  it('fails the copy, not the backup, when the destination has no room under its snapshot quota', async () => {
    const db = await createDbInstance('orders', { region: HOME });
    // The destination already holds 100 manual snapshots: RDS's default quota.
    const other = await createDbInstance('reports', { region: DR });
    for (let i = 0; i < 100; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          createManualDbSnapshot(other, `by-hand-${i + j}`, {}, DR),
        ),
      );
    }
    const run = await runAction(copyInputs('rds-instance', db, { generations: '2' }), {
      runId: '85',
    });

    expectStatus(run, 'failed', 1);
    expect(await dbSnapshotsOfSet(db, 'default', HOME)).toHaveLength(1);
    expect(errorLines(run).join(' ')).toMatch(
      new RegExp(`would exceed the snapshot quota there: 100 of 100 used .*${DR}`),
    );
    const copies = (await listDbSnapshots(undefined, DR)).filter((s) => s.tags[TAG.copyOf]);
    expect(copies).toEqual([]);
  });

  it('fails an encrypted instance with no key for the destination before anything is created', async () => {
    const db = await createDbInstance('secure', { region: HOME, encrypted: true });
    const plain = await createDbInstance('plain', { region: HOME });
    const run = await runAction(
      copyInputs('rds-instance', `${db}, ${plain}`, { generations: '3' }),
      {
        runId: '91',
        region: HOME,
      },
    );
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('partial');
    expect(errorLines(run).join('\n')).toContain('copy-kms-key-id');
    expect(await dbSnapshotsOfSet(db, 'default', HOME)).toEqual([]);
    // The unencrypted one was backed up and copied; nothing of the encrypted one reached DR.
    expect(await dbSnapshotsOfSet(plain, 'default', HOME)).toHaveLength(1);
    expect((await listDbSnapshots(undefined, DR)).map((s) => s.tags[TAG.source])).toEqual([plain]);
  });

  it('copies an encrypted instance’s snapshot with the destination’s key', async () => {
    const key = await createKmsKey(DR);
    const db = await createDbInstance('vault', { region: HOME, encrypted: true });
    const [run] = await runTimes(
      copyInputs('rds-instance', db, { generations: '3', 'copy-kms-key-id': `${DR}=${key}` }),
      ['101'],
    );
    expect(jsonOutput(run!, 'copies')).toEqual([
      { region: DR, id: run?.outputs['backup-id'], 'source-id': run?.outputs['backup-id'] },
    ]);
  });

  it('reports AWS’s message when the destination key cannot be used, and keeps the backup', async () => {
    const db = await createDbInstance('vault', { region: HOME, encrypted: true });
    const missingKey = `arn:aws:kms:${DR}:123456789012:key/00000000-0000-0000-0000-000000000000`;
    const run = await runAction(
      copyInputs('rds-instance', db, { generations: '3', 'copy-kms-key-id': missingKey }),
      { runId: '111', region: HOME },
    );
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('failed');
    expect(errorLines(run).join('\n')).toMatch(
      new RegExp(`Could not copy DB snapshot .* to ${DR}: .*KMS`, 'i'),
    );
    expect(run.outputs['backup-id']).not.toBe('');
    expect(await dbSnapshotsOfSet(db, 'default', HOME)).toHaveLength(1);
    expect((await listDbSnapshots(undefined, DR)).filter((s) => s.tags[TAG.copyOf])).toEqual([]);
  });
});

describe('rds-cluster copies', () => {
  it('keeps one copy of the newest cluster snapshot in the destination', async () => {
    const cluster = await createDbCluster('ledger', { region: HOME });
    const inputs = copyInputs('rds-cluster', cluster, {
      generations: '2',
      'copy-generations': '1',
    });
    const [, second] = await runTimes(inputs, ['121', '122']);
    const newest = second?.outputs['backup-id'] ?? '';
    const copies = (await listClusterSnapshots(undefined, DR)).filter((s) => s.tags[TAG.copyOf]);
    expect(copies.map((copy) => copy.id)).toEqual([newest]);
    expect(copies[0]?.tags).toMatchObject({ [TAG.sourceRegion]: HOME, [TAG.source]: cluster });
    expect(await clusterSnapshotsOfSet(cluster, 'default', HOME)).toHaveLength(2);
  });
});
