/**
 * The README's IAM policies as data, for the tests: the JSON blocks of its "AWS access with OIDC"
 * section, and the policy of each `### Minimal IAM policy for …` and
 * `### Additional permissions for copies` and `… for quiescing` heading.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadmePolicy } from '../src/errors.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface Policy {
  Version: string;
  Statement: Statement[];
}

export const list = (value: string | string[]): string[] =>
  Array.isArray(value) ? value : [value];

/** The text of the README's `## AWS access with OIDC` section. */
export function iamSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## AWS access with OIDC\n');
  if (start === -1) throw new Error('README.md has no section "## AWS access with OIDC"');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The ```json blocks of a text, in order. */
export function jsonBlocks(text: string): string[] {
  return [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** The policy under each policy heading of the IAM section (the first JSON block after it). */
export function readmePolicies(): Map<ReadmePolicy, Policy> {
  const policies = new Map<ReadmePolicy, Policy>();
  for (const part of iamSection().split(/^(?=### )/m)) {
    const heading = /^### (.*)$/m.exec(part)?.[1];
    if (!heading) continue;
    let name: ReadmePolicy | undefined;
    if (heading.startsWith('Minimal IAM policy for ')) {
      const types = [...heading.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]!);
      name = types.join(' and ') as ReadmePolicy;
    } else if (heading === 'Additional permissions for copies') {
      name = 'copies';
    } else if (heading === 'Additional permissions for quiescing') {
      name = 'quiescing';
    }
    if (!name) continue;
    const block = jsonBlocks(part)[0];
    if (!block) throw new Error(`README.md has no JSON policy under "### ${heading}"`);
    policies.set(name, JSON.parse(block) as Policy);
  }
  return policies;
}

/** The README policy of a target type (RDS instances and clusters share one). */
export function readmePolicyOf(type: string): Policy {
  const name = (
    type === 'rds-instance' || type === 'rds-cluster' ? 'rds-instance and rds-cluster' : type
  ) as ReadmePolicy;
  const policy = readmePolicies().get(name);
  if (!policy) throw new Error(`README.md has no IAM policy for ${type}`);
  return policy;
}
