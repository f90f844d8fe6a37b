// The facts read with a listing (src/listing-facts.ts): what a phase reads of a source's share is
// what its records say, however the share was changed after the split.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TAGS } from '../../src/constants.js';
import {
  concatListed,
  factsOf,
  idKey,
  pickListed,
  splitBySource,
  type ListedFacts,
} from '../../src/listing-facts.js';
import type { Backup } from '../../src/model.js';
import { arbitraryListing } from './arbitraries.js';
import { backup, DAY } from './fixtures.js';

/** The facts read straight from the records: what a remembered share must give. */
function readFromRecords(backups: readonly Backup[]): ListedFacts {
  return {
    times: backups.map((b) => b.createdAt.getTime()),
    ids: backups.map((b) => b.id),
    idKeys: backups.map((b) => idKey(b.id)),
    states: backups.map((b) => b.state),
    protections: backups.map((b) => b.tags[TAGS.keep]?.trim().toLowerCase() === 'true'),
    runs: backups.map((b) => b.tags[TAGS.run]),
    copyOfs: backups.map((b) => b.copyOf),
    copyOfKeys: backups.map((b) => (b.copyOf ? idKey(b.copyOf) : -1)),
  };
}

const plain = (facts: ListedFacts): ListedFacts => ({
  times: [...facts.times],
  ids: [...facts.ids],
  idKeys: [...facts.idKeys],
  states: [...facts.states],
  protections: [...facts.protections],
  runs: [...facts.runs],
  copyOfs: [...facts.copyOfs],
  copyOfKeys: [...facts.copyOfKeys],
});

describe('splitBySource', () => {
  it('gives each source its backups in listing order, with their facts', () => {
    const listing = [
      backup('snap-1', 1 * DAY, { sourceId: 'vol-a', tags: { [TAGS.run]: '7' } }),
      backup('snap-2', 2 * DAY, { sourceId: 'vol-b', state: 'failed' }),
      backup('snap-3', 3 * DAY, { sourceId: 'vol-a', tags: { [TAGS.keep]: ' TRUE ' } }),
      backup('snap-4', 4 * DAY, { sourceId: 'vol-a', copyOf: 'snap-0', sourceRegion: 'x' }),
    ];
    const shares = splitBySource(listing);
    expect([...shares.keys()]).toEqual(['vol-a', 'vol-b']);
    const a = shares.get('vol-a') ?? [];
    expect(a.map((b) => b.id)).toEqual(['snap-1', 'snap-3', 'snap-4']);
    expect(plain(factsOf(a))).toEqual({
      times: a.map((b) => b.createdAt.getTime()),
      ids: ['snap-1', 'snap-3', 'snap-4'],
      idKeys: ['snap-1', 'snap-3', 'snap-4'].map(idKey),
      states: ['completed', 'completed', 'completed'],
      protections: [false, true, false],
      runs: ['7', undefined, undefined],
      copyOfs: [undefined, undefined, 'snap-0'],
      copyOfKeys: [-1, -1, idKey('snap-0')],
    });
    expect(plain(factsOf(shares.get('vol-b') ?? []))).toMatchObject({ states: ['failed'] });
  });

  it('gives the facts of records appended to a share, and of a share changed in place', () => {
    const listing = [
      backup('snap-1', 1 * DAY),
      backup('snap-2', 2 * DAY),
      backup('snap-3', 3 * DAY),
    ];
    const share = splitBySource(listing).get('vol-1') ?? [];
    share.push(backup('snap-9', 9 * DAY, { tags: { [TAGS.keep]: 'true' } }));
    expect(plain(factsOf(share))).toEqual(readFromRecords(share));
    share.splice(1, 1);
    expect(plain(factsOf(share))).toEqual(readFromRecords(share));
    share[0] = backup('snap-1', 5 * DAY, { state: 'pending' });
    expect(plain(factsOf(share))).toEqual(readFromRecords(share));
  });

  it("gives a share's facts, once cut out, to every later reader, unchanged", () => {
    const share = splitBySource([backup('snap-1', DAY), backup('snap-2', 2 * DAY)]).get('vol-1');
    const first = factsOf(share ?? []);
    share?.push(backup('snap-3', 3 * DAY));
    expect(factsOf(share ?? []).ids).toEqual(['snap-1', 'snap-2', 'snap-3']);
    expect(first.ids).toEqual(['snap-1', 'snap-2']);
  });

  it('pickListed carries the facts of the backups it picks, and reads those of plain arrays', () => {
    const listed = [
      backup('snap-1', DAY, { tags: { [TAGS.run]: '7' } }),
      backup('snap-2', 2 * DAY, { state: 'pending' }),
      backup('snap-3', 3 * DAY, { tags: { [TAGS.keep]: 'true' } }),
    ];
    const share = splitBySource(listed).get('vol-1') ?? [];
    const picked = pickListed(share, [2, 0]);
    expect(picked.map((b) => b.id)).toEqual(['snap-3', 'snap-1']);
    expect(plain(factsOf(picked))).toEqual(readFromRecords(picked));
    // Changed after it was picked: read again from its records.
    picked[1] = backup('snap-9', 9 * DAY, { state: 'failed' });
    expect(plain(factsOf(picked))).toEqual(readFromRecords(picked));
    expect(plain(factsOf(pickListed(listed, [1])))).toEqual(readFromRecords([listed[1] as Backup]));
  });

  it('concatListed carries the facts of a share and reads the rest', () => {
    const share = splitBySource([backup('snap-1', DAY), backup('snap-2', 2 * DAY)]).get('vol-1');
    const made = [backup('snap-new', 0, { tags: { [TAGS.run]: '42' } })];
    const all = concatListed(share ?? [], made);
    expect(all.map((b) => b.id)).toEqual(['snap-1', 'snap-2', 'snap-new']);
    expect(plain(factsOf(all))).toEqual(readFromRecords(all));
    // Not a share: read from its records.
    expect(plain(factsOf(concatListed(made, share ?? [])))).toEqual(
      readFromRecords([...made, ...(share ?? [])]),
    );
  });

  it('gives what the records say, for any listing and any change to its shares (property)', () => {
    const change = fc.constantFrom('none', 'push', 'splice', 'replace', 'concat');
    fc.assert(
      fc.property(
        arbitraryListing({ copies: true, runIds: [undefined, '1', '2'] }),
        change,
        (listing, how) => {
          const shares = splitBySource(listing);
          expect([...shares.values()].flat().length).toBe(listing.length);
          for (const [sourceId, share] of shares) {
            expect(share).toEqual(listing.filter((b) => b.sourceId === sourceId));
            let changed: Backup[] = share;
            const extra = backup('snap-extra', DAY, { sourceId, tags: { [TAGS.run]: '2' } });
            if (how === 'push') share.push(extra);
            if (how === 'splice') share.splice(0, 1);
            if (how === 'replace') share[share.length - 1] = extra;
            if (how === 'concat') changed = concatListed(share, [extra]);
            expect(plain(factsOf(changed))).toEqual(readFromRecords(changed));
          }
        },
      ),
    );
  });
});
