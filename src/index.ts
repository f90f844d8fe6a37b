import * as core from '@actions/core';
import { run } from './main.js';

// The runner sends SIGINT/SIGTERM on cancellation: stop waiting, make no new change, write the summary.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());

try {
  await run({ signal: controller.signal });
} catch (error) {
  core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}
// Waiter timers may still be pending after a cancellation; the report is written, so leave now.
if (controller.signal.aborted) process.exit(1);
