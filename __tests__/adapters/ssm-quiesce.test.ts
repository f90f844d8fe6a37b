// The SSM Run Command calls of quiescing (src/targets/ssm-quiesce.ts), over aws-sdk-client-mock:
// the managed check, the command sent, and its invocation polled: first not found (pending, as AWS
// documents), then in progress, then Success, Failed or TimedOut; the run's own timeout by its clock.
import { afterEach, describe, expect, it } from 'vitest';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { ssmClient } from '../../src/aws.js';
import { TargetError } from '../../src/errors.js';
import { SsmQuiescer } from '../../src/targets/ssm-quiesce.js';

const INSTANCE = 'i-0123456789abcdef0';
const client = ssmClient('us-east-1');
const ssm = mockClient(client);

afterEach(() => ssm.reset());

/** A clock that moves only when the quiescer sleeps. */
function harness() {
  let now = Date.parse('2026-11-22T12:00:00Z');
  const sleeps: number[] = [];
  const quiescer = new SsmQuiescer(client, 'us-east-1', {
    clock: () => new Date(now),
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    pollMs: 1_000,
  });
  return { quiescer, sleeps };
}

const notFound = () =>
  new SSMServiceException({
    name: 'InvocationDoesNotExist',
    $fault: 'client',
    $metadata: {},
    message: 'InvocationDoesNotExist',
  });

describe('the managed check', () => {
  it('asks DescribeInstanceInformation with an InstanceIds filter and accepts an Online agent', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolves({ InstanceInformationList: [{ InstanceId: INSTANCE, PingStatus: 'Online' }] });
    await expect(harness().quiescer.unavailable(INSTANCE)).resolves.toBeUndefined();
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)[0]?.args[0].input).toEqual({
      Filters: [{ Key: 'InstanceIds', Values: [INSTANCE] }],
    });
  });

  it('names an instance that is not managed, and one whose agent is not online', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [] })
      .resolvesOnce({
        InstanceInformationList: [{ InstanceId: INSTANCE, PingStatus: 'ConnectionLost' }],
      });
    const { quiescer } = harness();
    expect(await quiescer.unavailable(INSTANCE)).toMatch(/not a managed instance.*SSM agent/);
    expect(await quiescer.unavailable(INSTANCE)).toMatch(/ConnectionLost, not Online/);
  });

  it('words a refusal as a sentence naming the instance', async () => {
    ssm.on(DescribeInstanceInformationCommand).rejects(
      new SSMServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: {},
        message: 'not authorized',
      }),
    );
    const error = await harness()
      .quiescer.unavailable(INSTANCE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).message).toContain(
      `Could not check that ${INSTANCE} is managed by Systems Manager`,
    );
  });
});

describe('a command', () => {
  it('is sent with its document and parameters to the one instance', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    const id = await harness().quiescer.send(INSTANCE, {
      document: 'AWS-RunShellScript',
      parameters: { commands: ['sync'], executionTimeout: ['30'] },
    });
    expect(id).toBe('cmd-1');
    expect(ssm.commandCalls(SendCommandCommand)[0]?.args[0].input).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [INSTANCE],
      Parameters: { commands: ['sync'], executionTimeout: ['30'] },
    });
  });

  it.each([
    ['Success' as const, 0, 'frozen'],
    ['Failed' as const, 1, 'fsfreeze: /data: Device or resource busy'],
  ])('is polled through not found and InProgress to %s', async (status, code, output) => {
    ssm
      .on(GetCommandInvocationCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({ Status: 'InProgress', ResponseCode: -1 })
      .resolves({ Status: status, ResponseCode: code, StandardOutputContent: `${output}\n\n` });
    const { quiescer, sleeps } = harness();
    const outcome = await quiescer.outcome('cmd-1', INSTANCE, 30_000);
    expect(outcome).toEqual({ status, exitCode: code, output });
    expect(sleeps).toEqual([1_000, 1_000]);
    expect(ssm.commandCalls(GetCommandInvocationCommand)[0]?.args[0].input).toEqual({
      CommandId: 'cmd-1',
      InstanceId: INSTANCE,
    });
  });

  it("reports SSM's own TimedOut, with the first lines of its output", async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'TimedOut',
      ResponseCode: -1,
      StandardOutputContent: Array.from({ length: 9 }, (_, i) => `line ${i}`).join('\n'),
      StandardErrorContent: 'killed',
    });
    const outcome = await harness().quiescer.outcome('cmd-1', INSTANCE, 30_000);
    expect(outcome.status).toBe('TimedOut');
    expect(outcome.exitCode).toBeUndefined();
    expect(outcome.output.split('\n')).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('times out by the run’s clock when the invocation never ends (or never shows)', async () => {
    ssm.on(GetCommandInvocationCommand).rejects(notFound());
    const { quiescer, sleeps } = harness();
    const outcome = await quiescer.outcome('cmd-1', INSTANCE, 2_500);
    expect(outcome).toMatchObject({ status: 'TimedOut' });
    expect(outcome.output).toContain('not yet visible');
    expect(sleeps).toEqual([1_000, 1_000, 500]);
  });

  it('fails on any other error of GetCommandInvocation', async () => {
    ssm.on(GetCommandInvocationCommand).rejects(
      new SSMServiceException({
        name: 'InvalidCommandId',
        $fault: 'client',
        $metadata: {},
        message: 'Invalid command id.',
      }),
    );
    await expect(harness().quiescer.outcome('cmd-1', INSTANCE, 30_000)).rejects.toThrow(
      /Could not read command cmd-1/,
    );
  });
});
