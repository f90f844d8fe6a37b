import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration } from '../../src/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['36h', 36 * 3_600_000],
    ['50d', 50 * 86_400_000],
    ['8w', 8 * 604_800_000],
    ['1d12h', 36 * 3_600_000],
    [' 2h ', 2 * 3_600_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 'd', '5x', '5 d', '-5d', '1.5h', '0d', '5D', '5s', '1y', 'h5'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('round-trips through formatDuration for whole minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (minutes) => {
        const ms = minutes * 60_000;
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});

describe('formatDuration', () => {
  it('uses the largest units first', () => {
    expect(formatDuration(36 * 3_600_000)).toBe('1d12h');
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(15 * 86_400_000)).toBe('2w1d');
  });

  it('words long, negative and invalid durations as it always has', () => {
    // Past the texts made once (10,000 days), and the edges: nothing for an invalid date's age.
    expect(formatDuration((10_000 * 1_440 + 61) * 60_000)).toBe('1428w4d1h1m');
    expect(formatDuration(-5 * 60_000)).toBe('0m');
    expect(formatDuration(29_999)).toBe('0m');
    expect(formatDuration(Number.NaN)).toBe('');
  });
});
