/**
 * Calendar retention (`keep-daily` … `keep-yearly` in a time zone) of the bundled action against
 * moto. A run cannot wait 400 days, so the days of backups are made directly in moto as earlier runs
 * would have left them (the set's tags, `created-at` on each day), and one run of the action then
 * prunes them. The expected survivors are computed here, independently of src/retention.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AWAY_REGION,
  DAY_MS,
  MISSING_VOLUME,
  REGION,
  TAG,
  createManualSnapshot,
  createVolume,
  errorLines,
  expectSuccess,
  jsonOutput,
  listSnapshots,
  reset,
  runAction,
  runOffline,
  snapshotsOfSet,
} from './helpers.js';

/**
 * Makes one snapshot of the volume per time, tagged as the action tags its backups of the `default`
 * set, 20 CreateSnapshot calls at a time; returns the ids in the order of `times`.
 */
async function seedBackups(volume: string, times: Date[], region = REGION): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < times.length; start += 20) {
    const batch = times
      .slice(start, start + 20)
      .map((time) =>
        createManualSnapshot(
          volume,
          region,
          { [TAG.set]: 'default', [TAG.source]: volume, [TAG.createdAt]: time.toISOString() },
          'made by an earlier run',
        ),
      );
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

/** The calendar date of a moment in a time zone, `YYYY-MM-DD`. */
function dateIn(time: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(time);
}

/** The periods of a moment in a time zone; a week is named by the date of its Monday. */
function periods(time: Date, timeZone: string): Record<'day' | 'week' | 'month' | 'year', string> {
  const day = dateIn(time, timeZone);
  const date = new Date(`${day}T00:00:00Z`);
  const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY_MS);
  return {
    day,
    week: monday.toISOString().slice(0, 10),
    month: day.slice(0, 7),
    year: day.slice(0, 4),
  };
}

interface Made {
  id: string;
  createdAt: Date;
}

/**
 * What restic's `forget --keep-daily 7 --keep-weekly 4 …` keeps (0.16.0 and later): per rule,
 * walking newest first, the first backup met in each period, for the first N periods met; and the
 * oldest backup when the rule still has a count left after the walk.
 */
function expectedKept(
  backups: Made[],
  counts: Partial<Record<'day' | 'week' | 'month' | 'year', number>>,
  timeZone: string,
): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const kept = new Set<string>();
  for (const [unit, n] of Object.entries(counts) as [keyof typeof counts, number][]) {
    const met = new Set<string>();
    for (const backup of newestFirst) {
      const period = periods(backup.createdAt, timeZone)[unit];
      if (met.has(period) || met.size >= n) continue;
      met.add(period);
      kept.add(backup.id);
    }
    const oldest = newestFirst[newestFirst.length - 1];
    if (oldest && met.size < n) kept.add(oldest.id);
  }
  return kept;
}

interface ReportKept {
  id: string;
  reasons: string[];
}
interface Report {
  rules: string;
  copyRules?: string;
  targets: { kept: ReportKept[]; destinations: { kept: ReportKept[] }[] }[];
}

beforeEach(reset);

describe('calendar retention', () => {
  it(
    'keeps exactly what daily 7, weekly 4, monthly 12 and yearly 2 in Tokyo select from 400 days of backups',
    { timeout: 420_000 },
    async () => {
      const volume = await createVolume();
      const now = Date.now();
      // One backup a day for 400 days, at a time of day that wanders over 20 hours, so that some
      // Tokyo days hold two backups and some none.
      const times = Array.from(
        { length: 400 },
        (_, i) => new Date(now - (i + 1) * DAY_MS - ((i * 397) % 1200) * 60_000),
      );
      const seeded = await seedBackups(volume, times);
      const zone = 'Asia/Tokyo';

      const run = await runAction(
        {
          'target-type': 'ebs-volume',
          'resource-id': volume,
          'keep-daily': '7',
          'keep-weekly': '4',
          'keep-monthly': '12',
          'keep-yearly': '2',
          timezone: zone,
          'max-deletions': '1000',
        },
        { timeoutMs: 300_000 },
      );
      expectSuccess(run);

      // The run's own backup, with the time the action gave it, is one of the set now.
      const newId = run.outputs['backup-id'] ?? '';
      const left = await snapshotsOfSet(volume);
      const made = left.find((snapshot) => snapshot.id === newId);
      expect(made, 'the new backup is kept').toBeDefined();
      const all: Made[] = [
        ...seeded.map((id, i) => ({ id, createdAt: times[i] as Date })),
        { id: newId, createdAt: new Date(made?.tags[TAG.createdAt] ?? '') },
      ];

      const expected = expectedKept(all, { day: 7, week: 4, month: 12, year: 2 }, zone);
      expect(expected.has(newId)).toBe(true);
      expect(new Set(left.map((snapshot) => snapshot.id))).toEqual(expected);
      const deleted = all.filter((backup) => !expected.has(backup.id)).map((backup) => backup.id);
      expect(run.outputs['deleted-count']).toBe(String(deleted.length));
      expect(
        jsonOutput<{ region: string; id: string }[]>(run, 'deleted-ids')
          .map((entry) => entry.id)
          .sort(),
      ).toEqual(deleted.sort());
      expect((await listSnapshots(volume)).length).toBe(expected.size);

      // The summary and the report say which rule kept each backup, with its period in Tokyo.
      expect(run.summary).toContain(
        'retention: daily 7, weekly 4, monthly 12, yearly 2 (Asia/Tokyo)',
      );
      const report = jsonOutput<Report>(run, 'report');
      expect(report.rules).toBe('daily 7, weekly 4, monthly 12, yearly 2 (Asia/Tokyo)');
      const kept = report.targets[0]?.kept ?? [];
      expect(new Set(kept.map((entry) => entry.id))).toEqual(expected);
      const createdAt = new Map(all.map((backup) => [backup.id, backup.createdAt]));
      for (const entry of kept) {
        const p = periods(createdAt.get(entry.id) as Date, zone);
        const calendar = entry.reasons.filter((reason) =>
          /^(daily|weekly|monthly|yearly): /.test(reason),
        );
        expect(calendar.length, `${entry.id}: ${entry.reasons.join('; ')}`).toBeGreaterThan(0);
        for (const reason of calendar) {
          if (reason.startsWith('daily: '))
            expect(reason).toMatch(new RegExp(`^daily: ${p.day} \\(\\d of 7\\)$`));
          if (reason.startsWith('monthly: '))
            expect(reason).toMatch(new RegExp(`^monthly: ${p.month} \\(\\d+ of 12\\)$`));
          if (reason.startsWith('yearly: '))
            expect(reason).toMatch(new RegExp(`^yearly: ${p.year} \\(\\d of 2\\)$`));
          if (reason.startsWith('weekly: '))
            expect(reason).toMatch(/^weekly: \d{4}-W\d{2} \(\d of 4\)$/);
        }
        expect(run.summary).toContain(entry.reasons[entry.reasons.length - 1]);
      }
      const newest = kept.find((entry) => entry.id === newId);
      expect(newest?.reasons).toEqual(
        expect.arrayContaining([
          'made in this run',
          'newest completed backup of the source',
          `daily: ${periods(createdAt.get(newId) as Date, zone).day} (1 of 7)`,
          `yearly: ${periods(createdAt.get(newId) as Date, zone).year} (1 of 2)`,
        ]),
      );
    },
  );

  it('keeps copies in the destination by copy-keep-daily, in New York days', async () => {
    const home = AWAY_REGION;
    const dr = REGION;
    const zone = 'America/New_York';
    const volume = await createVolume(home);
    const now = Date.now();
    const times = Array.from({ length: 6 }, (_, i) => new Date(now - (i + 1) * DAY_MS - 3_600_000));
    const seeded = await seedBackups(volume, times, home);

    const run = await runAction(
      {
        'target-type': 'ebs-volume',
        'resource-id': volume,
        region: home,
        'keep-daily': '10',
        timezone: zone,
        'copy-to-regions': dr,
        'copy-keep-daily': '3',
      },
      { region: home },
    );
    expectSuccess(run);

    const newId = run.outputs['backup-id'] ?? '';
    const made = (await snapshotsOfSet(volume, 'default', home)).find((s) => s.id === newId);
    const all: Made[] = [
      ...seeded.map((id, i) => ({ id, createdAt: times[i] as Date })),
      { id: newId, createdAt: new Date(made?.tags[TAG.createdAt] ?? '') },
    ];
    // At home every day's backup stays (10 days); the destination holds the 3 newest days' copies.
    expect(new Set((await snapshotsOfSet(volume, 'default', home)).map((s) => s.id))).toEqual(
      expectedKept(all, { day: 10 }, zone),
    );
    const copies = (await listSnapshots(undefined, dr)).filter(
      (snapshot) => snapshot.tags[TAG.source] === volume,
    );
    expect(new Set(copies.map((copy) => copy.tags[TAG.copyOf]))).toEqual(
      expectedKept(all, { day: 3 }, zone),
    );
    const report = jsonOutput<Report>(run, 'report');
    expect(report.copyRules).toBe('daily 3 (America/New_York)');
    expect(
      report.targets[0]?.destinations[0]?.kept.map((entry) =>
        entry.reasons.find((reason) => reason.startsWith('daily: ')),
      ),
    ).toEqual(
      [...expectedKept(all, { day: 3 }, zone)]
        .map((id) => all.find((backup) => backup.id === id) as Made)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map(
          (backup, index) => `daily: ${periods(backup.createdAt, zone).day} (${index + 1} of 3)`,
        ),
    );
  });

  it('fails on an unknown timezone with one ::error:: line naming it, before any AWS call', async () => {
    const { run, requests } = await runOffline({
      'target-type': 'ebs-volume',
      'resource-id': MISSING_VOLUME,
      'keep-daily': '7',
      timezone: 'Tokyo',
    });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      "::error::Input 'timezone' has an invalid value 'Tokyo': expected an IANA time zone name such as UTC, Asia/Tokyo or America/New_York (for a fixed offset, Etc/GMT-9 is UTC+9).",
    ]);
    expect(requests).toEqual([]);
  });
});
