/**
 * Quiescing through SSM Run Command: whether an instance is managed and online
 * (`DescribeInstanceInformation`), a command sent (`SendCommand`) and its invocation polled until
 * it ends (`GetCommandInvocation`). Translates only: what runs when is decided in `../quiesce.ts`.
 */
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { systemClock, type Clock } from '../clock.js';
import { hasAwsCode } from '../errors.js';
import type { QuiesceCommand } from '../quiesce-inputs.js';
import { firstLines, type CommandOutcome } from '../quiesce-report.js';
import { sleep as realSleep, type Sleep } from '../sleep.js';
import { awsCall } from './aws-call.js';
import type { Quiescer } from './target.js';

export interface SsmQuiescerOptions {
  clock?: Clock;
  sleep?: Sleep;
  /** Between two looks at an invocation. */
  pollMs?: number;
}

/** The statuses after which an invocation changes no more. */
const ENDED = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);
/** SendCommand's delivery timeout has a floor of 30 seconds. */
const MIN_DELIVERY_SECONDS = 30;

export class SsmQuiescer implements Quiescer {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly pollMs: number;

  constructor(
    private readonly ssm: SSMClient,
    readonly region: string,
    options: SsmQuiescerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.pollMs = options.pollMs ?? 1_000;
  }

  async unavailable(instanceId: string, signal?: AbortSignal): Promise<string | undefined> {
    const answer = await awsCall(
      `Could not check that ${instanceId} is managed by Systems Manager in ${this.region}`,
      () =>
        this.ssm.send(
          new DescribeInstanceInformationCommand({
            Filters: [{ Key: 'InstanceIds', Values: [instanceId] }],
          }),
          { abortSignal: signal },
        ),
      { signal },
    );
    const info = answer.InstanceInformationList?.find((item) => item.InstanceId === instanceId);
    if (!info) {
      return `${instanceId} is not a managed instance of Systems Manager in ${this.region}: it needs the SSM agent running and an instance profile that allows it (AmazonSSMManagedInstanceCore)`;
    }
    if (info.PingStatus !== 'Online') {
      return `the SSM agent of ${instanceId} is ${info.PingStatus ?? 'not online'}, not Online`;
    }
    return undefined;
  }

  async send(instanceId: string, command: QuiesceCommand, signal?: AbortSignal): Promise<string> {
    const answer = await awsCall(
      `Could not send ${command.document} to ${instanceId} in ${this.region}`,
      () =>
        this.ssm.send(
          new SendCommandCommand({
            DocumentName: command.document,
            InstanceIds: [instanceId],
            Parameters: command.parameters,
            TimeoutSeconds: MIN_DELIVERY_SECONDS,
            Comment: 'snapshot-rotation quiesce',
          }),
          { abortSignal: signal },
        ),
      { signal },
    );
    const id = answer.Command?.CommandId;
    if (!id) throw new Error(`SendCommand returned no command id for ${instanceId}`);
    return id;
  }

  async outcome(
    commandId: string,
    instanceId: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<CommandOutcome> {
    const start = this.clock().getTime();
    for (;;) {
      const answer = await this.invocation(commandId, instanceId, signal);
      if (answer !== 'not-yet' && ENDED.has(answer.Status ?? '')) return toOutcome(answer);
      const left = start + timeoutMs - this.clock().getTime();
      if (left <= 0) {
        return {
          status: 'TimedOut',
          output: `no end within ${Math.round(timeoutMs / 1000)}s (last status: ${answer === 'not-yet' ? 'not yet visible' : (answer.Status ?? 'unknown')})`,
        };
      }
      await this.sleep(Math.min(this.pollMs, left), signal);
    }
  }

  /** The invocation, or `not-yet` right after SendCommand, before SSM shows it (eventual consistency). */
  private invocation(
    commandId: string,
    instanceId: string,
    signal?: AbortSignal,
  ): Promise<GetCommandInvocationCommandOutput | 'not-yet'> {
    return awsCall<GetCommandInvocationCommandOutput | 'not-yet'>(
      `Could not read command ${commandId} on ${instanceId} in ${this.region}`,
      () =>
        this.ssm.send(
          new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
          {
            abortSignal: signal,
          },
        ),
      {
        signal,
        recover: (error) => (hasAwsCode(error, 'InvocationDoesNotExist') ? 'not-yet' : undefined),
      },
    );
  }
}

function toOutcome(answer: GetCommandInvocationCommandOutput): CommandOutcome {
  const code = answer.ResponseCode;
  const output = firstLines(
    [answer.StandardOutputContent, answer.StandardErrorContent].filter(Boolean).join('\n'),
  );
  return {
    status: answer.Status ?? 'unknown',
    ...(code !== undefined && code >= 0 ? { exitCode: code } : {}),
    output,
  };
}
