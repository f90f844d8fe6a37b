// Properties of whole runs (src/main.ts and every phase) over arbitrary listings, with fast-check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TAGS } from '../../src/constants.js';
import { arbitraryListing } from './arbitraries.js';
import { FakeAdapter, quietRuns, runIn } from './fake-adapter.js';
import { A, B, C } from './fixtures.js';

quietRuns();

describe('run properties (fast-check, over the whole orchestration)', () => {
  // Valid volume ids: the run refuses any other before it lists or changes anything.
  const SOURCES = [A, B, C];
  const listing = arbitraryListing({
    ageHours: { min: 1, max: 3000 },
    sources: [...SOURCES, 'vol-0dddddddddddddddd'],
    sets: ['default', 'default', 'weekly'],
    maxLength: 30,
    copies: true,
    runIds: [undefined, '100', '99'],
  });
  const inputs = fc.record({
    targets: fc.subarray(SOURCES, { minLength: 1 }),
    generations: fc.integer({ min: 1, max: 6 }),
    keepWithinDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  });

  function inputsOf(spec: { targets: string[]; generations: number; keepWithinDays?: number }) {
    return {
      'resource-id': spec.targets.join(','),
      generations: String(spec.generations),
      ...(spec.keepWithinDays ? { 'keep-within': `${spec.keepWithinDays}d` } : {}),
      'max-deletions': '1000',
    };
  }

  it('deletes only completed or failed, unprotected backups of its own set and targets, never the newest or this run’s', async () => {
    await fc.assert(
      fc.asyncProperty(listing, inputs, async (backups, spec) => {
        const adapter = new FakeAdapter(
          backups.map((b) => ({ ...b })),
          SOURCES,
        );
        const report = await runIn([adapter], inputsOf(spec));
        const deleted = adapter.calls
          .filter((call) => call.startsWith('delete '))
          .map((call) => call.slice('delete '.length));
        const made = report.targets.map((t) => t.backup?.id);
        for (const id of deleted) {
          const gone = backups.find((b) => b.id === id);
          expect(gone, `deleted ${id}, which the listing did not hold`).toBeDefined();
          expect(gone!.set).toBe('default');
          expect(spec.targets).toContain(gone!.sourceId);
          expect(gone!.state).not.toBe('pending');
          expect(gone!.tags[TAGS.keep]).not.toBe('true');
          expect(gone!.copyOf).toBeUndefined();
          expect(made).not.toContain(id);
        }
        for (const source of spec.targets) {
          const completed = backups
            .filter(
              (b) =>
                b.set === 'default' &&
                b.sourceId === source &&
                !b.copyOf &&
                b.state === 'completed',
            )
            .map((b) => b.id);
          // This run's backup (made or reused) is the newest: it stays, and with it at least
          // `generations` completed ones, or all there are.
          const mine = report.targets.find((target) => target.sourceId === source)?.backup;
          expect(mine, `no backup of ${source} in the report`).toBeDefined();
          expect(deleted).not.toContain(mine!.id);
          const all = new Set([...completed, mine!.id]);
          const left = [...all].filter((id) => !deleted.includes(id)).length;
          expect(left).toBeGreaterThanOrEqual(Math.min(spec.generations, all.size));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('makes the same plan from the same input (a dry run twice, then the real run)', async () => {
    await fc.assert(
      fc.asyncProperty(listing, inputs, async (backups, spec) => {
        const plan = async (dryRun: boolean) => {
          const adapter = new FakeAdapter(
            backups.map((b) => ({ ...b })),
            SOURCES,
          );
          const report = await runIn([adapter], {
            ...inputsOf(spec),
            'dry-run': String(dryRun),
          });
          return report.targets.map((target) => ({
            source: target.sourceId,
            kept: target.kept.map((k) => k.id),
            deleted: target.deleted.map((d) => d.id),
          }));
        };
        const first = await plan(true);
        expect(await plan(true)).toEqual(first);
        // The real run deletes what the dry run said it would (its own new backup aside).
        const real = await plan(false);
        expect(real.map((t) => t.deleted)).toEqual(first.map((t) => t.deleted));
      }),
      { numRuns: 100 },
    );
  });
});
