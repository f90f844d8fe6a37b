/**
 * The GitHub Actions run a step belongs to, read from the runner's default variables into a plain
 * record, and what follows from it: the default backup set (workflow file and job), the run's link
 * and the provenance tags of every backup. Pure: the variables are handed in, so tests need no
 * runner.
 *
 * The variables are the ones `@actions/github`'s `context` reads (`GITHUB_JOB`, `GITHUB_RUN_ID`,
 * `GITHUB_RUN_ATTEMPT`, `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_WORKFLOW`), plus
 * `GITHUB_WORKFLOW_REF`, which `context` does not carry. Reading them here keeps that package (and
 * the Octokit client it loads when imported) out of the bundle and the start-up.
 */
import { createHash } from 'node:crypto';
import { TAGS } from './constants.js';
import type { RunLink } from './report.js';

export interface GithubRun {
  /** `owner/repo` (`GITHUB_REPOSITORY`). */
  repository?: string;
  /** The workflow file's path in its repository, `.github/workflows/backup.yml` (`GITHUB_WORKFLOW_REF`). */
  workflowPath?: string;
  /** The workflow's name (`GITHUB_WORKFLOW`): its `name:`, or its path when it has none. */
  workflowName?: string;
  /** The job's id (`GITHUB_JOB`), shared by every job of a matrix. */
  job?: string;
  runId?: string;
  /** 1 for the first attempt, 2 for the first re-run… */
  runAttempt?: number;
  /** `https://github.com`, or the GitHub Enterprise Server's. */
  serverUrl: string;
}

/** The set a step's backups go to when `backup-set` is not given and the run is not on GitHub. */
export const FALLBACK_SET = 'default';
/** Longest backup set name (as `backup-set` accepts). */
export const MAX_SET_LENGTH = 64;
/** AWS tag values hold at most 256 characters. */
const MAX_TAG_VALUE = 256;

/** The run's facts from the runner's variables; undefined when none is set (not on GitHub Actions). */
export function readGithubRun(
  env: Readonly<Record<string, string | undefined>>,
): GithubRun | undefined {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const attempt = Number(value('GITHUB_RUN_ATTEMPT'));
  const workflowPath = workflowPathOf(value('GITHUB_WORKFLOW_REF'));
  const fields: Omit<GithubRun, 'serverUrl'> = {
    repository: value('GITHUB_REPOSITORY'),
    workflowPath,
    workflowName: value('GITHUB_WORKFLOW'),
    job: value('GITHUB_JOB'),
    runId: value('GITHUB_RUN_ID'),
    runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : undefined,
  };
  const known = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(known).length === 0) return undefined;
  return {
    ...known,
    serverUrl: (value('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, ''),
  };
}

/**
 * `.github/workflows/backup.yml` from `owner/repo/.github/workflows/backup.yml@refs/heads/main`: the
 * path ends at the first `.yml@` or `.yaml@` (a ref may hold `@` too).
 */
export function workflowPathOf(ref: string | undefined): string | undefined {
  const match = /^[^/]+\/[^/]+\/(.+?\.ya?ml)@/.exec(ref ?? '');
  return match?.[1];
}

/**
 * The default backup set: `<workflow file name>.<job id>`, e.g. `backup.yml.snapshots`, so that two
 * workflows (or two jobs) never share a set unless they name one. Characters a set cannot hold
 * become `-`; a name that had to change, or is longer than 64 characters, is shortened and ends in
 * a hash of the whole name, so that two such names do not meet. Without the workflow file or the
 * job (outside GitHub Actions), `default`.
 */
export function defaultBackupSet(run: GithubRun | undefined): string {
  const file = run?.workflowPath?.split('/').at(-1);
  if (!file || !run?.job) return FALLBACK_SET;
  const name = `${file}.${run.job}`;
  const clean = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (clean === name && name.length <= MAX_SET_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const head = clean.slice(0, MAX_SET_LENGTH - hash.length - 1).replace(/[-_.]+$/, '');
  return head === '' ? `set-${hash}` : `${head}-${hash}`;
}

/**
 * The run's link for the report: its page `<server>/<owner>/<repo>/actions/runs/<id>` (with
 * `/attempts/<n>` after the first attempt), repository, workflow file (or name) and job; undefined
 * without a repository and run id.
 */
export function runLink(run: GithubRun | undefined): RunLink | undefined {
  if (!run?.repository || !run.runId) return undefined;
  const attempt = run.runAttempt && run.runAttempt > 1 ? `/attempts/${run.runAttempt}` : '';
  return {
    url: `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}${attempt}`,
    repository: run.repository,
    workflow: run.workflowPath ?? run.workflowName ?? '',
    job: run.job ?? '',
  };
}

/**
 * `snapshot-rotation:repository` and `snapshot-rotation:workflow` for the backups and copies the run
 * makes, where they are known. `clean` keeps a value within what the target's tags can carry
 * (RDS takes fewer characters than EC2).
 */
export function provenanceTags(
  run: GithubRun | undefined,
  tagText?: RegExp,
): Record<string, string> {
  const fit = (text: string): string => {
    const kept = tagText
      ? [...text].map((character) => (tagText.test(character) ? character : '_')).join('')
      : text;
    return kept.slice(0, MAX_TAG_VALUE);
  };
  return {
    ...(run?.repository ? { [TAGS.repository]: fit(run.repository) } : {}),
    ...(run?.workflowPath ? { [TAGS.workflow]: fit(run.workflowPath) } : {}),
  };
}
