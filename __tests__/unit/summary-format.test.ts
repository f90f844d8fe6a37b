// How the summary writes times, ages, durations, sizes and counts (src/summary-format.ts).
import { describe, expect, it } from 'vitest';
import {
  awsStateWord,
  count,
  formatAge,
  formatGiB,
  formatRunDuration,
  formatTime,
} from '../../src/summary-format.js';

describe('formatTime', () => {
  it('writes a moment to the minute in the zone, with its abbreviation or offset', () => {
    const at = '2026-11-29T23:00:59.999Z';
    expect(formatTime(at, 'Asia/Tokyo')).toBe('2026-11-30 08:00 UTC+9');
    expect(formatTime(at, 'America/New_York')).toBe('2026-11-29 18:00 EST');
    expect(formatTime('2026-07-01T12:00:00.000Z', 'America/New_York')).toBe('2026-07-01 08:00 EDT');
    expect(formatTime(at, 'Asia/Kolkata')).toBe('2026-11-30 04:30 UTC+5:30');
    expect(formatTime(at, 'UTC')).toBe('2026-11-29 23:00 UTC');
  });

  it('falls back to UTC for an unknown zone and shows an unreadable time as given', () => {
    expect(formatTime('2026-11-29T23:00:00.000Z', 'Not/AZone')).toBe('2026-11-29 23:00 UTC');
    expect(formatTime('yesterday', 'UTC')).toBe('yesterday');
  });
});

describe('formatAge', () => {
  const end = '2026-11-30T12:00:00.000Z';
  it.each([
    ['2026-11-30T11:59:30.000Z', 'just now'],
    ['2026-11-30T12:00:30.000Z', 'just now'],
    ['2026-11-30T11:48:00.000Z', '12 min ago'],
    ['2026-11-30T09:00:00.000Z', '3 h ago'],
    ['2026-11-28T13:00:00.000Z', '47 h ago'],
    ['2026-11-28T12:00:00.000Z', '2 d ago'],
  ])('%s is %s at the run’s end', (at, age) => {
    expect(formatAge(at, end)).toBe(age);
  });
});

describe('the other words of the summary', () => {
  it('writes durations, sizes and counts for people', () => {
    expect(formatRunDuration(12_400)).toBe('12 s');
    expect(formatRunDuration(185_000)).toBe('3 min 05 s');
    expect(formatRunDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatGiB(8)).toBe('8 GiB');
    expect(formatGiB(0.46)).toBe('0.5 GiB');
    expect(formatGiB(16384)).toBe('16,384 GiB');
    expect(count(1, 'backup')).toBe('1 backup');
    expect(count(0, 'backup')).toBe('0 backups');
    expect(count(2, 'copy', 'copies')).toBe('2 copies');
  });

  it('uses the word AWS shows for a state, by target type', () => {
    expect(awsStateWord('ebs-volume', 'completed')).toBe('completed');
    expect(awsStateWord('ec2-instance', 'failed')).toBe('error');
    expect(awsStateWord('ec2-image', 'completed')).toBe('available');
    expect(awsStateWord('rds-cluster', 'completed')).toBe('available');
    expect(awsStateWord('rds-instance', 'pending')).toBe('creating');
  });
});
