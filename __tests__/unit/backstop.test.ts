// Quiescing's backstop in the action's post step (src/backstop.ts, runPost in src/main.ts): the main
// step records in the action's state, before the pre command goes, that the instance owes a post
// command, and clears it once SSM accepted the post command; the post step sends the post command
// to each instance still owing one (a killed main step), over SSM (aws-sdk-client-mock), warns
// rather than fails, and with nothing owed reads no input and makes no AWS call.
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OWED_STATE, postLedger, readOwed, type Owed } from '../../src/backstop.js';
import { isPostStep, markMainStep, runPost } from '../../src/post-step.js';
import type { QuiesceCommand } from '../../src/quiesce-inputs.js';
import type { CommandOutcome } from '../../src/quiesce-report.js';
import type { Quiescer } from '../../src/targets/target.js';
import { A, HOME } from './fixtures.js';
import { FakeAdapter, quietRuns, runInRegions } from './fake-adapter.js';

const { written } = quietRuns();

const INSTANCE = 'i-0123456789abcdef0';
const OTHER = 'i-0fedcba9876543210';
const QUIESCE = { 'pre-command': 'fsfreeze -f /data', 'post-command': 'fsfreeze -u /data' };
const INPUTS: Record<string, string> = {
  'target-type': 'ebs-volume',
  'resource-id': A,
  generations: '2',
  ...QUIESCE,
};
const ENV = { AWS_REGION: HOME, GITHUB_RUN_ID: '100' };

/** Sends and answers as SSM would; logs `pre <id>` / `post <id>` in `calls`. */
class FakeQuiescer implements Quiescer {
  failPostSend = false;
  postStatus = 'Success';
  constructor(readonly calls: string[] = []) {}

  unavailable(instanceId: string): Promise<string | undefined> {
    this.calls.push(`check ${instanceId}`);
    return Promise.resolve(undefined);
  }

  send(instanceId: string, command: QuiesceCommand): Promise<string> {
    const which = command.parameters.commands?.[0]?.includes('-u') ? 'post' : 'pre';
    this.calls.push(`${which} ${instanceId}`);
    if (which === 'post' && this.failPostSend) return Promise.reject(new Error('Throttled'));
    return Promise.resolve(`${which}-${instanceId}`);
  }

  outcome(commandId: string): Promise<CommandOutcome> {
    const status = commandId.startsWith('post') ? this.postStatus : 'Success';
    return Promise.resolve({ status, exitCode: status === 'Success' ? 0 : 1, output: 'done' });
  }
}

/** A run whose state lands in the adapter's call log, so its order with the commands shows. */
async function mainRun(quiescer = new FakeQuiescer()) {
  const adapter = new FakeAdapter([], [A]);
  adapter.attachments[A] = INSTANCE;
  quiescer = Object.assign(quiescer, { calls: adapter.calls });
  adapter.quiescer = quiescer;
  const states: string[] = [];
  await runInRegions([adapter], INPUTS, {
    saveState: (name, value) => {
      expect(name).toBe(OWED_STATE);
      states.push(value);
      adapter.calls.push(`state ${(readOwed(value)?.instanceIds ?? []).join(',') || 'none'}`);
    },
  });
  const order = adapter.calls.filter((call) => /^(state|pre|post|create) /.test(call));
  return { order, states };
}

describe('the main step records who owes a post command', () => {
  it('before the pre command goes, and clears it once the post command is sent', async () => {
    const { order, states } = await mainRun();
    expect(order).toEqual([
      `state ${INSTANCE}`,
      `pre ${INSTANCE}`,
      `create ${A}`,
      `post ${INSTANCE}`,
      'state none',
    ]);
    expect(JSON.parse(states[0]!)).toEqual({ region: HOME, instanceIds: [INSTANCE] });
    expect(readOwed(states.at(-1)!)).toBeUndefined();
  });

  it('leaves the debt for the post step when the post command could not be sent', async () => {
    const quiescer = new FakeQuiescer();
    quiescer.failPostSend = true;
    const { order, states } = await mainRun(quiescer);
    expect(order.at(-1)).toBe(`post ${INSTANCE}`);
    expect(readOwed(states.at(-1)!)).toEqual({ region: HOME, instanceIds: [INSTANCE] });
  });

  it('saves nothing without quiescing, nor with a pre command and no post command', async () => {
    for (const inputs of [{}, { 'pre-command': 'sync' }] as Record<string, string>[]) {
      const adapter = new FakeAdapter([], [A]);
      adapter.attachments[A] = INSTANCE;
      adapter.quiescer = new FakeQuiescer(adapter.calls);
      const saveState = vi.fn();
      await runInRegions([adapter], { 'resource-id': A, ...inputs }, { saveState });
      expect(saveState).not.toHaveBeenCalled();
    }
  });

  it('keeps an instance owing while any of its targets still does', () => {
    const saved: string[] = [];
    const ledger = postLedger(HOME, (value) => saved.push(value));
    ledger.owe(INSTANCE);
    ledger.owe(INSTANCE);
    ledger.owe(OTHER);
    ledger.paid(INSTANCE);
    expect(readOwed(saved.at(-1)!)?.instanceIds).toEqual([INSTANCE, OTHER]);
    ledger.paid(OTHER);
    ledger.paid(INSTANCE);
    expect(readOwed(saved.at(-1)!)).toBeUndefined();
    ledger.paid(INSTANCE); // nothing owed: nothing written
    expect(saved).toHaveLength(6);
  });

  it('says which step runs: the main step marks the state, the post step reads it', () => {
    const state: Record<string, string> = {};
    expect(isPostStep((name) => state[name] ?? '')).toBe(false);
    markMainStep((name, value) => (state[name] = value));
    expect(isPostStep((name) => state[name] ?? '')).toBe(true);
  });
});

describe('the post step', () => {
  const owedState = (owed: Owed) => (name: string) =>
    name === OWED_STATE ? JSON.stringify(owed) : '';

  it('sends the post command to each instance still owing one, and logs the outcome', async () => {
    const quiescer = new FakeQuiescer();
    const regions: string[] = [];
    await runPost({
      input: (name) => INPUTS[name] ?? '',
      env: ENV,
      getState: owedState({ region: 'eu-west-1', instanceIds: [INSTANCE, OTHER] }),
      quiescerFor: (_config, region) => {
        regions.push(region);
        return quiescer;
      },
    });
    expect(regions).toEqual(['eu-west-1']);
    expect(quiescer.calls).toEqual([`post ${INSTANCE}`, `post ${OTHER}`]);
    expect(written()).toContain(`${INSTANCE}: post command Success (exit 0): done (backstop).`);
    expect(process.exitCode).toBeUndefined();
  });

  it('warns, never fails, when a post command fails or cannot be sent', async () => {
    for (const quiescer of [
      Object.assign(new FakeQuiescer(), { postStatus: 'Failed' }),
      Object.assign(new FakeQuiescer(), { failPostSend: true }),
    ]) {
      await runPost({
        input: (name) => INPUTS[name] ?? '',
        env: ENV,
        getState: owedState({ region: HOME, instanceIds: [INSTANCE] }),
        quiescerFor: () => quiescer,
      });
      expect(written()).toContain('::warning::');
      expect(written()).toContain('may still be frozen or unmounted');
      expect(process.exitCode).toBeUndefined();
    }
  });

  it('warns on a state it cannot read, and fails nothing', async () => {
    const quiescerFor = vi.fn();
    await runPost({ getState: () => '{not json', quiescerFor });
    expect(quiescerFor).not.toHaveBeenCalled();
    expect(written()).toContain('::warning::');
    expect(process.exitCode).toBeUndefined();
  });

  it('does nothing when nothing is owed: no input read, no quiescer made', async () => {
    for (const state of ['', JSON.stringify({ region: HOME, instanceIds: [] })]) {
      const input = vi.fn(() => '');
      const quiescerFor = vi.fn();
      await runPost({ input, env: ENV, getState: () => state, quiescerFor });
      expect(input).not.toHaveBeenCalled();
      expect(quiescerFor).not.toHaveBeenCalled();
    }
    expect(written()).toBe('');
  });
});

describe('the post step over SSM', () => {
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());

  it('sends SendCommand with the post command and reads its invocation', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-post' } });
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', ResponseCode: 0 });
    await runPost({
      input: (name) => INPUTS[name] ?? '',
      env: ENV,
      getState: (name) =>
        name === OWED_STATE ? JSON.stringify({ region: HOME, instanceIds: [INSTANCE] }) : '',
    });
    const sent = ssm.commandCalls(SendCommandCommand);
    expect(sent.map((call) => call.args[0].input)).toMatchObject([
      {
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [INSTANCE],
        Parameters: { commands: ['fsfreeze -u /data'] },
      },
    ]);
    expect(ssm.commandCalls(GetCommandInvocationCommand)[0]?.args[0].input).toEqual({
      CommandId: 'cmd-post',
      InstanceId: INSTANCE,
    });
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(0);
    expect(process.exitCode).toBeUndefined();
  });

  it('makes no AWS call when nothing is owed', async () => {
    await runPost({ input: (name) => INPUTS[name] ?? '', env: ENV, getState: () => '' });
    expect(ssm.calls()).toHaveLength(0);
  });
});
