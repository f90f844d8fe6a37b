/**
 * The documented IAM policies as data, for the tests: the JSON blocks of docs/iam.md (the trust
 * policy, the policy of each `## Minimal IAM policy for …` heading, and of
 * `## Additional permissions for copies` and `… for quiescing`), and the copies of the trust policy
 * and of one target type's policy in the README's `## Quick start`.
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

/** Where the IAM policies are written out in full. */
export const IAM_DOC = 'docs/iam.md';

/** The text of docs/iam.md, every policy and the trust policy. */
export function iamSection(): string {
  return readFileSync(join(ROOT, IAM_DOC), 'utf8');
}

/** The text of a `## heading` section of a Markdown file (up to the next `## `). */
export function markdownSection(path: string, heading: string): string {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`${path} has no section "## ${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The trust policy of docs/iam.md's `## The role and its trust policy`. */
export function trustPolicy(): Policy {
  const block = jsonBlocks(markdownSection(IAM_DOC, 'The role and its trust policy'))[0];
  if (!block) throw new Error(`${IAM_DOC} has no JSON trust policy`);
  return JSON.parse(block) as Policy;
}

/** The JSON blocks of the README's `## Quick start`, parsed, in order. */
export function quickStartPolicies(): Policy[] {
  return jsonBlocks(markdownSection('README.md', 'Quick start')).map(
    (block) => JSON.parse(block) as Policy,
  );
}

/** The ```json blocks of a text, in order. */
export function jsonBlocks(text: string): string[] {
  return [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** The policy under each policy heading of docs/iam.md (the first JSON block after it). */
export function readmePolicies(): Map<ReadmePolicy, Policy> {
  const policies = new Map<ReadmePolicy, Policy>();
  for (const part of iamSection().split(/^(?=## )/m)) {
    const heading = /^## (.*)$/m.exec(part)?.[1];
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
    if (!block) throw new Error(`${IAM_DOC} has no JSON policy under "## ${heading}"`);
    policies.set(name, JSON.parse(block) as Policy);
  }
  return policies;
}

/** The documented policy of a target type (RDS instances and clusters share one). */
export function readmePolicyOf(type: string): Policy {
  const name = (
    type === 'rds-instance' || type === 'rds-cluster' ? 'rds-instance and rds-cluster' : type
  ) as ReadmePolicy;
  const policy = readmePolicies().get(name);
  if (!policy) throw new Error(`${IAM_DOC} has no IAM policy for ${type}`);
  return policy;
}
