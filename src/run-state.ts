/**
 * The state of one run carried between its phases: the run's context, and per target its backups
 * in the source region and in each copy destination, and what retention decided for them.
 */
import type { LimitFunction } from 'p-limit';
import type { PostLedger } from './backstop.js';
import type { Clock } from './clock.js';
import type { Config } from './inputs.js';
import type { Backup, Source } from './model.js';
import type { CreateDecision } from './plan.js';
import type {
  DeletedEntry,
  DestinationReport,
  KeptEntry,
  OtherSet,
  TargetReport,
} from './report.js';
import type { TargetAdapter } from './targets/target.js';

/** Backups of one source in one region, and what retention decided for them. */
export interface Place {
  region: string;
  adapter: TargetAdapter;
  report: { kept: KeptEntry[]; deleted: DeletedEntry[] };
  /** The source's backups that the region held at the start of the run. */
  existing: Backup[];
  /** Made in this run (kept whatever the rules say); in a dry run, stand-ins for them. */
  thisRun: Backup[];
  /** Ids of the dry run's stand-ins, which are reported as would-create or would-copy only. */
  standIns: Set<string>;
  toDelete: { backup: Backup; entry: DeletedEntry }[];
  /** Of them and this run's, those whose id retention does not delete, once it has decided here. */
  kept?: Backup[];
}

/** One target's copies in one destination region. */
export interface Destination extends Place {
  report: DestinationReport;
}

/** Per-target state carried between the phases. */
export interface TargetWork extends Place {
  source: Source;
  report: TargetReport;
  decision?: CreateDecision;
  destinations: Destination[];
  /** Copies that failed or were not waited for: the target fails once pruning is done. */
  copyErrors: string[];
  log: string[];
}

/** What every phase of a run shares. */
export interface RunContext {
  config: Config;
  /** The source region's adapter. */
  adapter: TargetAdapter;
  /** The adapter of any region: the source region, or a copy destination. */
  adapterIn: (region: string) => TargetAdapter;
  now: Clock;
  startedAt: Date;
  /** When the run's `wait-timeout` ends (epoch ms, by `now`); set once the sources are resolved. */
  waitDeadline: number;
  /** Fires on SIGINT/SIGTERM: stop waiting, make no new change, still report. */
  signal: AbortSignal | undefined;
  /** How many targets are worked on at once (`concurrency`). */
  limit: LimitFunction;
  works: TargetWork[];
  /** The resolved source ids, in target order (the `targets` output). */
  resolved: string[];
  /** Other backup sets holding backups of these sources in the source region (resolve phase). */
  otherSets?: OtherSet[];
  errors: string[];
  warnings: string[];
  /** Which instances owe a post command, kept where the action's post step finds it (`backstop.ts`). */
  postLedger?: PostLedger;
  /** Set before the creates when each target is pruned as soon as its backup is made. */
  deletionPlan?: DeletionPlan;
}

/** The deletions a run planned before its first create (`early-prune.ts`), and what it did. */
export interface DeletionPlan {
  /** Per target, the backups it may delete: retention predicted with a stand-in for the new one. */
  planned: Map<TargetWork, ReadonlySet<string>>;
  /** Per target, the ids of the backups listed when the plan was made (a later one is a twin of its create). */
  listed: Map<TargetWork, ReadonlySet<string>>;
  /** What `max-deletions` leaves beyond the plan: for the twins of this run's creates only. */
  spare: number;
  /** Why this run deletes nothing: the plan is over `max-deletions`. */
  refusal?: string;
  /** The targets pruned already, each in its create slot. */
  pruned: Set<TargetWork>;
}
