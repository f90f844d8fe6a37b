// The house rules of docs/architecture.md, as ESLint keeps them: a change that makes the pure core
// import an adapter, the AWS SDK or the runner's toolkit fails the lint.
import { readdirSync, readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../readme-iam.js';

const eslint = new ESLint({ cwd: ROOT });

/** The rule ids and messages ESLint gives `code` written into the file at `path`. */
async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${path}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('time is a parameter', () => {
  it.each([
    ['src/create.ts', 'export const at = Date.now();'],
    ['src/targets/wait.ts', 'export const clock = Date.now;'],
    ['src/prune.ts', 'export const at = new Date();'],
    ['src/copies.ts', 'export const token = Math.random();'],
  ])('%s may not read the time or chance itself: %s', { timeout: 60_000 }, async (path, line) => {
    const messages = await lint(path, `${line}\n`);
    expect(messages.join('\n')).toMatch(/no-restricted-syntax: .*(Clock|random)/);
  });

  it('lets the system clock read it', { timeout: 60_000 }, async () => {
    const messages = await lint('src/clock.ts', 'export const at = () => new Date();\n');
    expect(messages.filter((m) => m.includes('no-restricted-syntax'))).toEqual([]);
  });
});

describe('the pure core', () => {
  it.each([
    ['src/retention.ts', "import type { TargetAdapter } from './targets/target.js';", 'adapters'],
    ['src/plan.ts', "import { EC2Client } from '@aws-sdk/client-ec2';", 'AWS SDK'],
    ['src/report.ts', "import * as core from '@actions/core';", 'no I/O'],
    ['src/model.ts', "import type { RdsFlavor } from './targets/rds.js';", 'adapters'],
  ])('%s may not %s', { timeout: 60_000 }, async (path, line, says) => {
    const messages = await lint(path, `${line}\n`);
    expect(messages.join('\n')).toMatch(/no-restricted-imports/);
    expect(messages.join('\n')).toContain(says);
  });

  it(
    'is as the source has it today: no file of the core breaks the rule',
    { timeout: 60_000 },
    async () => {
      const results = await eslint.lintFiles([
        'src/{model,clock,constants,errors,duration,calendar,naming,retention,plan,copy-rules,report,inputs,input-values,aws-names,target-types,retention-inputs,copy-inputs,files-inputs,instance-inputs,quiesce-inputs,quiesce-report,chunks,manifest,file-keys,file-plan,content-retention,tar,files-report}.ts',
      ]);
      const broken = results.flatMap((result) =>
        result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message),
      );
      expect(broken).toEqual([]);
      expect(results).toHaveLength(28);
    },
  );
});

describe('docs/architecture.md', () => {
  it('gives every module of src/ its line in the module map', () => {
    const map = readFileSync(`${ROOT}/docs/architecture.md`, 'utf8');
    const modules = readdirSync(`${ROOT}/src`, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `src/${file.replaceAll('\\', '/')}`);
    expect(modules.length).toBeGreaterThan(40);
    expect(modules.filter((module) => !map.includes(`| \`${module}\``))).toEqual([]);
  });
});
