/**
 * The bundled action against moto with quiescing (`pre-command`, `post-command`,
 * `quiesce-failure`): the commands reach SSM Run Command around the create, and the backup is
 * tagged with how it was made.
 *
 * moto 5.2.5 implements SendCommand, GetCommandInvocation and ListCommands (every invocation is
 * `Success`, exit 0, at once) but not DescribeInstanceInformation: the proxy answers it
 * (`ssmManagedInstances` of scripts/aws-fidelity.mjs) for the instances each test declares
 * managed. The order of the calls is read from the proxy (each call logged on arrival, the action
 * awaiting each), what SSM received from moto's own command history.
 */
import { AttachVolumeCommand } from '@aws-sdk/client-ec2';
import { type Command, ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { AWS_SEMANTICS } from '../../scripts/aws-fidelity.mjs';
import type { CountingProxy } from '../../scripts/counting-proxy.mjs';
import {
  MOTO_CREDENTIALS,
  REGION,
  createInstance,
  createVolume,
  ec2Client,
  expectSuccess,
  imagesOfSet,
  listSnapshots,
  motoEndpoint,
  proxyPerTest,
  runAction,
  runLog,
  snapshotsOfSet,
  type ActionRun,
} from './helpers.js';

const CONSISTENCY = 'snapshot-rotation:consistency';
const SET_ID = 'snapshot-rotation:set-id';
const PRE = 'sync; fsfreeze -f /data';
const POST = 'fsfreeze -u /data';

const ownProxy = proxyPerTest();

/** A proxy with AWS's semantics and these instances managed by Systems Manager. */
function proxyManaging(instances: string[]): Promise<CountingProxy> {
  return ownProxy({ fidelity: { ...AWS_SEMANTICS, ssmManagedInstances: instances } });
}

/** Every command moto's SSM holds, in the order it received them. */
async function commandHistory(): Promise<Command[]> {
  const ssm = new SSMClient({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: MOTO_CREDENTIALS,
  });
  return (await ssm.send(new ListCommandsCommand({}))).Commands ?? [];
}

/** An instance with a data volume attached at /dev/sdf; both ids. */
async function instanceWithVolume(): Promise<{ instance: string; volume: string }> {
  const instance = await createInstance(REGION, { Name: 'db' });
  const volume = await createVolume(REGION);
  await ec2Client().send(
    new AttachVolumeCommand({ InstanceId: instance, VolumeId: volume, Device: '/dev/sdf' }),
  );
  return { instance, volume };
}

const quiesceInputs = (
  targetType: string,
  resourceId: string,
  extra: Record<string, string> = {},
): Record<string, string> => ({
  'target-type': targetType,
  'resource-id': resourceId,
  generations: '3',
  'pre-command': PRE,
  'post-command': POST,
  ...extra,
});

/** Position of the n-th (0-based) call of this service and action in the proxy's log. */
function callIndex(proxy: CountingProxy, action: string, n = 0): number {
  const positions = proxy.calls.flatMap((call, index) => (call.action === action ? [index] : []));
  return positions[n] ?? -1;
}

/**
 * The run sent the pre command, saw it end, made the backup with `create`, then sent the post
 * command, both to `instance`; moto's command history holds exactly those two, in that order.
 */
async function expectQuiescedAround(
  proxy: CountingProxy,
  run: ActionRun,
  create: string,
  instance: string,
): Promise<void> {
  expectSuccess(run);
  const pre = callIndex(proxy, 'SendCommand', 0);
  const preEnded = callIndex(proxy, 'GetCommandInvocation', 0);
  const made = callIndex(proxy, create);
  const post = callIndex(proxy, 'SendCommand', 1);
  const order = proxy.calls.map((call) => `${call.service}:${call.action}`).join('\n');
  expect(pre, order).toBeGreaterThanOrEqual(0);
  expect(preEnded, order).toBeGreaterThan(pre);
  expect(made, order).toBeGreaterThan(preEnded);
  expect(post, order).toBeGreaterThan(made);
  expect(proxy.count({ service: 'ssm', action: 'SendCommand' }), order).toBe(2);

  const history = await commandHistory();
  expect(
    history.map((command) => ({
      document: command.DocumentName,
      instances: command.InstanceIds,
      commands: command.Parameters?.commands,
    })),
  ).toEqual([
    { document: 'AWS-RunShellScript', instances: [instance], commands: [PRE] },
    { document: 'AWS-RunShellScript', instances: [instance], commands: [POST] },
  ]);
  const [first, second] = history.map((command) => command.RequestedDateTime?.getTime() ?? 0);
  expect(first).toBeLessThanOrEqual(second ?? 0);
}

describe('quiescing through SSM Run Command', () => {
  it('ebs-volume: the pre command before the snapshot of an attached volume, the post after it', async () => {
    const { instance, volume } = await instanceWithVolume();
    const proxy = await proxyManaging([instance]);
    const run = await runAction(quiesceInputs('ebs-volume', volume), { endpoint: proxy.endpoint });
    await expectQuiescedAround(proxy, run, 'CreateSnapshot', instance);
    const snapshots = await snapshotsOfSet(volume);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.tags[CONSISTENCY]).toBe('application-consistent');
    expect(run.summary).toContain('Quiescing');
  });

  it('ec2-image: the pre command before CreateImage, the post after it', async () => {
    const instance = await createInstance(REGION, { Name: 'web' });
    const proxy = await proxyManaging([instance]);
    const run = await runAction(quiesceInputs('ec2-image', instance), {
      endpoint: proxy.endpoint,
    });
    await expectQuiescedAround(proxy, run, 'CreateImage', instance);
    const images = await imagesOfSet(instance);
    expect(images).toHaveLength(1);
    expect(images[0]?.tags[CONSISTENCY]).toBe('application-consistent');
  });

  it('ec2-instance: the pre command before CreateSnapshots, the post after it; every member tagged', async () => {
    const { instance } = await instanceWithVolume();
    const proxy = await proxyManaging([instance]);
    const run = await runAction(quiesceInputs('ec2-instance', instance), {
      endpoint: proxy.endpoint,
    });
    await expectQuiescedAround(proxy, run, 'CreateSnapshots', instance);
    const members = (await listSnapshots(undefined, REGION)).filter((s) => s.tags[SET_ID]);
    expect(members).toHaveLength(2);
    for (const member of members) expect(member.tags[CONSISTENCY]).toBe('application-consistent');
  });

  it('an instance Systems Manager does not manage: backed up crash-consistent (default), no command sent', async () => {
    const { instance, volume } = await instanceWithVolume();
    const other = await createInstance(REGION);
    const proxy = await proxyManaging([other]);
    const run = await runAction(quiesceInputs('ebs-volume', volume), { endpoint: proxy.endpoint });
    expectSuccess(run);
    expect(proxy.count({ service: 'ssm', action: 'DescribeInstanceInformation' })).toBe(1);
    expect(proxy.count({ service: 'ssm', action: 'SendCommand' })).toBe(0);
    expect(await commandHistory()).toEqual([]);
    const snapshots = await snapshotsOfSet(volume);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.tags[CONSISTENCY]).toBe('crash-consistent');
    expect(run.stdout).toContain(`${instance} is not a managed instance of Systems Manager`);
  });

  it('an instance Systems Manager does not manage, with quiesce-failure: skip: no backup, the reason in the summary', async () => {
    const { instance, volume } = await instanceWithVolume();
    const proxy = await proxyManaging([]);
    const run = await runAction(
      quiesceInputs('ebs-volume', volume, { 'quiesce-failure': 'skip' }),
      { endpoint: proxy.endpoint },
    );
    expect(await snapshotsOfSet(volume)).toEqual([]);
    expect(run.outputs['backup-id'] ?? '', runLog(run)).toBe('');
    expectSuccess(run);
    const report = JSON.parse(run.outputs.report ?? '{}') as {
      targets: { outcome: string; quiesce?: { consistency?: string } }[];
    };
    expect(report.targets[0]?.outcome).toBe('skipped');
    expect(report.targets[0]?.quiesce?.consistency).toBeUndefined();
    expect(proxy.count({ service: 'ssm', action: 'SendCommand' })).toBe(0);
    expect(run.summary).toContain(`${instance} is not a managed instance of Systems Manager`);
    expect(run.summary).toContain('quiesce-failure: skip');
  });
});
