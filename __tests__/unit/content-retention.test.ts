import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideContent,
  DELETE_BATCH,
  deleteBatches,
  MAX_GRACE_MS,
  MIN_STORAGE_DAYS,
  minStorageDays,
  referencedContent,
  type StoredObject,
  UNKNOWN_CLASS_MIN_DAYS,
} from '../../src/content-retention.js';
import { contentKey, packKey } from '../../src/file-keys.js';
import { arbitraryManifest, arbitrarySha256 } from './arbitraries.js';
import { DAY, HOUR, NOW, sha256Of } from './fixtures.js';

const AREA = 'snapshot-rotation/default/data/';
const GRACE = 6 * HOUR;

function object(key: string, ageMs: number, storageClass = 'STANDARD'): StoredObject {
  return { key, size: 100, lastModified: new Date(NOW.getTime() - ageMs), storageClass };
}

const data = (text: string) => contentKey(sha256Of(text));

describe('MIN_STORAGE_DAYS', () => {
  it("is each class's minimum duration, and the longest for a class not known", () => {
    const table = Object.entries(MIN_STORAGE_DAYS).map(([name, days]) => `${name} ${days}`);
    expect(table.join(', ')).toBe(
      'STANDARD 0, REDUCED_REDUNDANCY 0, INTELLIGENT_TIERING 0, STANDARD_IA 30, ONEZONE_IA 30, GLACIER_IR 90, GLACIER 90, DEEP_ARCHIVE 180',
    );
    expect(minStorageDays('GLACIER')).toBe(90);
    expect(minStorageDays('SNOW')).toBe(UNKNOWN_CLASS_MIN_DAYS);
    expect(minStorageDays('toString')).toBe(UNKNOWN_CLASS_MIN_DAYS);
    expect(UNKNOWN_CLASS_MIN_DAYS).toBe(Math.max(...Object.values(MIN_STORAGE_DAYS)));
  });
});

describe('referencedContent', () => {
  it('is every object and pack the manifests name', () => {
    fc.assert(
      fc.property(fc.array(arbitraryManifest, { maxLength: 3 }), (manifests) => {
        const expected = manifests.flatMap((m) =>
          m.files.map((f) => ('object' in f.content ? f.content.object : f.content.pack)),
        );
        expect(referencedContent(manifests)).toEqual(new Set(expected));
      }),
    );
  });
});

describe('decideContent', () => {
  const options = { now: NOW, allowEarlyDelete: false, graceMs: GRACE };

  it('keeps what a manifest references, whatever its age', () => {
    const decision = decideContent([object(data('a'), 400 * DAY)], new Set([data('a')]), options);
    expect(decision).toEqual({ delete: [], deferred: [], kept: 1 });
  });

  it('keeps, without a word, what is younger than the grace: another run may be writing it', () => {
    const young = [object(data('a'), GRACE - 1), object(packKey(NOW), 0), object(data('b'), -DAY)];
    expect(decideContent(young, new Set(), options)).toEqual({ delete: [], deferred: [], kept: 3 });
    expect(decideContent([object(data('a'), GRACE)], new Set(), options).delete).toHaveLength(1);
  });

  it('takes a day for a longer grace', () => {
    const decision = decideContent([object(data('a'), DAY + 1)], new Set(), {
      ...options,
      graceMs: 30 * DAY,
    });
    expect(decision.delete).toHaveLength(1);
    expect(MAX_GRACE_MS).toBe(DAY);
  });

  it('defers what its class bills longer, with the date it is free', () => {
    const glacier = object(data('a'), 10 * DAY, 'GLACIER');
    const decision = decideContent([glacier], new Set(), options);
    expect(decision.delete).toEqual([]);
    expect(decision.deferred).toEqual([
      {
        object: glacier,
        freeAt: new Date(NOW.getTime() + 80 * DAY),
        reason:
          'GLACIER bills 90 days at least: deleted from 2027-02-10T12:00:00.000Z (allow-early-delete: true deletes it now and pays the rest)',
      },
    ]);
  });

  it('defers a class it does not know for the longest minimum, and says so', () => {
    const [deferred] = decideContent(
      [object(data('a'), 100 * DAY, 'SNOW')],
      new Set(),
      options,
    ).deferred;
    expect(deferred?.freeAt).toEqual(new Date(NOW.getTime() + 80 * DAY));
    expect(deferred?.reason).toContain(
      'SNOW is a storage class this action does not know, kept 180 days',
    );
  });

  it.each([
    ['STANDARD', 1],
    ['STANDARD_IA', 30],
    ['GLACIER_IR', 90],
    ['DEEP_ARCHIVE', 180],
  ])('deletes %s content unreferenced for its minimum of %i days', (storageClass, days) => {
    const old = object(data('a'), days * DAY, storageClass);
    expect(decideContent([old], new Set(), options)).toEqual({
      delete: [old],
      deferred: [],
      kept: 0,
    });
  });

  it('deletes early only when allowed, never within the grace', () => {
    const objects = [
      object(data('a'), 2 * DAY, 'DEEP_ARCHIVE'),
      object(data('b'), HOUR, 'DEEP_ARCHIVE'),
    ];
    const decision = decideContent(objects, new Set(), { ...options, allowEarlyDelete: true });
    expect(decision).toEqual({ delete: [objects[0]], deferred: [], kept: 1 });
  });

  it('keeps what is not of a content key shape, and what has no time', () => {
    const objects = [
      object('data/README', 400 * DAY),
      object(`manifests/2026-01-01T00-00-00-000Z.json`, 400 * DAY),
      { ...object(data('a'), 0), lastModified: new Date(Number.NaN) },
    ];
    expect(decideContent(objects, new Set(), options)).toEqual({
      delete: [],
      deferred: [],
      kept: 3,
    });
  });

  it('refuses a grace that is not a number', () => {
    expect(() => decideContent([], new Set(), { ...options, graceMs: Number.NaN })).toThrow(
      RangeError,
    );
  });

  it('never deletes what is referenced, too young, or within its minimum unless allowed', () => {
    fc.assert(
      fc.property(
        arbitraryObjects,
        fc.uniqueArray(arbitrarySha256, { maxLength: 5 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 * DAY }),
        (objects, referencedShas, allowEarlyDelete, graceMs) => {
          const referenced = new Set(referencedShas.map(contentKey));
          const decision = decideContent(objects, referenced, {
            now: NOW,
            allowEarlyDelete,
            graceMs,
          });
          expect(decision.delete.length + decision.deferred.length + decision.kept).toBe(
            objects.length,
          );
          for (const gone of decision.delete) {
            const age = NOW.getTime() - gone.lastModified.getTime();
            expect(referenced.has(gone.key)).toBe(false);
            expect(age).toBeGreaterThanOrEqual(Math.min(graceMs, DAY));
            if (!allowEarlyDelete)
              expect(age).toBeGreaterThanOrEqual(minStorageDays(gone.storageClass) * DAY);
          }
          for (const { object: waiting, freeAt } of decision.deferred) {
            expect(referenced.has(waiting.key)).toBe(false);
            expect(freeAt.getTime()).toBeGreaterThan(NOW.getTime());
            expect(allowEarlyDelete).toBe(false);
          }
        },
      ),
    );
  });
});

describe('deleteBatches', () => {
  it('gives the full keys in batches of at most 1,000', () => {
    const objects = Array.from({ length: 2500 }, (_, i) => object(data(`${i}`), 400 * DAY));
    const batches = deleteBatches(objects, AREA);
    expect(batches.map((batch) => batch.length)).toEqual([DELETE_BATCH, DELETE_BATCH, 500]);
    expect(batches.flat()).toEqual(objects.map((o) => `${AREA}${o.key}`));
  });
});

/** Content objects of any class (one not known among them), of any age up to 200 days, some in the future. */
const arbitraryObjects = fc.array(
  fc
    .record({
      key: fc.oneof(arbitrarySha256.map(contentKey), fc.constant(packKey(NOW, '1'))),
      ageMs: fc.integer({ min: -DAY, max: 200 * DAY }),
      storageClass: fc.constantFrom(...Object.keys(MIN_STORAGE_DAYS), 'SNOW'),
    })
    .map(({ key, ageMs, storageClass }) => object(key, ageMs, storageClass)),
  { maxLength: 20 },
);
