/**
 * Planning the copies of a run (DESIGN §5): each destination region listed once, the backups each
 * needs within its in-flight limit (newest of each target first), and its snapshot quota.
 */
import * as core from '@actions/core';
import { CancelledError, isAbort } from './errors.js';
import type { Config } from './inputs.js';
import { admitCopies, planCopies, type CopyRequestSlot } from './copy-rules.js';
import { checkQuota } from './plan.js';
import type { CopyEntry } from './report.js';
import type { Backup, TargetAdapter } from './targets/target.js';
import { abortable } from './sleep.js';
import { TARGET_TYPE_FACTS } from './target-types.js';
import type { Destination, TargetWork } from './run-state.js';
import { factsOf } from './listing-facts.js';
import { bySource, ref } from './work.js';

/**
 * Lists the set in every destination region once and gives each target its copies there. Only
 * copies made from this source region count: other regions' runs keep and prune their own. A
 * region that cannot be listed gets no copies and stops all deletion for this run.
 */
export async function listDestinations(
  works: TargetWork[],
  config: Config,
  adapterIn: (region: string) => TargetAdapter,
  errors: string[],
  signal: AbortSignal | undefined,
): Promise<{ complete: boolean; inFlight: Map<string, number> }> {
  let complete = true;
  const inFlight = new Map<string, number>();
  await core.group('List copies in the destination regions', async () => {
    for (const region of config.copy?.regions ?? []) {
      const adapter = adapterIn(region);
      let listing: Backup[];
      try {
        listing = await abortable(adapter.listBackups(config.backupSet), signal);
      } catch (error) {
        complete = false;
        if (isAbort(error)) return;
        errors.push(
          `${error instanceof Error ? error.message : String(error)} No copies were made to ${region}.`,
        );
        continue;
      }
      // Every copy still in flight into the region takes one of its slots, whatever its source.
      inFlight.set(
        region,
        listing
          .filter((backup) => backup.copyOf && backup.state === 'pending')
          .reduce((sum, backup) => sum + adapter.copySlots(backup), 0),
      );
      const copies = listing.filter(
        (backup) => backup.copyOf && backup.sourceRegion === config.region,
      );
      core.info(
        `Backup set '${config.backupSet}' holds ${copies.length} copies from ${config.region} in ${region}.`,
      );
      const copiesOf = bySource(copies);
      for (const work of works) {
        const destination: Destination = {
          region,
          adapter,
          report: { region, copies: [], kept: [], deleted: [] },
          existing: copiesOf(work.source.id),
          thisRun: [],
          standIns: new Set(),
          toDelete: [],
        };
        work.destinations.push(destination);
        work.report.destinations.push(destination.report);
      }
    }
  });
  return { complete, inFlight };
}

/** Backups of the source region whose copy is still in flight: deleting them would fail the copy. */
export function pendingCopies(work: TargetWork): Map<string, string> {
  const pinned = new Map<string, string>();
  for (const destination of work.destinations) {
    // The facts read with the destination's listing: no copy record is read for this.
    const { states, copyOfs, copyOfKeys, ids } = factsOf(destination.existing);
    states.forEach((state, index) => {
      const of = copyOfs[index];
      if (state !== 'pending' || copyOfKeys[index] === -1 || of === undefined) return;
      pinned.set(of, `its copy ${ids[index]} to ${destination.region} is in progress`);
    });
  }
  return pinned;
}

/** A copy this run starts: which backup, into which destination of which target. */
export interface CopyStart {
  destination: Destination;
  original: Backup;
  entry: CopyEntry;
}

/**
 * Decides every copy of the run before any starts: per destination region, the backups that the
 * copy retention wants and no copy holds yet, admitted into the region's in-flight limit (newest
 * backup of each target first). The rest are reported as queued for a later run.
 */
export function planCopyStarts(
  works: TargetWork[],
  config: Config,
  inFlight: ReadonlyMap<string, number>,
  now: Date,
): Map<TargetWork, CopyStart[]> {
  const starts = new Map<TargetWork, CopyStart[]>();
  const rules = config.copy?.rules ?? {};
  for (const region of config.copy?.regions ?? []) {
    const requests: CopyRequestSlot<{ work: TargetWork; start: CopyStart }>[] = [];
    for (const work of works) {
      const destination = work.destinations.find((place) => place.region === region);
      if (!destination) continue;
      // What retention does not delete in the source region (all of it when pruning is off).
      const originals = work.kept ?? [...work.existing, ...work.thisRun];
      const { missing, archived, copied } = planCopies(originals, destination.existing, {
        now,
        rules,
      });
      for (const original of archived) {
        destination.report.copies.push({
          of: original.id,
          result: 'skipped',
          message: `${original.id} is archived, and AWS copies an archived snapshot only once it is restored; its newer backups are copied as usual.`,
        });
      }
      for (const { original, copy } of copied) {
        destination.report.copies.push({ of: original.id, result: 'exists', copy: ref(copy) });
      }
      missing.forEach((original, rank) => {
        const entry: CopyEntry = {
          of: original.id,
          result: config.dryRun ? 'would-copy' : 'copied',
        };
        destination.report.copies.push(entry);
        requests.push({
          item: { work, start: { destination, original, entry } },
          rank,
          slots: work.adapter.copySlots(original),
        });
      });
    }
    const limit = TARGET_TYPE_FACTS[config.targetType].copyLimit;
    const { admitted, queued } = admitCopies(requests, inFlight.get(region) ?? 0, limit);
    for (const { start } of queued) {
      start.entry.result = 'queued';
      start.entry.message = `${start.original.id} waits for a later run: ${region} takes at most ${limit} copies in flight.`;
    }
    for (const { work, start } of admitted) starts.set(work, [...(starts.get(work) ?? []), start]);
  }
  return starts;
}

/**
 * Holds the admitted copies to each destination's snapshot quota (RDS: 100 manual snapshots per
 * region by default), before any starts: copies are made before the destination's old copies are
 * pruned, so each needs room of its own. Those beyond the room fail their target with a message
 * naming the quota; the rest go ahead. A quota that cannot be read is a warning: AWS refuses a copy
 * beyond it anyway, and that refusal is reported as any other.
 */
export async function enforceCopyQuotas(
  starts: Map<TargetWork, CopyStart[]>,
  works: readonly TargetWork[],
  adapterIn: (region: string) => TargetAdapter,
  warnings: string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const byRegion = new Map<string, { work: TargetWork; start: CopyStart }[]>();
  for (const work of works) {
    for (const start of starts.get(work) ?? []) {
      const region = start.destination.region;
      byRegion.set(region, [...(byRegion.get(region) ?? []), { work, start }]);
    }
  }
  for (const [region, planned] of byRegion) {
    const adapter = adapterIn(region);
    if (!adapter.quota) continue;
    let quota;
    try {
      quota = await abortable(adapter.quota(), signal);
    } catch (error) {
      if (isAbort(error)) throw new CancelledError();
      warnings.push(
        `The snapshot quota in ${region} could not be read, so copies were started without checking it: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    const check = checkQuota(planned.length, quota);
    if (check.warning) warnings.push(`${region}: ${check.warning}`);
    for (const { work, start } of planned.slice(check.allowed)) {
      const message = `Copying ${start.original.id} to ${region} would exceed the snapshot quota there: ${quota.used} of ${quota.max} used (quota ${quota.name}); nothing was copied for it. Delete old manual snapshots in ${region} or ask AWS for a higher quota.`;
      start.entry.result = 'failed';
      start.entry.message = message;
      work.copyErrors.push(message);
      work.log.push(`Failed: ${message}`);
      starts.set(
        work,
        (starts.get(work) ?? []).filter((kept) => kept !== start),
      );
    }
  }
}
