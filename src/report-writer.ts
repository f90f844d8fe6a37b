/** The one thin writer that hands the rendered report to the runner: outputs and job summary. */
import * as core from '@actions/core';
import { renderOutputs, type RunReport } from './report.js';
import { renderSummary } from './summary.js';

/** Hands outputs and summary to the runner. A missing summary file (a local run) is a warning. */
export async function writeReport(report: RunReport): Promise<void> {
  for (const [name, value] of Object.entries(renderOutputs(report))) core.setOutput(name, value);
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(renderSummary(report)).write();
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
