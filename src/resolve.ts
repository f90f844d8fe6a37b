/**
 * The resolve phase of a run: the sources named by id or found by tags (one lookup), and their
 * backups in the source region (one listing of every set's, shared by every target): the set's own
 * go to the targets, the other sets' are only named in the report.
 */
import * as core from '@actions/core';
import { INPUTS } from './constants.js';
import { CancelledError, isAbort } from './errors.js';
import type { Backup } from './model.js';
import { splitSets } from './other-sets.js';
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
    // Every set's backups of these sources, in the one listing the set's own needed; copies that
    // other regions' runs made into this one are theirs to keep and prune.
    const sources = works.map((work) => work.source.id);
    const listing = await abortable(adapter.listBackups(config.backupSet, sources), signal);
    const { own, others } = splitSets(listing, config.backupSet, sources);
    backups = own;
    core.info(
      `Backup set '${config.backupSet}' holds ${backups.length} backups of these resources in ${config.region}.`,
    );
    if (others.length > 0) {
      run.otherSets = others;
      const named = others.map((other) => `'${other.set}' (${other.backups})`).join(', ');
      core.info(`Other backup sets also hold backups of these resources: ${named}.`);
    }
  } catch (error) {
    if (isAbort(error)) errors.push(`${new CancelledError().message} Nothing was changed.`);
    else errors.push(error instanceof Error ? error.message : String(error));
    return false;
  }
  const backupsOf = bySource(backups);
  for (const work of works) work.existing = backupsOf(work.source.id);
  return true;
}
