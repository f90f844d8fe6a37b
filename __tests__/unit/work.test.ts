import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bySource } from '../../src/work.js';
import { backup, DAY } from './fixtures.js';

describe('bySource', () => {
  it('gives each source exactly its backups, in listing order, and nothing to an unknown source', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('vol-a', 'vol-b', 'vol-c'), fc.nat(100)), {
          maxLength: 60,
        }),
        (rows) => {
          const listing = rows.map(([source, age], index) =>
            backup(`snap-${index}`, age * DAY, { sourceId: source }),
          );
          const of = bySource(listing);
          for (const source of ['vol-a', 'vol-b', 'vol-c', 'vol-none']) {
            expect(of(source)).toEqual(listing.filter((b) => b.sourceId === source));
          }
        },
      ),
    );
  });
});
