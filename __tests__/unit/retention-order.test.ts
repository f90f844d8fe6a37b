import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TAGS } from '../../src/constants.js';
import type { Backup } from '../../src/model.js';
import { planCreate } from '../../src/plan.js';
import { newestFirst, newestFirstOrder } from '../../src/newest-first.js';
import { arbitraryListing, arbitraryState } from './arbitraries.js';
import { backup, HOUR, NOW } from './fixtures.js';

/** Backups of few times and few ids, so that ties of time, and of time and id, are common. */
const tiedBackups = fc.array(
  fc
    .record({ hours: fc.integer({ min: 0, max: 4 }), id: fc.constantFrom('a', 'b', 'c', 'd') })
    .map(({ hours, id }) => backup(`snap-${id}`, hours * HOUR)),
  { maxLength: 30 },
);

describe('newestFirstOrder', () => {
  it('orders as sorting by newestFirst does, ties included (the same records, in the same order)', () => {
    fc.assert(
      fc.property(tiedBackups, (backups) => {
        const order = newestFirstOrder(
          backups.map((b) => b.createdAt.getTime()),
          backups.map((b) => b.id),
        );
        const sorted = order.map((index) => backups[index] as Backup);
        const expected = [...backups].sort(newestFirst);
        expect(sorted.length).toBe(expected.length);
        sorted.forEach((item, index) => expect(item).toBe(expected[index]));
      }),
    );
  });
});

/** planCreate as it was: the first of the usable backups sorted newest first. */
function planCreateBySorting(
  existing: readonly Backup[],
  context: { runId?: string; minIntervalMs?: number },
): { action: string; backup?: Backup } {
  const usable = existing.filter((b) => b.state !== 'failed').sort(newestFirst);
  const sameRun = context.runId
    ? usable.find((b) => b.tags[TAGS.run] === context.runId)
    : undefined;
  if (sameRun) return { action: 'reuse', backup: sameRun };
  const newest = usable[0];
  if (newest && context.minIntervalMs !== undefined) {
    if (NOW.getTime() - newest.createdAt.getTime() < context.minIntervalMs) {
      return { action: 'skip', backup: newest };
    }
  }
  return { action: 'create' };
}

describe('planCreate without sorting', () => {
  it('decides as the first usable backup of the sorted listing says, ties included', () => {
    const listing = fc.oneof(
      arbitraryListing({ runIds: ['7', '8', undefined], ageHours: { min: 0, max: 6 } }),
      tiedBackups.chain((backups) =>
        fc
          .tuple(
            fc.array(arbitraryState, { minLength: backups.length, maxLength: backups.length }),
            fc.array(fc.constantFrom('7', '8'), {
              minLength: backups.length,
              maxLength: backups.length,
            }),
          )
          .map(([states, runs]) =>
            backups.map((b, i) => ({
              ...b,
              state: states[i] ?? 'completed',
              tags: { [TAGS.run]: runs[i] ?? '7' },
            })),
          ),
      ),
    );
    const interval = fc.option(fc.integer({ min: 0, max: 8 * HOUR }), { nil: undefined });
    fc.assert(
      fc.property(
        listing,
        fc.constantFrom('7', '9', undefined),
        interval,
        (backups, runId, minIntervalMs) => {
          const context = {
            now: NOW,
            ...(runId ? { runId } : {}),
            ...(minIntervalMs !== undefined ? { minIntervalMs } : {}),
          };
          const decision = planCreate(backups, context);
          const expected = planCreateBySorting(backups, context);
          expect(decision.action).toBe(expected.action);
          if (decision.action !== 'create') expect(decision.backup).toBe(expected.backup);
        },
      ),
    );
  });
});
