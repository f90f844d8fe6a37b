import { describe, expect, it } from 'vitest';
import { createdAtOf } from '../../src/targets/tags.js';

describe('createdAtOf', () => {
  const aws = new Date('2026-11-22T12:00:00Z');
  const reading = new Date('2026-11-29T00:00:00Z');
  const now = () => reading;

  it('takes the created-at tag, which a copy carries from its original', () => {
    expect(createdAtOf('2026-10-01T00:00:00.000Z', aws, now)).toEqual(
      new Date('2026-10-01T00:00:00Z'),
    );
  });

  it('takes AWS time when the tag is missing, invalid or far in the future', () => {
    expect(createdAtOf(undefined, aws, now)).toEqual(aws);
    expect(createdAtOf('yesterday', aws, now)).toEqual(aws);
    expect(createdAtOf('2030-01-01T00:00:00.000Z', aws, now)).toEqual(aws);
  });

  it('counts a backup with neither tag nor AWS time as new, by the clock it is handed', () => {
    expect(createdAtOf(undefined, undefined, now)).toBe(reading);
    expect(createdAtOf('not a time', undefined, now)).toBe(reading);
  });

  it('allows a few minutes of clock skew', () => {
    expect(createdAtOf('2026-11-22T12:05:00.000Z', aws, now)).toEqual(
      new Date('2026-11-22T12:05:00Z'),
    );
  });
});
