/**
 * The orchestration tests' world: an in-memory adapter per region and `run()` over it, so that the
 * phase tests (run, create, copies, failed copies, prune, run properties) read as runs of the action
 * without AWS.
 */
import { afterEach, beforeEach, vi, type MockInstance } from 'vitest';
import { DeferredError, TargetError } from '../../src/errors.js';
import { run } from '../../src/main.js';
import type { Backup, BackupQuota } from '../../src/model.js';
import type { RunReport } from '../../src/report.js';
import type {
  CopyRequest,
  CreateRequest,
  DeleteOutcome,
  Quiescer,
  TargetAdapter,
  WaitOptions,
} from '../../src/targets/target.js';
import { backup, HOME, NOW } from './fixtures.js';

/** An in-memory adapter that records every call, for orchestration tests without AWS. */
export class FakeAdapter implements TargetAdapter {
  readonly type = 'ebs-volume' as const;
  readonly calls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failCreate = new Set<string>();
  failWait = false;
  failWaitMessage = 'boom';
  waitForever = false;
  /** Source ids whose copies into this region are refused. */
  failCopy = new Set<string>();
  failList = false;
  /** Backup ids whose deletion AWS refuses. */
  failDelete = new Set<string>();
  /** As RDS: a copy takes its original's name, so a failed copy blocks the next one. */
  copiesNamedAfterOriginal = false;
  /** Backup ids that AWS leaves in place (locked, in use): the deletion is skipped. */
  skipDelete = new Set<string>();
  /** Source ids whose copies into this region AWS defers (copy slots taken by other tools). */
  deferCopy = new Set<string>();
  /** What a retried create made besides each new backup (EBS CreateSnapshot sent twice). */
  strayIds: string[] = [];
  /** The look for a retried create's twin fails (a describe throttled beyond the retries). */
  failStrays = false;
  /** The option group the sources use (RDS DB instances). */
  optionGroup?: string;
  /** The listing never answers (a stuck AWS call that takes no abort signal). */
  listForever = false;
  /** Runs the quiesce commands when a test gives it one. */
  quiescer?: Quiescer;
  /** When the new backup's point in time is fixed (an AMI's snapshots exist); unset: at the create. */
  pointInTimeFixed?: (backup: Backup, signal?: AbortSignal) => Promise<void>;
  /** The instance each volume is attached to (where a quiesce command runs). */
  attachments: Record<string, string> = {};
  /** Sources report encrypted storage (as RDS does). */
  encrypted = false;
  /** A snapshot quota, as RDS has: `used` counts the backups this region holds. */
  quota?: () => Promise<BackupQuota>;
  readonly copyRequests: CopyRequest[] = [];
  private next = 0;

  constructor(
    public backups: Backup[],
    readonly volumes: string[],
    readonly region = HOME,
  ) {}

  findSources(ids: readonly string[]) {
    this.calls.push('findSources');
    return Promise.resolve({
      found: ids
        .filter((id) => this.volumes.includes(id))
        .map((id) => ({
          id,
          tags: { Name: id },
          ...(this.encrypted ? { encrypted: true } : {}),
          ...(this.optionGroup ? { optionGroup: this.optionGroup } : {}),
          ...(this.attachments[id] ? { instanceId: this.attachments[id] } : {}),
        })),
      missing: ids.filter((id) => !this.volumes.includes(id)),
    });
  }

  /** As EC2 lists: the set's backups, or with `sources` every set's backups of those sources. */
  listBackups(set: string, sources?: readonly string[]) {
    this.calls.push('listBackups');
    if (this.listForever) return new Promise<Backup[]>(() => {});
    if (this.failList) {
      return Promise.reject(
        new TargetError(`Could not list snapshots in ${this.region}: Access denied.`),
      );
    }
    return Promise.resolve(
      this.backups.filter((b) => (sources ? sources.includes(b.sourceId) : b.set === set)),
    );
  }

  async create(request: CreateRequest): Promise<Backup> {
    this.calls.push(`create ${request.source.id}`);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight -= 1;
    if (this.failCreate.has(request.source.id))
      throw new TargetError(`Could not snapshot ${request.source.id}: boom.`);
    const made = backup(`snap-new-${(this.next += 1)}`, 0, {
      sourceId: request.source.id,
      set: request.set,
      state: 'pending',
      tags: request.tags,
    });
    this.backups.push(made);
    return made;
  }

  waitUntilDone(made: Backup, options: WaitOptions): Promise<Backup> {
    this.calls.push(`wait ${made.id}`);
    if (this.waitForever) {
      return new Promise((_, reject) =>
        options.signal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
        ),
      );
    }
    const done: Backup = this.failWait
      ? { ...made, state: 'failed', stateMessage: this.failWaitMessage }
      : { ...made, state: 'completed' };
    this.backups = this.backups.map((b) => (b.id === made.id ? done : b));
    return Promise.resolve(done);
  }

  copy(request: CopyRequest): Promise<Backup> {
    const { original, tags } = request;
    this.calls.push(`copy ${original.id} to ${this.region}`);
    this.copyRequests.push(request);
    if (this.failCopy.has(original.sourceId)) {
      return Promise.reject(
        new TargetError(`Could not copy ${original.id} to ${this.region}: Access denied.`),
      );
    }
    if (this.deferCopy.has(original.sourceId)) {
      return Promise.reject(
        new DeferredError(
          `Could not copy ${original.id} to ${this.region}: too many copies in flight (ResourceLimitExceeded). A later run copies it.`,
        ),
      );
    }
    const made: Backup = {
      ...original,
      id: `snap-copy-${(this.next += 1)}`,
      region: this.region,
      state: 'pending',
      tags,
      copyOf: original.id,
      sourceRegion: original.region,
    };
    this.backups.push(made);
    return Promise.resolve(made);
  }

  copySlots(): number {
    return 1;
  }

  strays(made: Backup): Promise<Backup[]> {
    this.calls.push(`strays ${made.id}`);
    if (this.failStrays) return Promise.reject(new TargetError('Could not look for duplicates.'));
    const twins = this.strayIds.map((id): Backup => ({ ...made, id, state: 'completed' }));
    this.backups.push(...twins);
    return Promise.resolve(twins);
  }

  delete(target: Backup): Promise<DeleteOutcome> {
    this.calls.push(`delete ${target.id}`);
    if (this.failDelete.has(target.id)) {
      return Promise.reject(new TargetError(`Could not delete ${target.id}: Access denied.`));
    }
    if (this.skipDelete.has(target.id)) {
      return Promise.resolve({
        result: 'skipped',
        message: `${target.id} is locked (EBS snapshot lock); left in place.`,
      });
    }
    this.backups = this.backups.filter((b) => b.id !== target.id);
    return Promise.resolve({ result: 'deleted' });
  }

  mutations(): string[] {
    return this.calls.filter((call) => /^(create|copy|delete) /.test(call));
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  now?: Date;
  /** A clock that moves during the run (overrides `now`). */
  clock?: () => Date;
  runId?: string;
  /** More of the runner's variables (GITHUB_WORKFLOW_REF, GITHUB_JOB…). */
  env?: Record<string, string>;
  /** Where the run saves the action's state (core.saveState by default: stdout without a runner). */
  saveState?: (name: string, value: string) => void;
}

/**
 * Runs the action with one adapter per region, the first one the home region's (default inputs:
 * `target-type: ebs-volume`, `generations: 2`); resolves with the report, none for bad inputs.
 */
export async function runInRegions(
  adapters: FakeAdapter[],
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<RunReport | undefined> {
  const byRegion = new Map(adapters.map((adapter) => [adapter.region, adapter]));
  let captured: RunReport | undefined;
  const values: Record<string, string> = {
    'target-type': 'ebs-volume',
    generations: '2',
    ...inputs,
  };
  await run({
    input: (name) => values[name] ?? '',
    env: { AWS_REGION: HOME, GITHUB_RUN_ID: options.runId ?? '100', ...options.env },
    now: options.clock ?? (() => options.now ?? NOW),
    adapterFor: (_config, region) => {
      const adapter = byRegion.get(region);
      if (!adapter) throw new Error(`no adapter for ${region}`);
      return adapter;
    },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.saveState ? { saveState: options.saveState } : {}),
    report: (report) => {
      captured = report;
      return Promise.resolve();
    },
  });
  return captured;
}

/** Like runInRegions, for runs that must write a report. */
export async function runIn(
  adapters: FakeAdapter[],
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<RunReport> {
  const report = await runInRegions(adapters, inputs, options);
  if (!report) throw new Error('the run wrote no report');
  return report;
}

/** Runs the action with one adapter for the source region (no copy destinations). */
export function runWith(
  adapter: FakeAdapter,
  inputs: Record<string, string>,
  signal?: AbortSignal,
) {
  return runInRegions([adapter], inputs, signal ? { signal } : {});
}

/** An abort signal that fires 20 ms from now, as SIGTERM would in the middle of a run. */
export function abortSoon(): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  return controller.signal;
}

/**
 * Registers the hooks of a file of runs: the action's log lines go to stdout, so each test
 * swallows them (`written()` returns what the test's run wrote), and the exit code a run sets is
 * reset.
 */
export function quietRuns(): { written: () => string } {
  let stdout: MockInstance<typeof process.stdout.write> | undefined;
  beforeEach(() => {
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });
  return { written: () => (stdout?.mock.calls ?? []).map(([line]) => String(line)).join('') };
}
