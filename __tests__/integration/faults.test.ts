/**
 * The bundled action on its worst day (issue 7), against moto through a proxy that injects faults:
 * throttling storms, hard failures, crashes (SIGKILL) at chosen points and cancellation (SIGTERM).
 * Every scenario ends by checking what moto holds: nothing that should be kept is ever deleted, and
 * repeated runs converge on the exact expected state.
 */
import { describe, expect, it } from 'vitest';
import { AWS_SEMANTICS, type FidelityOptions } from '../../scripts/aws-fidelity.mjs';
import {
  faults,
  type Answer,
  type BeforeHook,
  type AfterHook,
  type Call,
  type CountingProxy,
} from '../../scripts/counting-proxy.mjs';
import {
  TAG,
  backupIds,
  createDbInstance,
  createInstance,
  imagesOfSet,
  createManualSnapshot,
  createVolume,
  dbSnapshotsOfSet,
  expectSuccess,
  jsonOutput,
  listSnapshots,
  proxyPerTest,
  runAction,
  runIds,
  runLog,
  snapshotsOfSet,
  successfulRuns,
  tagSnapshot,
  type ActionRun,
  type RunActionOptions,
} from './helpers.js';

const KEEP = { [TAG.keep]: 'true' };
const MUTATING = /^(Create|Delete|Copy|Deregister|Modify)/;

/**
 * A proxy in front of moto with these hooks, behaving as AWS documents (AWS_SEMANTICS unless
 * `fidelity` says otherwise); stopped after the test (moto is reset before each).
 */
const through = proxyPerTest();

/** Ids of a volume's snapshots of the set, oldest first. */
async function setIds(volume: string, set = 'default'): Promise<string[]> {
  return (await snapshotsOfSet(volume, set)).map((snapshot) => snapshot.id);
}

describe('a throttling storm', () => {
  it(
    'leaves exactly the expected generations after six green runs with 15% of calls throttled or failed',
    { timeout: 300_000 },
    async () => {
      const volumes = await Promise.all([1, 2, 3, 4].map(() => createVolume()));
      const manual = await createManualSnapshot(volumes[0]!);
      const storm = await through({ before: faults({ rate: 0.15, seed: 7 }) });
      const inputs = {
        'target-type': 'ebs-volume',
        'resource-id': volumes.join(','),
        generations: '3',
      };
      const made = new Map<string, string[]>(volumes.map((volume) => [volume, []]));
      let protectedId = '';

      for (let run = 1; run <= 6; run++) {
        const result = await runAction(inputs, {
          endpoint: storm.endpoint,
          runId: String(7100 + run),
        });
        expectSuccess(result);
        const ids = jsonOutput<string[]>(result, 'backup-ids');
        volumes.forEach((volume, index) => made.get(volume)!.push(ids[index]!));
        if (run === 1) {
          // The first backup of the first volume is protected by hand: it must survive every run.
          protectedId = ids[0]!;
          await tagSnapshot(protectedId, KEEP);
        }
      }

      // The storm was real: about one call in seven was answered with a fault.
      expect(storm.calls.filter((call) => call.fault).length).toBeGreaterThanOrEqual(5);
      // The three newest of each volume, plus the protected one; the hand-made one untouched.
      expect(await setIds(volumes[0]!)).toEqual([protectedId, ...made.get(volumes[0]!)!.slice(-3)]);
      for (const volume of volumes.slice(1)) {
        expect(await setIds(volume)).toEqual(made.get(volume)!.slice(-3));
      }
      expect((await listSnapshots(volumes[0])).map((s) => s.id)).toContain(manual);
    },
  );

  it('keeps RDS generations exact with 15% of the RDS calls answered Throttling or InternalFailure', async () => {
    const instance = await createDbInstance('orders-db');
    const storm = await through({ before: faults({ rate: 0.15, seed: 11, services: ['rds'] }) });
    const made = backupIds(
      await successfulRuns(
        { 'target-type': 'rds-instance', 'resource-id': instance, generations: '2' },
        runIds(7201, 4),
        { endpoint: storm.endpoint },
      ),
    );
    expect(storm.calls.filter((call) => call.fault).length).toBeGreaterThan(0);
    expect((await dbSnapshotsOfSet(instance)).map((s) => s.id).sort()).toEqual(
      made.slice(-2).sort(),
    );
  });
});

describe('hard failures', () => {
  it('fails targets cleanly under refused changes, never deleting what must be kept, and converges after', async () => {
    const volumes = [await createVolume(), await createVolume(), await createVolume()];
    const inputs = {
      'target-type': 'ebs-volume',
      'resource-id': volumes.join(','),
      generations: '2',
    };
    // A clean start: two backups of each volume, the first of volume 0 protected.
    await successfulRuns(inputs, runIds(7301, 2));
    const protectedId = (await setIds(volumes[0]!))[0]!;
    await tagSnapshot(protectedId, KEEP);

    // Then a third of the creates and deletes are refused for good (not retryable).
    const refuse = faults({ rate: 1 / 3, seed: 3, serverErrors: false });
    const refused: Answer = {
      status: 400,
      body:
        '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>IncorrectState</Code>' +
        '<Message>Simulated refusal.</Message></Error></Errors><RequestID>f</RequestID></Response>',
    };
    const chaos = await through({
      before: (call: Call) => (MUTATING.test(call.action) && refuse(call) ? refused : undefined),
    });
    let partial = 0;
    for (let run = 3; run <= 8; run++) {
      const before = new Map(
        await Promise.all(volumes.map(async (v) => [v, await setIds(v)] as const)),
      );
      const result = await runAction(inputs, {
        endpoint: chaos.endpoint,
        runId: String(7300 + run),
      });
      expect(['success', 'partial', 'failed'], runLog(result)).toContain(result.outputs.status);
      if (result.outputs.status !== 'success') {
        partial += 1;
        expect(result.code).toBe(1);
      }
      const made = jsonOutput<string[]>(result, 'backup-ids');
      for (const volume of volumes) {
        const now = await setIds(volume);
        // Never below the generations kept, the newest backup never lost, protection honoured.
        expect(now.length).toBeGreaterThanOrEqual(2);
        expect(now).toContain(before.get(volume)!.at(-1));
      }
      for (const id of made) expect((await listSnapshots()).map((s) => s.id)).toContain(id);
      expect(await setIds(volumes[0]!)).toContain(protectedId);
    }
    expect(partial).toBeGreaterThan(0);

    // The storm is over: one clean run leaves exactly two generations (plus the protected one).
    const clean = await runAction(inputs, { runId: '7399' });
    expectSuccess(clean);
    const last = jsonOutput<string[]>(clean, 'backup-ids');
    for (const [index, volume] of volumes.entries()) {
      const ids = await setIds(volume);
      expect(ids).toHaveLength(index === 0 ? 3 : 2);
      expect(ids.at(-1)).toBe(last[index]);
    }
    expect(await setIds(volumes[0]!)).toContain(protectedId);
  });
});

/**
 * Runs the action and kills it with SIGKILL when `killAt` says so for a call (before the call
 * reaches moto, or, with `afterMoto`, once moto has carried it out but before the action hears the
 * answer). The call that triggers the kill is held, so the action never sees its outcome.
 */
async function crashRun(
  inputs: Record<string, string>,
  runId: string,
  killAt: (call: Call) => boolean,
  afterMoto = false,
  fidelity: FidelityOptions = AWS_SEMANTICS,
): Promise<ActionRun> {
  const controller = new AbortController();
  const hold = (): Promise<Answer> => {
    controller.abort();
    return new Promise<Answer>(() => {});
  };
  const crash = await through(
    afterMoto
      ? { fidelity, after: (call, answer) => (killAt(call) ? hold() : answer) }
      : { fidelity, before: (call) => (killAt(call) ? hold() : undefined) },
  );
  const options: RunActionOptions = {
    endpoint: crash.endpoint,
    runId,
    signal: controller.signal,
    killSignal: 'SIGKILL',
  };
  const run = await runAction(inputs, options);
  expect(run.code, runLog(run)).toBeNull();
  await crash.stop();
  return run;
}

describe('crash and re-run with the same run id', () => {
  const inputs = (volume: string): Record<string, string> => ({
    'target-type': 'ebs-volume',
    'resource-id': volume,
    generations: '2',
  });

  /** A volume with `count` backups of the set, made by earlier (uncrashed) runs. */
  async function volumeWithBackups(count: number): Promise<{ volume: string; ids: string[] }> {
    const volume = await createVolume();
    await successfulRuns({ ...inputs(volume), generations: String(count) }, runIds(7401, count));
    return { volume, ids: await setIds(volume) };
  }

  it('killed between create and prune: the re-run reuses the backup and prunes, no duplicate', async () => {
    const { volume, ids } = await volumeWithBackups(2);
    let creates = 0;
    await crashRun(inputs(volume), '7450', (call) => {
      if (call.action === 'CreateSnapshot') creates += 1;
      return call.action === 'DeleteSnapshot';
    });
    expect(creates).toBe(1);
    const afterCrash = await setIds(volume);
    expect(afterCrash).toHaveLength(3); // the new one made, nothing pruned yet

    const rerun = await runAction(inputs(volume), { runId: '7450' });
    expectSuccess(rerun);
    expect(rerun.outputs['backup-id']).toBe(afterCrash[2]);
    expect(rerun.summary).toMatch(/reused/);
    expect(await setIds(volume)).toEqual([ids[1], afterCrash[2]]);
  });

  it('killed after AWS made the snapshot but before the action heard it: no duplicate on re-run', async () => {
    const { volume, ids } = await volumeWithBackups(1);
    await crashRun(inputs(volume), '7460', (call) => call.action === 'CreateSnapshot', true);
    const made = (await snapshotsOfSet(volume)).filter((s) => s.tags[TAG.run] === '7460');
    expect(made).toHaveLength(1);

    const rerun = await runAction(inputs(volume), { runId: '7460' });
    expectSuccess(rerun);
    expect(rerun.outputs['backup-id']).toBe(made[0]!.id);
    expect(await setIds(volume)).toEqual([ids[0], made[0]!.id]);
  });

  it('killed in the middle of pruning: the re-run deletes the rest and keeps the generations', async () => {
    const { volume, ids } = await volumeWithBackups(5);
    // Generations 5 → 2: three deletions; the first goes through, the kill comes at the second.
    let deletes = 0;
    await crashRun(inputs(volume), '7470', (call) => {
      if (call.action === 'DeleteSnapshot') deletes += 1;
      return deletes === 2;
    });
    const afterCrash = await setIds(volume);
    expect(afterCrash).toHaveLength(5); // 5 + the new one − the one deleted

    const rerun = await runAction(inputs(volume), { runId: '7470' });
    expectSuccess(rerun);
    expect(await setIds(volume)).toEqual([ids[4], afterCrash.at(-1)]);
  });
});

describe('crash in the middle of pruning an image', () => {
  it('killed after deregistering an image whose snapshots AWS did not delete: the re-run deletes them', async () => {
    const instance = await createInstance();
    const inputs = { 'target-type': 'ec2-image', 'resource-id': instance, generations: '2' };
    await successfulRuns(inputs, runIds(7501, 2));
    const [oldest, second] = await imagesOfSet(instance);
    expect(oldest!.snapshotIds.length).toBeGreaterThan(0);

    // AWS reports the snapshots not deleted (DeleteAssociatedSnapshots answered for none of them,
    // as when it answers internal-error), and the run is killed before its own DeleteSnapshot.
    await crashRun(inputs, '7510', (call) => call.action === 'DeleteSnapshot', false, {
      ...AWS_SEMANTICS,
      deregistration: false,
    });
    const afterCrash = await imagesOfSet(instance);
    expect(afterCrash.map((image) => image.id)).not.toContain(oldest!.id);
    const all = (await listSnapshots()).map((snapshot) => snapshot.id);
    // The crash left the deregistered image's snapshots behind.
    for (const id of oldest!.snapshotIds) expect(all).toContain(id);

    const rerun = await runAction(inputs, { runId: '7510' });
    expectSuccess(rerun);
    const deleted = jsonOutput<{ id: string }[]>(rerun, 'deleted-ids').map((entry) => entry.id);
    expect(deleted.sort()).toEqual([...oldest!.snapshotIds].sort());
    expect(rerun.summary).toMatch(/no longer registered/);
    const images = await imagesOfSet(instance);
    expect(images.map((image) => image.id)).toEqual([second!.id, afterCrash.at(-1)!.id]);
    const left = (await listSnapshots()).map((snapshot) => snapshot.id);
    for (const id of oldest!.snapshotIds) expect(left).not.toContain(id);
    for (const image of images) for (const id of image.snapshotIds) expect(left).toContain(id);
  });
});

describe('cancellation (SIGTERM, as the runner cancels)', () => {
  /** Answers that show every snapshot as pending, so the action waits for its new one. */
  const pending: AfterHook = (call, answer) =>
    /^(CreateSnapshot|DescribeSnapshots)$/.test(call.action)
      ? {
          ...answer,
          body: answer.body
            .toString()
            .replaceAll('<status>completed</status>', '<status>pending</status>'),
        }
      : answer;

  async function cancelWhen(
    inputs: Record<string, string>,
    hooks: { before?: BeforeHook; after?: AfterHook },
    trigger: (call: Call) => boolean,
  ): Promise<{ run: ActionRun; exitMs: number; changesAfter: string[]; watch: CountingProxy }> {
    const controller = new AbortController();
    let cancelledAt = 0;
    let callsAtCancel = 0;
    const watch = await through({
      ...hooks,
      before: async (call) => {
        if (!controller.signal.aborted && trigger(call)) {
          // The call goes on; SIGTERM arrives a moment later, while the action waits for it.
          setTimeout(() => {
            cancelledAt = performance.now();
            callsAtCancel = watch.calls.length;
            controller.abort();
          }, 300);
        }
        return hooks.before ? hooks.before(call) : undefined;
      },
    });
    const run = await runAction(inputs, {
      endpoint: watch.endpoint,
      signal: controller.signal,
      killSignal: 'SIGTERM',
      timeoutMs: 60_000,
    });
    const exitMs = performance.now() - cancelledAt;
    const changesAfter = watch.calls
      .slice(callsAtCancel)
      .filter((call) => MUTATING.test(call.action))
      .map((call) => call.action);
    return { run, exitMs, changesAfter, watch };
  }

  it('mid-wait: exits within 5 s, makes no new change, writes outputs and the summary, fails', async () => {
    const volume = await createVolume();
    const { run, exitMs, changesAfter } = await cancelWhen(
      { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '1' },
      { after: pending },
      (call) => call.action === 'CreateSnapshot',
    );

    expect(run.stdout).toMatch(/Waiting up to .* for snap-/);
    expect(exitMs, runLog(run)).toBeLessThan(5000);
    expect(run.code).toBe(1);
    expect(changesAfter).toEqual([]);
    expect(run.outputs.status).toBe('failed');
    expect(run.summary).toMatch(/cancel/i);
    expect(run.stdout).toMatch(/::error::.*cancel/i);
    // The snapshot made before the cancellation is left in place for later runs to count.
    expect(await setIds(volume)).toHaveLength(1);
  });

  it('during a slow AWS call: exits within 5 s and changes nothing at all', async () => {
    const volume = await createVolume();
    const slow: BeforeHook = async (call) => {
      if (call.action === 'DescribeSnapshots') await new Promise((r) => setTimeout(r, 30_000));
      return undefined;
    };
    const { run, exitMs, changesAfter, watch } = await cancelWhen(
      { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '1' },
      { before: slow },
      (call) => call.action === 'DescribeSnapshots',
    );

    expect(exitMs, runLog(run)).toBeLessThan(5000);
    expect(run.code).toBe(1);
    expect(changesAfter).toEqual([]);
    expect(watch.calls.filter((call) => MUTATING.test(call.action))).toEqual([]);
    expect(run.outputs.status).toBe('failed');
    expect(run.summary).toMatch(/cancel/i);
    expect(await listSnapshots()).toEqual([]);
  });
});
