/**
 * A run in restore mode (`target-type: files` with `restore-to`): instead of backing up, the step
 * restores a backup of the file set into a directory and reports it. Nothing is deleted.
 */
import type { Clock } from './clock.js';
import { CancelledError, isAbort } from './errors.js';
import type { Config } from './inputs.js';
import { runStatus, type RunReport, type TargetReport } from './report.js';
import { withRunLink } from './run-report.js';
import type { FilesAdapter } from './targets/files.js';
import type { TargetAdapter } from './targets/target.js';

/** Whether the adapter restores (a `files` one), asked without loading its module at start-up. */
function restores(adapter: TargetAdapter): adapter is FilesAdapter {
  return typeof (adapter as Partial<FilesAdapter>).restore === 'function';
}

export async function restoreFiles(
  config: Config,
  adapter: TargetAdapter,
  now: Clock,
  signal: AbortSignal | undefined,
): Promise<RunReport> {
  const startedAt = now();
  const sourceId = config.resourceIds[0] ?? '';
  const target: TargetReport = {
    sourceId,
    region: config.region,
    outcome: 'restore',
    ok: true,
    kept: [],
    deleted: [],
    destinations: [],
    warnings: [],
  };
  const errors: string[] = [];
  try {
    const restore = config.files?.restore;
    if (!restores(adapter) || !restore) {
      throw new Error('Restore applies to target-type files with restore-to set.');
    }
    const restored = await adapter.restore(restore, config.files?.workspace ?? '.', signal);
    target.backup = {
      id: restored.backupId,
      region: config.region,
      createdAt: startedAt.toISOString(),
      state: 'completed',
    };
    target.message =
      restored.state === 'restored'
        ? `Restored ${restored.files} files of ${restored.backupId} into ${restored.to}.`
        : `S3 is restoring ${restored.waiting} archived objects of ${restored.backupId} (${restored.state}); run this step again once they are restored${restored.expected ? ` (${restored.expected})` : ''}.`;
  } catch (error) {
    target.ok = false;
    target.message =
      isAbort(error) || signal?.aborted
        ? new CancelledError().message
        : error instanceof Error
          ? error.message
          : String(error);
  }
  if (adapter.files) target.files = adapter.files;
  return {
    status: runStatus([target], errors),
    dryRun: config.dryRun,
    targetType: config.targetType,
    region: config.region,
    backupSet: config.backupSet,
    rules: 'restore',
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    timeZone: config.timeZone,
    ...withRunLink(config.github),
    resolved: [sourceId],
    targets: [target],
    errors,
    warnings: [],
  };
}
