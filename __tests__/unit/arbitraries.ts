/**
 * The fast-check arbitraries the unit tests share: backup states and listings, calendar units,
 * counts and time zones, calendar rules. A test file keeps its own only where it draws something
 * no other file does.
 */
import fc from 'fast-check';
import { CALENDAR_UNITS, type CalendarRules, type CalendarUnit } from '../../src/calendar.js';
import { TAGS } from '../../src/constants.js';
import type { Backup, BackupState } from '../../src/model.js';
import { backup, HOUR } from './fixtures.js';

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
