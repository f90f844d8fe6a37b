/**
 * Quiescing's backstop, with the bundled action against moto: the main step killed (SIGKILL) after
 * its pre command and before its post command, then the action's post step run with the state the
 * main step saved (as the runner does: GITHUB_STATE in, STATE_* variables out) sends the post
 * command; after a main step that finished, the post step makes no AWS call.
 *
 * moto lacks DescribeInstanceInformation: the test's proxy answers it (the instance is managed and
 * Online); moto keeps the commands sent (ListCommands), which is what the test reads.
 */
import { ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import type { Answer, Call } from '../../scripts/counting-proxy.mjs';
import {
  MOTO_CREDENTIALS,
  REGION,
  createInstance,
  expectSuccess,
  motoEndpoint,
  proxyPerTest,
  runAction,
  runLog,
} from './helpers.js';

const through = proxyPerTest();
const PRE = 'sync && fsfreeze -f /data';
const POST = 'fsfreeze -u /data';

/** The shell lines of the commands moto was sent, oldest first. */
async function commandsSent(): Promise<string[]> {
  const ssm = new SSMClient({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: MOTO_CREDENTIALS,
  });
  const answer = await ssm.send(new ListCommandsCommand({}));
  return (answer.Commands ?? [])
    .slice()
    .sort((a, b) => (a.RequestedDateTime?.getTime() ?? 0) - (b.RequestedDateTime?.getTime() ?? 0))
    .map((command) => (command.Parameters?.commands ?? []).join('\n'));
}

/** The proxy's answer to DescribeInstanceInformation: `instance` managed and Online. */
function managed(instance: string) {
  return (call: Call): Answer | undefined =>
    call.action === 'DescribeInstanceInformation'
      ? {
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: JSON.stringify({
            InstanceInformationList: [
              { InstanceId: instance, PingStatus: 'Online', PlatformType: 'Linux' },
            ],
          }),
        }
      : undefined;
}

/** Inputs of a quiesced `ec2-instance` run of `instance`. */
function quiescedInstance(instance: string): Record<string, string> {
  return {
    'target-type': 'ec2-instance',
    'resource-id': instance,
    generations: '2',
    'pre-command': PRE,
    'post-command': POST,
  };
}

describe("the post step: quiescing's backstop", () => {
  it('sends the post command that a main step killed between pre and post still owed', async () => {
    const instance = await createInstance();
    const inputs = quiescedInstance(instance);
    const controller = new AbortController();
    const proxy = await through({
      before: (call) => {
        if (call.action === 'CreateSnapshots') {
          controller.abort(); // killed as the create goes: the pre command ran, the post did not
          return new Promise<Answer>(() => {});
        }
        return managed(instance)(call);
      },
    });
    const main = await runAction(inputs, {
      endpoint: proxy.endpoint,
      signal: controller.signal,
      killSignal: 'SIGKILL',
    });
    expect(main.code, runLog(main)).toBeNull();
    expect(await commandsSent()).toEqual([PRE]);
    expect(main.state.isPost).toBe('true');
    expect(JSON.parse(main.state['quiesce-owed'] ?? '{}')).toEqual({
      region: REGION,
      instanceIds: [instance],
    });

    proxy.reset();
    const post = await runAction(inputs, { endpoint: proxy.endpoint, state: main.state });
    expect(post.code, runLog(post)).toBe(0);
    // The post command sent and its invocation read: no check of the instance, nothing else.
    expect(new Set(proxy.calls.map((call) => `${call.service} ${call.action}`))).toEqual(
      new Set(['ssm SendCommand', 'ssm GetCommandInvocation']),
    );
    expect(await commandsSent()).toEqual([PRE, POST]);
    expect(post.stdout).toContain(`${instance}: post command Success`);
    expect(post.stdout).toContain('(backstop)');
    expect(post.summary).toBe('');
  });

  it('does nothing, with no AWS call, after a main step that sent its post command', async () => {
    const instance = await createInstance();
    const inputs = quiescedInstance(instance);
    const proxy = await through({ before: managed(instance) });
    const main = await runAction(inputs, { endpoint: proxy.endpoint });
    expectSuccess(main);
    expect(await commandsSent()).toEqual([PRE, POST]);
    expect(main.state.isPost).toBe('true');

    proxy.reset();
    const post = await runAction(inputs, { endpoint: proxy.endpoint, state: main.state });
    expect(post.code, runLog(post)).toBe(0);
    expect(proxy.calls).toEqual([]);
    expect(post.stdout).toBe('');
    expect(await commandsSent()).toEqual([PRE, POST]);
  });
});
