import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readConfig } from '../../src/inputs.js';

const VOL = 'vol-0123456789abcdef0';
const lookup = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const read = (
  values: Record<string, string>,
  env: NodeJS.ProcessEnv = { AWS_REGION: 'us-east-1' },
) =>
  readConfig(
    lookup({ 'target-type': 'ebs-volume', 'resource-id': VOL, generations: '5', ...values }),
    env,
  );

/** The InputError a bad value raises (fails the test when none is raised). */
function errorOf(values: Record<string, string>, env?: NodeJS.ProcessEnv): InputError {
  try {
    read(values, env);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('readConfig', () => {
  it('applies the documented defaults', () => {
    expect(read({}, { AWS_REGION: 'eu-west-1', GITHUB_RUN_ID: '42' })).toEqual({
      targetType: 'ebs-volume',
      resourceIds: [VOL],
      resourceTags: {},
      region: 'eu-west-1',
      backupSet: 'default',
      rules: { generations: 5, keepWithinMs: undefined },
      prune: true,
      minIntervalMs: undefined,
      tags: {},
      copyTags: true,
      wait: true,
      waitTimeoutMs: 60 * 60_000,
      concurrency: 4,
      maxDeletions: 50,
      dryRun: false,
      noReboot: true,
      runId: '42',
    });
  });

  it('splits resource-id on commas and newlines, trims and removes duplicates', () => {
    const other = 'vol-0aaaaaaaaaaaaaaaa';
    expect(read({ 'resource-id': ` ${VOL},\n${other}\n\n${VOL} ,` }).resourceIds).toEqual([
      VOL,
      other,
    ]);
  });

  it('reads Key=Value lines for tags and resource-tags, values may contain =', () => {
    const config = read({ tags: 'Team=data\nNote = a=b \n', 'resource-tags': 'Backup=nightly' });
    expect(config.tags).toEqual({ Team: 'data', Note: 'a=b' });
    expect(config.resourceTags).toEqual({ Backup: 'nightly' });
  });

  it('accepts resource-tags alone', () => {
    expect(read({ 'resource-id': '', 'resource-tags': 'Team=data' }).resourceIds).toEqual([]);
  });

  it('prefers the region input over AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(read({ region: 'ap-northeast-1' }).region).toBe('ap-northeast-1');
    expect(read({}, { AWS_DEFAULT_REGION: 'us-west-2' }).region).toBe('us-west-2');
  });

  it('allows prune false with no keep rule', () => {
    expect(read({ generations: '', prune: 'false' }).prune).toBe(false);
  });

  it('reads durations and booleans', () => {
    const config = read({
      'keep-within': '50d',
      'min-interval': '20h',
      wait: 'FALSE',
      'dry-run': 'True',
      'wait-timeout': '6h',
    });
    expect(config.rules.keepWithinMs).toBe(50 * 86_400_000);
    expect(config.minIntervalMs).toBe(20 * 3_600_000);
    expect(config.wait).toBe(false);
    expect(config.dryRun).toBe(true);
    expect(config.waitTimeoutMs).toBe(6 * 3_600_000);
  });

  it.each([
    ['target-type', { 'target-type': '' }],
    ['target-type', { 'target-type': 'bogus' }],
    ['target-type', { 'target-type': 'rds' }],
    ['resource-id', { 'target-type': 'rds-instance', 'resource-id': '1db' }],
    ['resource-id', { 'target-type': 'rds-instance', 'resource-id': 'db--x' }],
    ['resource-id', { 'target-type': 'rds-cluster', 'resource-id': 'db-' }],
    ['resource-id', { 'target-type': 'rds-cluster', 'resource-id': `a${'b'.repeat(63)}` }],
    ['resource-id', { 'target-type': 'ec2-image', 'resource-id': 'vol-0123456789abcdef0' }],
    ['no-reboot', { 'no-reboot': 'maybe' }],
    ['resource-id', { 'resource-id': 'i-0123456789abcdef0' }],
    ['resource-id', { 'resource-id': 'vol-123' }],
    ['resource-id', { 'resource-id': `${VOL}, vol-XYZ` }],
    ['resource-id', { 'resource-id': '' }],
    ['resource-tags', { 'resource-tags': 'novalue' }],
    ['resource-tags', { 'resource-tags': '=x' }],
    ['region', { region: 'Mars' }],
    ['backup-set', { 'backup-set': 'daily backups' }],
    ['backup-set', { 'backup-set': '-daily' }],
    ['generations', { generations: '0' }],
    ['generations', { generations: '1001' }],
    ['generations', { generations: 'five' }],
    ['generations', { generations: '2.5' }],
    ['keep-within', { 'keep-within': '5x' }],
    ['keep-within', { 'keep-within': '0d' }],
    ['prune', { prune: 'yes' }],
    ['prune', { generations: '' }],
    ['min-interval', { 'min-interval': '20' }],
    ['tags', { tags: 'aws:owner=me' }],
    ['tags', { tags: 'snapshot-rotation:keep=true' }],
    ['tags', { tags: 'A=1\nA=2' }],
    ['tags', { tags: `${'k'.repeat(129)}=v` }],
    ['copy-tags', { 'copy-tags': 'maybe' }],
    ['tags', { tags: Array.from({ length: 47 }, (_, i) => `k${i}=v`).join('\n') }],
    ['wait', { wait: 'yes' }],
    ['wait-timeout', { 'wait-timeout': '7h' }],
    ['wait-timeout', { 'wait-timeout': 'forever' }],
    ['concurrency', { concurrency: '0' }],
    ['concurrency', { concurrency: '33' }],
    ['max-deletions', { 'max-deletions': '-1' }],
    ['dry-run', { 'dry-run': '1' }],
  ])('refuses a bad %s (%j) with an error naming it', (input, values) => {
    const error = errorOf(values);
    expect(error.input).toBe(input);
    expect(error.message).toContain(`'${input}'`);
  });

  it('needs a region from the input or the environment', () => {
    const error = errorOf({}, {});
    expect(error.input).toBe('region');
    expect(error.message).toMatch(/AWS_REGION/);
  });

  it('names the value and what is allowed', () => {
    expect(errorOf({ generations: '0' }).message).toBe(
      "Input 'generations' has an invalid value '0': expected a whole number from 1 to 1000.",
    );
  });
});

describe('readConfig for ec2-image', () => {
  it('takes instance ids and no-reboot', () => {
    const config = read({
      'target-type': 'ec2-image',
      'resource-id': 'i-0123456789abcdef0,i-01234567',
      'no-reboot': 'false',
    });
    expect(config.resourceIds).toEqual(['i-0123456789abcdef0', 'i-01234567']);
    expect(config.noReboot).toBe(false);
  });
});

describe('readConfig for RDS', () => {
  it('reads DB identifiers in lower case, as RDS keeps them', () => {
    const config = read({
      'target-type': 'rds-instance',
      'resource-id': 'Prod-DB, prod-db\nOrders',
    });
    expect(config.resourceIds).toEqual(['prod-db', 'orders']);
  });
});
