// The copy phase in a run (src/copy-plan.ts and src/copies.ts): what each destination gets within
// its in-flight limit and quota, the copies started and waited for, their retention, and the checks
// an RDS source needs before it is copied (a KMS key and an option group of the destination).
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/constants.js';
import { renderOutputs } from '../../src/report.js';
import { A, AP, B, backup, copyIn, dailyBackups, DAY, EU, HOME, HOUR, NOW } from './fixtures.js';
import { abortSoon, FakeAdapter, quietRuns, runIn } from './fake-adapter.js';

quietRuns();

/** Backup snap-1 of A at home, and its copy snap-copy-old in EU, to be kept by copy-generations 1. */
function copiedOnce(): { home: FakeAdapter; eu: FakeAdapter; inputs: Record<string, string> } {
  return {
    home: new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]),
    eu: new FakeAdapter([copyIn(EU, 'snap-copy-old', 'snap-1', DAY)], [], EU),
    inputs: { 'resource-id': A, 'copy-to-regions': EU, 'copy-generations': '1' },
  };
}

describe('copy-to-regions', () => {
  it('copies no backup that retention deletes in the source region; with prune off, every one', async () => {
    const older = () => [
      backup('snap-1', 2 * DAY, { sourceId: A }),
      backup('snap-2', 3 * DAY, { sourceId: A }),
    ];
    // The source keeps this run's backup only; the copy rules would keep three.
    const inputs = {
      'resource-id': A,
      'copy-to-regions': EU,
      generations: '1',
      'copy-generations': '3',
    };
    const pruned = { home: new FakeAdapter(older(), [A]), eu: new FakeAdapter([], [], EU) };
    await runIn([pruned.home, pruned.eu], inputs);
    expect(pruned.home.mutations()).toEqual([`create ${A}`, 'delete snap-2', 'delete snap-1']);
    expect(pruned.eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);

    const kept = { home: new FakeAdapter(older(), [A]), eu: new FakeAdapter([], [], EU) };
    await runIn([kept.home, kept.eu], { ...inputs, prune: 'false' });
    expect(kept.home.mutations()).toEqual([`create ${A}`]);
    expect(kept.eu.mutations()).toEqual([
      `copy snap-new-1 to ${EU}`,
      `copy snap-1 to ${EU}`,
      `copy snap-2 to ${EU}`,
    ]);
  });

  it('copies this run’s backup to every destination with the copy tags, and outputs the copies', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    const ap = new FakeAdapter([], [], AP);
    const report = await runIn([home, eu, ap], {
      'resource-id': A,
      'copy-to-regions': `${EU}\n${AP}`,
    });
    expect(report.status).toBe('success');
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(ap.mutations()).toEqual([`copy snap-new-1 to ${AP}`]);
    expect(eu.calls).toContain('wait snap-copy-1');
    expect(eu.backups[0]?.tags).toEqual({
      Name: A,
      [TAGS.backupSet]: 'default',
      [TAGS.source]: A,
      [TAGS.createdAt]: NOW.toISOString(),
      [TAGS.run]: '100',
      [TAGS.copyOf]: 'snap-new-1',
      [TAGS.sourceRegion]: HOME,
    });
    expect(report.targets[0]?.destinations[0]).toMatchObject({
      region: EU,
      copies: [
        {
          of: 'snap-new-1',
          result: 'copied',
          copy: { id: 'snap-copy-1', region: EU, state: 'completed' },
        },
      ],
      deleted: [],
    });
    expect(JSON.parse(renderOutputs(report).copies ?? '')).toEqual([
      { region: EU, id: 'snap-copy-1', 'source-id': 'snap-new-1' },
      { region: AP, id: 'snap-copy-1', 'source-id': 'snap-new-1' },
    ]);
  });

  it('makes no copy in a dry run and reports what would be copied and deleted', async () => {
    const { home, eu, inputs } = copiedOnce();
    const report = await runIn([home, eu], { ...inputs, 'dry-run': 'true' });
    expect(report.status).toBe('success');
    expect([...home.mutations(), ...eu.mutations()]).toEqual([]);
    expect(eu.copyRequests).toEqual([]);
    const destination = report.targets[0]?.destinations[0];
    expect(destination?.copies).toEqual([{ of: `(new backup of ${A})`, result: 'would-copy' }]);
    expect(destination?.kept).toEqual([]);
    expect(destination?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-copy-old', 'would-delete'],
    ]);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: EU, id: 'snap-copy-old' },
    ]);
  });

  it('copies no archived backup, says so, and copies the others as usual', async () => {
    const home = new FakeAdapter(
      [backup('snap-archived', DAY, { sourceId: A, archived: true })],
      [A],
    );
    const eu = new FakeAdapter([], [], EU);

    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '2',
    });

    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(report.targets[0]?.destinations[0]?.copies).toEqual([
      {
        of: 'snap-archived',
        result: 'skipped',
        message:
          'snap-archived is archived, and AWS copies an archived snapshot only once it is restored; its newer backups are copied as usual.',
      },
      expect.objectContaining({ of: 'snap-new-1', result: 'copied' }),
    ]);
  });
});

describe('copy-to-regions within what a destination takes (copy-plan)', () => {
  it('fails the run and deletes nothing anywhere when a destination cannot be listed', async () => {
    const home = new FakeAdapter(dailyBackups(2), [A]);
    const eu = new FakeAdapter([copyIn(EU, 'snap-copy-old', 'snap-2', 2 * DAY)], [], EU);
    const ap = new FakeAdapter([], [], AP);
    ap.failList = true;
    const report = await runIn([home, eu, ap], {
      'resource-id': A,
      generations: '1',
      'copy-to-regions': `${EU},${AP}`,
    });
    expect(report.status).toBe('failed');
    expect(report.errors).toEqual([
      `Could not list snapshots in ${AP}: Access denied. No copies were made to ${AP}.`,
      'A destination region could not be listed, so nothing was deleted in this run.',
    ]);
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(ap.mutations()).toEqual([]);
    expect(report.targets[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-1', 'not-attempted'],
      ['snap-2', 'not-attempted'],
    ]);
    expect(report.targets[0]?.destinations[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-copy-old', 'not-attempted'],
    ]);
    expect(renderOutputs(report)['deleted-count']).toBe('0');
  });

  it('fails the copies beyond the destination’s snapshot quota before starting any, and says so', async () => {
    const home = new FakeAdapter([], [A, B]);
    const eu = new FakeAdapter([], [], EU);
    eu.quota = () => Promise.resolve({ name: 'ManualSnapshots', used: 99, max: 100 });
    const report = await runIn([home, eu], {
      'resource-id': `${A},${B}`,
      'copy-to-regions': EU,
    });

    expect(report.status).toBe('partial');
    expect(home.mutations()).toEqual([`create ${A}`, `create ${B}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    const [first, second] = report.targets;
    expect(first?.ok).toBe(true);
    expect(second?.ok).toBe(false);
    expect(second?.outcome).toBe('created');
    expect(second?.destinations[0]?.copies[0]).toMatchObject({ result: 'failed' });
    expect(second?.message).toMatch(
      new RegExp(`would exceed the snapshot quota there: 99 of 100 used .*${EU}`),
    );
    expect(report.warnings.join(' ')).toMatch(/Only 0 backups are left/);
  });

  it('copies at most 20 at once into a destination and reports the rest as queued without failing', async () => {
    const volumes = Array.from({ length: 25 }, (_, i) => `vol-${i.toString(16).padStart(17, '0')}`);
    const home = new FakeAdapter([], volumes);
    const eu = new FakeAdapter([], [], EU);
    const report = await runIn([home, eu], {
      'resource-id': volumes.join(','),
      'copy-to-regions': EU,
    });
    expect(report.status).toBe('success');
    expect(process.exitCode).toBeUndefined();
    const made = report.targets.map((target) => target.backup?.id);
    expect(eu.mutations().sort()).toEqual(
      made
        .slice(0, 20)
        .map((id) => `copy ${id} to ${EU}`)
        .sort(),
    );
    const copies = report.targets.map((target) => target.destinations[0]?.copies);
    expect(copies.slice(0, 20).map((list) => list?.map((c) => c.result))).toEqual(
      Array.from({ length: 20 }, () => ['copied']),
    );
    expect(copies.slice(20)).toEqual(
      made.slice(20).map((id) => [
        {
          of: id,
          result: 'queued',
          message: `${id} waits for a later run: ${EU} takes at most 20 copies in flight.`,
        },
      ]),
    );
    expect(JSON.parse(renderOutputs(report).copies ?? '')).toHaveLength(20);
  });

  it('counts the copies already in flight into a destination, from any source, against the limit', async () => {
    const home = new FakeAdapter(dailyBackups(2), [A]);
    const busy = Array.from({ length: 19 }, (_, i) =>
      copyIn(EU, `snap-busy-${i}`, `snap-x-${i}`, HOUR, {
        sourceId: B,
        state: 'pending',
        sourceRegion: AP,
      }),
    );
    const eu = new FakeAdapter(busy, [], EU);
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '3',
      'copy-to-regions': EU,
    });
    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(report.targets[0]?.destinations[0]?.copies.map((c) => [c.of, c.result])).toEqual([
      ['snap-new-1', 'copied'],
      ['snap-1', 'queued'],
      ['snap-2', 'queued'],
    ]);
  });

  it('queues a copy that AWS defers (copy slots taken by other tools) without failing the target', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    eu.deferCopy.add(A);

    const report = await runIn([home, eu], { 'resource-id': A, 'copy-to-regions': EU });

    expect(report.status).toBe('success');
    expect(report.targets[0]?.ok).toBe(true);
    expect(report.targets[0]?.destinations[0]?.copies).toEqual([
      {
        of: 'snap-new-1',
        result: 'queued',
        message: `Could not copy snap-new-1 to ${EU}: too many copies in flight (ResourceLimitExceeded). A later run copies it.`,
      },
    ]);
    expect(renderOutputs(report).copies).toBe('[]');
  });
});

describe('copy-to-regions: the copies started and waited for', () => {
  it('fails the target whose copy cannot be started, after its backup and pruning went ahead', async () => {
    const home = new FakeAdapter(
      [
        backup('snap-a-old', 9 * DAY, { sourceId: A }),
        backup('snap-a-older', 10 * DAY, { sourceId: A }),
        backup('snap-b-old', 9 * DAY, { sourceId: B }),
        backup('snap-b-older', 10 * DAY, { sourceId: B }),
      ],
      [A, B],
    );
    const eu = new FakeAdapter([], [], EU);
    eu.failCopy.add(A);
    const report = await runIn([home, eu], {
      'resource-id': `${A},${B}`,
      'copy-to-regions': EU,
      'copy-generations': '1',
    });
    expect(report.status).toBe('partial');
    expect(process.exitCode).toBe(1);
    const [a, b] = report.targets;
    const madeA = a?.backup?.id ?? '';
    const madeB = b?.backup?.id ?? '';
    expect(home.mutations().sort()).toEqual(
      [`create ${A}`, `create ${B}`, 'delete snap-a-older', 'delete snap-b-older'].sort(),
    );
    expect(eu.mutations().sort()).toEqual(
      [`copy ${madeA} to ${EU}`, `copy ${madeB} to ${EU}`].sort(),
    );
    const error = `Could not copy ${madeA} to ${EU}: Access denied.`;
    expect(a).toMatchObject({ ok: false, outcome: 'created', message: `Copies: ${error}` });
    expect(a?.destinations[0]?.copies).toEqual([{ of: madeA, result: 'failed', message: error }]);
    expect(b).toMatchObject({ ok: true, outcome: 'created' });
    const outputs = renderOutputs(report);
    expect(outputs['backup-id']).toBe(madeA);
    expect(JSON.parse(outputs['backup-ids'] ?? '')).toEqual([madeA, madeB]);
    expect(JSON.parse(outputs.copies ?? '')).toEqual([
      { region: EU, id: 'snap-copy-1', 'source-id': madeB },
    ]);
  });

  it('reports a copy that ended failed with AWS’s message, and fails the target', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    eu.failWait = true;
    eu.failWaitMessage = 'The KMS key is disabled';
    const report = await runIn([home, eu], { 'resource-id': A, 'copy-to-regions': EU });
    expect(report.status).toBe('failed');
    const message = `Copy snap-copy-1 of snap-new-1 in ${EU} ended in a failed state: The KMS key is disabled.`;
    expect(report.targets[0]).toMatchObject({ ok: false, message: `Copies: ${message}` });
    expect(report.targets[0]?.destinations[0]?.copies).toEqual([
      {
        of: 'snap-new-1',
        result: 'failed',
        message,
        copy: { id: 'snap-copy-1', region: EU, createdAt: NOW.toISOString(), state: 'failed' },
      },
    ]);
    expect(renderOutputs(report).copies).toBe('[]');
    expect(renderOutputs(report)['backup-id']).toBe('snap-new-1');
    // A failed copy is deleted like any failed backup, so the next run copies again.
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, 'delete snap-copy-1']);
    expect(report.targets[0]?.destinations[0]?.deleted.map((d) => [d.id, d.reasons])).toEqual([
      ['snap-copy-1', ['failed state: The KMS key is disabled']],
    ]);
  });

  it('does not wait for copies with wait false, and copies today’s backup in the next run', async () => {
    const home = new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]);
    const eu = new FakeAdapter([], [], EU);
    const first = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      wait: 'false',
    });
    expect(first.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-1 to ${EU}`]);
    expect([...home.calls, ...eu.calls].filter((call) => call.startsWith('wait'))).toEqual([]);
    expect(first.targets[0]?.destinations[0]?.copies).toMatchObject([
      { of: 'snap-1', result: 'copied', copy: { id: 'snap-copy-1', state: 'pending' } },
    ]);

    // The next day: today's backup has completed, the copy of snap-1 is still in flight.
    home.backups = home.backups.map((b) => ({ ...b, state: 'completed' }));
    const second = await runIn(
      [home, eu],
      { 'resource-id': A, 'copy-to-regions': EU, wait: 'false' },
      { now: new Date(NOW.getTime() + DAY), runId: '101' },
    );
    expect(second.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-1 to ${EU}`, `copy snap-new-1 to ${EU}`]);
    expect(second.targets[0]?.destinations[0]?.copies.map((c) => [c.of, c.result])).toEqual([
      ['snap-1', 'exists'],
      ['snap-new-1', 'copied'],
    ]);
  });

  it('stops waiting for copies on cancellation and deletes nothing', async () => {
    const home = new FakeAdapter(dailyBackups(3), [A]);
    const eu = new FakeAdapter([copyIn(EU, 'snap-copy-old', 'snap-3', 3 * DAY)], [], EU);
    eu.waitForever = true;
    const report = await runIn(
      [home, eu],
      { 'resource-id': A, generations: '1', 'copy-to-regions': EU },
      { signal: abortSoon() },
    );
    expect(report.status).toBe('failed');
    expect(report.errors.join(' ')).toMatch(/cancelled.*Nothing was deleted/);
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(report.targets[0]?.message).toBe('Copies: Cancelled before the copies finished.');
  });

  it('deletes, as a duplicate, the second copy that a retried copy made in the destination', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    eu.strayIds = ['copy-twin'];

    const report = await runIn([home, eu], { 'resource-id': A, 'copy-to-regions': EU });

    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, 'delete copy-twin']);
    expect(report.targets[0]?.destinations[0]?.deleted).toMatchObject([
      { id: 'copy-twin', result: 'deleted', reasons: [expect.stringMatching(/^duplicate of /)] },
    ]);
  });
});

describe('copy-to-regions: retention of the copies, apart from the source', () => {
  it('deletes the older copy in the destination only, by copy-generations', async () => {
    const { home, eu, inputs } = copiedOnce();
    const report = await runIn([home, eu], inputs);
    expect(report.status).toBe('success');
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, 'delete snap-copy-old']);
    expect(report.targets[0]?.kept.map((k) => k.id)).toEqual(['snap-new-1', 'snap-1']);
    expect(report.targets[0]?.destinations[0]?.kept.map((k) => k.id)).toEqual(['snap-copy-1']);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: EU, id: 'snap-copy-old' },
    ]);
  });

  it('leaves alone the copies that runs of other regions made, at home and in a destination', async () => {
    const home = new FakeAdapter(
      [
        backup('snap-1', DAY, { sourceId: A }),
        copyIn(HOME, 'snap-from-ap', 'snap-ap-1', 5 * DAY, { sourceRegion: AP }),
      ],
      [A],
    );
    const eu = new FakeAdapter(
      [copyIn(EU, 'snap-eu-from-ap', 'snap-ap-2', 5 * DAY, { sourceRegion: AP })],
      [],
      EU,
    );
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '1',
      'copy-to-regions': EU,
    });
    expect(home.mutations()).toEqual([`create ${A}`, 'delete snap-1']);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    const target = report.targets[0];
    expect([...(target?.kept ?? []), ...(target?.deleted ?? [])].map((b) => b.id)).toEqual([
      'snap-new-1',
      'snap-1',
    ]);
    expect(target?.destinations[0]?.kept.map((k) => k.id)).toEqual(['snap-copy-1']);
  });

  it('keeps copies by the copy calendar rules, apart from the source rules, and says which rule kept each', async () => {
    const days = [1, 2, 3, 4];
    const home = new FakeAdapter(dailyBackups(days.length), [A]);
    const eu = new FakeAdapter(
      days.map((d) => copyIn(EU, `copy-${d}`, `snap-${d}`, d * DAY)),
      [],
      EU,
    );
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '',
      'keep-daily': '7',
      'copy-to-regions': EU,
      'copy-keep-daily': '2',
      timezone: 'Asia/Tokyo',
    });
    expect(report.status).toBe('success');
    expect(report.rules).toBe('daily 7 (Asia/Tokyo)');
    expect(report.copyRules).toBe('daily 2 (Asia/Tokyo)');
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([
      `copy snap-new-1 to ${EU}`,
      'delete copy-4',
      'delete copy-3',
      'delete copy-2',
    ]);
    // NOW is 2026-11-22 21:00 in Tokyo; each older backup is a day before.
    expect(report.targets[0]?.destinations[0]?.kept).toMatchObject([
      {
        id: 'snap-copy-1',
        reasons: [
          'made in this run',
          'newest completed backup of the source',
          'daily: 2026-11-22 (1 of 2)',
        ],
      },
      { id: 'copy-1', reasons: ['daily: 2026-11-21 (2 of 2)'] },
    ]);
    expect(report.targets[0]?.kept.map((k) => k.reasons.at(-1))).toEqual([
      'daily: 2026-11-22 (1 of 7)',
      'daily: 2026-11-21 (2 of 7)',
      'daily: 2026-11-20 (3 of 7)',
      'daily: 2026-11-19 (4 of 7)',
      'daily: 2026-11-18 (5 of 7)',
    ]);
  });

  it('keeps a backup at home while its copy is in flight, and says why', async () => {
    const home = new FakeAdapter(dailyBackups(2), [A]);
    const eu = new FakeAdapter(
      [copyIn(EU, 'snap-copy-p', 'snap-2', 2 * DAY, { state: 'pending' })],
      [],
      EU,
    );
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '1',
      'copy-to-regions': EU,
    });
    expect(report.status).toBe('success');
    expect(home.mutations()).toEqual([`create ${A}`, 'delete snap-1']);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    const pinned = report.targets[0]?.kept.find((k) => k.id === 'snap-2');
    expect(pinned?.reasons).toEqual([`its copy snap-copy-p to ${EU} is in progress`]);
  });
});

describe('copy-to-regions of an RDS DB instance: a key and an option group of the destination', () => {
  const inputs = {
    'target-type': 'rds-instance',
    'resource-id': 'prod-db',
    'copy-to-regions': EU,
  };
  /** The DB instance prod-db at home, as `source` describes it, and the destination EU. */
  const rdsToEu = (source: { encrypted?: boolean; optionGroup?: string }) => ({
    home: Object.assign(new FakeAdapter([], ['prod-db']), source),
    eu: new FakeAdapter([], [], EU),
  });

  it('fails an encrypted RDS source without a key for a destination before creating anything', async () => {
    const { home, eu } = rdsToEu({ encrypted: true });
    const report = await runIn([home, eu], inputs);
    expect(report.status).toBe('failed');
    expect([...home.mutations(), ...eu.mutations()]).toEqual([]);
    expect(report.targets[0]?.message).toContain(`set 'copy-kms-key-id' for ${EU}`);

    const keyed = await runIn([home, eu], { ...inputs, 'copy-kms-key-id': 'alias/dr' });
    expect(keyed.status).toBe('success');
    expect(home.mutations()).toEqual(['create prod-db']);
    expect(eu.copyRequests.map((request) => request.kmsKeyId)).toEqual(['alias/dr']);
  });

  it('fails an RDS instance with a non-default option group and no copy-option-group before creating anything', async () => {
    const { home, eu } = rdsToEu({ optionGroup: 'og-prod-mysql' });

    const report = await runIn([home, eu], inputs);

    expect(report.status).toBe('failed');
    expect([...home.mutations(), ...eu.mutations()]).toEqual([]);
    expect(report.targets[0]?.message).toContain(
      `prod-db uses the option group 'og-prod-mysql', which exists in its own region only`,
    );
    expect(report.targets[0]?.message).toContain(`set 'copy-option-group' for ${EU}`);
  });

  it('gives each copy the option group named for its destination', async () => {
    const { home, eu } = rdsToEu({ optionGroup: 'og-prod-mysql' });

    const report = await runIn([home, eu], {
      ...inputs,
      'copy-option-group': `${EU}=og-dr-mysql`,
    });

    expect(report.status).toBe('success');
    expect(eu.copyRequests.map((request) => request.optionGroup)).toEqual(['og-dr-mysql']);
  });

  it('copies an instance with a default option group without copy-option-group, naming none', async () => {
    const { home, eu } = rdsToEu({ optionGroup: 'default:mysql-8-0' });

    const report = await runIn([home, eu], inputs);

    expect(report.status).toBe('success');
    expect(eu.copyRequests).toHaveLength(1);
    expect(eu.copyRequests[0]).not.toHaveProperty('optionGroup');
  });
});
