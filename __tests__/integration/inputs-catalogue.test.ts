/**
 * A catalogue of malformed inputs, the typos and slips an operator makes, across every input of
 * action.yml. Each runs the bundled action against an endpoint that records every request and must
 * end with exit code 1, exactly one `::error::` line naming the offending input, and not a single
 * AWS call. No moto state is involved, so the cases run concurrently.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_YML, actionDefaults } from '../../scripts/action-runner.mjs';
import { TIME_SCALE_VARIABLE } from '../../src/input-values.js';
import { readConfig } from '../../src/inputs.js';
import {
  MISSING_INSTANCE as INSTANCE,
  MISSING_VOLUME as VOL,
  REGION,
  errorLines,
  runLog,
  runOffline,
} from './helpers.js';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const arnIn = (region: string): string => `arn:aws:kms:${region}:123456789012:key/${KEY}`;
const lines = (count: number, line: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => line(i)).join('\n');

interface Case {
  /** The input the one error line must name. */
  input: string;
  /** What the operator got wrong. */
  label: string;
  /** Inputs changed from a valid EBS run (`undefined` removes one). */
  change: Inputs;
  /** Runner environment changed (`undefined` removes a variable). */
  env?: Record<string, string | undefined>;
}
type Inputs = Record<string, string | undefined>;
type Row = [label: string, change: Inputs, env?: Record<string, string | undefined>];

/** The cases of one input. */
const about = (input: string, rows: Row[]): Case[] =>
  rows.map(([label, change, env]) => ({ input, label, change, ...(env ? { env } : {}) }));

/**
 * The cases of one input that only give it a bad value, labelled by the value itself or, where a
 * row is `[label, value]`, by its label.
 */
const values = (input: string, rows: (string | [label: string, value: string])[]): Case[] =>
  about(
    input,
    rows.map((row) => {
      const [label, value] = typeof row === 'string' ? [row, row] : row;
      return [label, { [input]: value }];
    }),
  );

/** A valid run that these cases break one way each: one volume, five generations, us-east-1. */
const BASE = { 'target-type': 'ebs-volume', 'resource-id': VOL, generations: '5' };
// Valid variants of it for the other target types and for copies.
const RDS = { 'target-type': 'rds-instance', 'resource-id': 'prod-db' };
const CLUSTER = { 'target-type': 'rds-cluster', 'resource-id': 'prod-aurora' };
const IMAGE = { 'target-type': 'ec2-image', 'resource-id': INSTANCE };
const INSTANCE_SET = { 'target-type': 'ec2-instance', 'resource-id': INSTANCE };
const COPY = { 'copy-to-regions': 'eu-west-1' };
const FILES = {
  'target-type': 'files',
  'resource-id': 'app-data',
  path: 'data/**',
  bucket: 'my-backups',
};
const RESTORE = { ...FILES, 'restore-to': 'restored' };
const VALID: Inputs[] = [
  {},
  RDS,
  CLUSTER,
  IMAGE,
  COPY,
  { 'no-reboot': 'true' },
  { ...INSTANCE_SET, 'exclude-boot-volume': 'true', 'exclude-volume-ids': VOL },
  { ...RDS, ...COPY, 'copy-option-group': 'eu-west-1=orders-og' },
  FILES,
  { ...RESTORE, 'restore-tier': 'Bulk', 'restore-days': '3' },
];

const cases: Case[] = [
  ...about('target-type', [
    ['missing', { 'target-type': undefined }],
    ['empty', { 'target-type': '' }],
    ['in upper case', { 'target-type': 'EBS-Volume' }],
    ['ebs', { 'target-type': 'ebs' }],
    ['ec2-instances', { 'target-type': 'ec2-instances' }],
  ]),
  ...about('resource-id', [
    ['an instance id for ebs-volume', { 'resource-id': INSTANCE }],
    ['a volume id for ec2-image', { ...IMAGE, 'resource-id': VOL }],
    ['a truncated volume id', { 'resource-id': 'vol-0123456' }],
    ['volume ids separated by spaces', { 'resource-id': `${VOL} vol-0aaaaaaaaaaaaaaaa` }],
    ['a good and a bad volume id', { 'resource-id': `${VOL}, vol-XYZ` }],
    ['of only separators, no resource-tags', { 'resource-id': ' ,\n, ' }],
    ['neither resource-id nor resource-tags', { 'resource-id': undefined }],
    ['an RDS identifier starting with a digit', { ...RDS, 'resource-id': '1prod-db' }],
    ['an RDS identifier with --', { ...RDS, 'resource-id': 'prod--db' }],
    ['an RDS identifier with _', { ...RDS, 'resource-id': 'prod_db' }],
    ['a cluster identifier of 64 characters', { ...CLUSTER, 'resource-id': `a${'b'.repeat(63)}` }],
    [
      'a DB instance ARN instead of its identifier',
      { ...RDS, 'resource-id': 'arn:aws:rds:us-east-1:123456789012:db:prod-db' },
    ],
    ['a volume id for rds-instance', { ...RDS, 'resource-id': VOL }],
    ['an instance id for rds-cluster', { ...CLUSTER, 'resource-id': INSTANCE }],
  ]),
  ...about('resource-tags', [
    ['line without =', { 'resource-tags': 'Backup' }],
    ['line with an empty key', { 'resource-tags': '=nightly' }],
    ['with a key twice', { 'resource-tags': 'Backup=a\nBackup=b' }],
    ['key of 129 characters', { 'resource-tags': `${'k'.repeat(129)}=v` }],
    [
      'separated by commas',
      { 'resource-id': undefined, 'resource-tags': 'Backup=nightly, Env=prod' },
    ],
    [
      'more resource-tags than a resource can carry',
      { 'resource-tags': lines(51, (i) => `k${i}=v`) },
    ],
  ]),
  ...values('region', [
    ['without its number', 'us-east'],
    ['in upper case', 'EU-WEST-1'],
    'mars-1',
    ['an availability zone as region', 'us-east-1a'],
    ['of no AWS partition', 'zz-east-1'],
    ['two regions as region', 'us-east-1,us-west-2'],
  ]),
  ...about('region', [
    ['no region and no AWS_REGION', {}, { AWS_REGION: undefined }],
    ['a garbage AWS_REGION', {}, { AWS_REGION: 'garbage' }],
  ]),
  ...values('backup-set', [
    ['with a space', 'daily backups'],
    ['starting with -', '-daily'],
    ['of 65 characters', 'd'.repeat(65)],
    ['with /', 'daily/weekly'],
    ['with a non-ASCII letter', 'täglich'],
    ['on two lines', 'daily\nweekly'],
  ]),
  ...values('generations', ['0', '-1', '2.5', '1001', ['huge', '99999999999999999999']]),
  ...values('keep-within', [
    '5x',
    '1.5d',
    '-1d',
    '0d',
    ['without a unit', '50'],
    ['in years', '1y'],
    ['beyond any date', '99999999999999999w'],
  ]),
  ...values('prune', ['yes', '1']),
  ...about('prune', [['true with no keep rule', { generations: undefined }]]),
  ...values('min-interval', [['without a unit', '20'], '0h', '1.5h', ['in seconds', '30s']]),
  ...about('tags', [
    ['line without =', { tags: 'Team' }],
    ['line with an empty key', { tags: '=data' }],
    ['with the reserved snapshot-rotation: prefix', { tags: 'snapshot-rotation:keep=true' }],
    ['with the reserved prefix in another case', { tags: 'Snapshot-Rotation:keep=true' }],
    ['with the aws: prefix', { tags: 'aws:owner=me' }],
    ['key of 129 characters', { tags: `${'k'.repeat(129)}=v` }],
    ['value of 257 characters', { tags: `Note=${'v'.repeat(257)}` }],
    ['45 tags', { tags: lines(45, (i) => `k${i}=v`) }],
    ['separated by commas', { tags: 'Team=data, Env=prod' }],
    ['with a character RDS refuses', { ...RDS, tags: 'Owner=R&D' }],
    ['with the rds: prefix on an RDS target', { ...RDS, tags: 'rds:owner=me' }],
  ]),
  ...values('copy-tags', ['yes', '0']),
  ...values('wait', ['yes']),
  ...values('wait-timeout', ['7h', '1w', '0m', ['in bare seconds', '3600']]),
  ...values('concurrency', ['0', '33', '2.5']),
  ...values('max-deletions', ['-1', '10001', '1.5']),
  ...values('dry-run', ['1']),
  ...about('no-reboot', [
    ['maybe', { ...IMAGE, 'no-reboot': 'maybe' }],
    ['false for ebs-volume', { 'no-reboot': 'false' }],
    ['false for rds-instance', { ...RDS, 'no-reboot': 'false' }],
    ['false for ec2-instance', { ...INSTANCE_SET, 'no-reboot': 'false' }],
  ]),
  ...about('exclude-boot-volume', [
    ['a word', { ...INSTANCE_SET, 'exclude-boot-volume': 'yes' }],
    ['true for ebs-volume', { 'exclude-boot-volume': 'true' }],
    ['true for ec2-image', { ...IMAGE, 'exclude-boot-volume': 'true' }],
  ]),
  ...about('exclude-volume-ids', [
    ['an instance id', { ...INSTANCE_SET, 'exclude-volume-ids': INSTANCE }],
    ['a truncated volume id', { ...INSTANCE_SET, 'exclude-volume-ids': 'vol-0123' }],
    ['for ebs-volume', { 'exclude-volume-ids': VOL }],
  ]),
  // Quiescing through SSM Run Command (ebs-volume, ec2-image, ec2-instance only).
  ...about('pre-command', [
    ['for an RDS instance', { ...RDS, 'pre-command': 'sync' }],
    ['with quiesce-document', { 'pre-command': 'sync', 'quiesce-document': 'MyQuiesce' }],
  ]),
  ...about('post-command', [
    ['without pre-command', { 'post-command': 'fsfreeze -u /data' }],
    ['for files', { ...FILES, 'post-command': 'true' }],
  ]),
  ...about('quiesce-document', [
    ['with a space', { 'quiesce-document': 'My Quiesce' }],
    ['for an Aurora cluster', { ...CLUSTER, 'quiesce-document': 'MyQuiesce' }],
  ]),
  ...about('pre-command-timeout', [
    ['in bare seconds', { 'pre-command': 'sync', 'pre-command-timeout': '30' }],
    ['over an hour', { 'pre-command': 'sync', 'pre-command-timeout': '2h' }],
    ['without a pre command', { 'pre-command-timeout': '10s' }],
  ]),
  ...about('quiesce-failure', [
    ['a word', { ...IMAGE, 'pre-command': 'sync', 'quiesce-failure': 'ignore' }],
    ['without a pre command', { 'quiesce-failure': 'skip' }],
  ]),
  ...about('copy-to-regions', [
    ['the source region', { 'copy-to-regions': 'us-east-1' }],
    ['including the source region', { 'copy-to-regions': 'us-west-2,us-east-1' }],
    ['without its number', { 'copy-to-regions': 'eu-west' }],
    ['separated by spaces', { 'copy-to-regions': 'eu-west-1 us-west-2' }],
    ['in another partition (China)', { 'copy-to-regions': 'cn-north-1' }],
    ['in another partition (GovCloud)', { 'copy-to-regions': 'us-gov-west-1' }],
  ]),
  ...about('copy-generations', [
    ['without copy-to-regions', { 'copy-generations': '2' }],
    ['0', { ...COPY, 'copy-generations': '0' }],
    ['two', { ...COPY, 'copy-generations': 'two' }],
  ]),
  ...about('copy-keep-within', [
    ['without copy-to-regions', { 'copy-keep-within': '1d' }],
    ['1 day', { ...COPY, 'copy-keep-within': '1 day' }],
    ['0d', { ...COPY, 'copy-keep-within': '0d' }],
  ]),
  ...about('copy-kms-key-id', [
    ['without copy-to-regions', { 'copy-kms-key-id': KEY }],
    ['not a key', { ...COPY, 'copy-kms-key-id': 'not-a-key' }],
    [
      'an ARN of another service',
      { ...COPY, 'copy-kms-key-id': 'arn:aws:rds:eu-west-1:123456789012:db:prod-db' },
    ],
    ['for a region not in copy-to-regions', { ...COPY, 'copy-kms-key-id': 'us-west-2=alias/dr' }],
    ['an ARN of another region', { ...COPY, 'copy-kms-key-id': arnIn('us-west-2') }],
    [
      'region line of another region’s ARN',
      { ...COPY, 'copy-kms-key-id': `eu-west-1=${arnIn('us-east-1')}` },
    ],
    ['a region twice', { ...COPY, 'copy-kms-key-id': 'eu-west-1=alias/a\neu-west-1=alias/b' }],
    [
      'two bare keys',
      { 'copy-to-regions': 'eu-west-1,us-west-2', 'copy-kms-key-id': `${KEY}\n${KEY}` },
    ],
  ]),
  ...about('copy-option-group', [
    ['without copy-to-regions', { ...RDS, 'copy-option-group': 'orders-og' }],
    ['for an EBS volume', { ...COPY, 'copy-option-group': 'orders-og' }],
    ['for an Aurora cluster', { ...CLUSTER, ...COPY, 'copy-option-group': 'orders-og' }],
    [
      'a default group by its colon name',
      { ...RDS, ...COPY, 'copy-option-group': 'default:mysql-8-0' },
    ],
    [
      'for a region not in copy-to-regions',
      { ...RDS, ...COPY, 'copy-option-group': 'us-west-2=og' },
    ],
    ['a region twice', { ...RDS, ...COPY, 'copy-option-group': 'eu-west-1=og-a\neu-west-1=og-b' }],
  ]),
  // target-type: files, and its inputs refused for the snapshot types.
  ...about('path', [
    ['missing for files', { ...FILES, path: undefined }],
    ['only an exclusion', { ...FILES, path: '!*.tmp' }],
    ['matching no file', { ...FILES, path: '/nonexistent-snapshot-rotation-dir/**' }],
    ['for an EBS volume', { path: 'data/**' }],
  ]),
  ...about('bucket', [
    ['missing for files', { ...FILES, bucket: undefined }],
    ['in upper case', { ...FILES, bucket: 'My-Backups' }],
    ['for an EBS volume', { bucket: 'my-backups' }],
  ]),
  ...about('prefix', [
    ['absolute', { ...FILES, prefix: '/backups/' }],
    ['climbing up', { ...FILES, prefix: 'a/../b/' }],
    ['for an EBS volume', { prefix: 'backups/' }],
  ]),
  ...about('storage-class', [
    ['unknown', { ...FILES, 'storage-class': 'COLD' }],
    ['for an EBS volume', { 'storage-class': 'GLACIER' }],
  ]),
  ...about('follow-symbolic-links', [['a word', { ...FILES, 'follow-symbolic-links': 'yes' }]]),
  ...about('pack-threshold', [
    ['1MiB', { ...FILES, 'pack-threshold': '1MiB' }],
    ['a word', { ...FILES, 'pack-threshold': 'small' }],
  ]),
  ...about('allow-early-delete', [['maybe', { ...FILES, 'allow-early-delete': 'maybe' }]]),
  ...about('restore-to', [['for an EBS volume', { 'restore-to': 'restored' }]]),
  ...about('restore-backup', [['for an EBS volume', { 'restore-backup': 'some-key' }]]),
  ...about('restore-tier', [['unknown', { ...RESTORE, 'restore-tier': 'Fast' }]]),
  ...about('restore-days', [
    ['zero', { ...RESTORE, 'restore-days': '0' }],
    ['a duration', { ...RESTORE, 'restore-days': '7d' }],
  ]),
  ...about('copy-to-regions', [['for files', { ...FILES, ...COPY }]]),
  ...about(TIME_SCALE_VARIABLE, [
    ['zero', {}, { [TIME_SCALE_VARIABLE]: '0' }],
    ['above one', {}, { [TIME_SCALE_VARIABLE]: '2' }],
    ['not a number', {}, { [TIME_SCALE_VARIABLE]: 'fast' }],
  ]),
  // Calendar retention: counts as for generations, an IANA zone, and copy-* variants with copies.
  ...values('keep-hourly', [
    ['zero', '0'],
    ['a fraction', '1.5'],
  ]),
  ...values('keep-daily', [
    ['a word', 'seven'],
    ['negative', '-7'],
  ]),
  ...values('keep-weekly', [
    ['above 1000', '1001'],
    ['a duration', '4w'],
  ]),
  ...values('keep-monthly', [['empty space', ' 12 months']]),
  ...values('keep-yearly', [['a year', '2026']]),
  ...about('timezone', [
    ['not a zone', { 'keep-daily': '7', timezone: 'Tokyo' }],
    ['an offset', { 'keep-daily': '7', timezone: '+09:00' }],
    ['a zone that does not exist', { 'keep-daily': '7', timezone: 'Mars/Olympus_Mons' }],
    ['an abbreviation', { 'keep-daily': '7', timezone: 'EST' }],
  ]),
  ...about('copy-keep-hourly', [['zero', { ...COPY, 'copy-keep-hourly': '0' }]]),
  ...about('copy-keep-daily', [
    ['a word', { ...COPY, 'copy-keep-daily': 'all' }],
    ['without copy-to-regions', { 'copy-keep-daily': '7' }],
  ]),
  ...about('copy-keep-weekly', [['negative', { ...COPY, 'copy-keep-weekly': '-1' }]]),
  ...about('copy-keep-monthly', [['above 1000', { ...COPY, 'copy-keep-monthly': '5000' }]]),
  ...about('copy-keep-yearly', [['a fraction', { ...COPY, 'copy-keep-yearly': '0.5' }]]),
];

/** The inputs of a case: the valid base with its changes, as a workflow's `with:` would give them. */
function inputsOf(change: Inputs): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...BASE, ...change })) {
    if (value !== undefined) inputs[name] = value;
  }
  return inputs;
}

describe('the catalogue', () => {
  it('covers every input that action.yml declares, with at least 40 cases', () => {
    const action = parse(readFileSync(ACTION_YML, 'utf8')) as { inputs: Record<string, unknown> };
    // Beside the inputs, the one environment variable the action reads as configuration.
    const inputs = cases.map((c) => c.input).filter((input) => input !== TIME_SCALE_VARIABLE);
    expect([...new Set(inputs)].sort()).toEqual(Object.keys(action.inputs).sort());
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const names = cases.map((c) => `${c.input}: ${c.label}`);
    expect(new Set(names).size).toBe(names.length);
  });

  // Each case breaks a valid run in one way only: were a base itself invalid, a case could pass
  // for the wrong reason.
  it.each(VALID)('breaks only valid bases (%j)', (base) => {
    const inputs = { ...actionDefaults(), ...inputsOf(base) };
    expect(() => readConfig((name) => inputs[name] ?? '', { AWS_REGION: REGION })).not.toThrow();
  });
});

describe.concurrent('malformed inputs', () => {
  it.for(cases)(
    '$input: refuses $label with one ::error:: line naming it, exit code 1 and no AWS call',
    async ({ input, change, env }, { expect }) => {
      const { run, requests } = await runOffline(inputsOf(change), env ? { env } : {});
      const log = runLog(run);
      const errors = errorLines(run);
      expect(errors, log).toHaveLength(1);
      expect(errors[0], log).toContain(`'${input}'`);
      expect(run.code, log).toBe(1);
      expect(requests, log).toEqual([]);
    },
  );
});
