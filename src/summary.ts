/**
 * The job summary an operator reads: a header with the counts and the run's length, the failures
 * first with what to do, then one row per resource, the copies, the restore points, and the kept
 * and deleted backups grouped by resource. HTML inside Markdown, as GitHub renders a job summary;
 * every value is escaped. Pure: report → string.
 */
import { renderFilesSection } from './files-report.js';
import { renderQuiesceSection } from './quiesce-report.js';
import type { CreateOutcome, RunReport, RunStatus, TargetReport } from './report.js';
import { count, formatRunDuration } from './summary-format.js';
import { backupLabel, esc, removed, resourceLabel } from './summary-html.js';
import {
  renderCopies,
  renderDeleted,
  renderKept,
  renderOtherSets,
  renderRestorePoints,
} from './summary-sections.js';

const STATUS_ICON: Record<RunStatus, string> = { success: '✅', partial: '⚠️', failed: '❌' };

const OUTCOME_TEXT: Record<CreateOutcome, string> = {
  created: 'created',
  reused: 'reused (re-run)',
  skipped: 'skipped',
  'would-create': 'would create',
  failed: 'failed',
  restore: 'restore',
};

/** The job summary as HTML (GitHub renders it as Markdown with inline HTML). */
export function renderSummary(report: RunReport): string {
  const lines: string[] = [
    `<h2>${STATUS_ICON[report.status]} AWS Snapshot Rotation: ${esc(report.status)}${report.dryRun ? ' (dry run)' : ''}</h2>`,
  ];
  if (report.dryRun) {
    lines.push(
      '<p><strong>Dry run: no change was made.</strong> The tables show what a real run would create and delete.</p>',
    );
  }
  lines.push(`<p>${countsLine(report)}</p>`, `<p>${contextLine(report)}</p>`);
  lines.push(...renderFailures(report));
  for (const warning of report.warnings) lines.push(`<p>⚠️ ${esc(warning)}</p>`);
  lines.push(...renderOtherSets(report));
  lines.push(...renderTargets(report));
  lines.push(...renderCopies(report), ...renderRestorePoints(report));
  lines.push(...renderQuiesceSection(report.targets));
  for (const target of report.targets) {
    if (target.files) lines.push(renderFilesSection(target.sourceId, target.files));
  }
  lines.push(...renderDeleted(report), ...renderKept(report));
  return lines.join('\n') + '\n';
}

/** Every place of a target: its own region, then each destination. */
export function places(target: TargetReport) {
  return [target, ...target.destinations];
}

/** `2 created · 1 failed · 3 copied · 5 deleted · 1 queued · 3 min 05 s · run`. */
function countsLine(report: RunReport): string {
  const { targets, dryRun } = report;
  const outcomes = (outcome: CreateOutcome): number =>
    targets.filter((target) => target.outcome === outcome).length;
  const copies = targets.flatMap((target) => target.destinations.flatMap((place) => place.copies));
  const deletions = targets.flatMap((target) => places(target).flatMap((place) => place.deleted));
  const copied = copies.filter((copy) => copy.result === (dryRun ? 'would-copy' : 'copied'));
  // A dry run counts every deletion retention wants, as the list of deletions shows them.
  const deleted = dryRun ? deletions : deletions.filter(removed);
  // [count, words, shown even when 0]
  const parts: [number, string, boolean][] = [
    [outcomes(dryRun ? 'would-create' : 'created'), dryRun ? 'would create' : 'created', true],
    [outcomes('reused'), 'reused', true],
    [outcomes('skipped'), 'skipped', true],
    [targets.filter((target) => !target.ok).length, 'failed', true],
    [copied.length, dryRun ? 'would copy' : 'copied', (report.copyRegions ?? []).length > 0],
    [deleted.length, dryRun ? 'would delete' : 'deleted', true],
    [deletions.filter((entry) => entry.result === 'not-attempted').length, 'held back', false],
    [copies.filter((copy) => copy.result === 'queued').length, 'queued', false],
  ];
  const shown = parts
    .filter(([n, , always]) => n > 0 || always)
    .map(([n, what]) => `<b>${n}</b> ${what}`);
  const ms = new Date(report.finishedAt).getTime() - new Date(report.startedAt).getTime();
  if (!Number.isNaN(ms)) shown.push(`in ${formatRunDuration(ms)}`);
  if (report.run) {
    shown.push(
      `<a href="${esc(report.run.url)}">workflow run</a> of ${esc(report.run.repository)}`,
    );
  }
  return shown.join(' · ');
}

/** The target type, Region, backup set and retention rules. */
function contextLine(report: RunReport): string {
  const copies = report.copyRegions?.length
    ? `; copies in ${report.copyRegions.map((region) => `<code>${esc(region)}</code>`).join(', ')}, retention there: ${esc(report.copyRules ?? '')}`
    : '';
  return `<code>${esc(report.targetType)}</code> in <code>${esc(report.region)}</code>, backup set <code>${esc(report.backupSet)}</code>; retention: ${esc(report.rules)}${copies}.`;
}

/** A short "what to do" for the failures whose kind is known; empty when the message says it. */
export function whatToDo(message: string): string {
  if (/max-deletions/.test(message)) {
    return "Check what the rules would delete with 'dry-run: true'; if intended, raise 'max-deletions' for one run.";
  }
  if (/wait-timeout/.test(message)) {
    return "Raise 'wait-timeout', or set 'wait: false' to let the backup complete after the run (a later run counts it).";
  }
  if (/could not be listed/.test(message)) {
    return 'Run again; if it persists, check that the role may list backups in that Region.';
  }
  if (/cancelled/i.test(message))
    return 'Run the job again: nothing more was changed after the cancellation.';
  return '';
}

function failureItem(subject: string, message: string): string {
  const todo = whatToDo(message);
  return `<li>${subject}${esc(message)}${todo ? `<br><b>What to do:</b> ${esc(todo)}` : ''}</li>`;
}

/** Run errors, then each failed target with its failed copies and deletions. */
function renderFailures(report: RunReport): string[] {
  const items = report.errors.map((error) => failureItem('', error));
  for (const target of report.targets.filter((each) => !each.ok)) {
    const label = `${resourceLabel(target)}: `;
    const copies = target.destinations.flatMap((place) =>
      place.copies
        .filter((copy) => copy.result === 'failed')
        .map((copy) =>
          failureItem(
            `${label}copy of <code>${esc(copy.of)}</code> to <code>${esc(place.region)}</code>: `,
            copy.message ?? 'the copy failed',
          ),
        ),
    );
    const deletions = places(target).flatMap((place) =>
      place.deleted
        .filter((entry) => entry.result === 'failed')
        .map((entry) =>
          failureItem(
            `${label}deletion of ${backupLabel(report, target, entry)} in <code>${esc(entry.region)}</code>: `,
            entry.message ?? 'the deletion failed',
          ),
        ),
    );
    if (target.outcome === 'failed' || copies.length + deletions.length === 0) {
      items.push(failureItem(label, target.message ?? 'failed'));
    }
    items.push(...copies, ...deletions);
  }
  if (items.length === 0) return [];
  return [`<h3>❌ ${count(items.length, 'failure')}</h3>`, '<ul>', ...items, '</ul>'];
}

/** One row per resource: outcome, its backup with size, counts, and notes. */
function renderTargets(report: RunReport): string[] {
  if (report.targets.length === 0) return [];
  const deleteHeader = report.dryRun ? 'Would delete' : 'Deleted';
  const rows = report.targets.map((target) => {
    const deletions = places(target).flatMap((place) => place.deleted);
    const done = report.dryRun ? deletions.length : deletions.filter(removed).length;
    const notAttempted = deletions.filter((entry) => entry.result === 'not-attempted').length;
    const kept = places(target).reduce((sum, place) => sum + place.kept.length, 0);
    const notes = [
      ...(target.ok && target.message ? [esc(target.message)] : []),
      ...(target.ok ? [] : ['see the failures above']),
      ...target.warnings.map((warning) => `⚠️ ${esc(warning)}`),
    ];
    return (
      `<tr><td>${resourceLabel(target)}</td><td>${target.ok ? '' : '❌ '}${esc(OUTCOME_TEXT[target.outcome])}</td>` +
      `<td>${target.backup ? backupLabel(report, target, target.backup) : ''}</td><td>${kept}${target.outcome === 'would-create' ? ' + the new one' : ''}</td>` +
      `<td>${done}${notAttempted > 0 ? ` (${notAttempted} held back)` : ''}</td><td>${notes.join('<br>')}</td></tr>`
    );
  });
  return [
    `<table><thead><tr><th>Resource</th><th>Outcome</th><th>Backup</th><th>Kept</th><th>${deleteHeader}</th><th>Notes</th></tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
  ];
}
