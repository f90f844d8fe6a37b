// The default backup set (workflow file and job), the other sets named in the report, and the
// provenance of every backup: github-run.ts, other-sets.ts, their use in inputs, tags and a run.
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/constants.js';
import { composeCopyTags } from '../../src/copy-rules.js';
import {
  defaultBackupSet,
  provenanceTags,
  readGithubRun,
  runLink,
  workflowPathOf,
  type GithubRun,
} from '../../src/github-run.js';
import { readConfig } from '../../src/inputs.js';
import { splitSets } from '../../src/other-sets.js';
import { composeTags } from '../../src/plan.js';
import { FakeAdapter, quietRuns, runIn } from './fake-adapter.js';
import { A, B, DAY, HOUR, NOW, backup } from './fixtures.js';

quietRuns();

/** The variables a workflow `backup.yml` with job `snapshots` gives its steps. */
const ACTIONS_ENV = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'octo/infra',
  GITHUB_WORKFLOW_REF: 'octo/infra/.github/workflows/backup.yml@refs/heads/main',
  GITHUB_WORKFLOW: 'Nightly backups',
  GITHUB_JOB: 'snapshots',
  GITHUB_RUN_ID: '7001',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SERVER_URL: 'https://github.com',
};

const run = (fields: Partial<GithubRun>): GithubRun => ({
  serverUrl: 'https://github.com',
  ...fields,
});

describe('readGithubRun', () => {
  it('reads the run from the runner’s variables', () => {
    expect(readGithubRun(ACTIONS_ENV)).toEqual({
      repository: 'octo/infra',
      workflowPath: '.github/workflows/backup.yml',
      workflowName: 'Nightly backups',
      job: 'snapshots',
      runId: '7001',
      runAttempt: 1,
      serverUrl: 'https://github.com',
    });
  });

  it('is undefined outside GitHub Actions, and drops what is blank or malformed', () => {
    expect(readGithubRun({ PATH: '/bin', AWS_REGION: 'us-east-1' })).toBeUndefined();
    expect(
      readGithubRun({
        GITHUB_JOB: ' ',
        GITHUB_RUN_ID: '5',
        GITHUB_RUN_ATTEMPT: 'x',
        GITHUB_SERVER_URL: 'https://ghe.example.com/',
      }),
    ).toEqual({ runId: '5', serverUrl: 'https://ghe.example.com' });
  });

  it('takes the workflow path up to its .yml or .yaml, whatever the ref holds', () => {
    expect(workflowPathOf('o/r/.github/workflows/a.yaml@refs/tags/v1@x')).toBe(
      '.github/workflows/a.yaml',
    );
    expect(workflowPathOf('o/r/.github/workflows/b.yml@refs/pull/3/merge')).toBe(
      '.github/workflows/b.yml',
    );
    expect(workflowPathOf('not a ref')).toBeUndefined();
    expect(workflowPathOf(undefined)).toBeUndefined();
  });
});

describe('defaultBackupSet', () => {
  const named = (file: string, job: string) =>
    defaultBackupSet(run({ workflowPath: `.github/workflows/${file}`, job }));
  const VALID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

  it('is the workflow file and the job id', () => {
    expect(named('backup.yml', 'snapshots')).toBe('backup.yml.snapshots');
    expect(named('db_backup.yaml', 'rds-weekly')).toBe('db_backup.yaml.rds-weekly');
  });

  it('is `default` without a workflow file or a job (outside GitHub Actions)', () => {
    expect(defaultBackupSet(undefined)).toBe('default');
    expect(defaultBackupSet(run({ job: 'snapshots' }))).toBe('default');
    expect(defaultBackupSet(run({ workflowPath: '.github/workflows/b.yml' }))).toBe('default');
  });

  it('separates workflows and jobs', () => {
    const names = [
      named('daily.yml', 'backup'),
      named('weekly.yml', 'backup'),
      named('daily.yml', 'backup-db'),
    ];
    expect(new Set(names).size).toBe(3);
  });

  it('replaces characters a set cannot hold, and a hash keeps names apart that then look alike', () => {
    const spaced = named('nightly backup.yml', 'snap');
    const hyphened = named('nightly-backup.yml', 'snap');
    expect(spaced).toMatch(/^nightly-backup\.yml\.snap-[0-9a-f]{8}$/);
    expect(hyphened).toBe('nightly-backup.yml.snap');
    expect(spaced).not.toBe(hyphened);
    expect(named('_private.yml', 'x')).toMatch(/^private\.yml\.x-[0-9a-f]{8}$/);
    expect(named('ünïcödé.yml', 'job')).toMatch(VALID);
  });

  it('shortens a name over 64 characters with a stable hash, so long names do not meet', () => {
    const long = 'a'.repeat(60);
    const first = named(`${long}.yml`, 'snapshots-primary');
    const second = named(`${long}.yml`, 'snapshots-replica');
    expect(first).toHaveLength(64);
    expect(first).toMatch(VALID);
    expect(first).not.toBe(second);
    expect(first.slice(0, 55)).toBe(second.slice(0, 55));
    expect(named(`${long}.yml`, 'snapshots-primary')).toBe(first);
    // Exactly 64 characters fit as they are.
    const exact = `${'b'.repeat(52)}.yml`;
    expect(named(exact, 'job1234')).toBe(`${exact}.job1234`);
  });

  it('always makes a set that `backup-set` would accept', () => {
    for (const file of ['x.yml', '-.yml', '....yml', `${'é'.repeat(80)}.yml`, '@@.yaml']) {
      for (const job of ['a', '_b', 'c'.repeat(100)]) expect(named(file, job), file).toMatch(VALID);
    }
  });
});

describe('backup-set in readConfig', () => {
  const read = (values: Record<string, string>, env: Record<string, string>) =>
    readConfig(
      (name) =>
        ({ 'target-type': 'ebs-volume', 'resource-id': A, generations: '2', ...values })[name] ??
        '',
      { AWS_REGION: 'us-east-1', ...env },
    );

  it('defaults to the workflow file and job on GitHub Actions, `default` elsewhere', () => {
    expect(read({}, ACTIONS_ENV).backupSet).toBe('backup.yml.snapshots');
    expect(read({}, { GITHUB_RUN_ID: '3' }).backupSet).toBe('default');
  });

  it('keeps an explicit set as it is, so two workflows that name one share it', () => {
    expect(read({ 'backup-set': 'shared' }, ACTIONS_ENV).backupSet).toBe('shared');
    expect(
      read(
        { 'backup-set': 'shared' },
        { ...ACTIONS_ENV, GITHUB_WORKFLOW_REF: 'octo/infra/.github/workflows/other.yml@main' },
      ).backupSet,
    ).toBe('shared');
    expect(() => read({ 'backup-set': 'a/b' }, ACTIONS_ENV)).toThrow(/backup-set/);
  });

  it('carries the provenance tags, within what RDS tags can hold', () => {
    expect(read({}, ACTIONS_ENV).provenance).toEqual({
      [TAGS.repository]: 'octo/infra',
      [TAGS.workflow]: '.github/workflows/backup.yml',
    });
    expect(read({}, { GITHUB_RUN_ID: '3' }).provenance).toBeUndefined();
    const odd = {
      ...ACTIONS_ENV,
      GITHUB_WORKFLOW_REF: 'octo/infra/.github/workflows/back(up)#1.yml@refs/heads/main',
    };
    expect(read({}, odd).provenance?.[TAGS.workflow]).toBe('.github/workflows/back(up)#1.yml');
    const rds = read({ 'target-type': 'rds-instance', 'resource-id': 'db1' }, odd);
    expect(rds.provenance?.[TAGS.workflow]).toBe('.github/workflows/back_up__1.yml');
  });
});

describe('runLink', () => {
  it('links the run, and its attempt after the first', () => {
    const facts = readGithubRun(ACTIONS_ENV);
    expect(runLink(facts)).toEqual({
      url: 'https://github.com/octo/infra/actions/runs/7001',
      repository: 'octo/infra',
      workflow: '.github/workflows/backup.yml',
      job: 'snapshots',
    });
    expect(runLink(readGithubRun({ ...ACTIONS_ENV, GITHUB_RUN_ATTEMPT: '3' }))?.url).toBe(
      'https://github.com/octo/infra/actions/runs/7001/attempts/3',
    );
  });

  it('names the workflow by its name when the file is unknown, and is absent without a repository', () => {
    expect(runLink(run({ repository: 'o/r', runId: '1', workflowName: 'Backups' }))?.workflow).toBe(
      'Backups',
    );
    expect(runLink(run({ runId: '1' }))).toBeUndefined();
    expect(runLink(undefined)).toBeUndefined();
  });
});

describe('provenance tags on backups and copies', () => {
  const provenance = provenanceTags(readGithubRun(ACTIONS_ENV));
  const lines = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

  it('tags a new backup with the repository and workflow, and keeps the run tag the run id', () => {
    const { tags } = composeTags(
      { id: A, tags: { Name: 'data' } },
      { set: 's', createdAt: NOW, runId: '7001', userTags: {}, copyTags: true, provenance },
    );
    expect(tags).toMatchObject({
      [TAGS.repository]: 'octo/infra',
      [TAGS.workflow]: '.github/workflows/backup.yml',
      [TAGS.run]: '7001',
      Name: 'data',
    });
  });

  it('keeps the most user tags within AWS’s 50 on a quiesced backup and on its copy', () => {
    const made = composeTags(
      { id: A, tags: { Name: 'data' } },
      {
        set: 's',
        createdAt: NOW,
        runId: '7001',
        userTags: lines(41),
        copyTags: true,
        consistency: 'application-consistent',
        provenance,
      },
    );
    expect(made.dropped).toEqual([]);
    expect(Object.keys(made.tags)).toHaveLength(41 + 1 + 7);
    const original = backup('snap-1', HOUR, { sourceId: A, tags: made.tags });
    const copy = composeCopyTags(original, { runId: '7002', provenance });
    expect(copy.dropped).toEqual([]);
    expect(Object.keys(copy.tags)).toHaveLength(50);
    expect(copy.tags).toMatchObject({ [TAGS.repository]: 'octo/infra', [TAGS.run]: '7002' });
  });

  it('puts none outside GitHub Actions', () => {
    expect(provenanceTags(undefined)).toEqual({});
    const { tags } = composeTags(
      { id: A, tags: {} },
      { set: 's', createdAt: NOW, userTags: {}, copyTags: true },
    );
    expect(
      Object.keys(tags).filter((key) => key === TAGS.repository || key === TAGS.workflow),
    ).toEqual([]);
  });
});

describe('splitSets', () => {
  it('gives the run its own set, and counts the other sets’ backups of its sources only', () => {
    const listing = [
      backup('own-1', DAY, { sourceId: A, set: 'mine' }),
      backup('own-copy', DAY, { sourceId: A, set: 'mine', copyOf: 'snap-away' }),
      backup('old-1', 90 * DAY, { sourceId: A, set: 'default' }),
      backup('old-2', 30 * DAY, { sourceId: B, set: 'default' }),
      backup('old-3', 10 * DAY, { sourceId: A, set: 'default' }),
      backup('weekly-1', 7 * DAY, { sourceId: B, set: 'weekly' }),
      backup('weekly-copy', 400 * DAY, { sourceId: B, set: 'weekly', copyOf: 'snap-x' }),
      backup('other-source', 500 * DAY, { sourceId: 'vol-0fffffffffffffff0', set: 'weekly' }),
    ];
    const { own, others } = splitSets(listing, 'mine', [A, B]);
    expect(own.map((b) => b.id)).toEqual(['own-1']);
    expect(others).toEqual([
      {
        set: 'default',
        backups: 3,
        sources: 2,
        oldest: new Date(NOW.getTime() - 90 * DAY).toISOString(),
      },
      {
        set: 'weekly',
        backups: 1,
        sources: 1,
        oldest: new Date(NOW.getTime() - 7 * DAY).toISOString(),
      },
    ]);
  });

  it('names no other set when the listing holds only the run’s own', () => {
    const listing = [backup('own-1', DAY, { sourceId: A, set: 'mine' })];
    expect(splitSets(listing, 'mine', [A])).toEqual({ own: listing, others: [] });
  });
});

describe('a run with the default set on GitHub Actions', () => {
  it('keeps to its own set, names the others, tags its backup and links the run', async () => {
    const adapter = new FakeAdapter(
      [
        backup('snap-old-default', 40 * DAY, { sourceId: A, set: 'default' }),
        backup('snap-weekly-1', 3 * DAY, { sourceId: A, set: 'weekly.yml.snapshots' }),
        backup('snap-weekly-2', 2 * DAY, { sourceId: A, set: 'weekly.yml.snapshots' }),
        backup('snap-mine-1', 2 * DAY, { sourceId: A, set: 'backup.yml.snapshots' }),
        backup('snap-mine-2', 1 * DAY, { sourceId: A, set: 'backup.yml.snapshots' }),
        backup('snap-b', 5 * DAY, { sourceId: B, set: 'default' }),
      ],
      [A, B],
    );
    const report = await runIn(
      [adapter],
      { 'resource-id': A, generations: '1' },
      { env: ACTIONS_ENV },
    );

    expect(report.status).toBe('success');
    expect(report.backupSet).toBe('backup.yml.snapshots');
    const deleted = adapter.calls.filter((call) => call.startsWith('delete ')).sort();
    // generations: 1 keeps only the new backup of its own set; no other set's backup goes.
    expect(deleted).toEqual(['delete snap-mine-1', 'delete snap-mine-2']);
    expect(adapter.calls.filter((call) => call === 'listBackups')).toHaveLength(1);
    expect(report.otherSets).toEqual([
      {
        set: 'default',
        backups: 1,
        sources: 1,
        oldest: new Date(NOW.getTime() - 40 * DAY).toISOString(),
      },
      {
        set: 'weekly.yml.snapshots',
        backups: 2,
        sources: 1,
        oldest: new Date(NOW.getTime() - 3 * DAY).toISOString(),
      },
    ]);
    expect(report.run).toEqual({
      url: 'https://github.com/octo/infra/actions/runs/7001',
      repository: 'octo/infra',
      workflow: '.github/workflows/backup.yml',
      job: 'snapshots',
    });
    const made = adapter.backups.find((b) => b.id === report.targets[0]?.backup?.id);
    expect(made?.tags).toMatchObject({
      [TAGS.backupSet]: 'backup.yml.snapshots',
      [TAGS.repository]: 'octo/infra',
      [TAGS.workflow]: '.github/workflows/backup.yml',
      [TAGS.run]: '7001',
    });
  });

  it('outside GitHub Actions uses `default`, with neither run link nor provenance', async () => {
    const adapter = new FakeAdapter([backup('snap-d', DAY, { sourceId: A, set: 'default' })], [A]);
    const report = await runIn([adapter], { 'resource-id': A });
    expect(report.backupSet).toBe('default');
    expect(report.run).toBeUndefined();
    expect(report.otherSets).toBeUndefined();
    const made = adapter.backups.find((b) => b.id === report.targets[0]?.backup?.id);
    expect(Object.keys(made?.tags ?? {})).not.toContain(TAGS.repository);
  });
});
