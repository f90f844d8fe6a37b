/**
 * A fleet in one run (issue 6): 200 volumes found by `resource-tags` among untagged ones, every AWS
 * call counted by a proxy between the bundled action and moto. Each tagged volume gets exactly one
 * snapshot of the set, the others none, and the describe calls stay a small constant: the volumes
 * are found by one server-side-filtered listing and the set by one more, whatever the fleet's size.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../../scripts/counting-proxy.mjs';
import {
  MISSING_VOLUME,
  REGION,
  createVolume,
  expectStatus,
  jsonOutput,
  listSnapshots,
  motoEndpoint,
  reset,
  runAction,
} from './helpers.js';

const FLEET = 200;
const UNTAGGED = 40;
/** 200 CreateSnapshot calls, 50 at once then 5 per second, take 30 s before moto's own time. */
const FLEET_RUN_TIMEOUT_MS = 240_000;

let proxy: CountingProxy;

beforeAll(async () => {
  proxy = await startCountingProxy(motoEndpoint());
});
afterAll(() => proxy.stop());
beforeEach(async () => {
  await reset();
  proxy.reset();
});

/** Describe calls of the run, by action: the listings and lookups, never per target. */
function describes(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(proxy.byAction()).filter(([action]) => action.includes(':Describe')),
  );
}

/** Makes `count` volumes with `tags`, a few at a time, in creation order. */
async function volumes(count: number, tags: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Math.min(20, count - i);
    ids.push(
      ...(await Promise.all(Array.from({ length: batch }, () => createVolume(REGION, tags)))),
    );
  }
  return ids;
}

describe('a fleet of volumes found by tags', () => {
  it(
    'backs up 200 tagged volumes among untagged ones with one snapshot each and a constant number of describes',
    { timeout: FLEET_RUN_TIMEOUT_MS },
    async () => {
      const tagged = await volumes(FLEET, { backup: 'nightly', team: 'data' });
      const untagged = await volumes(UNTAGGED, { team: 'data' });
      const otherSchedule = await volumes(5, { backup: 'weekly' });
      const inputs = {
        'target-type': 'ebs-volume',
        'resource-tags': 'backup=nightly',
        'backup-set': 'fleet',
        generations: '3',
      };

      // First the dry run a fan-out job would make: the targets, and no change at all.
      const dry = await runAction({ ...inputs, 'dry-run': 'true' }, { endpoint: proxy.endpoint });
      expectStatus(dry, 'success', 0);
      expect(jsonOutput<string[]>(dry, 'targets').sort()).toEqual([...tagged].sort());
      expect(proxy.count({ action: /^(Create|Delete|Copy|Deregister)/ })).toBe(0);
      expect(await listSnapshots()).toEqual([]);
      const dryDescribes = describes();
      proxy.reset();

      const run = await runAction(inputs, {
        endpoint: proxy.endpoint,
        runId: '6001',
        timeoutMs: FLEET_RUN_TIMEOUT_MS - 10_000,
      });

      expectStatus(run, 'success', 0);
      expect(jsonOutput<string[]>(run, 'targets').sort()).toEqual([...tagged].sort());
      const made = jsonOutput<string[]>(run, 'backup-ids');
      expect(new Set(made).size).toBe(FLEET);

      const snapshots = await listSnapshots();
      const perVolume = new Map<string, number>();
      for (const snapshot of snapshots) {
        expect(snapshot.tags).toMatchObject({
          'snapshot-rotation:backup-set': 'fleet',
          'snapshot-rotation:source': snapshot.volumeId,
          'snapshot-rotation:run': '6001',
        });
        perVolume.set(snapshot.volumeId, (perVolume.get(snapshot.volumeId) ?? 0) + 1);
      }
      expect([...perVolume.keys()].sort()).toEqual([...tagged].sort());
      expect([...perVolume.values()].every((count) => count === 1)).toBe(true);
      for (const id of [...untagged, ...otherSchedule]) expect(perVolume.has(id)).toBe(false);

      // One CreateSnapshot per target, and the reads do not grow with the fleet: one volume lookup
      // by tags and one listing of the set (moto answers in one page), as in the dry run.
      expect(proxy.count({ service: 'ec2', action: 'CreateSnapshot' })).toBe(FLEET);
      expect(describes()).toEqual({ 'ec2:DescribeVolumes': 1, 'ec2:DescribeSnapshots': 1 });
      expect(dryDescribes).toEqual(describes());
      expect(proxy.calls.length).toBe(FLEET + 2);
    },
  );
});

describe('resource ids and tags together', () => {
  it('backs up every good volume when one id is missing, ends partial and fails the step', async () => {
    const byId = await volumes(3, {});
    const byTags = await volumes(4, { backup: 'nightly' });
    const missing = MISSING_VOLUME;

    const run = await runAction(
      {
        'target-type': 'ebs-volume',
        'resource-id': [byId[0], missing, byId[1], byId[2]].join('\n'),
        'resource-tags': 'backup=nightly',
        generations: '2',
      },
      { endpoint: proxy.endpoint, runId: '6002' },
    );

    expectStatus(run, 'partial', 1);
    // The named ones in the order given, then the ones found by tags, by id; then the one not
    // found: `targets` lists every target, and `report` says which failed.
    const good = [...byId, ...[...byTags].sort()];
    expect(jsonOutput<string[]>(run, 'targets')).toEqual([...good, missing]);
    expect(
      jsonOutput<{ targets: { sourceId: string; ok: boolean }[] }>(run, 'report').targets.map(
        (target) => [target.sourceId, target.ok],
      ),
    ).toEqual([...good.map((id) => [id, true]), [missing, false]]);
    expect(jsonOutput<string[]>(run, 'backup-ids')).toHaveLength(good.length);
    const sources = (await listSnapshots()).map((snapshot) => snapshot.volumeId).sort();
    expect(sources).toEqual([...good].sort());
    expect(run.stdout).toMatch(new RegExp(`::error::.*${missing}`));
    expect(run.summary).toContain(missing);
    // Ids in one filtered lookup, tags in another; one listing of the set.
    expect(describes()).toEqual({ 'ec2:DescribeVolumes': 2, 'ec2:DescribeSnapshots': 1 });
  });
});
