import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunks } from '../../src/chunks.js';

describe('chunks', () => {
  it('splits a list in order into chunks of at most the size, only the last smaller', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.integer({ min: 1, max: 10 }), (items, size) => {
        const parts = chunks(items, size);
        expect(parts.flat()).toEqual(items);
        expect(parts.slice(0, -1).every((part) => part.length === size)).toBe(true);
        expect(parts.every((part) => part.length >= 1 && part.length <= size)).toBe(true);
      }),
    );
  });

  it('refuses a size that holds nothing', () => {
    expect(() => chunks([1], 0)).toThrow(RangeError);
    expect(() => chunks([1], 1.5)).toThrow(RangeError);
  });
});
