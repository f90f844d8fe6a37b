/**
 * The quiescing inputs (`pre-command`, `post-command`, `quiesce-document`, `pre-command-timeout`,
 * `quiesce-failure`): what runs on an instance through SSM Run Command around its backup, and what
 * a failed pre command means. Pure: refused by name for the target types that back up no instance.
 */
import { DEFAULTS, INPUTS, type TargetType } from './constants.js';
import { InputError } from './errors.js';
import { invalid, readDuration } from './input-values.js';

/** The target types whose backups are of an EC2 instance's volumes, where a command can run. */
export const QUIESCE_TYPES: readonly TargetType[] = ['ebs-volume', 'ec2-image', 'ec2-instance'];

/** How a backup was made, in its `snapshot-rotation:consistency` tag. */
export type Consistency = 'application-consistent' | 'crash-consistent';

/** `quiesce-failure`: back up anyway (tagged crash-consistent), or no backup of that target. */
export const QUIESCE_FAILURES = ['crash-consistent', 'skip'] as const;
export type QuiesceFailure = (typeof QUIESCE_FAILURES)[number];

/** One SSM Run Command: the document and its parameters. */
export interface QuiesceCommand {
  document: string;
  parameters: Record<string, string[]>;
}

export interface QuiesceConfig {
  pre: QuiesceCommand;
  /** Undefined for a pre command without a post command (`sync`: nothing to undo). */
  post?: QuiesceCommand;
  /** How long the pre command (and, again, the post command) may take. */
  timeoutMs: number;
  onFailure: QuiesceFailure;
}

/** The shell document of SSM Run Command; its `commands` are the lines. */
export const SHELL_DOCUMENT = 'AWS-RunShellScript';
/** SSM document names (or a shared document's ARN). */
const DOCUMENT =
  /^(?:[A-Za-z0-9_.-]{3,128}|arn:[\w-]+:ssm:[a-z0-9-]+:\d{12}:document\/[A-Za-z0-9_.-]{3,128})$/;
/** A pre command that takes longer than this is no brief pause of I/O. */
const MAX_TIMEOUT_MS = 3_600_000;

/**
 * The quiescing of the run, undefined when no pre command or document is set. A custom document is
 * run as AWS's lifecycle service runs it: parameter `command` = `pre-script`, then `post-script`.
 */
export function readQuiesceConfig(
  read: (name: string) => string,
  targetType: TargetType,
): QuiesceConfig | undefined {
  const isSet = (name: string) => read(name) !== (DEFAULTS[name as keyof typeof DEFAULTS] ?? '');
  const names = [
    INPUTS.preCommand,
    INPUTS.postCommand,
    INPUTS.quiesceDocument,
    INPUTS.preCommandTimeout,
    INPUTS.quiesceFailure,
  ];
  const first = names.find(isSet);
  if (first === undefined) return undefined;
  if (!QUIESCE_TYPES.includes(targetType)) {
    throw new InputError(
      first,
      `Input '${first}' applies only to target-type ${QUIESCE_TYPES.join(', ')} (a command run on the instance around its backup); target-type ${targetType} backs up no EC2 instance: remove '${first}'.`,
    );
  }
  const pre = lines(read(INPUTS.preCommand));
  const post = lines(read(INPUTS.postCommand));
  const document = read(INPUTS.quiesceDocument);
  if (document !== '' && (pre.length > 0 || post.length > 0)) {
    const name = pre.length > 0 ? INPUTS.preCommand : INPUTS.postCommand;
    throw new InputError(
      name,
      `Input '${name}' and '${INPUTS.quiesceDocument}' are both set: run shell lines with '${INPUTS.preCommand}' / '${INPUTS.postCommand}', or a document of your own with '${INPUTS.quiesceDocument}', not both.`,
    );
  }
  if (document === '' && pre.length === 0) {
    const name = names.find(isSet) ?? INPUTS.preCommand;
    throw new InputError(
      name,
      `Input '${name}' is set without '${INPUTS.preCommand}' or '${INPUTS.quiesceDocument}': there is nothing to run before the backup; set one or remove '${name}'.`,
    );
  }
  if (document !== '' && !DOCUMENT.test(document)) {
    throw invalid(
      INPUTS.quiesceDocument,
      document,
      'an SSM document name (3 to 128 letters, digits, _ . -) or a shared document’s ARN',
    );
  }
  const timeoutMs =
    readDuration(INPUTS.preCommandTimeout, read(INPUTS.preCommandTimeout), { seconds: true }) ??
    30_000;
  if (timeoutMs > MAX_TIMEOUT_MS) {
    throw invalid(INPUTS.preCommandTimeout, read(INPUTS.preCommandTimeout), 'at most 1h');
  }
  const failure = read(INPUTS.quiesceFailure);
  const onFailure = QUIESCE_FAILURES.find((value) => value === failure.toLowerCase());
  if (!onFailure) {
    throw invalid(INPUTS.quiesceFailure, failure, `one of ${QUIESCE_FAILURES.join(', ')}`);
  }
  const seconds = String(Math.max(Math.ceil(timeoutMs / 1000), 1));
  const shell = (commands: string[]): QuiesceCommand => ({
    document: SHELL_DOCUMENT,
    // The agent stops a command still running after executionTimeout.
    parameters: { commands, executionTimeout: [seconds] },
  });
  if (document !== '') {
    return {
      pre: { document, parameters: { command: ['pre-script'] } },
      post: { document, parameters: { command: ['post-script'] } },
      timeoutMs,
      onFailure,
    };
  }
  return {
    pre: shell(pre),
    ...(post.length > 0 ? { post: shell(post) } : {}),
    timeoutMs,
    onFailure,
  };
}

/** The non-blank lines of a multi-line input. */
function lines(value: string): string[] {
  return value.split('\n').filter((line) => line.trim() !== '');
}

/**
 * Whether a pre command's outcome leaves the backup application-consistent: only a command that
 * finished with `Success`.
 */
export function consistencyOf(preStatus: string | undefined): Consistency {
  return preStatus === 'Success' ? 'application-consistent' : 'crash-consistent';
}
