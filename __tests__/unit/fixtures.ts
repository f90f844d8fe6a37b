import { TAGS } from '../../src/constants.js';
import type { Backup, BackupState } from '../../src/targets/target.js';

export const NOW = new Date('2026-11-22T12:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A backup of the `default` set of vol-1, `ageMs` old at NOW. */
export function backup(
  id: string,
  ageMs: number,
  overrides: Partial<Omit<Backup, 'tags'>> & {
    tags?: Record<string, string>;
    state?: BackupState;
  } = {},
): Backup {
  const sourceId = overrides.sourceId ?? 'vol-1';
  const set = overrides.set ?? 'default';
  return {
    id,
    kind: 'ebs-volume',
    region: 'us-east-1',
    sourceId,
    set,
    createdAt: new Date(NOW.getTime() - ageMs),
    state: 'completed',
    ...overrides,
    tags: { [TAGS.backupSet]: set, [TAGS.source]: sourceId, ...overrides.tags },
  };
}
