/**
 * The job summary's sections by resource: copies (one row per resource, one cell per destination
 * Region), restore points (newest and oldest kept per Region), the kept backups with the rules that
 * keep them, the deleted ones with the rule window each fell outside, and the other backup sets
 * that hold backups of these resources. Pure; every value is escaped.
 */
import type { CopyEntry, CopyResult, RunReport, TargetReport } from './report.js';
import { awsStateWord, count, formatTime } from './summary-format.js';
import {
  backupLabel,
  deletion,
  esc,
  keptBy,
  removed,
  resourceLabel,
  when,
} from './summary-html.js';

const COPY_TEXT: Record<CopyResult, string> = {
  copied: '✅ copied',
  exists: '✅ already there',
  queued: '⏳ queued for a later run',
  skipped: '⚠️ not copied',
  'would-copy': 'would copy',
  failed: '❌ copy failed',
};

const regionHeads = (regions: readonly string[]): string =>
  regions.map((region) => `<th><code>${esc(region)}</code></th>`).join('');

/** One copies row per resource, one cell per destination Region: each copy's result and link. */
export function renderCopies(report: RunReport): string[] {
  const regions = report.copyRegions ?? [];
  const targets = report.targets.filter((target) => target.destinations.length > 0);
  if (regions.length === 0 || targets.length === 0) return [];
  const cell = (target: TargetReport, copies: readonly CopyEntry[]): string =>
    copies
      .map((entry) => {
        // The backup copied is named only when the cell holds several.
        const of = copies.length > 1 ? `<code>${esc(entry.of)}</code> → ` : '';
        const copy = entry.copy ? ` ${backupLabel(report, target, entry.copy)}` : '';
        const note = entry.message ? `: ${esc(entry.message)}` : '';
        return `${of}${COPY_TEXT[entry.result]}${copy}${note}`;
      })
      .join('<br>');
  const rows = targets.map(
    (target) =>
      `<tr><td>${resourceLabel(target)}</td>${regions
        .map((region) => {
          const place = target.destinations.find((each) => each.region === region);
          return `<td>${place ? cell(target, place.copies) || '–' : '–'}</td>`;
        })
        .join('')}</tr>`,
  );
  return [
    `<h3>Copies</h3>`,
    `<table><thead><tr><th>Resource</th>${regionHeads(regions)}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
  ];
}

/** Per resource and Region: how many completed backups are kept, the newest and the oldest. */
export function renderRestorePoints(report: RunReport): string[] {
  const regions = [report.region, ...(report.copyRegions ?? [])];
  const targets = report.targets.filter((target) =>
    [target, ...target.destinations].some((place) => place.kept.length > 0),
  );
  if (targets.length === 0) return [];
  const cell = (target: TargetReport, region: string): string => {
    const place =
      region === target.region
        ? target
        : target.destinations.find((each) => each.region === region);
    if (!place) return '–';
    const ready = place.kept
      .filter((entry) => entry.state === 'completed')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const pending = place.kept.length - ready.length;
    const newest = ready[0];
    const oldest = ready[ready.length - 1];
    const lines = [newest ? count(ready.length, 'restore point') : 'no restore point yet'];
    if (newest) lines.push(`newest ${when(report, newest.createdAt)}`);
    if (oldest && oldest !== newest) lines.push(`oldest ${when(report, oldest.createdAt)}`);
    if (pending > 0) lines.push(`${pending} in progress`);
    return lines.join('<br>');
  };
  return [
    '<h3>Restore points</h3>',
    `<table><thead><tr><th>Resource</th>${regionHeads(regions)}</tr></thead><tbody>`,
    ...targets.map(
      (target) =>
        `<tr><td>${resourceLabel(target)}</td>${regions.map((region) => `<td>${cell(target, region)}</td>`).join('')}</tr>`,
    ),
    '</tbody></table>',
  ];
}

/** Kept backups, grouped by resource: each with its Region, time, size, state and rules. */
export function renderKept(report: RunReport): string[] {
  const groups = report.targets
    .map((target) => ({
      target,
      entries: [target, ...target.destinations].flatMap((place) => place.kept),
    }))
    .filter((group) => group.entries.length > 0);
  const total = groups.reduce((sum, group) => sum + group.entries.length, 0);
  if (total === 0) return [];
  const lines = [
    `<details><summary>Kept: ${count(total, 'backup')} of ${count(groups.length, 'resource')}</summary>`,
  ];
  for (const { target, entries } of groups) {
    lines.push(
      `<p>${resourceLabel(target)}: ${count(entries.length, 'backup')} kept</p>`,
      '<table><thead><tr><th>Backup</th><th>Region</th><th>Created</th><th>State</th><th>Kept by</th></tr></thead><tbody>',
      ...entries.map(
        (entry) =>
          `<tr><td>${backupLabel(report, target, entry)}</td><td><code>${esc(entry.region)}</code></td>` +
          `<td>${when(report, entry.createdAt)}</td><td>${esc(awsStateWord(report.targetType, entry.state))}</td><td>${keptBy(entry)}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }
  lines.push('</details>');
  return lines;
}

/** Deleted backups (or, in a dry run, those retention would delete), grouped by resource. */
export function renderDeleted(report: RunReport): string[] {
  const groups = report.targets
    .map((target) => ({
      target,
      entries: [target, ...target.destinations].flatMap((place) => place.deleted),
    }))
    .filter((group) => group.entries.length > 0);
  const entries = groups.flatMap((group) => group.entries);
  if (entries.length === 0) return [];
  const head = report.dryRun ? 'Would delete' : 'Deleted';
  const notAttempted = entries.filter((entry) => entry.result === 'not-attempted').length;
  const done = entries.filter(removed).length;
  const tally = report.dryRun
    ? count(entries.length, 'backup')
    : `${count(done, 'backup')} of ${entries.length}`;
  const refused = notAttempted > 0 ? `; ${notAttempted} held back: see the failures above` : '';
  const lines = [
    `<details${report.dryRun || notAttempted > 0 ? ' open' : ''}><summary>${head}: ${tally}${esc(refused)}</summary>`,
  ];
  for (const { target, entries: mine } of groups) {
    lines.push(
      `<p>${resourceLabel(target)}: ${count(mine.length, 'backup')}</p>`,
      '<table><thead><tr><th>Backup</th><th>Region</th><th>Created</th><th>Result and why</th></tr></thead><tbody>',
      ...mine.map(
        (entry) =>
          `<tr><td>${backupLabel(report, target, entry)}</td><td><code>${esc(entry.region)}</code></td>` +
          `<td>${when(report, entry.createdAt)}</td><td>${deletion(entry)}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }
  lines.push('</details>');
  return lines;
}

/** Other backup sets holding backups of these resources: never pruned here, so named. */
export function renderOtherSets(report: RunReport): string[] {
  const sets = report.otherSets ?? [];
  if (sets.length === 0) return [];
  const items = sets.map(
    (set) =>
      `<li>backup set <code>${esc(set.set)}</code>: ${count(set.backups, 'backup')} of ${count(set.sources, 'resource')}, the oldest from ${esc(formatTime(set.oldest, report.timeZone))}</li>`,
  );
  return [
    `<p>ℹ️ Other backup sets also hold backups of these resources in <code>${esc(report.region)}</code>. This run never prunes them; delete them by hand or run their workflow when they are no longer needed:</p>`,
    '<ul>',
    ...items,
    '</ul>',
  ];
}
