/**
 * The backstop of quiescing in the action's `post:` step: the main step records, as soon as a pre
 * command is about to go, which instances still owe a post command (`PostLedger`, written to the
 * action's state on every change); the post step reads that record and sends the post command to
 * each instance still owing one — which only happens when the main step was killed (runner
 * timeout, SIGKILL) between the two. Nothing owed: nothing read, no AWS call.
 */
import { messageOf } from './errors.js';
import type { Config } from './inputs.js';
import { describeOutcome } from './quiesce-report.js';
import type { Quiescer } from './targets/target.js';

/** The name of the action's state that holds the instances owing a post command. */
export const OWED_STATE = 'quiesce-owed';
/** The name of the action's state that the main step sets first: the next run is the post step. */
export const IS_POST_STATE = 'isPost';

/** What the main step's state says is owed: the region of the instances, and their ids. */
export interface Owed {
  region: string;
  instanceIds: string[];
}

/** The instances owing a post command, as the create phase's quiescing (`quiesce.ts`) sees them. */
export interface PostLedger {
  /** A pre command is about to be sent to the instance: it owes a post command from now on. */
  owe(instanceId: string): void;
  /** SSM accepted the post command for the instance: one debt paid. */
  paid(instanceId: string): void;
}

/**
 * A ledger that hands its whole record to `save` on every change (the action's state: the last
 * value saved is what the post step reads). An instance quiesced for two targets at once owes until
 * both post commands went.
 */
export function postLedger(region: string, save: (value: string) => void): PostLedger {
  const counts = new Map<string, number>();
  const write = () => {
    const owed: Owed = {
      region,
      instanceIds: [...counts].filter(([, count]) => count > 0).map(([id]) => id),
    };
    save(JSON.stringify(owed));
  };
  return {
    owe(instanceId) {
      counts.set(instanceId, (counts.get(instanceId) ?? 0) + 1);
      write();
    },
    paid(instanceId) {
      const count = counts.get(instanceId) ?? 0;
      if (count <= 0) return;
      counts.set(instanceId, count - 1);
      write();
    },
  };
}

/** The record of the main step's state; undefined when nothing is owed (or nothing was recorded). */
export function readOwed(value: string): Owed | undefined {
  if (!value.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`The action's state ${OWED_STATE} is not JSON: ${value.slice(0, 100)}`);
  }
  const { region, instanceIds } = (parsed ?? {}) as Partial<Owed>;
  if (
    typeof region !== 'string' ||
    !Array.isArray(instanceIds) ||
    !instanceIds.every((id) => typeof id === 'string')
  ) {
    throw new Error(`The action's state ${OWED_STATE} is not a record of owed post commands.`);
  }
  return instanceIds.length > 0 ? { region, instanceIds } : undefined;
}

export interface BackstopLog {
  info(line: string): void;
  warning(line: string): void;
}

/**
 * Sends the post command to each instance of `owed`, one after the other, and logs each outcome;
 * a command that fails, or cannot be sent, is a warning, never an error. Resolves with how many
 * ended `Success`.
 */
export async function sendOwedPosts(
  owed: Owed,
  config: Config,
  quiescer: Quiescer,
  log: BackstopLog,
): Promise<number> {
  const post = config.quiesce?.post;
  const ids = owed.instanceIds.join(', ');
  if (!post) {
    log.warning(
      `The main step was stopped between the pre and the post command on ${ids}, and no post command is set: check the instances.`,
    );
    return 0;
  }
  log.info(
    `The main step was stopped before it sent the post command to ${ids}: sending it now (backstop).`,
  );
  let succeeded = 0;
  for (const instanceId of owed.instanceIds) {
    try {
      const commandId = await quiescer.send(instanceId, post);
      const outcome = await quiescer.outcome(commandId, instanceId, config.quiesce!.timeoutMs);
      const line = `${instanceId}: ${describeOutcome('post', outcome)} (backstop).`;
      if (outcome.status === 'Success') {
        succeeded += 1;
        log.info(line);
      } else {
        log.warning(`${line} Check the instance: a file system may still be frozen or unmounted.`);
      }
    } catch (error) {
      log.warning(
        `The post command could not be sent to ${instanceId} (backstop): ${messageOf(error)}. Check the instance: a file system may still be frozen or unmounted.`,
      );
    }
  }
  return succeeded;
}
