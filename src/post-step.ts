/**
 * The action's post step (action.yml `post:`, `post-if: always()`): the backstop of quiescing.
 * The main step marks itself first thing; the post step sends the post command to each instance
 * that a killed main step still owed one (backstop.ts keeps the debt in the action's state).
 */
import * as core from '@actions/core';
import type { Clock } from './clock.js';
import { IS_POST_STATE, OWED_STATE, readOwed, sendOwedPosts } from './backstop.js';
import { messageOf } from './errors.js';
import { readConfig, type Config, type InputLookup } from './inputs.js';
import type { Quiescer } from './targets/target.js';

/** What the post step reads and reaches: the main step's state, and the instances' quiescer. */
export interface PostDependencies {
  input?: InputLookup;
  env?: NodeJS.ProcessEnv;
  now?: Clock;
  /** The action's state saved by the main step (`core.getState`). */
  getState?: (name: string) => string;
  quiescerFor?: (config: Config, region: string) => Quiescer | Promise<Quiescer>;
}

/** Whether this process is the action's post step: the main step said so first thing. */
export function isPostStep(getState: (name: string) => string = core.getState): boolean {
  return getState(IS_POST_STATE) === 'true';
}

/** Tells the post step that it is one (the main step's first act). */
export function markMainStep(saveState: (name: string, value: string) => void = core.saveState) {
  saveState(IS_POST_STATE, 'true');
}

/**
 * The action's post step: the post command sent to each instance that the main step left owing
 * one (it was killed between the pre and the post command). Nothing owed: no input read, no AWS
 * call. Never fails the job: what goes wrong is a warning.
 */
export async function runPost(deps: PostDependencies = {}): Promise<void> {
  const log = { info: core.info, warning: core.warning };
  try {
    const owed = readOwed((deps.getState ?? core.getState)(OWED_STATE));
    if (!owed) return;
    const config = readConfig(
      deps.input ?? ((name) => core.getInput(name)),
      deps.env ?? process.env,
    );
    // The quiescer and SSM's client load only now, when a post command is owed.
    const quiescerFor =
      deps.quiescerFor ??
      (async (config: Config, region: string) =>
        (await import('./targets/index.js')).createQuiescer(config, region, deps.now));
    const quiescer = await quiescerFor(config, owed.region);
    await sendOwedPosts(owed, config, quiescer, log);
  } catch (error) {
    log.warning(`The post step could not send the owed post commands: ${messageOf(error)}`);
  }
}
