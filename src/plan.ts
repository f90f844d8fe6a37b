/**
 * Pure planning for one target: whether to create, reuse or skip a backup, which tags it gets, and
 * which of the set's backups the retention rules delete.
 */
import { TAG_PREFIX, TAGS } from './constants.js';
import { formatDuration } from './duration.js';
import {
  decideRetention,
  newestFirst,
  type RetentionDecision,
  type RetentionRules,
} from './retention.js';
import type { CopyConfig } from './inputs.js';
import { TARGET_TYPE_FACTS } from './target-types.js';
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
  const usable = existing.filter((backup) => backup.state !== 'failed').sort(newestFirst);
  const sameRun = context.runId
    ? usable.find((backup) => backup.tags[TAGS.run] === context.runId)
    : undefined;
  if (sameRun) {
    return {
      action: 'reuse',
      backup: sameRun,
      reason: `workflow run ${context.runId} already made ${sameRun.id} (a re-run reuses it)`,
    };
  }
  const newest = usable[0];
  if (newest && context.minIntervalMs !== undefined) {
    const age = context.now.getTime() - newest.createdAt.getTime();
    if (age < context.minIntervalMs) {
      return {
        action: 'skip',
        backup: newest,
        reason: `min-interval: the newest backup ${newest.id} is ${formatDuration(Math.max(age, 0))} old, under ${formatDuration(context.minIntervalMs)}`,
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
  const byId = new Map(existing.map((backup) => [backup.id, backup]));
  for (const backup of context.thisRun) byId.set(backup.id, backup);
  return decideRetention([...byId.values()], context.rules, {
    now: context.now,
    thisRun: new Set(context.thisRun.map((backup) => backup.id)),
    ...(context.pinned ? { pinned: context.pinned } : {}),
  });
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

/**
 * Which of a source's backups need a copy in one destination region, newest first: those that the
 * copy retention keeps and that have no live copy there yet (a failed copy does not count, so the
 * next run copies again).
 *
 * The retention is decided over what the destination would hold: every completed original plus, as
 * stand-ins, the originals of its copies that are gone from the source region. It is the same
 * decision that the copy retention makes over the copies themselves (same ages, same rules, no
 * `keep` protection, which copies do not carry), so a copy that retention deletes is never wanted
 * again by the next run. Archived originals are set apart: AWS copies them only once restored.
 */
export function planCopies(
  originals: readonly Backup[],
  copies: readonly Backup[],
  context: { now: Date; rules: RetentionRules },
): { wanted: Backup[]; missing: Backup[]; archived: Backup[] } {
  const unprotected = (backup: Backup): Backup => ({
    ...backup,
    tags: Object.fromEntries(Object.entries(backup.tags).filter(([key]) => key !== TAGS.keep)),
  });
  const live = copies.filter((copy) => copy.state !== 'failed' && copy.copyOf);
  const home = new Map(
    originals.filter((backup) => backup.state === 'completed').map((backup) => [backup.id, backup]),
  );
  const view = new Map([...home].map(([id, backup]) => [id, unprotected(backup)]));
  for (const copy of live) {
    const id = copy.copyOf ?? '';
    if (!view.has(id)) view.set(id, { ...unprotected(copy), id, state: 'completed' });
  }
  const copied = new Set(live.map((copy) => copy.copyOf));
  const wanted = decideRetention([...view.values()], context.rules, { now: context.now })
    .filter((decision) => decision.keep && home.has(decision.backup.id))
    .map((decision) => home.get(decision.backup.id) as Backup);
  const uncopied = wanted.filter((backup) => !copied.has(backup.id));
  // AWS copies no archived snapshot: it stays wanted (the same decision), but is never started.
  return {
    wanted,
    missing: uncopied.filter((backup) => !backup.archived),
    archived: uncopied.filter((backup) => backup.archived),
  };
}

/** One copy that a target wants to start in a destination region. */
export interface CopyRequestSlot<T> {
  item: T;
  /** 0 for a target's newest backup, 1 for the next…: every target's newest goes first. */
  rank: number;
  /** In-flight slots it takes (an AMI's snapshots each take one). */
  slots: number;
}

/**
 * Admits copies into a destination's in-flight limit (DESIGN §5): every target's newest backup
 * first, then the older ones, in target order; from the first that does not fit on, the rest wait
 * for a later run.
 */
export function admitCopies<T>(
  requests: readonly CopyRequestSlot<T>[],
  inFlight: number,
  limit: number,
): { admitted: T[]; queued: T[] } {
  const ordered = requests
    .map((request, index) => ({ request, index }))
    .sort((a, b) => a.request.rank - b.request.rank || a.index - b.index);
  const admitted: T[] = [];
  const queued: T[] = [];
  let used = inFlight;
  for (const { request } of ordered) {
    if (queued.length === 0 && used + request.slots <= limit) {
      admitted.push(request.item);
      used += request.slots;
    } else {
      queued.push(request.item);
    }
  }
  return { admitted, queued };
}

/**
 * The tag set of a copy: the original's tags (so user and source tags travel with it), its
 * `created-at` (a copy is as old as its original), `copy-of` and `source-region`, and this run.
 * The original's `keep` protection is not carried: copies follow the copy retention. Within AWS's
 * 50 tags, the original's own tags give way first and are named in `dropped`.
 */
export function composeCopyTags(
  original: Backup,
  context: { runId?: string },
): { tags: Record<string, string>; dropped: string[] } {
  const ownership: Record<string, string> = {
    [TAGS.backupSet]: original.set,
    [TAGS.source]: original.sourceId,
    [TAGS.createdAt]: original.createdAt.toISOString(),
    [TAGS.copyOf]: original.id,
    [TAGS.sourceRegion]: original.region,
    ...(context.runId ? { [TAGS.run]: context.runId } : {}),
  };
  const carried = Object.entries(original.tags).filter(
    ([key]) => !key.startsWith(TAG_PREFIX) && !key.toLowerCase().startsWith('aws:'),
  );
  const room = Math.max(MAX_TAGS - Object.keys(ownership).length, 0);
  return {
    tags: { ...Object.fromEntries(carried.slice(0, room)), ...ownership },
    dropped: carried.slice(room).map(([key]) => key),
  };
}

/**
 * Why a source's backups cannot be copied as configured, found before anything is created: an
 * encrypted RDS snapshot crosses regions only with a KMS key of the destination region.
 */
export function copyKeyProblem(
  kind: Backup['kind'],
  encrypted: boolean,
  sourceId: string,
  copy: CopyConfig,
): string | undefined {
  if (!TARGET_TYPE_FACTS[kind].copyNeedsKey || !encrypted) return undefined;
  const missing = copy.regions.filter((region) => !copy.kmsKeyIds[region]);
  if (missing.length === 0) return undefined;
  return `${sourceId} is encrypted, and RDS copies an encrypted snapshot to another region only with a KMS key of that region: set 'copy-kms-key-id' for ${missing.join(', ')} (one key, or 'region=key' lines). Nothing was created or copied for it.`;
}

/** True for the option groups RDS makes itself (`default:mysql-8-0`), which every region has. */
export function isDefaultOptionGroup(name: string): boolean {
  return name.toLowerCase().startsWith('default:');
}

/**
 * Why a DB instance's snapshots cannot be copied as configured, found before anything is created:
 * an option group belongs to one region, so a copy of a snapshot with a non-default one needs an
 * option group named for its destination (`OptionGroupName` of CopyDBSnapshot).
 */
export function copyOptionGroupProblem(
  kind: Backup['kind'],
  optionGroup: string | undefined,
  sourceId: string,
  copy: CopyConfig,
): string | undefined {
  if (!TARGET_TYPE_FACTS[kind].optionGroups || !optionGroup || isDefaultOptionGroup(optionGroup)) {
    return undefined;
  }
  const missing = copy.regions.filter((region) => !copy.optionGroups[region]);
  if (missing.length === 0) return undefined;
  return `${sourceId} uses the option group '${optionGroup}', which exists in its own region only, and RDS copies a DB snapshot with a non-default option group to another region only with an option group of that region: set 'copy-option-group' for ${missing.join(', ')} (one name, or 'region=name' lines). Nothing was created or copied for it.`;
}
