/**
 * Backup sets by default (issue 17): the bundled action run as two workflows on one volume, each
 * with the default set (its workflow file and job), never prunes the other's backups; naming the
 * same `backup-set` shares one set as before. Every backup carries its repository and workflow, the
 * report links the run and names the other sets, and the listing that finds them is the one the
 * run made anyway (calls counted by a proxy).
 */
import { describe, expect, it } from 'vitest';
import {
  REGION,
  TAG,
  createVolume,
  expectSuccess,
  jsonOutput,
  listSnapshots,
  proxyPerTest,
  runAction,
  snapshotsOfSet,
  type ActionRun,
} from './helpers.js';

const startProxy = proxyPerTest();

const REPOSITORY = 'octo/infra';

/** The variables GitHub gives a step of job `job` in `.github/workflows/<file>`. */
function workflowEnv(file: string, job = 'snapshots'): Record<string, string> {
  return {
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_WORKFLOW_REF: `${REPOSITORY}/.github/workflows/${file}@refs/heads/main`,
    GITHUB_WORKFLOW: file,
    GITHUB_JOB: job,
    GITHUB_SERVER_URL: 'https://github.com',
  };
}

const DAILY = { file: 'daily.yml', set: 'daily.yml.snapshots', rules: { 'keep-daily': '7' } };
const HOURLY = { file: 'hourly.yml', set: 'hourly.yml.snapshots', rules: { generations: '2' } };

interface Report {
  backupSet: string;
  run?: { url: string; repository: string; workflow: string; job: string };
  otherSets?: { set: string; backups: number; sources: number; oldest: string }[];
}

function deletedIds(run: ActionRun): string[] {
  return jsonOutput<{ id: string }[]>(run, 'deleted-ids').map((entry) => entry.id);
}

describe('the default backup set: one per workflow and job', () => {
  it('lets two workflows with different retention on one volume never delete each other’s backups', async () => {
    const proxy = await startProxy();
    const volume = await createVolume(REGION, { Name: 'data' });
    const made: Record<string, string[]> = { [DAILY.set]: [], [HOURLY.set]: [] };
    let runId = 8000;

    for (let round = 0; round < 3; round += 1) {
      for (const workflow of [DAILY, HOURLY]) {
        proxy.reset();
        const run = await runAction(
          { 'target-type': 'ebs-volume', 'resource-id': volume, ...workflow.rules },
          {
            runId: String((runId += 1)),
            env: workflowEnv(workflow.file),
            endpoint: proxy.endpoint,
          },
        );
        expectSuccess(run);
        const report = jsonOutput<Report>(run, 'report');
        expect(report.backupSet).toBe(workflow.set);
        made[workflow.set]!.push(run.outputs['backup-id'] ?? '');

        // It deleted only backups of its own set, and left the other workflow's all in place.
        const other = workflow === DAILY ? HOURLY : DAILY;
        for (const id of deletedIds(run)) expect(made[other.set]).not.toContain(id);
        const othersLeft = (await snapshotsOfSet(volume, other.set)).map((s) => s.id);
        const otherMade = made[other.set]!;
        const expectedLeft = other === HOURLY ? otherMade.slice(-2) : otherMade.slice(-1);
        for (const id of expectedLeft) expect(othersLeft).toContain(id);

        // The other set is named with its count and oldest backup, from the one listing.
        if (otherMade.length > 0) {
          expect(report.otherSets).toEqual([
            {
              set: other.set,
              backups: othersLeft.length,
              sources: 1,
              oldest: expect.any(String) as string,
            },
          ]);
        }
        expect(proxy.byAction()).toMatchObject({
          'ec2:DescribeVolumes': 1,
          'ec2:DescribeSnapshots': 1,
        });
      }
    }

    // Each set kept what its own rules keep: the hourly one its 2 newest.
    expect((await snapshotsOfSet(volume, HOURLY.set)).map((s) => s.id)).toEqual(
      made[HOURLY.set]!.slice(-2),
    );
    expect((await snapshotsOfSet(volume, DAILY.set)).map((s) => s.id)).toContain(
      made[DAILY.set]!.at(-1),
    );
  });

  it('shares one set between workflows that name the same backup-set: the second prunes the first’s', async () => {
    const volume = await createVolume();
    const shared = { 'target-type': 'ebs-volume', 'resource-id': volume, 'backup-set': 'shared' };

    const first = await runAction(
      { ...shared, ...DAILY.rules },
      { runId: '8101', env: workflowEnv(DAILY.file) },
    );
    expectSuccess(first);
    const firstId = first.outputs['backup-id'];
    const second = await runAction(
      { ...shared, ...HOURLY.rules },
      { runId: '8102', env: workflowEnv(HOURLY.file) },
    );
    expectSuccess(second);
    const third = await runAction(
      { ...shared, ...HOURLY.rules },
      { runId: '8103', env: workflowEnv(HOURLY.file) },
    );
    expectSuccess(third);

    expect(deletedIds(third)).toEqual([firstId]);
    expect((await snapshotsOfSet(volume, 'shared')).map((s) => s.id)).toEqual([
      second.outputs['backup-id'],
      third.outputs['backup-id'],
    ]);
    expect(jsonOutput<Report>(third, 'report').otherSets).toBeUndefined();
  });

  it('tags each backup with its repository and workflow, and links the run in the report', async () => {
    const volume = await createVolume();
    const run = await runAction(
      { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '2' },
      {
        runId: '8201',
        env: { ...workflowEnv('backup.yml', 'nightly'), GITHUB_RUN_ATTEMPT: '2' },
      },
    );
    expectSuccess(run);

    const [snapshot] = await listSnapshots(volume);
    expect(snapshot?.tags).toMatchObject({
      [TAG.set]: 'backup.yml.nightly',
      [TAG.run]: '8201',
      'snapshot-rotation:repository': REPOSITORY,
      'snapshot-rotation:workflow': '.github/workflows/backup.yml',
    });
    expect(jsonOutput<Report>(run, 'report').run).toEqual({
      url: `https://github.com/${REPOSITORY}/actions/runs/8201/attempts/2`,
      repository: REPOSITORY,
      workflow: '.github/workflows/backup.yml',
      job: 'nightly',
    });
  });

  it('keeps `default` outside GitHub Actions, with no provenance tags and no run link', async () => {
    const volume = await createVolume();
    const run = await runAction({
      'target-type': 'ebs-volume',
      'resource-id': volume,
      generations: '2',
    });
    expectSuccess(run);

    const report = jsonOutput<Report>(run, 'report');
    expect(report.backupSet).toBe('default');
    expect(report.run).toBeUndefined();
    const [snapshot] = await listSnapshots(volume);
    expect(Object.keys(snapshot?.tags ?? {})).not.toContain('snapshot-rotation:repository');
  });
});
