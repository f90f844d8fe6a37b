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

/** That `values` are refused with an InputError that names `input`. */
function refusedNaming(input: string, values: Record<string, string>): void {
  const error = errorOf(values);
  expect(error).toBeInstanceOf(InputError);
  expect(error.input).toBe(input);
  expect(error.message).toContain(`'${input}'`);
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
      timeZone: 'UTC',
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
      github: { runId: '42', serverUrl: 'https://github.com' },
      timeScale: 1,
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
  ])('refuses a bad %s (%j) with an error naming it', refusedNaming);

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

describe('readConfig calendar rules', () => {
  it('reads keep-hourly … keep-yearly and the time zone, in its canonical spelling', () => {
    const config = read({
      'keep-hourly': '24',
      'keep-daily': '7',
      'keep-weekly': '4',
      'keep-monthly': '12',
      'keep-yearly': '1000',
      timezone: 'asia/tokyo',
    });
    expect(config.rules).toEqual({
      generations: 5,
      calendar: {
        hourly: 24,
        daily: 7,
        weekly: 4,
        monthly: 12,
        yearly: 1000,
        timeZone: 'Asia/Tokyo',
      },
    });
  });

  it('draws the periods in UTC by default and sets only the rules given', () => {
    expect(read({ 'keep-weekly': '4' }).rules.calendar).toEqual({ weekly: 4, timeZone: 'UTC' });
  });

  it('accepts a calendar rule alone as the keep rule of prune', () => {
    const config = read({ generations: '', 'keep-monthly': '12' });
    expect(config.prune).toBe(true);
    expect(config.rules).toEqual({ calendar: { monthly: 12, timeZone: 'UTC' } });
  });

  it('accepts a timezone without any calendar rule (it then has no effect)', () => {
    expect(read({ timezone: 'Europe/Berlin' }).rules.calendar).toBeUndefined();
  });

  it('names the calendar rules when prune has no keep rule', () => {
    expect(errorOf({ generations: '' }).message).toBe(
      "Input 'prune' is true but no keep rule is set: set 'generations', 'keep-within' or a calendar rule ('keep-daily' and the like), or set 'prune: false' to never delete.",
    );
  });

  it.each([
    ['keep-hourly', { 'keep-hourly': '0' }],
    ['keep-daily', { 'keep-daily': '1001' }],
    ['keep-weekly', { 'keep-weekly': 'four' }],
    ['keep-monthly', { 'keep-monthly': '1.5' }],
    ['keep-yearly', { 'keep-yearly': '-1' }],
    ['timezone', { timezone: 'Tokyo' }],
    ['timezone', { timezone: 'Asia/Tokio' }],
    ['timezone', { timezone: '+09:00' }],
    ['timezone', { timezone: 'JST+9', 'keep-daily': '7' }],
  ])('refuses a bad %s (%j) with an error naming it', refusedNaming);

  it('says what a time zone looks like', () => {
    expect(errorOf({ timezone: 'Tokyo' }).message).toBe(
      "Input 'timezone' has an invalid value 'Tokyo': expected an IANA time zone name such as UTC, Asia/Tokyo or America/New_York (for a fixed offset, Etc/GMT-9 is UTC+9).",
    );
  });

  it.each([
    // Known to the runtime, but as a fixed offset without daylight saving time …
    ['EST', 'America/New_York'],
    ['MST', 'America/Denver (or America/Phoenix, without daylight saving time)'],
    ['HST', 'Pacific/Honolulu'],
    // … as a POSIX-style legacy zone …
    ['EST5EDT', 'America/New_York'],
    ['CST6CDT', 'America/Chicago'],
    ['PST8PDT', 'America/Los_Angeles'],
    ['MST7MDT', 'America/Denver'],
    // … as a link whose meaning the name does not say (ICU reads BST as Dhaka) …
    ['IST', 'Asia/Kolkata (or Europe/Dublin for Irish time)'],
    ['JST', 'Asia/Tokyo'],
    ['PST', 'America/Los_Angeles'],
    ['BST', 'Europe/London'],
    ['CET', 'Europe/Paris or Europe/Berlin'],
    ['EET', 'Europe/Athens or Europe/Helsinki'],
    ['WET', 'Europe/Lisbon'],
    ['MET', 'Europe/Paris or Europe/Berlin'],
    ['PRC', 'Asia/Shanghai'],
    ['ROK', 'Asia/Seoul'],
    ['GB', 'Europe/London'],
    ['NZ', 'Pacific/Auckland'],
    ['GMT', 'UTC or Europe/London'],
    ['Zulu', 'UTC'],
    // … or unknown to it, but a common abbreviation.
    ['EDT', 'America/New_York'],
    ['AEST', 'Australia/Sydney'],
    ['est', 'America/New_York'],
  ])('refuses the abbreviation or legacy alias %s and names %s instead', (zone, instead) => {
    const error = errorOf({ timezone: zone, 'keep-daily': '7' });
    expect(error.input).toBe('timezone');
    expect(error.message).toBe(
      `Input 'timezone' has an invalid value '${zone}': expected an IANA time zone name (Area/Location) or UTC, not an abbreviation or legacy alias, which is ambiguous or ignores daylight saving time: for ${zone} use ${instead}.`,
    );
  });

  it.each(['Cuba', 'Egypt', 'Turkey', 'SystemV/EST5'])(
    'refuses the legacy alias %s with the general advice',
    (zone) => {
      expect(errorOf({ timezone: zone }).message).toBe(
        `Input 'timezone' has an invalid value '${zone}': expected an IANA time zone name (Area/Location) or UTC, not an abbreviation or legacy alias, which is ambiguous or ignores daylight saving time: use an Area/Location name such as Europe/Berlin or America/New_York.`,
      );
    },
  );

  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['America/New_York', 'America/New_York'],
    ['America/Argentina/Buenos_Aires', undefined],
    ['US/Eastern', undefined],
  ])('accepts %s, an Area/Location name, UTC or a fixed offset asked for by name', (zone, as) => {
    const timeZone = read({ timezone: zone, 'keep-daily': '7' }).rules.calendar?.timeZone;
    if (as !== undefined) expect(timeZone).toBe(as);
    // A link is kept in the runtime's canonical spelling, which differs between ICU versions.
    else expect(timeZone).toMatch(/^[A-Z][A-Za-z_]+\/[A-Za-z_/]+$/);
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

describe('readConfig for copies', () => {
  const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const EU_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const AP_ARN = 'arn:aws:kms:ap-northeast-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef';
  const regions = 'eu-west-1\nap-northeast-1';

  it('has no copy config without copy-to-regions', () => {
    expect(read({}).copy).toBeUndefined();
  });

  it('splits copy-to-regions on commas and newlines, trims and removes duplicates', () => {
    const config = read({ 'copy-to-regions': ' eu-west-1,\nap-northeast-1\n\neu-west-1 ,' });
    expect(config.copy?.regions).toEqual(['eu-west-1', 'ap-northeast-1']);
  });

  it('keeps copies by the source rules when neither copy-generations nor copy-keep-within is set', () => {
    const config = read({ 'copy-to-regions': 'eu-west-1', 'keep-within': '50d' });
    expect(config.copy).toEqual({
      regions: ['eu-west-1'],
      rules: { generations: 5, keepWithinMs: 50 * 86_400_000 },
      kmsKeyIds: {},
      optionGroups: {},
    });
  });

  it('keeps copies by their own rules alone when one of them is set', () => {
    expect(read({ 'copy-to-regions': 'eu-west-1', 'copy-keep-within': '1d' }).copy?.rules).toEqual({
      generations: undefined,
      keepWithinMs: 86_400_000,
    });
    expect(read({ 'copy-to-regions': 'eu-west-1', 'copy-generations': '2' }).copy?.rules).toEqual({
      generations: 2,
      keepWithinMs: undefined,
    });
  });

  it('keeps copies by the source calendar rules, in the same time zone, when no copy rule is set', () => {
    const config = read({
      'copy-to-regions': 'eu-west-1',
      'keep-daily': '7',
      timezone: 'Asia/Tokyo',
    });
    expect(config.copy?.rules).toEqual({
      generations: 5,
      calendar: { daily: 7, timeZone: 'Asia/Tokyo' },
    });
  });

  it('keeps copies by their own calendar rules alone when one of them is set', () => {
    const config = read({
      'copy-to-regions': 'eu-west-1',
      'keep-daily': '7',
      'copy-keep-weekly': '4',
      'copy-keep-monthly': '3',
      timezone: 'Europe/Berlin',
    });
    expect(config.copy?.rules).toEqual({
      calendar: { weekly: 4, monthly: 3, timeZone: 'Europe/Berlin' },
    });
    expect(config.rules.calendar).toEqual({ daily: 7, timeZone: 'Europe/Berlin' });
  });

  it('uses a single copy-kms-key-id for every destination region', () => {
    const config = read({ 'copy-to-regions': regions, 'copy-kms-key-id': ` ${KEY} ` });
    expect(config.copy?.kmsKeyIds).toEqual({ 'eu-west-1': KEY, 'ap-northeast-1': KEY });
    const alias = read({ 'copy-to-regions': regions, 'copy-kms-key-id': 'alias/backup' });
    expect(alias.copy?.kmsKeyIds).toEqual({
      'eu-west-1': 'alias/backup',
      'ap-northeast-1': 'alias/backup',
    });
  });

  it('accepts a single key ARN when it is of the only destination region', () => {
    const config = read({ 'copy-to-regions': 'eu-west-1', 'copy-kms-key-id': EU_ARN });
    expect(config.copy?.kmsKeyIds).toEqual({ 'eu-west-1': EU_ARN });
  });

  it('reads region=key lines, and leaves a region without a line to the default key', () => {
    const both = read({
      'copy-to-regions': regions,
      'copy-kms-key-id': `eu-west-1=${EU_ARN}\n ap-northeast-1 = ${AP_ARN}\n`,
    });
    expect(both.copy?.kmsKeyIds).toEqual({ 'eu-west-1': EU_ARN, 'ap-northeast-1': AP_ARN });
    const one = read({ 'copy-to-regions': regions, 'copy-kms-key-id': 'ap-northeast-1=alias/dr' });
    expect(one.copy?.kmsKeyIds).toEqual({ 'ap-northeast-1': 'alias/dr' });
  });

  it.each([
    ['copy-to-regions', { 'copy-to-regions': 'eu-west-1,Mars' }],
    ['copy-to-regions', { 'copy-to-regions': 'eu-west' }],
    ['copy-generations', { 'copy-generations': '2' }],
    ['copy-keep-within', { 'copy-keep-within': '1d' }],
    ['copy-kms-key-id', { 'copy-kms-key-id': KEY }],
    ['copy-keep-hourly', { 'copy-keep-hourly': '24' }],
    ['copy-keep-daily', { 'copy-keep-daily': '7' }],
    ['copy-keep-weekly', { 'copy-keep-weekly': '4' }],
    ['copy-keep-monthly', { 'copy-keep-monthly': '12' }],
    ['copy-keep-yearly', { 'copy-keep-yearly': '2' }],
    ['copy-keep-daily', { 'copy-to-regions': 'eu-west-1', 'copy-keep-daily': '0' }],
    ['copy-keep-yearly', { 'copy-to-regions': 'eu-west-1', 'copy-keep-yearly': 'two' }],
    ['copy-generations', { 'copy-to-regions': 'eu-west-1', 'copy-generations': '0' }],
    ['copy-generations', { 'copy-to-regions': 'eu-west-1', 'copy-generations': 'two' }],
    ['copy-keep-within', { 'copy-to-regions': 'eu-west-1', 'copy-keep-within': '1 day' }],
    ['copy-kms-key-id', { 'copy-to-regions': 'eu-west-1', 'copy-kms-key-id': 'not-a-key' }],
    ['copy-kms-key-id', { 'copy-to-regions': regions, 'copy-kms-key-id': 'eu-west-1=' }],
    ['copy-kms-key-id', { 'copy-to-regions': regions, 'copy-kms-key-id': `${KEY}\n${KEY}` }],
    ['copy-kms-key-id', { 'copy-to-regions': regions, 'copy-kms-key-id': 'eu-west-1=bad key' }],
    [
      'copy-kms-key-id',
      { 'copy-to-regions': regions, 'copy-kms-key-id': 'eu-west-1=alias/a\neu-west-1=alias/b' },
    ],
  ])('refuses a bad %s (%j) with an error naming it', refusedNaming);

  it('refuses a copy-* input without copy-to-regions and names copy-to-regions', () => {
    const error = errorOf({ 'copy-keep-within': '1d' });
    expect(error.input).toBe('copy-keep-within');
    expect(error.message).toBe(
      "Input 'copy-keep-within' is set but 'copy-to-regions' is empty: name the regions to copy to, or remove 'copy-keep-within'.",
    );
  });

  it('refuses the source region as a destination', () => {
    const error = errorOf({ region: 'eu-west-1', 'copy-to-regions': 'us-east-1\neu-west-1' });
    expect(error.input).toBe('copy-to-regions');
    expect(error.message).toMatch(
      /^Input 'copy-to-regions' has an invalid value 'eu-west-1': expected regions other than the source region eu-west-1/,
    );
  });

  it('refuses a region=key line for a region that is not in copy-to-regions, and lists them', () => {
    const error = errorOf({
      'copy-to-regions': regions,
      'copy-kms-key-id': `eu-west-1=${EU_ARN}\nus-west-2=alias/dr`,
    });
    expect(error.input).toBe('copy-kms-key-id');
    expect(error.message).toBe(
      "Input 'copy-kms-key-id' has an invalid value 'us-west-2=alias/dr': expected regions listed in 'copy-to-regions' (eu-west-1, ap-northeast-1).",
    );
  });

  it('refuses a key ARN of another region than its destination', () => {
    const single = errorOf({ 'copy-to-regions': regions, 'copy-kms-key-id': EU_ARN });
    expect(single.input).toBe('copy-kms-key-id');
    expect(single.message).toContain(
      'expected a key of the destination region ap-northeast-1 (this ARN is of eu-west-1)',
    );
    const line = errorOf({
      'copy-to-regions': regions,
      'copy-kms-key-id': `ap-northeast-1=${EU_ARN}`,
    });
    expect(line.input).toBe('copy-kms-key-id');
    expect(line.message).toContain(`'ap-northeast-1=${EU_ARN}'`);
    expect(line.message).toContain('this ARN is of eu-west-1');
  });
});

describe('readConfig copy-option-group (rds-instance)', () => {
  const regions = 'eu-west-1\nap-northeast-1';
  const rds = (values: Record<string, string>) =>
    read({ 'target-type': 'rds-instance', 'resource-id': 'prod-db', ...values });
  const rdsError = (values: Record<string, string>) =>
    errorOf({ 'target-type': 'rds-instance', 'resource-id': 'prod-db', ...values });

  it('gives one option group name to every destination region', () => {
    const config = rds({ 'copy-to-regions': regions, 'copy-option-group': ' og-dr-mysql8 ' });
    expect(config.copy?.optionGroups).toEqual({
      'eu-west-1': 'og-dr-mysql8',
      'ap-northeast-1': 'og-dr-mysql8',
    });
  });

  it('reads region=name lines, and leaves a region without a line to the default option group', () => {
    const both = rds({
      'copy-to-regions': regions,
      'copy-option-group': 'eu-west-1=og-eu\n ap-northeast-1 = og-tokyo \n',
    });
    expect(both.copy?.optionGroups).toEqual({ 'eu-west-1': 'og-eu', 'ap-northeast-1': 'og-tokyo' });
    const one = rds({ 'copy-to-regions': regions, 'copy-option-group': 'ap-northeast-1=og-tokyo' });
    expect(one.copy?.optionGroups).toEqual({ 'ap-northeast-1': 'og-tokyo' });
  });

  it('keeps the KMS keys and option groups apart when both are given as region lines', () => {
    const config = rds({
      'copy-to-regions': regions,
      'copy-kms-key-id': 'eu-west-1=alias/dr',
      'copy-option-group': 'eu-west-1=og-eu',
    });
    expect(config.copy?.kmsKeyIds).toEqual({ 'eu-west-1': 'alias/dr' });
    expect(config.copy?.optionGroups).toEqual({ 'eu-west-1': 'og-eu' });
  });

  it.each([
    ['ebs-volume', VOL],
    ['ec2-image', 'i-0123456789abcdef0'],
    ['rds-cluster', 'aurora-1'],
  ])('refuses copy-option-group for %s, whose copies take no option group', (targetType, id) => {
    const error = errorOf({
      'target-type': targetType,
      'resource-id': id,
      'copy-to-regions': 'eu-west-1',
      'copy-option-group': 'og-dr',
    });
    expect(error.input).toBe('copy-option-group');
    expect(error.message).toBe(
      "Input 'copy-option-group' applies to 'target-type: rds-instance' only (DB cluster snapshot copies take no option group); remove it.",
    );
  });

  it('refuses copy-option-group without copy-to-regions and names copy-to-regions', () => {
    const error = rdsError({ 'copy-option-group': 'og-dr' });
    expect(error.input).toBe('copy-option-group');
    expect(error.message).toBe(
      "Input 'copy-option-group' is set but 'copy-to-regions' is empty: name the regions to copy to, or remove 'copy-option-group'.",
    );
  });

  it.each([
    ['1-starts-with-a-digit'],
    ['double--hyphen'],
    ['trailing-hyphen-'],
    ['under_score'],
    ['default:mysql-8-0'],
    [`o${'g'.repeat(255)}`],
    ['eu-west-1='],
    ['og-a\nog-b'],
    ['eu-west-1=og-a\neu-west-1=og-b'],
    ['us-west-2=og-elsewhere'],
  ])('refuses the copy-option-group %j with an error naming the input', (value) => {
    const error = rdsError({ 'copy-to-regions': regions, 'copy-option-group': value });
    expect(error.input).toBe('copy-option-group');
    expect(error.message).toMatch(/^Input 'copy-option-group' has an invalid value '/);
  });

  it('says what an option group name looks like', () => {
    const error = rdsError({ 'copy-to-regions': 'eu-west-1', 'copy-option-group': 'og_dr' });
    expect(error.message).toBe(
      "Input 'copy-option-group' has an invalid value 'og_dr': expected an option group name (letters, digits and single hyphens, a letter first), or region=name lines.",
    );
  });

  it('accepts a name of 255 characters', () => {
    const name = `o${'g'.repeat(254)}`;
    expect(
      rds({ 'copy-to-regions': 'eu-west-1', 'copy-option-group': name }).copy?.optionGroups,
    ).toEqual({ 'eu-west-1': name });
  });
});

describe('readConfig SNAPSHOT_ROTATION_TIME_SCALE', () => {
  const env = (value: string | undefined): NodeJS.ProcessEnv => ({
    AWS_REGION: 'us-east-1',
    ...(value === undefined ? {} : { SNAPSHOT_ROTATION_TIME_SCALE: value }),
  });

  it('scales the action’s own delays by 1 (AWS’s pace) unless the variable says otherwise', () => {
    expect(read({}, env(undefined)).timeScale).toBe(1);
    expect(read({}, env(' ')).timeScale).toBe(1);
    expect(read({}, env('0.01')).timeScale).toBe(0.01);
    expect(read({}, env('1')).timeScale).toBe(1);
  });

  it.each(['0', '-0.5', '1.5', 'fast', 'NaN', 'Infinity'])(
    'refuses %j with an error naming the variable and what it allows',
    (value) => {
      const error = errorOf({}, env(value));
      expect(error.input).toBe('SNAPSHOT_ROTATION_TIME_SCALE');
      expect(error.message).toBe(
        `Environment variable 'SNAPSHOT_ROTATION_TIME_SCALE' has an invalid value '${value}': expected a number above 0 and at most 1 (1, the default, waits as AWS needs).`,
      );
    },
  );
});

describe('readConfig tags limit', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join('\n');

  it('accepts 41 user tags, leaving room for the 9 tags the action sets (quiesced copy, provenance)', () => {
    expect(Object.keys(read({ tags: lines(41) }).tags)).toHaveLength(41);
  });

  it('refuses 42 user tags and names the limit', () => {
    const error = errorOf({ tags: lines(42) });
    expect(error.input).toBe('tags');
    expect(error.message).toBe(
      "Input 'tags' has an invalid value '42 tags': expected at most 41 tags.",
    );
  });
});

// Malformed inputs that the integration catalogue (inputs-catalogue.test.ts) found accepted.
describe('readConfig refuses what an operator surely did not mean', () => {
  const RDS = { 'target-type': 'rds-instance', 'resource-id': 'prod-db' };

  it('refuses an EC2 id for an RDS target and points at target-type', () => {
    for (const [targetType, id] of [
      ['rds-instance', VOL],
      ['rds-cluster', 'i-0123456789abcdef0'],
      ['rds-instance', 'snap-01234567'],
      ['rds-cluster', 'ami-0123456789abcdef0'],
    ] as const) {
      const error = errorOf({ 'target-type': targetType, 'resource-id': id });
      expect(error.input).toBe('resource-id');
      expect(error.message).toBe(
        `Input 'resource-id' has an invalid value '${id}': expected ids of ${targetType} resources such as ${targetType === 'rds-instance' ? 'prod-db' : 'prod-aurora'} (this is an EC2 id: check 'target-type').`,
      );
    }
    // DB identifiers that merely start like one stay valid.
    expect(read({ ...RDS, 'resource-id': 'i-prod, vol-archive' }).resourceIds).toEqual([
      'i-prod',
      'vol-archive',
    ]);
  });

  it.each(['tags', 'resource-tags'])('refuses comma-separated pairs on one %s line', (input) => {
    const error = errorOf({ [input]: 'Team=data, Env=prod' });
    expect(error.input).toBe(input);
    expect(error.message).toBe(
      `Input '${input}' has an invalid value 'Team=data, Env=prod': expected one Key=Value pair per line (separate pairs by newlines, not commas).`,
    );
    // Commas and `=` in a value are fine on their own.
    expect(
      read({ [input]: 'Owners=ann, bob\nQuery=a=1&b=2' })[
        input === 'tags' ? 'tags' : 'resourceTags'
      ],
    ).toEqual({
      Owners: 'ann, bob',
      Query: 'a=1&b=2',
    });
  });

  it('refuses more resource-tags than a resource can carry (50)', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join('\n');
    expect(Object.keys(read({ 'resource-tags': lines(50) }).resourceTags)).toHaveLength(50);
    const error = errorOf({ 'resource-tags': lines(51) });
    expect(error.input).toBe('resource-tags');
    expect(error.message).toBe(
      "Input 'resource-tags' has an invalid value '51 tags': expected at most 50 tags (no resource carries more, so none would match).",
    );
  });

  it.each([
    'us-east-1',
    'ap-southeast-7',
    'il-central-1',
    'mx-central-1',
    'cn-northwest-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'us-isof-south-1',
    'eu-isoe-west-1',
    'eusc-de-east-1',
  ])('accepts the region %s of an AWS partition', (region) => {
    expect(read({ region }).region).toBe(region);
  });

  it.each(['zz-east-1', 'us-east-1a', 'useast-1', 'us-east-100', 'mars-1', 'eu-west1'])(
    'refuses the region %s, which is of no AWS partition',
    (region) => {
      const error = errorOf({ region });
      expect(error.input).toBe('region');
      expect(error.message).toBe(
        `Input 'region' has an invalid value '${region}': expected a region name such as us-east-1 or ap-northeast-1.`,
      );
    },
  );

  it('says when an invalid region came from the environment', () => {
    expect(errorOf({}, { AWS_REGION: 'garbage' }).message).toBe(
      "Input 'region' has an invalid value 'garbage' (from AWS_REGION): expected a region name such as us-east-1 or ap-northeast-1.",
    );
    expect(errorOf({}, { AWS_DEFAULT_REGION: 'us-east' }).message).toContain(
      "'us-east' (from AWS_DEFAULT_REGION)",
    );
  });

  it('refuses copies to another partition and accepts them within one', () => {
    const error = errorOf({ 'copy-to-regions': 'eu-west-1\ncn-north-1' });
    expect(error.input).toBe('copy-to-regions');
    expect(error.message).toBe(
      "Input 'copy-to-regions' has an invalid value 'cn-north-1': expected regions of the source region's partition (us-east-1 is in aws, cn-north-1 in aws-cn; AWS copies no backup across partitions).",
    );
    expect(errorOf({ 'copy-to-regions': 'us-gov-west-1' }).input).toBe('copy-to-regions');
    const gov = read({
      region: 'us-gov-west-1',
      'copy-to-regions': 'us-gov-east-1',
      'copy-kms-key-id':
        'arn:aws-us-gov:kms:us-gov-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef',
    });
    expect(gov.copy?.regions).toEqual(['us-gov-east-1']);
    expect(Object.keys(gov.copy?.kmsKeyIds ?? {})).toEqual(['us-gov-east-1']);
    expect(
      read({ region: 'cn-north-1', 'copy-to-regions': 'cn-northwest-1' }).copy?.regions,
    ).toEqual(['cn-northwest-1']);
  });

  it.each(['Snapshot-Rotation:keep=true', 'SNAPSHOT-ROTATION:backup-set=x', 'Aws:owner=me'])(
    'refuses the reserved tag prefix in any case (%s)',
    (line) => {
      const error = errorOf({ tags: line });
      expect(error.input).toBe('tags');
      expect(error.message).toContain(
        "expected keys that do not start with 'aws:' or 'snapshot-rotation:'",
      );
    },
  );

  it.each(['rds-instance', 'rds-cluster'])(
    'refuses tags that %s snapshots cannot carry',
    (targetType) => {
      const rds = { 'target-type': targetType, 'resource-id': 'prod-db' };
      for (const tags of ['Owner=R&D', 'Cost(center)=42', 'Note=50%', 'Team=a;b', 'Ticket#=1']) {
        const error = errorOf({ ...rds, tags });
        expect(error.input).toBe('tags');
        expect(error.message).toBe(
          `Input 'tags' has an invalid value '${tags}': expected only letters, digits, spaces and _ . : / = + - @ for target-type ${targetType} (all that RDS tags can carry).`,
        );
      }
      for (const tags of ['rds:owner=me', 'Owner=rds:me', 'Owner=aws:me', 'RDS:owner=me']) {
        const error = errorOf({ ...rds, tags });
        expect(error.input).toBe('tags');
        expect(error.message).toContain(
          "expected keys and values that do not start with 'aws:' or 'rds:'",
        );
      }
      // What RDS does allow, Unicode letters and spaces included.
      const allowed = 'Owner=Zoë Müller\nPath=/a/b:c\nMail=ops+db@example.com\n部署=データ基盤';
      expect(Object.keys(read({ ...rds, tags: allowed }).tags)).toHaveLength(4);
    },
  );

  it('leaves EC2 tags free of RDS rules', () => {
    expect(read({ tags: 'Owner=R&D\nrds:owner=me' }).tags).toEqual({
      Owner: 'R&D',
      'rds:owner': 'me',
    });
  });

  it.each(['ebs-volume', 'rds-instance', 'rds-cluster'])(
    'refuses no-reboot false for %s, which never reboots',
    (targetType) => {
      const resourceId = targetType === 'ebs-volume' ? VOL : 'prod-db';
      const error = errorOf({
        'target-type': targetType,
        'resource-id': resourceId,
        'no-reboot': 'false',
      });
      expect(error.input).toBe('no-reboot');
      expect(error.message).toBe(
        `Input 'no-reboot' is false, but only target-type ec2-image reboots (for a file-system-consistent image); target-type ${targetType} never reboots anything: remove 'no-reboot'.`,
      );
      // The default (true) is fine everywhere.
      expect(
        read({ 'target-type': targetType, 'resource-id': resourceId, 'no-reboot': 'true' })
          .noReboot,
      ).toBe(true);
    },
  );
});
