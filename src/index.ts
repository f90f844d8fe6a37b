import * as core from '@actions/core';
import { run } from './main.js';
import { isPostStep, markMainStep, runPost } from './post-step.js';

// One bundle, two steps: the runner runs it as `main`, then again as `post` (action.yml). The main
// step says so in the action's state first thing; the post step only sends the post commands a
// killed main step still owed (quiescing's backstop) and never fails the job.
if (isPostStep()) {
  await runPost();
} else {
  markMainStep();
  // The runner sends SIGINT/SIGTERM on cancellation: stop waiting, make no new change, write the summary.
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => controller.abort());

  try {
    await run({ signal: controller.signal });
  } catch (error) {
    core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Waiter timers may still be pending after a cancellation; the report is written, so leave now.
  if (controller.signal.aborted) process.exit(1);
}
