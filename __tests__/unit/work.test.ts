import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bySource } from '../../src/work.js';
import { arbitraryListing } from './arbitraries.js';

describe('bySource', () => {
  it('gives each source exactly its backups, in listing order, and nothing to an unknown source', () => {
    fc.assert(
      fc.property(arbitraryListing({ maxLength: 60 }), (listing) => {
        const of = bySource(listing);
        for (const source of ['vol-a', 'vol-b', 'vol-c', 'vol-none']) {
          expect(of(source)).toEqual(listing.filter((b) => b.sourceId === source));
        }
      }),
    );
  });
});
