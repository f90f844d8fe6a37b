/**
 * Cross-region copies against moto, for every target type: the copies a destination region holds
 * after runs of the bundled action, their tags, and their own retention there.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createVolume,
  jsonOutput,
  reset,
  runAction,
  snapshotsOfSet,
  listSnapshots,
  type ActionRun,
} from './helpers.js';

const HOME = 'ap-northeast-1';
const DR = 'us-east-1';

function expectSuccess(run: ActionRun): void {
  expect(
    { code: run.code, status: run.outputs.status },
    `action log:\n${run.stdout}\n${run.stderr}`,
  ).toEqual({ code: 0, status: 'success' });
}

beforeEach(reset);

describe('ebs-volume copies', () => {
  it('after two runs the DR region holds exactly one copy, of the newest backup', async () => {
    const volume = await createVolume(HOME, { Name: 'data' });
    const inputs = {
      'target-type': 'ebs-volume',
      'resource-id': volume,
      region: HOME,
      generations: '3',
      'copy-to-regions': DR,
      'copy-generations': '1',
    };
    const first = await runAction(inputs, { runId: '1', region: HOME });
    expectSuccess(first);
    const second = await runAction(inputs, { runId: '2', region: HOME });
    expectSuccess(second);
    console.log(second.stdout);
    const home = await snapshotsOfSet(volume, 'default', HOME);
    expect(home).toHaveLength(2);
    const copies = (await listSnapshots(undefined, DR)).filter(
      (s) => s.tags['snapshot-rotation:backup-set'] === 'default',
    );
    expect(copies).toHaveLength(1);
    expect(copies[0]?.tags['snapshot-rotation:copy-of']).toBe(second.outputs['backup-id']);
    expect(jsonOutput(second, 'copies')).toEqual([
      { region: DR, id: copies[0]?.id, 'source-id': second.outputs['backup-id'] },
    ]);
  });
});
