/**
 * The fast-check arbitraries the unit tests share: backup states and listings, calendar units,
 * counts and time zones, calendar rules; for `files`, hashes, paths, scanned files and manifests. A test file keeps its own only where it draws something
 * no other file does.
 */
import fc from 'fast-check';
import { CALENDAR_UNITS, type CalendarRules, type CalendarUnit } from '../../src/calendar.js';
import { TAGS } from '../../src/constants.js';
import type { ScannedFile } from '../../src/file-plan.js';
import { contentKey, packKey } from '../../src/file-keys.js';
import type { ContentRef, Manifest } from '../../src/manifest.js';
import type { Backup, BackupState } from '../../src/model.js';
import { tarLayout } from '../../src/tar.js';
import { backup, HOUR, NOW, sha256Of } from './fixtures.js';

/** A backup's state, completed as often as pending and failed together. */
export const arbitraryState = fc.constantFrom<BackupState>(
  'completed',
  'completed',
  'pending',
  'failed',
);

/** A calendar unit, hourly to yearly. */
export const arbitraryUnit = fc.constantFrom<CalendarUnit>(...CALENDAR_UNITS);

/** The N of a calendar rule (`keep-daily: N` and the like). */
export const arbitraryRuleCount = fc.integer({ min: 1, max: 20 });

/**
 * A time zone to draw calendar periods in: UTC, one without daylight saving (Tokyo), two with it
 * (New York, Berlin) and one half an hour off the hour (Kolkata).
 */
export const arbitraryTimeZone = fc.constantFrom(
  'UTC',
  'Asia/Tokyo',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
);

/** Calendar rules setting any of the units given, each from 1 to its maximum, in a time zone. */
export function arbitraryCalendar(
  maxima: Partial<Record<CalendarUnit, number>>,
  timeZone: fc.Arbitrary<string>,
): fc.Arbitrary<CalendarRules> {
  const counts = Object.fromEntries(
    Object.entries(maxima).map(([unit, max]) => [unit, fc.integer({ min: 1, max })]),
  );
  return fc
    .tuple(fc.record(counts, { requiredKeys: [] }), timeZone)
    .map(([chosen, zone]) => ({ ...chosen, timeZone: zone }));
}

export interface ListingShape {
  /** How old a backup may be, in hours (0 to 5000 unless given; below 0 is in the future). */
  ageHours?: { min: number; max: number };
  /** Its source (vol-a, vol-b or vol-c unless given). */
  sources?: readonly string[];
  /** Its set (default or weekly unless given; name one twice to draw it twice as often). */
  sets?: readonly string[];
  /** Its state (`arbitraryState` unless given). */
  states?: fc.Arbitrary<BackupState>;
  /** How many backups the listing holds at most (40 unless given). */
  maxLength?: number;
  /** Whether some backups are copies of others, made by a run in eu-west-1. */
  copies?: boolean;
  /** The run ids a backup's run tag may hold, `undefined` for none (never a run tag unless given). */
  runIds?: readonly (string | undefined)[];
}

/**
 * A set's listing: backups `snap-0`, `snap-1` … of the `backup` fixture, of a few sources and sets,
 * in any state and order, some protected by the keep tag.
 */
export function arbitraryListing(shape: ListingShape = {}): fc.Arbitrary<Backup[]> {
  const spec = fc.record({
    ageHours: fc.integer(shape.ageHours ?? { min: 0, max: 5000 }),
    source: fc.constantFrom(...(shape.sources ?? ['vol-a', 'vol-b', 'vol-c'])),
    set: fc.constantFrom(...(shape.sets ?? ['default', 'weekly'])),
    state: shape.states ?? arbitraryState,
    protected: fc.boolean(),
    copy: shape.copies ? fc.boolean() : fc.constant(false),
    runId: fc.constantFrom(...(shape.runIds ?? [undefined])),
  });
  return fc.array(spec, { maxLength: shape.maxLength ?? 40 }).map((specs) =>
    specs.map((s, index) =>
      backup(`snap-${index}`, s.ageHours * HOUR, {
        sourceId: s.source,
        set: s.set,
        state: s.state,
        tags: {
          ...(s.protected ? { [TAGS.keep]: 'true' } : {}),
          ...(s.runId ? { [TAGS.run]: s.runId } : {}),
        },
        ...(s.copy ? { copyOf: `snap-orig-${index}`, sourceRegion: 'eu-west-1' } : {}),
      }),
    ),
  );
}

/** A SHA-256: one of a few (so files share content) or any 64 hex digits. */
export const arbitrarySha256 = fc.oneof(
  fc.nat(5).map((n) => sha256Of(`content ${n}`)),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
);

/** A segment of a path: plain, with dots and spaces, or any characters but slashes and NUL. */
const arbitrarySegment = fc
  .oneof(
    fc.constantFrom('a', 'b', 'data', 'x.bin', '.hidden', 'a b', '...', 'é'),
    fc.string({ minLength: 1, maxLength: 6 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
  )
  .filter((s) => s !== '.' && s !== '..' && !/[/\\]/.test(s) && !s.includes('\u0000'));

/** A valid manifest path: one to three segments joined by `/`. */
export const arbitraryRelativePath = fc
  .array(arbitrarySegment, { minLength: 1, maxLength: 3 })
  .map((segments) => segments.join('/'));

/** A file as a scan finds it: sizes around a 1 KiB pack threshold, times with fractions. */
export const arbitraryScannedFile: fc.Arbitrary<ScannedFile> = fc.record({
  path: arbitraryRelativePath,
  size: fc.oneof(fc.nat(2048), fc.integer({ min: 0, max: 2 ** 40 })),
  mtimeMs: fc.oneof(
    fc.integer({ min: 0, max: NOW.getTime() }),
    fc.double({ min: 0, max: NOW.getTime(), noNaN: true }),
  ),
  mode: fc.nat(0o7777),
});

/** Scanned files with distinct paths. */
export const arbitraryScan = fc.uniqueArray(arbitraryScannedFile, {
  selector: (file) => file.path,
  maxLength: 12,
});

/**
 * A valid manifest: distinct contents, each an object of its own or a member of one pack (laid out
 * as a tar), and files with distinct paths over them.
 */
export const arbitraryManifest: fc.Arbitrary<Manifest> = fc
  .record({
    contents: fc.uniqueArray(
      fc.record({ sha256: arbitrarySha256, size: fc.nat(5000), packed: fc.boolean() }),
      { selector: (c) => c.sha256, minLength: 1, maxLength: 6 },
    ),
    files: fc.uniqueArray(fc.record({ file: arbitraryScannedFile, content: fc.nat() }), {
      selector: (f) => f.file.path,
      maxLength: 10,
    }),
    ageMs: fc.integer({ min: 0, max: 400 * 24 * HOUR }),
    runId: fc.option(fc.stringMatching(/^[0-9]{1,11}$/), { nil: undefined }),
    storageClass: fc.constantFrom(
      'STANDARD',
      'STANDARD_IA',
      'GLACIER_IR',
      'GLACIER',
      'DEEP_ARCHIVE',
    ),
  })
  .map(({ contents, files, ageMs, runId, storageClass }) => {
    const createdAt = new Date(NOW.getTime() - ageMs);
    const pack = packKey(createdAt, runId);
    const packed = contents.filter((c) => c.packed);
    const layout = tarLayout(packed.map((c) => ({ name: c.sha256, size: c.size })));
    const refs = new Map<string, ContentRef>(
      contents.map((c) => [c.sha256, { object: contentKey(c.sha256) }]),
    );
    packed.forEach((c, i) =>
      refs.set(c.sha256, { pack, offset: layout.members[i]!.offset, size: c.size }),
    );
    return {
      format: 'snapshot-rotation/files' as const,
      version: 1 as const,
      set: 'default',
      fileSet: 'data',
      createdAt: createdAt.toISOString(),
      ...(runId === undefined ? {} : { runId }),
      root: '/data',
      storageClass,
      files: files.map(({ file, content }) => {
        const c = contents[content % contents.length]!;
        return { ...file, size: c.size, sha256: c.sha256, content: refs.get(c.sha256)! };
      }),
    };
  });
