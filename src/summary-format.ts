/**
 * How the job summary writes values for people: times in the run's time zone with their age, run
 * durations, sizes in GiB, counted nouns, and the word AWS uses for a backup's state. Pure: the age
 * is measured against a time given in (the run's end), never the machine's clock.
 */
import type { BackupState } from './model.js';
import { wallClockFormat } from './zone-formats.js';

/**
 * A moment as the operator reads it, to the minute in the time zone with the zone's abbreviation
 * or offset: `2026-11-30 08:00 UTC+9`, `2026-11-29 18:00 EST`, `2026-11-29 23:00 UTC`. An unknown
 * zone falls back to UTC; an unreadable time is shown as given.
 */
export function formatTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format: Intl.DateTimeFormat;
  try {
    format = wallClockFormat(timeZone || 'UTC', true);
  } catch {
    format = wallClockFormat('UTC', true);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(date)) parts[part.type] = part.value;
  const zone = (parts.timeZoneName ?? 'UTC').replace(/^GMT$/, 'UTC').replace(/^GMT/, 'UTC');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone}`;
}

/** How long before `reference` a moment was: `just now`, `12 min ago`, `3 h ago`, `2 d ago`. */
export function formatAge(iso: string, reference: string): string {
  const ms = new Date(reference).getTime() - new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** A moment and its age: `2026-11-30 08:00 UTC+9, 3 h ago`. */
export function formatWhen(iso: string, timeZone: string, reference: string): string {
  const age = formatAge(iso, reference);
  return age ? `${formatTime(iso, timeZone)}, ${age}` : formatTime(iso, timeZone);
}

/** A run's length: `12 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatRunDuration(ms: number): string {
  const seconds = Math.max(Math.round(ms / 1000), 0);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A size in GiB as AWS gives it: `8 GiB`, `0.5 GiB`, `1,024 GiB`. */
export function formatGiB(size: number): string {
  const value = Number.isInteger(size) ? size : Math.round(size * 10) / 10;
  return `${value.toLocaleString('en-US')} GiB`;
}

/** `1 backup`, `2 backups`, `0 backups`; the plural given when it is not the singular plus `s`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * The word AWS shows for a backup's state, by target type: EBS snapshots are `completed`
 * (`pending`, `error`), AMIs `available` (`pending`, `failed`), RDS snapshots `available`
 * (`creating`, `failed`). The report's state is the core's generic one.
 */
export function awsStateWord(targetType: string, state: BackupState): string {
  const rds = targetType === 'rds-instance' || targetType === 'rds-cluster';
  const ebs = targetType === 'ebs-volume' || targetType === 'ec2-instance';
  if (state === 'completed') return rds || targetType === 'ec2-image' ? 'available' : 'completed';
  if (state === 'pending') return rds ? 'creating' : 'pending';
  return ebs ? 'error' : 'failed';
}
