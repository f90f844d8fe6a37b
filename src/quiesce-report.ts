/**
 * What quiescing did for one target, for the report and the job summary: the instance, the pre and
 * post commands' outcomes (status, exit code, first lines of output), how long I/O was paused, and
 * the consistency the backup was tagged with. Pure.
 */
import { esc } from './summary-html.js';
import type { Consistency } from './quiesce-inputs.js';

/** How one Run Command invocation ended, as the core sees it. */
export interface CommandOutcome {
  /** SSM's status: `Success`, `Failed`, `TimedOut`, `Cancelled`…; `NotSent` when SendCommand failed. */
  status: string;
  exitCode?: number;
  /** The first lines of its output (stdout, then stderr), or why it did not run. */
  output: string;
}

export interface QuiesceReport {
  /** The instance the commands ran on; absent for a detached volume. */
  instanceId?: string;
  /** Why no command ran, or what quiescing decided (not managed, detached, skipped…). */
  note?: string;
  pre?: CommandOutcome;
  post?: CommandOutcome;
  /** From the pre command's success to the post command's answer, on the run's clock. */
  pausedMs?: number;
  consistency?: Consistency;
}

/** Lines of output kept for the report. */
export const OUTPUT_LINES = 5;

/** The first OUTPUT_LINES non-blank lines of a command's output. */
export function firstLines(text: string | undefined): string {
  return (text ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, OUTPUT_LINES)
    .join('\n');
}

/** One line for the log and the summary: `pre Success (exit 0): frozen`. */
export function describeOutcome(which: 'pre' | 'post', outcome: CommandOutcome): string {
  const exit = outcome.exitCode !== undefined ? ` (exit ${outcome.exitCode})` : '';
  const output = outcome.output ? `: ${outcome.output.split('\n').join(' / ')}` : '';
  return `${which} command ${outcome.status}${exit}${output}`;
}

/** Seconds with one decimal: `2.3s`. */
export function formatPause(ms: number): string {
  return `${(Math.max(ms, 0) / 1000).toFixed(1)}s`;
}

/** The summary's section of the quiesced targets; empty when none was quiesced. */
export function renderQuiesceSection(
  targets: readonly { sourceId: string; quiesce?: QuiesceReport }[],
): string[] {
  const e = esc;
  const rows = targets.flatMap(({ sourceId, quiesce }) => (quiesce ? [{ sourceId, quiesce }] : []));
  if (rows.length === 0) return [];
  const cell = (outcome: CommandOutcome | undefined): string =>
    outcome
      ? `${e(outcome.status)}${outcome.exitCode !== undefined ? ` (exit ${outcome.exitCode})` : ''}${outcome.output ? `<br><pre>${e(outcome.output)}</pre>` : ''}`
      : '–';
  return [
    '<h3>Quiescing</h3>',
    '<table><thead><tr><th>Source</th><th>Instance</th><th>Pre</th><th>Post</th><th>I/O paused</th><th>Consistency</th></tr></thead><tbody>',
    ...rows.map(
      ({ sourceId, quiesce: q }) =>
        `<tr><td><code>${e(sourceId)}</code></td><td>${q.instanceId ? `<code>${e(q.instanceId)}</code>` : '–'}</td>` +
        `<td>${cell(q.pre)}</td><td>${cell(q.post)}</td><td>${q.pausedMs !== undefined ? formatPause(q.pausedMs) : '–'}</td>` +
        `<td>${e(q.consistency ?? '–')}${q.note ? `<br>${e(q.note)}` : ''}</td></tr>`,
    ),
    '</tbody></table>',
  ];
}
