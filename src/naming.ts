/**
 * Names of new backups, derived from set, source and time, within each service's rules. Pure.
 */
import { createHash } from 'node:crypto';

/**
 * A unique, valid AMI name (3–128 characters of letters, digits and `()[] ./-'@_`):
 * `snapshot-rotation-<set>-<instance>-<UTC time to the millisecond>`.
 */
export function imageName(set: string, instanceId: string, createdAt: Date): string {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '');
  return `snapshot-rotation-${set}-${instanceId}-${stamp}`.slice(0, 128);
}

/**
 * A valid RDS snapshot identifier: `sr-<set>-<source>-<yyyymmdd-hhmmss-mmm>`, lower case, letters,
 * digits and single hyphens, starting with a letter, at most `maxLength` characters (255 for DB
 * snapshots, 63 for cluster snapshots). When set and source do not fit, they are shortened and a
 * hash of the full pair keeps the identifier unique.
 */
export function rdsSnapshotIdentifier(
  set: string,
  sourceId: string,
  createdAt: Date,
  maxLength: number,
): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace('.', '-')
    .replace('Z', '');
  let middle = hyphenate(`${set}-${sourceId}`);
  const room = maxLength - 'sr-'.length - 1 - stamp.length - 1;
  if (middle.length > room) {
    const hash = createHash('sha256').update(`${set}\u0000${sourceId}`).digest('hex').slice(0, 8);
    middle = `${hyphenate(middle.slice(0, room - hash.length - 1))}-${hash}`;
  }
  return `sr-${middle}-${stamp}`;
}

/** Lower case, every run of other characters as one hyphen, none at either end. */
function hyphenate(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
