/**
 * Pure planning for one target: whether to create, reuse or skip a backup, which tags it gets, and
 * which of the set's backups the retention rules delete, the quota and the deletion budget.
 */
import { TAG_PREFIX, TAGS } from './constants.js';
import { formatDuration } from './duration.js';
import { concatListed, factsOf, pickListed, type ListedFacts } from './listing-facts.js';
import {
  decideRetention,
  decideSourceRetentionAt,
  type RetentionDecision,
  type RetentionRules,
} from './retention.js';
import type { Backup, Source } from './model.js';

/** AWS allows at most 50 user tags on a snapshot, image or DB snapshot. */
export const MAX_TAGS = 50;

export type CreateDecision =
  | { action: 'create' }
  | { action: 'reuse'; backup: Backup; reason: string }
  | { action: 'skip'; backup: Backup; reason: string };

export interface CreateContext {
  now: Date;
  runId?: string;
  minIntervalMs?: number;
}

/**
 * Decides what to do for a source given its existing backups in the set: reuse the backup this
 * workflow run already made (a re-run), skip when `min-interval` says the newest one is recent
 * enough, or create a new one.
 */
export function planCreate(existing: readonly Backup[], context: CreateContext): CreateDecision {
  // The newest usable backup of this run, and the newest usable one, in one pass over the facts
  // read with the listing, without sorting: sorting every target's listing took most of this over
  // 100,000 backups.
  const { times, ids, states, runs } = factsOf(existing);
  let sameRun = -1;
  let newest = -1;
  // `newestFirst` over indexes: the first one met among equals stays.
  const newer = (index: number, than: number): boolean => {
    if (than < 0) return true;
    const diff = (times[index] as number) - (times[than] as number);
    if (diff !== 0) return diff > 0;
    return (ids[index] as string) > (ids[than] as string);
  };
  for (let index = 0; index < existing.length; index++) {
    if (states[index] === 'failed') continue;
    if (newer(index, newest)) newest = index;
    if (context.runId && runs[index] === context.runId && newer(index, sameRun)) sameRun = index;
  }
  if (sameRun >= 0) {
    const backup = existing[sameRun] as Backup;
    return {
      action: 'reuse',
      backup,
      reason: `workflow run ${context.runId} already made ${backup.id} (a re-run reuses it)`,
    };
  }
  if (newest >= 0 && context.minIntervalMs !== undefined) {
    const backup = existing[newest] as Backup;
    const age = context.now.getTime() - (times[newest] as number);
    if (age < context.minIntervalMs) {
      return {
        action: 'skip',
        backup,
        reason: `min-interval: the newest backup ${backup.id} is ${formatDuration(Math.max(age, 0))} old, under ${formatDuration(context.minIntervalMs)}`,
      };
    }
  }
  return { action: 'create' };
}

export interface TagContext {
  set: string;
  createdAt: Date;
  runId?: string;
  userTags: Readonly<Record<string, string>>;
  copyTags: boolean;
  /** With quiescing: how the backup was made (`snapshot-rotation:consistency`). */
  consistency?: string;
  /** On GitHub Actions: `snapshot-rotation:repository` and `:workflow` (github-run.ts). */
  provenance?: Readonly<Record<string, string>>;
}

/**
 * The complete tag set of a new backup: the source's own tags (when `copy-tags`), then the user's
 * `tags`, then the ownership tags, each overriding the one before. `aws:` and `snapshot-rotation:`
 * tags of the source are never copied. When AWS's 50-tag limit would be passed, copied source tags
 * are dropped first and named in `dropped`.
 */
export function composeTags(
  source: Source,
  context: TagContext,
): { tags: Record<string, string>; dropped: string[] } {
  const ownership: Record<string, string> = {
    [TAGS.backupSet]: context.set,
    [TAGS.source]: source.id,
    [TAGS.createdAt]: context.createdAt.toISOString(),
    ...(context.runId ? { [TAGS.run]: context.runId } : {}),
    ...(context.consistency ? { [TAGS.consistency]: context.consistency } : {}),
    ...context.provenance,
  };
  const fixed = { ...context.userTags, ...ownership };
  const copied = context.copyTags
    ? Object.entries(source.tags).filter(
        ([key]) =>
          !key.toLowerCase().startsWith('aws:') && !key.startsWith(TAG_PREFIX) && !(key in fixed),
      )
    : [];
  const room = Math.max(MAX_TAGS - Object.keys(fixed).length, 0);
  return {
    tags: { ...Object.fromEntries(copied.slice(0, room)), ...fixed },
    dropped: copied.slice(room).map(([key]) => key),
  };
}

export interface PruneContext {
  now: Date;
  rules: RetentionRules;
  /** Backups created or reused in this run, always kept. */
  thisRun: readonly Backup[];
  /** Backups kept for a reason outside the rules, by id (a copy of it is in flight). */
  pinned?: ReadonlyMap<string, string>;
}

/**
 * Retention for one source's backups of the set, with this run's backup included (it may not be in
 * the listing yet). Returns every decision, kept and deleted.
 */
export function planPrune(existing: readonly Backup[], context: PruneContext): RetentionDecision[] {
  return pruneDecisions(existing, context).decisions;
}

/**
 * `planPrune`, and what copy planning may copy: the backups (this run's included) whose id
 * retention does not delete, with the facts read of them carried along when the backups were a
 * share of a listing (copy planning reads them next).
 */
export function planPruneKeeping(
  existing: readonly Backup[],
  context: PruneContext,
): { decisions: RetentionDecision[]; kept: Backup[] } {
  const { backups, decisions, indexes, listed } = pruneDecisions(existing, context);
  if (!indexes || !listed) {
    const deleted = new Set(decisions.filter((d) => !d.keep).map((d) => d.backup.id));
    return { decisions, kept: backups.filter((backup) => !deleted.has(backup.id)) };
  }
  return { decisions, kept: pickListed(backups, notDeleted(decisions, indexes, listed), listed) };
}

/**
 * The indexes of the backups whose id no decision deletes. Mostly the kept ones; but deletions go
 * by id, so an id listed twice (a page read before its `created-at` tag, a record read again as
 * another state) counts as deleted when any record of it is, and a record dropped as a repeat is
 * kept when none is. Ids are compared by their keys first.
 */
function notDeleted(
  decisions: readonly RetentionDecision[],
  indexes: readonly number[],
  { ids, idKeys }: ListedFacts,
): number[] {
  const kept: number[] = [];
  const keptKeys = new Set<number>();
  indexes.forEach((index, at) => {
    if (!decisions[at]?.keep) return;
    kept.push(index);
    keptKeys.add(idKeys[index] as number);
  });
  const clash = indexes.some(
    (index, at) => !decisions[at]?.keep && keptKeys.has(idKeys[index] as number),
  );
  // Every record decided (none dropped as a repeat) and no kept key among the deleted: the kept.
  if (!clash && indexes.length === ids.length) return kept;
  const deleted = new Set<string>();
  indexes.forEach((index, at) => {
    if (!decisions[at]?.keep) deleted.add(ids[index] as string);
  });
  return ids.flatMap((id, index) => (deleted.has(id) ? [] : [index]));
}

function pruneDecisions(
  existing: readonly Backup[],
  context: PruneContext,
): {
  backups: readonly Backup[];
  decisions: RetentionDecision[];
  indexes?: number[];
  listed?: ListedFacts;
} {
  // This run's backups come last: they stand for the listed ones of the same id (a re-run's
  // reused backup). Listed, they are one source's backups of one set; a backup of this run of
  // another source or set (none an adapter makes) is decided in its own group.
  const backups = context.thisRun.length > 0 ? concatListed(existing, context.thisRun) : existing;
  const first = backups[0];
  const oneGroup = context.thisRun.every(
    (made) => made.set === first?.set && made.sourceId === first.sourceId,
  );
  const retention = {
    now: context.now,
    thisRun: new Set(context.thisRun.map((backup) => backup.id)),
    ...(context.pinned ? { pinned: context.pinned } : {}),
  };
  if (!oneGroup) return { backups, decisions: decideRetention(backups, context.rules, retention) };
  return { backups, ...decideSourceRetentionAt(backups, context.rules, retention) };
}

/** How many of the planned creates fit the quota, and what to say about it. */
export interface QuotaCheck {
  allowed: number;
  /** Why the creates beyond `allowed` are refused. */
  refusal?: string;
  /** Less than 10% of the quota left after this run's creates. */
  warning?: string;
}

/** Checks the planned number of new backups against an account quota (RDS manual snapshots). */
export function checkQuota(
  creates: number,
  quota: { name: string; used: number; max: number },
): QuotaCheck {
  const room = Math.max(quota.max - quota.used, 0);
  const allowed = Math.min(creates, room);
  const left = room - allowed;
  const usage = `${quota.used} of ${quota.max} used (quota ${quota.name})`;
  return {
    allowed,
    ...(allowed < creates
      ? {
          refusal: `A new backup would exceed the account's snapshot quota: ${usage}. Nothing was created or deleted for this target; delete old manual snapshots or ask AWS for a higher quota.`,
        }
      : {}),
    ...(left < quota.max * 0.1
      ? { warning: `Only ${left} backups are left before the snapshot quota: ${usage}.` }
      : {}),
  };
}

/** The refusal message when a run would delete more than `max-deletions`, or undefined. */
export function deletionBudgetError(wouldDelete: number, maxDeletions: number): string | undefined {
  if (wouldDelete <= maxDeletions) return undefined;
  return `This run would delete ${wouldDelete} backups, more than max-deletions (${maxDeletions}); nothing was deleted. If this is intended, set 'max-deletions: ${wouldDelete}' for one run.`;
}
