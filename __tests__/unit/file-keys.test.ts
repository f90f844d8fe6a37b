import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import {
  areaPrefix,
  contentKey,
  isContentKey,
  manifestKey,
  packKey,
  parseContentKey,
  parseManifestKey,
} from '../../src/file-keys.js';
import { arbitrarySha256 } from './arbitraries.js';
import { NOW, sha256Of } from './fixtures.js';

const AREA = 'snapshot-rotation/default/data/';
const HELLO = sha256Of('hello');

/** A time a key can name: years 0000 to 9999, to the millisecond. */
const arbitraryTime = fc
  .integer({
    min: Date.parse('0000-01-01T00:00:00.000Z'),
    max: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  })
  .map((ms) => new Date(ms))
  .filter((date) => /^\d{4}-/.test(date.toISOString()));
const arbitraryRunId = fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), { nil: undefined });

describe('areaPrefix', () => {
  it.each([
    ['snapshot-rotation/', 'snapshot-rotation/default/data/'],
    ['snapshot-rotation', 'snapshot-rotation/default/data/'],
    ['', 'default/data/'],
    ['a/b/', 'a/b/default/data/'],
  ])('puts the set and file set under the prefix %j', (prefix, area) => {
    expect(areaPrefix(prefix, 'default', 'data')).toBe(area);
  });

  it.each([
    ['default', ''],
    ['default', 'a/b'],
    ['..', 'data'],
    ['default', '.'],
  ])('refuses set %j and file set %j: one area would lie inside another', (set, fileSet) => {
    expect(() => areaPrefix('p/', set, fileSet)).toThrow(TargetError);
  });
});

describe('manifest keys', () => {
  it('name the time, sortable and URL-safe, and the run', () => {
    expect(manifestKey(AREA, NOW, '42')).toBe(
      `${AREA}manifests/2026-11-22T12-00-00-000Z-run42.json`,
    );
    expect(manifestKey(AREA, new Date('2026-01-02T03:04:05.678Z'))).toBe(
      `${AREA}manifests/2026-01-02T03-04-05-678Z.json`,
    );
  });

  it('read back as the time and run they were made of', () => {
    fc.assert(
      fc.property(arbitraryTime, arbitraryRunId, (time, runId) => {
        const parsed = parseManifestKey(manifestKey(AREA, time, runId), AREA);
        expect(parsed).toEqual(
          runId === undefined ? { createdAt: time } : { createdAt: time, runId },
        );
      }),
    );
  });

  it('sort as their times do', () => {
    fc.assert(
      fc.property(
        arbitraryTime,
        arbitraryTime,
        arbitraryRunId,
        arbitraryRunId,
        (a, b, runA, runB) => {
          fc.pre(a.getTime() !== b.getTime());
          const [keyA, keyB] = [manifestKey(AREA, a, runA), manifestKey(AREA, b, runB)];
          expect(keyA < keyB).toBe(a < b);
        },
      ),
    );
  });

  it.each([
    ['another area', `snapshot-rotation/default/other/manifests/2026-11-22T12-00-00-000Z.json`],
    [
      'an area that starts the same',
      `snapshot-rotation/default/data2/manifests/2026-11-22T12-00-00-000Z.json`,
    ],
    ['a folder below', `${AREA}manifests/old/2026-11-22T12-00-00-000Z.json`],
    ['another ending', `${AREA}manifests/2026-11-22T12-00-00-000Z.json.bak`],
    ['an ISO time', `${AREA}manifests/2026-11-22T12:00:00.000Z.json`],
    ['no milliseconds', `${AREA}manifests/2026-11-22T12-00-00Z.json`],
    ['30 February', `${AREA}manifests/2026-02-30T12-00-00-000Z.json`],
    ['hour 24', `${AREA}manifests/2026-11-22T24-00-00-000Z.json`],
    ['an empty run', `${AREA}manifests/2026-11-22T12-00-00-000Z-run.json`],
    ['a run with a dot', `${AREA}manifests/2026-11-22T12-00-00-000Z-run4.2.json`],
    ['a run with a space', `${AREA}manifests/2026-11-22T12-00-00-000Z-run4 2.json`],
    ['a hand-made name', `${AREA}manifests/notes.json`],
    ['the folder itself', `${AREA}manifests/`],
    ['content', `${AREA}data/${HELLO.slice(0, 2)}/${HELLO}`],
  ])('are only of that exact shape: %s is not one', (_, key) => {
    expect(parseManifestKey(key, AREA)).toBeUndefined();
  });

  it('cannot name a time outside the years 0000 to 9999 or a run id of other characters', () => {
    expect(() => manifestKey(AREA, new Date(Date.UTC(10000, 0, 1)))).toThrow(TargetError);
    expect(() => manifestKey(AREA, new Date(Date.UTC(-1, 0, 1)))).toThrow(TargetError);
    expect(() => manifestKey(AREA, NOW, '42/../x')).toThrow(/run id "42\/..\/x" cannot name a key/);
  });
});

describe('content and pack keys', () => {
  it('store content under the first two digits of its hash', () => {
    expect(contentKey(HELLO)).toBe(`data/2c/${HELLO}`);
    expect(() => contentKey(HELLO.toUpperCase())).toThrow(TargetError);
    expect(() => contentKey('2c')).toThrow(/is not a SHA-256/);
  });

  it('read back as the hash they store, and count as content', () => {
    fc.assert(
      fc.property(arbitrarySha256, (sha256) => {
        expect(parseContentKey(contentKey(sha256))).toBe(sha256);
        expect(isContentKey(contentKey(sha256))).toBe(true);
      }),
    );
  });

  it('name packs by the time and run, and count them as content', () => {
    expect(packKey(NOW, '42')).toBe('packs/2026-11-22T12-00-00-000Z-run42.tar');
    fc.assert(
      fc.property(arbitraryTime, arbitraryRunId, (time, runId) => {
        expect(isContentKey(packKey(time, runId))).toBe(true);
      }),
    );
  });

  it.each([
    `data/aa/${HELLO}`,
    `data/2c/${HELLO}.tmp`,
    `data/${HELLO}`,
    `data/2c/${HELLO.toUpperCase()}`,
    `x/data/2c/${HELLO}`,
    'packs/2026-11-22T12-00-00-000Z-run42.tar.part',
    'packs/2026-02-30T12-00-00-000Z.tar',
    'packs/mine.tar',
    'manifests/2026-11-22T12-00-00-000Z.json',
    'README',
  ])('are only of that exact shape: %s is not one', (key) => {
    expect(isContentKey(key)).toBe(false);
    expect(parseContentKey(key)).toBeUndefined();
  });
});
