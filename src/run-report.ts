/** The run's report assembled from every target's state, once the run is over. */
import { CALENDAR_UNITS } from './calendar.js';
import { formatDuration } from './duration.js';
import { runLink } from './github-run.js';
import { runStatus, type RunReport } from './report.js';
import type { RetentionRules } from './retention.js';
import type { Config } from './inputs.js';
import type { RunContext } from './run-state.js';

/** The report of the run as it stands: every target, with the failures of its copies. */
export function finishRun(run: RunContext): RunReport {
  const { config, works, errors } = run;
  // A copy that failed fails its target, after the target's own backup and pruning went ahead.
  for (const work of works) {
    if (work.adapter.files) work.report.files = work.adapter.files;
    if (work.copyErrors.length === 0) continue;
    work.report.ok = false;
    const message = `Copies: ${work.copyErrors.join(' ')}`;
    work.report.message = work.report.message ? `${work.report.message} ${message}` : message;
  }
  return {
    status: runStatus(
      works.map((work) => work.report),
      errors,
    ),
    dryRun: config.dryRun,
    targetType: config.targetType,
    region: config.region,
    backupSet: config.backupSet,
    rules: describeRules(config.rules, config.prune),
    ...(config.copy
      ? {
          copyRegions: config.copy.regions,
          copyRules: describeRules(config.copy.rules, config.prune),
        }
      : {}),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.now().toISOString(),
    timeZone: config.timeZone,
    ...withRunLink(config.github),
    ...(run.otherSets?.length ? { otherSets: run.otherSets } : {}),
    resolved: run.resolved,
    targets: works.map((work) => work.report),
    errors,
    warnings: run.warnings,
  };
}

/** `run`: the GitHub Actions run's link, when the run is known (not outside GitHub Actions). */
export function withRunLink(github: Config['github']): Pick<RunReport, 'run'> {
  const link = runLink(github);
  return link ? { run: link } : {};
}

function describeRules(rules: RetentionRules, prune: boolean): string {
  if (!prune) return 'pruning off';
  const parts: string[] = [];
  if (rules.generations !== undefined) parts.push(`generations ${rules.generations}`);
  if (rules.keepWithinMs !== undefined)
    parts.push(`keep-within ${formatDuration(rules.keepWithinMs)}`);
  const { calendar } = rules;
  if (calendar) {
    const counts = CALENDAR_UNITS.flatMap((unit) =>
      calendar[unit] !== undefined ? [`${unit} ${calendar[unit]}`] : [],
    );
    parts.push(`${counts.join(', ')} (${calendar.timeZone})`);
  }
  return parts.join(', ');
}
