/**
 * The resolve phase of a run: the sources named by id or found by tags (one lookup), and the set's
 * backups in the source region (one listing, shared by every target).
 */
import * as core from '@actions/core';
import { INPUTS } from './constants.js';
import { CancelledError, isAbort } from './errors.js';
import type { Backup } from './model.js';
import { abortable } from './sleep.js';
import type { RunContext } from './run-state.js';
import { bySource, fail, newWork } from './work.js';

/**
 * Fills the run's targets (in the order the user named them, then the ones found by tags; a missing
 * one fails) and gives each its backups; false when the run cannot go on (nothing to back up, a
 * lookup or listing that failed, a cancellation), with the reason in the run's errors.
 */
export async function resolveTargets(run: RunContext): Promise<boolean> {
  const { config, adapter, signal, works, errors } = run;
  let backups: Backup[];
  try {
    const lookup = await core.group('Resolve targets and list backups', async () => {
      const found = await abortable(
        adapter.findSources(config.resourceIds, config.resourceTags),
        signal,
      );
      core.info(`Targets: ${found.found.map((s) => s.id).join(', ') || 'none'}`);
      return found;
    });
    const named = new Map(config.resourceIds.map((id, index) => [id, index]));
    const rank = (id: string): number => named.get(id) ?? config.resourceIds.length;
    const ordered = [...lookup.found].sort((a, b) => rank(a.id) - rank(b.id));
    for (const source of ordered) {
      run.resolved.push(source.id);
      works.push(newWork(source, adapter));
    }
    for (const id of lookup.missing) {
      const work = newWork({ id, tags: {} }, adapter);
      fail(work, `${id} was not found in ${config.region} (or these credentials cannot see it).`);
      works.push(work);
    }
    if (works.length === 0) {
      errors.push(
        `No ${config.targetType} in ${config.region} carries all of the tags in '${INPUTS.resourceTags}'; nothing was backed up.`,
      );
      return false;
    }
    // Copies that other regions' runs made into this one are theirs to keep and prune.
    backups = (await abortable(adapter.listBackups(config.backupSet), signal)).filter(
      (backup) => !backup.copyOf,
    );
    core.info(
      `Backup set '${config.backupSet}' holds ${backups.length} backups in ${config.region}.`,
    );
  } catch (error) {
    if (isAbort(error)) errors.push(`${new CancelledError().message} Nothing was changed.`);
    else errors.push(error instanceof Error ? error.message : String(error));
    return false;
  }
  const backupsOf = bySource(backups);
  for (const work of works) work.existing = backupsOf(work.source.id);
  return true;
}
