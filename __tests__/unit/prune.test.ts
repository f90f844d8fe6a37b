// The prune phase (src/prune.ts) in a run: prune false, the deletion budget (max-deletions) over the
// source region and the destinations, and deletions that AWS refuses or skips.
import { describe, expect, it } from 'vitest';
import { renderOutputs } from '../../src/report.js';
import { renderSummary } from '../../src/summary.js';
import { A, B, backup, copyIn, dailyBackups, DAY, EU, HOME } from './fixtures.js';
import { FakeAdapter, quietRuns, runIn, runWith } from './fake-adapter.js';

quietRuns();

/** A's rotation keeping one generation: the backup this run makes, so every older one goes. */
const keepOne = { 'resource-id': A, generations: '1' };

describe('prune', () => {
  it('never deletes with prune false', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    await runWith(adapter, { 'resource-id': A, prune: 'false', generations: '' });
    expect(adapter.mutations()).toEqual([`create ${A}`]);
  });
});

describe('prune within max-deletions', () => {
  it('refuses to delete anything when more than max-deletions would go, and names the number', async () => {
    const adapter = new FakeAdapter(dailyBackups(4), [A]);
    const report = await runWith(adapter, { ...keepOne, 'max-deletions': '3' });
    expect(report?.status).toBe('failed');
    expect(report?.errors[0]).toMatch(/would delete 4 backups, more than max-deletions \(3\)/);
    expect(adapter.mutations()).toEqual([`create ${A}`]);
  });

  it('predicts in a dry run that max-deletions would refuse, and fails like the real run', async () => {
    const adapter = new FakeAdapter(dailyBackups(4), [A]);
    const report = await runWith(adapter, { ...keepOne, 'max-deletions': '2', 'dry-run': 'true' });
    expect(report?.status).toBe('failed');
    expect(report?.errors[0]).toMatch(/more than max-deletions \(2\)/);
    expect(adapter.mutations()).toEqual([]);
  });

  it('shows in a dry run refused by max-deletions the same counts in the rows, the header and the list', async () => {
    // Before: every row said "Would delete 0" (the refusal marks the entries not attempted, and
    // the rows counted only would-delete ones) while the list and the banner said 14.
    const adapter = new FakeAdapter([...dailyBackups(7), ...dailyBackups(7, B)], [A, B]);
    const report = await runWith(adapter, {
      'resource-id': `${A},${B}`,
      generations: '1',
      'max-deletions': '2',
      'dry-run': 'true',
    });
    if (!report) throw new Error('no report');
    const html = renderSummary(report);

    expect(report.errors[0]).toMatch(/would delete 14 backups/);
    const rows = [
      ...html.matchAll(
        /<tr><td><code>vol-[^<]+<\/code><\/td><td>would create<\/td><td><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g,
      ),
    ];
    expect(rows.map((row) => [row[1], row[2]])).toEqual([
      ['0 + the new one', '7 (7 held back)'],
      ['0 + the new one', '7 (7 held back)'],
    ]);
    expect(html).toContain('<b>14</b> would delete');
    expect(html).toContain(
      '<summary>Would delete: 14 backups; 14 held back: see the failures above</summary>',
    );
    expect(html.match(/<td>held back: /g)).toHaveLength(14);
    // The dry run still predicts the real run's outputs: nothing deleted.
    expect(renderOutputs(report)['deleted-count']).toBe('0');
  });

  it('puts the short names of the rules that keep each backup on the kept entries', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    const report = await runWith(adapter, { 'resource-id': A, generations: '2' });
    expect(report?.targets[0]?.kept.map((entry) => [entry.id, entry.rules])).toEqual([
      ['snap-new-1', ['this-run', 'newest', 'generations']],
      ['snap-1', ['generations']],
    ]);
  });

  it('counts deletions in the destinations against max-deletions', async () => {
    const setup = () => ({
      home: new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]),
      eu: new FakeAdapter(
        [
          copyIn(EU, 'snap-copy-x', 'snap-gone-x', 2 * DAY),
          copyIn(EU, 'snap-copy-y', 'snap-gone-y', 3 * DAY),
        ],
        [],
        EU,
      ),
    });
    const inputs = { ...keepOne, 'copy-to-regions': EU };
    const refused = setup();
    const report = await runIn([refused.home, refused.eu], { ...inputs, 'max-deletions': '2' });
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatch(/would delete 3 backups, more than max-deletions \(2\)/);
    expect(refused.home.mutations()).toEqual([`create ${A}`]);
    expect(refused.eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);

    const allowed = setup();
    const ok = await runIn([allowed.home, allowed.eu], { ...inputs, 'max-deletions': '3' });
    expect(ok.status).toBe('success');
    expect(allowed.home.mutations()).toEqual([`create ${A}`, 'delete snap-1']);
    expect(allowed.eu.mutations()).toEqual([
      `copy snap-new-1 to ${EU}`,
      'delete snap-copy-y',
      'delete snap-copy-x',
    ]);
  });

  it('counts the failed copies it replaced against max-deletions', async () => {
    const home = new FakeAdapter(dailyBackups(2), [A]);
    const eu = new FakeAdapter(
      [copyIn(EU, 'copy-failed', 'snap-1', DAY, { state: 'failed' })],
      [],
      EU,
    );

    // One failed copy replaced plus one backup beyond retention at home: 2 deletions.
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '2',
      'copy-to-regions': EU,
      'max-deletions': '1',
    });

    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatch(/would delete 2 backups, more than max-deletions \(1\)/);
    expect(home.mutations()).toEqual([`create ${A}`]);
  });
});

describe('prune when AWS refuses or skips a deletion', () => {
  it('still outputs the backup it made when pruning that target fails afterwards', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    adapter.failDelete.add('snap-3');
    const report = await runWith(adapter, keepOne);
    if (!report) throw new Error('no report');

    expect(report.status).toBe('failed');
    expect(report.targets[0]?.outcome).toBe('created');
    expect(report.targets[0]?.message).toMatch(/Could not delete snap-3/);
    const outputs = renderOutputs(report);
    expect(outputs['backup-id']).toBe('snap-new-1');
    expect(JSON.parse(outputs['backup-ids'] ?? '')).toEqual(['snap-new-1']);
  });

  it('goes on deleting after a deletion AWS refuses, and fails the target at the end naming it', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    adapter.failDelete.add('snap-2');

    const report = await runIn([adapter], keepOne);

    // Oldest first; the refusal of snap-2 does not stop snap-1.
    expect(adapter.mutations()).toEqual([
      `create ${A}`,
      'delete snap-3',
      'delete snap-2',
      'delete snap-1',
    ]);
    expect(report.status).toBe('failed');
    expect(report.targets[0]?.message).toBe(
      '1 backup could not be deleted and is left in place; the other deletions went ahead, and the next run tries again. Could not delete snap-2: Access denied.',
    );
    expect(report.targets[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-1', 'deleted'],
      ['snap-2', 'failed'],
      ['snap-3', 'deleted'],
    ]);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: HOME, id: 'snap-1' },
      { region: HOME, id: 'snap-3' },
    ]);
  });

  it('counts every refused deletion, in the source region and in the destinations', async () => {
    const home = new FakeAdapter(dailyBackups(2), [A]);
    const eu = new FakeAdapter([copyIn(EU, 'copy-old', 'snap-gone', 5 * DAY)], [], EU);
    home.failDelete.add('snap-2');
    eu.failDelete.add('copy-old');

    const report = await runIn([home, eu], { ...keepOne, 'copy-to-regions': EU });

    expect(report.targets[0]?.message).toMatch(
      /^2 backups could not be deleted and are left in place; the other deletions went ahead/,
    );
    expect(home.mutations()).toEqual([`create ${A}`, 'delete snap-2', 'delete snap-1']);
  });

  it('stays green when AWS leaves a deletion skipped (locked), and says what was left in place', async () => {
    const adapter = new FakeAdapter(dailyBackups(3), [A]);
    adapter.skipDelete.add('snap-2');

    const report = await runIn([adapter], keepOne);

    expect(report.status).toBe('success');
    expect(adapter.mutations()).toEqual([
      `create ${A}`,
      'delete snap-3',
      'delete snap-2',
      'delete snap-1',
    ]);
    expect(report.targets[0]).toMatchObject({ ok: true, outcome: 'created' });
    expect(report.targets[0]?.message).toBe(
      `Left in place, as AWS refused to delete them (see warnings): snap-2 in ${HOME}.`,
    );
    expect(report.targets[0]?.warnings).toContain(
      'snap-2 is locked (EBS snapshot lock); left in place.',
    );
    expect(report.targets[0]?.deleted.find((d) => d.id === 'snap-2')?.result).toBe('skipped');
  });
});
