// The inputs of `target-type: files` (src/files-inputs.ts) as readConfig reads them: what they
// become, the defaults the runner passes, and the inputs refused on the wrong side.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/constants.js';
import { InputError } from '../../src/errors.js';
import { readConfig } from '../../src/inputs.js';

const FILES = {
  'target-type': 'files',
  'resource-id': 'app-data',
  path: '/data/**',
  bucket: 'my-backups',
  generations: '7',
};

/** readConfig as the runner calls it: every input's default, then the step's values. */
const read = (values: Record<string, string>) =>
  readConfig((name) => ({ ...DEFAULTS, ...values })[name] ?? '', {
    AWS_REGION: 'eu-west-1',
    GITHUB_WORKSPACE: '/home/runner/work/app',
  });

function refusal(values: Record<string, string>): InputError {
  try {
    read(values);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('the files inputs', () => {
  it('reads a file set with the defaults the runner passes', () => {
    expect(read(FILES).files).toEqual({
      patterns: '/data/**',
      workspace: '/home/runner/work/app',
      bucket: 'my-backups',
      prefix: 'snapshot-rotation/',
      storageClass: 'GLACIER_IR',
      followSymbolicLinks: false,
      packThresholdBytes: 256 * 1024,
      allowEarlyDelete: false,
    });
  });

  it('reads the restore inputs, sizes and a prefix without its slash', () => {
    const files = read({
      ...FILES,
      prefix: 'backups',
      'storage-class': 'deep_archive',
      'pack-threshold': '64KiB',
      'restore-to': 'restored',
      'restore-backup': 'latest',
      'restore-tier': 'bulk',
      'restore-days': '3',
    }).files;
    expect(files).toMatchObject({
      prefix: 'backups/',
      storageClass: 'DEEP_ARCHIVE',
      packThresholdBytes: 65536,
      restore: { to: 'restored', backup: 'latest', tier: 'Bulk', days: 3 },
    });
  });

  it.each([
    [{ bucket: '' }, 'bucket', /is required/],
    [{ bucket: 'My_Bucket' }, 'bucket', /S3 bucket name/],
    [{ path: '' }, 'path', /is required/],
    [{ path: '# only a comment\n!*.tmp' }, 'path', /is required/],
    [{ 'storage-class': 'REDUCED_REDUNDANCY' }, 'storage-class', /one of STANDARD, STANDARD_IA/],
    [{ 'pack-threshold': '1MiB' }, 'pack-threshold', /under 1MiB/],
    [{ 'pack-threshold': 'big' }, 'pack-threshold', /under 1MiB/],
    [{ prefix: '/abs/' }, 'prefix', /no leading/],
    [{ 'resource-id': 'a,b' }, 'resource-id', /one file set a step/],
    [{ 'resource-id': 'a/b' }, 'resource-id', /app-data/],
    [{ 'copy-to-regions': 'us-west-2' }, 'copy-to-regions', /S3 replication/],
    [{ 'no-reboot': 'false' }, 'no-reboot', /does not apply to 'target-type: files'/],
    [{ 'resource-tags': 'Team=db' }, 'resource-tags', /does not apply/],
    [{ tags: 'Team=db' }, 'tags', /does not apply/],
    [{ wait: 'false' }, 'wait', /does not apply/],
    [{ 'restore-to': 'out', 'restore-tier': 'Fast' }, 'restore-tier', /Expedited, Standard, Bulk/],
  ])('refuses %o, naming %s', (values, input, message) => {
    const error = refusal({ ...FILES, ...values });
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`'${input}'`);
  });

  it.each([
    ['bucket', 'my-backups'],
    ['path', '/data/**'],
    ['storage-class', 'GLACIER'],
    ['restore-to', 'out'],
    ['allow-early-delete', 'true'],
  ])('refuses %s for a snapshot target type', (input, value) => {
    const error = refusal({
      'target-type': 'ebs-volume',
      'resource-id': 'vol-0123456789abcdef0',
      generations: '3',
      [input]: value,
    });
    expect(error.input).toBe(input);
    expect(error.message).toMatch(/applies to 'target-type: files' only/);
  });

  it('gives snapshot targets no files configuration', () => {
    const config = read({
      'target-type': 'ebs-volume',
      'resource-id': 'vol-0123456789abcdef0',
      generations: '3',
    });
    expect(config.files).toBeUndefined();
  });
});
