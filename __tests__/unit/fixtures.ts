/** The records and constants the unit tests share. */
import { createHash } from 'node:crypto';
import { TAGS } from '../../src/constants.js';
import type { Backup, BackupState } from '../../src/model.js';

export const NOW = new Date('2026-11-22T12:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Three EBS volumes. */
export const A = 'vol-0aaaaaaaaaaaaaaaa';
export const B = 'vol-0bbbbbbbbbbbbbbbb';
export const C = 'vol-0cccccccccccccccc';

/** The source region, and two `copy-to-regions` destinations. */
export const HOME = 'us-east-1';
export const EU = 'eu-west-1';
export const AP = 'ap-northeast-1';

/** A backup of the `default` set of vol-1 in the home region, `ageMs` old at NOW. */
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
    region: HOME,
    sourceId,
    set,
    createdAt: new Date(NOW.getTime() - ageMs),
    state: 'completed',
    ...overrides,
    tags: { [TAGS.backupSet]: set, [TAGS.source]: sourceId, ...overrides.tags },
  };
}

/** Backups `snap-1` … `snap-<days>` of `sourceId` (A unless given), made 1 … `days` days ago. */
export function dailyBackups(days: number, sourceId = A): Backup[] {
  return Array.from({ length: days }, (_, i) =>
    backup(`snap-${i + 1}`, (i + 1) * DAY, { sourceId }),
  );
}

/** A copy in `region` of `of`, made by a run in `sourceRegion` (the home region unless given). */
export function copyIn(
  region: string,
  id: string,
  of: string,
  ageMs: number,
  options: { sourceId?: string; state?: Backup['state']; sourceRegion?: string } = {},
): Backup {
  const sourceRegion = options.sourceRegion ?? HOME;
  return backup(id, ageMs, {
    sourceId: options.sourceId ?? A,
    region,
    state: options.state ?? 'completed',
    copyOf: of,
    sourceRegion,
    tags: { [TAGS.copyOf]: of, [TAGS.sourceRegion]: sourceRegion },
  });
}

/** The SHA-256 of `text`, in hex. */
export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
