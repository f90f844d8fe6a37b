import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import fc from 'fast-check';
import { TAGS } from '../../src/constants.js';
import { DeferredError, TargetError } from '../../src/errors.js';
import { run } from '../../src/main.js';
import { renderOutputs, type RunReport } from '../../src/report.js';
import type {
  BackupQuota,
  Backup,
  CopyRequest,
  CreateRequest,
  DeleteOutcome,
  TargetAdapter,
  WaitOptions,
} from '../../src/targets/target.js';
import { backup, DAY, HOUR, NOW } from './fixtures.js';

const A = 'vol-0aaaaaaaaaaaaaaaa';
const B = 'vol-0bbbbbbbbbbbbbbbb';
const C = 'vol-0cccccccccccccccc';

/** An in-memory adapter that records every call, for orchestration tests without AWS. */
class FakeAdapter implements TargetAdapter {
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
  /** The option group the sources use (RDS DB instances). */
  optionGroup?: string;
  /** The listing never answers (a stuck AWS call that takes no abort signal). */
  listForever = false;
  /** Sources report encrypted storage (as RDS does). */
  encrypted = false;
  /** A snapshot quota, as RDS has: `used` counts the backups this region holds. */
  quota?: () => Promise<BackupQuota>;
  readonly copyRequests: CopyRequest[] = [];
  private next = 0;

  constructor(
    public backups: Backup[],
    readonly volumes: string[],
    readonly region = 'us-east-1',
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
        })),
      missing: ids.filter((id) => !this.volumes.includes(id)),
    });
  }

  listBackups(set: string) {
    this.calls.push('listBackups');
    if (this.listForever) return new Promise<Backup[]>(() => {});
    if (this.failList) {
      return Promise.reject(
        new TargetError(`Could not list snapshots in ${this.region}: Access denied.`),
      );
    }
    return Promise.resolve(this.backups.filter((b) => b.set === set));
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

  /** The look for a retried create's twin fails (a describe throttled beyond the retries). */
  failStrays = false;

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

/** Runs the action with one adapter for the source region (no copy destinations). */
function runWith(adapter: FakeAdapter, inputs: Record<string, string>, signal?: AbortSignal) {
  return runInRegions([adapter], inputs, signal ? { signal } : {});
}

let stdout: MockInstance<typeof process.stdout.write>;
beforeEach(() => {
  // The action's log lines go to stdout; keep the test output readable and inspect them instead.
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('run', () => {
  it('lists the set once for all targets and never works on more targets at once than concurrency', async () => {
    const volumes = Array.from({ length: 10 }, (_, i) => `vol-0${String(i).repeat(16)}`);
    const adapter = new FakeAdapter([], volumes);
    const report = await runWith(adapter, { 'resource-id': volumes.join(','), concurrency: '3' });
    expect(report?.status).toBe('success');
    expect(adapter.calls.filter((call) => call === 'listBackups')).toHaveLength(1);
    expect(adapter.calls.filter((call) => call.startsWith('create'))).toHaveLength(10);
    expect(adapter.maxInFlight).toBe(3);
  });

  it('backs up the good targets when one fails, prunes only those, and ends partial', async () => {
    const old = [
      backup('snap-a-old', 9 * DAY, { sourceId: A }),
      backup('snap-a-older', 10 * DAY, { sourceId: A }),
    ];
    const oldB = [
      backup('snap-b-old', 9 * DAY, { sourceId: B }),
      backup('snap-b-older', 10 * DAY, { sourceId: B }),
    ];
    const adapter = new FakeAdapter([...old, ...oldB], [A, B]);
    adapter.failCreate.add(B);
    const report = await runWith(adapter, { 'resource-id': `${B},${C},${A}` });
    expect(report?.status).toBe('partial');
    expect(process.exitCode).toBe(1);
    expect(adapter.mutations()).toEqual([`create ${B}`, `create ${A}`, 'delete snap-a-older']);
    const byId = Object.fromEntries(report!.targets.map((t) => [t.sourceId, t]));
    expect(byId[C]?.ok).toBe(false);
    expect(byId[C]?.message).toContain('not found');
    expect(byId[B]).toMatchObject({ ok: false, outcome: 'failed', deleted: [] });
    expect(report?.resolved).toEqual([B, A]);
  });

  it('refuses to delete anything when more than max-deletions would go, and names the number', async () => {
    const olds = [1, 2, 3, 4].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    const report = await runWith(adapter, {
      'resource-id': A,
      generations: '1',
      'max-deletions': '3',
    });
    expect(report?.status).toBe('failed');
    expect(report?.errors[0]).toMatch(/would delete 4 backups, more than max-deletions \(3\)/);
    expect(adapter.mutations()).toEqual([`create ${A}`]);
  });

  it('makes no change in a dry run and reports what would be created and deleted', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    const report = await runWith(adapter, { 'resource-id': A, 'dry-run': 'true' });
    expect(adapter.mutations()).toEqual([]);
    expect(report?.targets[0]).toMatchObject({ outcome: 'would-create' });
    // The stand-in for the new backup counts in retention but is not reported as a kept backup.
    expect(report?.targets[0]?.kept.map((k) => k.id)).toEqual(['snap-1']);
    expect(report?.targets[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-2', 'would-delete'],
      ['snap-3', 'would-delete'],
    ]);
  });

  it('reuses the backup of the same workflow run instead of making a second one', async () => {
    const mine = backup('snap-mine', 60_000, { sourceId: A, tags: { [TAGS.run]: '100' } });
    const adapter = new FakeAdapter([mine], [A]);
    const report = await runWith(adapter, { 'resource-id': A });
    expect(adapter.mutations()).toEqual([]);
    expect(report?.targets[0]).toMatchObject({ outcome: 'reused', backup: { id: 'snap-mine' } });
  });

  it('never deletes with prune false', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    await runWith(adapter, { 'resource-id': A, prune: 'false', generations: '' });
    expect(adapter.mutations()).toEqual([`create ${A}`]);
  });

  it('stops waiting on cancellation, deletes nothing and reports the run as failed', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    adapter.waitForever = true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const report = await runWith(adapter, { 'resource-id': A }, controller.signal);
    expect(report?.status).toBe('failed');
    expect(report?.errors.join(' ')).toMatch(/cancelled/);
    expect(adapter.mutations()).toEqual([`create ${A}`]);
  });

  it('stops waiting for a listing that does not answer on cancellation, and changes nothing', async () => {
    const adapter = new FakeAdapter([], [A]);
    adapter.listForever = true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    const report = await runWith(adapter, { 'resource-id': A }, controller.signal);

    expect(report?.status).toBe('failed');
    expect(report?.errors.join(' ')).toMatch(/cancelled.*Nothing was changed/);
    expect(adapter.mutations()).toEqual([]);
  });

  it('still outputs the backup it made when pruning that target fails afterwards', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    adapter.failDelete.add('snap-3');
    const report = await runWith(adapter, { 'resource-id': A, generations: '1' });
    if (!report) throw new Error('no report');

    expect(report.status).toBe('failed');
    expect(report.targets[0]?.outcome).toBe('created');
    expect(report.targets[0]?.message).toMatch(/Could not delete snap-3/);
    const outputs = renderOutputs(report);
    expect(outputs['backup-id']).toBe('snap-new-1');
    expect(JSON.parse(outputs['backup-ids'] ?? '')).toEqual(['snap-new-1']);
  });

  it('does not prune a target whose backup ended failed, and does not output it as made', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    adapter.failWait = true;
    const report = await runWith(adapter, { 'resource-id': A, generations: '1' });
    expect(report?.status).toBe('failed');
    expect(adapter.mutations()).toEqual([`create ${A}`]);
    expect(report?.targets[0]?.outcome).toBe('failed');
    expect(report?.targets[0]?.message).toContain('failed state: boom');
  });

  it('predicts in a dry run that max-deletions would refuse, and fails like the real run', async () => {
    const olds = [1, 2, 3, 4].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    const report = await runWith(adapter, {
      'resource-id': A,
      generations: '1',
      'max-deletions': '2',
      'dry-run': 'true',
    });
    expect(report?.status).toBe('failed');
    expect(report?.errors[0]).toMatch(/more than max-deletions \(2\)/);
    expect(adapter.mutations()).toEqual([]);
  });

  it('fails the run with no AWS call when an input is invalid', async () => {
    const adapter = new FakeAdapter([], [A]);
    expect(await runWith(adapter, { 'resource-id': A, generations: '0' })).toBeUndefined();
    expect(adapter.calls).toEqual([]);
    expect(stdout.mock.calls.map(([line]) => String(line)).join('')).toMatch(
      /^::error::Input 'generations'/m,
    );
  });
});

const HOME = 'us-east-1';
const EU = 'eu-west-1';
const AP = 'ap-northeast-1';

/** A copy in `region` of `of`, made by a run in `sourceRegion` (the home region unless given). */
function copyIn(
  region: string,
  id: string,
  of: string,
  ageMs: number,
  options: { sourceId?: string; state?: Backup['state']; sourceRegion?: string } = {},
): Backup {
  const sourceRegion = options.sourceRegion ?? HOME;
  return backup(id, ageMs, {
    sourceId: options.sourceId ?? A,
    region,
    state: options.state ?? 'completed',
    copyOf: of,
    sourceRegion,
    tags: { [TAGS.copyOf]: of, [TAGS.sourceRegion]: sourceRegion },
  });
}

/** Runs with one FakeAdapter per region (the first one is the home region's). */
interface RunOptions {
  signal?: AbortSignal;
  now?: Date;
  runId?: string;
}

/** Runs the action with one adapter per region; resolves with the report (none for bad inputs). */
async function runInRegions(
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
    env: { AWS_REGION: HOME, GITHUB_RUN_ID: options.runId ?? '100' },
    now: () => options.now ?? NOW,
    adapterFor: (_config, region) => {
      const adapter = byRegion.get(region);
      if (!adapter) throw new Error(`no adapter for ${region}`);
      return adapter;
    },
    ...(options.signal ? { signal: options.signal } : {}),
    report: (report) => {
      captured = report;
      return Promise.resolve();
    },
  });
  return captured;
}

/** Like runInRegions, for runs that must write a report. */
async function runIn(
  adapters: FakeAdapter[],
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<RunReport> {
  const report = await runInRegions(adapters, inputs, options);
  if (!report) throw new Error('the run wrote no report');
  return report;
}

describe('run with copy-to-regions', () => {
  it('fails the copies beyond the destination’s snapshot quota before starting any, and says so', async () => {
    const home = new FakeAdapter([], [A, B]);
    const eu = new FakeAdapter([], [], EU);
    eu.quota = () => Promise.resolve({ name: 'ManualSnapshots', used: 99, max: 100 });
    const report = await runIn([home, eu], {
      'resource-id': `${A},${B}`,
      'copy-to-regions': EU,
    });

    expect(report.status).toBe('partial');
    expect(home.mutations()).toEqual([`create ${A}`, `create ${B}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    const [first, second] = report.targets;
    expect(first?.ok).toBe(true);
    expect(second?.ok).toBe(false);
    expect(second?.outcome).toBe('created');
    expect(second?.destinations[0]?.copies[0]).toMatchObject({ result: 'failed' });
    expect(second?.message).toMatch(
      new RegExp(`would exceed the snapshot quota there: 99 of 100 used .*${EU}`),
    );
    expect(report.warnings.join(' ')).toMatch(/Only 0 backups are left/);
  });

  it('copies this run’s backup to every destination with the copy tags, and outputs the copies', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    const ap = new FakeAdapter([], [], AP);
    const report = await runIn([home, eu, ap], {
      'resource-id': A,
      'copy-to-regions': `${EU}\n${AP}`,
    });
    expect(report.status).toBe('success');
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(ap.mutations()).toEqual([`copy snap-new-1 to ${AP}`]);
    expect(eu.calls).toContain('wait snap-copy-1');
    expect(eu.backups[0]?.tags).toEqual({
      Name: A,
      [TAGS.backupSet]: 'default',
      [TAGS.source]: A,
      [TAGS.createdAt]: NOW.toISOString(),
      [TAGS.run]: '100',
      [TAGS.copyOf]: 'snap-new-1',
      [TAGS.sourceRegion]: HOME,
    });
    expect(report.targets[0]?.destinations[0]).toMatchObject({
      region: EU,
      copies: [
        {
          of: 'snap-new-1',
          result: 'copied',
          copy: { id: 'snap-copy-1', region: EU, state: 'completed' },
        },
      ],
      deleted: [],
    });
    expect(JSON.parse(renderOutputs(report).copies ?? '')).toEqual([
      { region: EU, id: 'snap-copy-1', 'source-id': 'snap-new-1' },
      { region: AP, id: 'snap-copy-1', 'source-id': 'snap-new-1' },
    ]);
  });

  it('deletes the older copy in the destination only, by copy-generations', async () => {
    const home = new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]);
    const eu = new FakeAdapter([copyIn(EU, 'snap-copy-old', 'snap-1', DAY)], [], EU);
    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '1',
    });
    expect(report.status).toBe('success');
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, 'delete snap-copy-old']);
    expect(report.targets[0]?.kept.map((k) => k.id)).toEqual(['snap-new-1', 'snap-1']);
    expect(report.targets[0]?.destinations[0]?.kept.map((k) => k.id)).toEqual(['snap-copy-1']);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: EU, id: 'snap-copy-old' },
    ]);
  });

  it('leaves alone the copies that runs of other regions made, at home and in a destination', async () => {
    const home = new FakeAdapter(
      [
        backup('snap-1', DAY, { sourceId: A }),
        copyIn(HOME, 'snap-from-ap', 'snap-ap-1', 5 * DAY, { sourceRegion: AP }),
      ],
      [A],
    );
    const eu = new FakeAdapter(
      [copyIn(EU, 'snap-eu-from-ap', 'snap-ap-2', 5 * DAY, { sourceRegion: AP })],
      [],
      EU,
    );
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '1',
      'copy-to-regions': EU,
    });
    expect(home.mutations()).toEqual([`create ${A}`, 'delete snap-1']);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    const target = report.targets[0];
    expect([...(target?.kept ?? []), ...(target?.deleted ?? [])].map((b) => b.id)).toEqual([
      'snap-new-1',
      'snap-1',
    ]);
    expect(target?.destinations[0]?.kept.map((k) => k.id)).toEqual(['snap-copy-1']);
  });

  it('keeps copies by the copy calendar rules, apart from the source rules, and says which rule kept each', async () => {
    const days = [1, 2, 3, 4];
    const home = new FakeAdapter(
      days.map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A })),
      [A],
    );
    const eu = new FakeAdapter(
      days.map((d) => copyIn(EU, `copy-${d}`, `snap-${d}`, d * DAY)),
      [],
      EU,
    );
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '',
      'keep-daily': '7',
      'copy-to-regions': EU,
      'copy-keep-daily': '2',
      timezone: 'Asia/Tokyo',
    });
    expect(report.status).toBe('success');
    expect(report.rules).toBe('daily 7 (Asia/Tokyo)');
    expect(report.copyRules).toBe('daily 2 (Asia/Tokyo)');
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([
      `copy snap-new-1 to ${EU}`,
      'delete copy-4',
      'delete copy-3',
      'delete copy-2',
    ]);
    // NOW is 2026-11-22 21:00 in Tokyo; each older backup is a day before.
    expect(report.targets[0]?.destinations[0]?.kept).toMatchObject([
      {
        id: 'snap-copy-1',
        reasons: [
          'made in this run',
          'newest completed backup of the source',
          'daily: 2026-11-22 (1 of 2)',
        ],
      },
      { id: 'copy-1', reasons: ['daily: 2026-11-21 (2 of 2)'] },
    ]);
    expect(report.targets[0]?.kept.map((k) => k.reasons.at(-1))).toEqual([
      'daily: 2026-11-22 (1 of 7)',
      'daily: 2026-11-21 (2 of 7)',
      'daily: 2026-11-20 (3 of 7)',
      'daily: 2026-11-19 (4 of 7)',
      'daily: 2026-11-18 (5 of 7)',
    ]);
  });

  it('keeps a backup at home while its copy is in flight, and says why', async () => {
    const home = new FakeAdapter(
      [backup('snap-1', DAY, { sourceId: A }), backup('snap-2', 2 * DAY, { sourceId: A })],
      [A],
    );
    const eu = new FakeAdapter(
      [copyIn(EU, 'snap-copy-p', 'snap-2', 2 * DAY, { state: 'pending' })],
      [],
      EU,
    );
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '1',
      'copy-to-regions': EU,
    });
    expect(report.status).toBe('success');
    expect(home.mutations()).toEqual([`create ${A}`, 'delete snap-1']);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    const pinned = report.targets[0]?.kept.find((k) => k.id === 'snap-2');
    expect(pinned?.reasons).toEqual([`its copy snap-copy-p to ${EU} is in progress`]);
  });

  it('copies at most 20 at once into a destination and reports the rest as queued without failing', async () => {
    const volumes = Array.from({ length: 25 }, (_, i) => `vol-${i.toString(16).padStart(17, '0')}`);
    const home = new FakeAdapter([], volumes);
    const eu = new FakeAdapter([], [], EU);
    const report = await runIn([home, eu], {
      'resource-id': volumes.join(','),
      'copy-to-regions': EU,
    });
    expect(report.status).toBe('success');
    expect(process.exitCode).toBeUndefined();
    const made = report.targets.map((target) => target.backup?.id);
    expect(eu.mutations().sort()).toEqual(
      made
        .slice(0, 20)
        .map((id) => `copy ${id} to ${EU}`)
        .sort(),
    );
    const copies = report.targets.map((target) => target.destinations[0]?.copies);
    expect(copies.slice(0, 20).map((list) => list?.map((c) => c.result))).toEqual(
      Array.from({ length: 20 }, () => ['copied']),
    );
    expect(copies.slice(20)).toEqual(
      made.slice(20).map((id) => [
        {
          of: id,
          result: 'queued',
          message: `${id} waits for a later run: ${EU} takes at most 20 copies in flight.`,
        },
      ]),
    );
    expect(JSON.parse(renderOutputs(report).copies ?? '')).toHaveLength(20);
  });

  it('counts the copies already in flight into a destination, from any source, against the limit', async () => {
    const home = new FakeAdapter(
      [backup('snap-1', DAY, { sourceId: A }), backup('snap-2', 2 * DAY, { sourceId: A })],
      [A],
    );
    const busy = Array.from({ length: 19 }, (_, i) =>
      copyIn(EU, `snap-busy-${i}`, `snap-x-${i}`, HOUR, {
        sourceId: B,
        state: 'pending',
        sourceRegion: AP,
      }),
    );
    const eu = new FakeAdapter(busy, [], EU);
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '3',
      'copy-to-regions': EU,
    });
    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(report.targets[0]?.destinations[0]?.copies.map((c) => [c.of, c.result])).toEqual([
      ['snap-new-1', 'copied'],
      ['snap-1', 'queued'],
      ['snap-2', 'queued'],
    ]);
  });

  it('fails the target whose copy cannot be started, after its backup and pruning went ahead', async () => {
    const home = new FakeAdapter(
      [
        backup('snap-a-old', 9 * DAY, { sourceId: A }),
        backup('snap-a-older', 10 * DAY, { sourceId: A }),
        backup('snap-b-old', 9 * DAY, { sourceId: B }),
        backup('snap-b-older', 10 * DAY, { sourceId: B }),
      ],
      [A, B],
    );
    const eu = new FakeAdapter([], [], EU);
    eu.failCopy.add(A);
    const report = await runIn([home, eu], {
      'resource-id': `${A},${B}`,
      'copy-to-regions': EU,
      'copy-generations': '1',
    });
    expect(report.status).toBe('partial');
    expect(process.exitCode).toBe(1);
    const [a, b] = report.targets;
    const madeA = a?.backup?.id ?? '';
    const madeB = b?.backup?.id ?? '';
    expect(home.mutations().sort()).toEqual(
      [`create ${A}`, `create ${B}`, 'delete snap-a-older', 'delete snap-b-older'].sort(),
    );
    expect(eu.mutations().sort()).toEqual(
      [`copy ${madeA} to ${EU}`, `copy ${madeB} to ${EU}`].sort(),
    );
    const error = `Could not copy ${madeA} to ${EU}: Access denied.`;
    expect(a).toMatchObject({ ok: false, outcome: 'created', message: `Copies: ${error}` });
    expect(a?.destinations[0]?.copies).toEqual([{ of: madeA, result: 'failed', message: error }]);
    expect(b).toMatchObject({ ok: true, outcome: 'created' });
    const outputs = renderOutputs(report);
    expect(outputs['backup-id']).toBe(madeA);
    expect(JSON.parse(outputs['backup-ids'] ?? '')).toEqual([madeA, madeB]);
    expect(JSON.parse(outputs.copies ?? '')).toEqual([
      { region: EU, id: 'snap-copy-1', 'source-id': madeB },
    ]);
  });

  it('reports a copy that ended failed with AWS’s message, and fails the target', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    eu.failWait = true;
    eu.failWaitMessage = 'The KMS key is disabled';
    const report = await runIn([home, eu], { 'resource-id': A, 'copy-to-regions': EU });
    expect(report.status).toBe('failed');
    const message = `Copy snap-copy-1 of snap-new-1 in ${EU} ended in a failed state: The KMS key is disabled.`;
    expect(report.targets[0]).toMatchObject({ ok: false, message: `Copies: ${message}` });
    expect(report.targets[0]?.destinations[0]?.copies).toEqual([
      {
        of: 'snap-new-1',
        result: 'failed',
        message,
        copy: { id: 'snap-copy-1', region: EU, createdAt: NOW.toISOString(), state: 'failed' },
      },
    ]);
    expect(renderOutputs(report).copies).toBe('[]');
    expect(renderOutputs(report)['backup-id']).toBe('snap-new-1');
    // A failed copy is deleted like any failed backup, so the next run copies again.
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, 'delete snap-copy-1']);
    expect(report.targets[0]?.destinations[0]?.deleted.map((d) => [d.id, d.reasons])).toEqual([
      ['snap-copy-1', ['failed state: The KMS key is disabled']],
    ]);
  });

  it('makes no copy in a dry run and reports what would be copied and deleted', async () => {
    const home = new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]);
    const eu = new FakeAdapter([copyIn(EU, 'snap-copy-old', 'snap-1', DAY)], [], EU);
    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '1',
      'dry-run': 'true',
    });
    expect(report.status).toBe('success');
    expect([...home.mutations(), ...eu.mutations()]).toEqual([]);
    expect(eu.copyRequests).toEqual([]);
    const destination = report.targets[0]?.destinations[0];
    expect(destination?.copies).toEqual([{ of: `(new backup of ${A})`, result: 'would-copy' }]);
    expect(destination?.kept).toEqual([]);
    expect(destination?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-copy-old', 'would-delete'],
    ]);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: EU, id: 'snap-copy-old' },
    ]);
  });

  it('does not wait for copies with wait false, and copies today’s backup in the next run', async () => {
    const home = new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]);
    const eu = new FakeAdapter([], [], EU);
    const first = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      wait: 'false',
    });
    expect(first.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-1 to ${EU}`]);
    expect([...home.calls, ...eu.calls].filter((call) => call.startsWith('wait'))).toEqual([]);
    expect(first.targets[0]?.destinations[0]?.copies).toMatchObject([
      { of: 'snap-1', result: 'copied', copy: { id: 'snap-copy-1', state: 'pending' } },
    ]);

    // The next day: today's backup has completed, the copy of snap-1 is still in flight.
    home.backups = home.backups.map((b) => ({ ...b, state: 'completed' }));
    const second = await runIn(
      [home, eu],
      { 'resource-id': A, 'copy-to-regions': EU, wait: 'false' },
      { now: new Date(NOW.getTime() + DAY), runId: '101' },
    );
    expect(second.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-1 to ${EU}`, `copy snap-new-1 to ${EU}`]);
    expect(second.targets[0]?.destinations[0]?.copies.map((c) => [c.of, c.result])).toEqual([
      ['snap-1', 'exists'],
      ['snap-new-1', 'copied'],
    ]);
  });

  it('fails the run and deletes nothing anywhere when a destination cannot be listed', async () => {
    const home = new FakeAdapter(
      [backup('snap-1', DAY, { sourceId: A }), backup('snap-2', 2 * DAY, { sourceId: A })],
      [A],
    );
    const eu = new FakeAdapter([copyIn(EU, 'snap-copy-old', 'snap-2', 2 * DAY)], [], EU);
    const ap = new FakeAdapter([], [], AP);
    ap.failList = true;
    const report = await runIn([home, eu, ap], {
      'resource-id': A,
      generations: '1',
      'copy-to-regions': `${EU},${AP}`,
    });
    expect(report.status).toBe('failed');
    expect(report.errors).toEqual([
      `Could not list snapshots in ${AP}: Access denied. No copies were made to ${AP}.`,
      'A destination region could not be listed, so nothing was deleted in this run.',
    ]);
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(ap.mutations()).toEqual([]);
    expect(report.targets[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-1', 'not-attempted'],
      ['snap-2', 'not-attempted'],
    ]);
    expect(report.targets[0]?.destinations[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-copy-old', 'not-attempted'],
    ]);
    expect(renderOutputs(report)['deleted-count']).toBe('0');
  });

  it('counts deletions in the destinations against max-deletions', async () => {
    const setup = () => ({
      home: new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]),
      eu: new FakeAdapter(
        [
          copyIn(EU, 'snap-copy-x', 'snap-gone-x', 2 * DAY),
          copyIn(EU, 'snap-copy-y', 'snap-gone-y', 3 * DAY),
        ],
        [],
        EU,
      ),
    });
    const inputs = { 'resource-id': A, generations: '1', 'copy-to-regions': EU };
    const refused = setup();
    const report = await runIn([refused.home, refused.eu], { ...inputs, 'max-deletions': '2' });
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatch(/would delete 3 backups, more than max-deletions \(2\)/);
    expect(refused.home.mutations()).toEqual([`create ${A}`]);
    expect(refused.eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);

    const allowed = setup();
    const ok = await runIn([allowed.home, allowed.eu], { ...inputs, 'max-deletions': '3' });
    expect(ok.status).toBe('success');
    expect(allowed.home.mutations()).toEqual([`create ${A}`, 'delete snap-1']);
    expect(allowed.eu.mutations()).toEqual([
      `copy snap-new-1 to ${EU}`,
      'delete snap-copy-y',
      'delete snap-copy-x',
    ]);
  });

  it('stops waiting for copies on cancellation and deletes nothing', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const home = new FakeAdapter(olds, [A]);
    const eu = new FakeAdapter([copyIn(EU, 'snap-copy-old', 'snap-3', 3 * DAY)], [], EU);
    eu.waitForever = true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const report = await runIn(
      [home, eu],
      { 'resource-id': A, generations: '1', 'copy-to-regions': EU },
      { signal: controller.signal },
    );
    expect(report.status).toBe('failed');
    expect(report.errors.join(' ')).toMatch(/cancelled.*Nothing was deleted/);
    expect(home.mutations()).toEqual([`create ${A}`]);
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(report.targets[0]?.message).toBe('Copies: Cancelled before the copies finished.');
  });

  it('fails an encrypted RDS source without a key for a destination before creating anything', async () => {
    const home = new FakeAdapter([], ['prod-db']);
    home.encrypted = true;
    const eu = new FakeAdapter([], [], EU);
    const inputs = {
      'target-type': 'rds-instance',
      'resource-id': 'prod-db',
      'copy-to-regions': EU,
    };
    const report = await runIn([home, eu], inputs);
    expect(report.status).toBe('failed');
    expect([...home.mutations(), ...eu.mutations()]).toEqual([]);
    expect(report.targets[0]?.message).toContain(`set 'copy-kms-key-id' for ${EU}`);

    const keyed = await runIn([home, eu], { ...inputs, 'copy-kms-key-id': 'alias/dr' });
    expect(keyed.status).toBe('success');
    expect(home.mutations()).toEqual(['create prod-db']);
    expect(eu.copyRequests.map((request) => request.kmsKeyId)).toEqual(['alias/dr']);
  });
});

describe('run properties (fast-check, over the whole orchestration)', () => {
  const SOURCES = ['vol-a', 'vol-b', 'vol-c'];
  const listing = fc
    .array(
      fc.record({
        ageHours: fc.integer({ min: 1, max: 3000 }),
        source: fc.constantFrom('vol-a', 'vol-b', 'vol-c', 'vol-untargeted'),
        set: fc.constantFrom('default', 'default', 'weekly'),
        state: fc.constantFrom<Backup['state']>('completed', 'completed', 'pending', 'failed'),
        protected: fc.boolean(),
        copy: fc.boolean(),
        runId: fc.constantFrom(undefined, '100', '99'),
      }),
      { maxLength: 30 },
    )
    .map((specs) =>
      specs.map((spec, index) =>
        backup(`snap-${index}`, spec.ageHours * HOUR, {
          sourceId: spec.source,
          set: spec.set,
          state: spec.state,
          tags: {
            ...(spec.protected ? { [TAGS.keep]: 'true' } : {}),
            ...(spec.runId ? { [TAGS.run]: spec.runId } : {}),
          },
          ...(spec.copy ? { copyOf: `snap-orig-${index}`, sourceRegion: 'eu-west-1' } : {}),
        }),
      ),
    );
  const inputs = fc.record({
    targets: fc.subarray(SOURCES, { minLength: 1 }),
    generations: fc.integer({ min: 1, max: 6 }),
    keepWithinDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  });

  function inputsOf(spec: { targets: string[]; generations: number; keepWithinDays?: number }) {
    return {
      'resource-id': spec.targets.join(','),
      generations: String(spec.generations),
      ...(spec.keepWithinDays ? { 'keep-within': `${spec.keepWithinDays}d` } : {}),
      'max-deletions': '1000',
    };
  }

  it('deletes only completed or failed, unprotected backups of its own set and targets, never the newest or this run’s', async () => {
    await fc.assert(
      fc.asyncProperty(listing, inputs, async (backups, spec) => {
        const adapter = new FakeAdapter(
          backups.map((b) => ({ ...b })),
          SOURCES,
        );
        const report = await runWith(adapter, inputsOf(spec));
        const deleted = adapter.calls
          .filter((call) => call.startsWith('delete '))
          .map((call) => call.slice('delete '.length));
        const made = report?.targets.map((t) => t.backup?.id) ?? [];
        for (const id of deleted) {
          const gone = backups.find((b) => b.id === id);
          expect(gone, `deleted ${id}, which the listing did not hold`).toBeDefined();
          expect(gone!.set).toBe('default');
          expect(spec.targets).toContain(gone!.sourceId);
          expect(gone!.state).not.toBe('pending');
          expect(gone!.tags[TAGS.keep]).not.toBe('true');
          expect(gone!.copyOf).toBeUndefined();
          expect(made).not.toContain(id);
        }
        for (const source of spec.targets) {
          const completed = backups
            .filter(
              (b) =>
                b.set === 'default' &&
                b.sourceId === source &&
                !b.copyOf &&
                b.state === 'completed',
            )
            .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
          // The newest completed backup survives; so do at least `generations` completed ones.
          if (completed[0]) expect(deleted).not.toContain(completed[0].id);
          const left = completed.filter((b) => !deleted.includes(b.id)).length + 1;
          expect(left).toBeGreaterThanOrEqual(Math.min(spec.generations, completed.length + 1));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('makes the same plan from the same input (a dry run twice, then the real run)', async () => {
    await fc.assert(
      fc.asyncProperty(listing, inputs, async (backups, spec) => {
        const plan = async (dryRun: boolean) => {
          const adapter = new FakeAdapter(
            backups.map((b) => ({ ...b })),
            SOURCES,
          );
          const report = await runWith(adapter, {
            ...inputsOf(spec),
            'dry-run': String(dryRun),
          });
          return (report?.targets ?? []).map((target) => ({
            source: target.sourceId,
            kept: target.kept.map((k) => k.id),
            deleted: target.deleted.map((d) => d.id),
          }));
        };
        const first = await plan(true);
        expect(await plan(true)).toEqual(first);
        // The real run deletes what the dry run said it would (its own new backup aside).
        const real = await plan(false);
        expect(real.map((t) => t.deleted)).toEqual(first.map((t) => t.deleted));
      }),
      { numRuns: 100 },
    );
  });
});

describe('run when AWS refuses or repeats a request', () => {
  it('goes on deleting after a deletion AWS refuses, and fails the target at the end naming it', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    adapter.failDelete.add('snap-2');

    const report = await runIn([adapter], { 'resource-id': A, generations: '1' });

    // Oldest first; the refusal of snap-2 does not stop snap-1.
    expect(adapter.mutations()).toEqual([
      `create ${A}`,
      'delete snap-3',
      'delete snap-2',
      'delete snap-1',
    ]);
    expect(report.status).toBe('failed');
    expect(report.targets[0]?.message).toBe(
      '1 backup could not be deleted and is left in place; the other deletions went ahead, and the next run tries again. Could not delete snap-2: Access denied.',
    );
    expect(report.targets[0]?.deleted.map((d) => [d.id, d.result])).toEqual([
      ['snap-1', 'deleted'],
      ['snap-2', 'failed'],
      ['snap-3', 'deleted'],
    ]);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: HOME, id: 'snap-1' },
      { region: HOME, id: 'snap-3' },
    ]);
  });

  it('counts every refused deletion, in the source region and in the destinations', async () => {
    const home = new FakeAdapter(
      [1, 2].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A })),
      [A],
    );
    const eu = new FakeAdapter([copyIn(EU, 'copy-old', 'snap-gone', 5 * DAY)], [], EU);
    home.failDelete.add('snap-2');
    eu.failDelete.add('copy-old');

    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '1',
      'copy-to-regions': EU,
    });

    expect(report.targets[0]?.message).toMatch(
      /^2 backups could not be deleted and are left in place; the other deletions went ahead/,
    );
    expect(home.mutations()).toEqual([`create ${A}`, 'delete snap-2', 'delete snap-1']);
  });

  it('stays green when AWS leaves a deletion skipped (locked), and says what was left in place', async () => {
    const olds = [1, 2, 3].map((d) => backup(`snap-${d}`, d * DAY, { sourceId: A }));
    const adapter = new FakeAdapter(olds, [A]);
    adapter.skipDelete.add('snap-2');

    const report = await runIn([adapter], { 'resource-id': A, generations: '1' });

    expect(report.status).toBe('success');
    expect(adapter.mutations()).toEqual([
      `create ${A}`,
      'delete snap-3',
      'delete snap-2',
      'delete snap-1',
    ]);
    expect(report.targets[0]).toMatchObject({ ok: true, outcome: 'created' });
    expect(report.targets[0]?.message).toBe(
      `Left in place, as AWS refused to delete them (see warnings): snap-2 in ${HOME}.`,
    );
    expect(report.targets[0]?.warnings).toContain(
      'snap-2 is locked (EBS snapshot lock); left in place.',
    );
    expect(report.targets[0]?.deleted.find((d) => d.id === 'snap-2')?.result).toBe('skipped');
  });

  it('warns and creates anyway when the snapshot quota cannot be read (AWS’s own refusal decides)', async () => {
    const adapter = new FakeAdapter([], ['prod-db']);
    adapter.quota = () =>
      Promise.reject(
        new TargetError('Could not read the ManualSnapshots quota in us-east-1: Access denied.'),
      );

    const report = await runIn([adapter], {
      'target-type': 'rds-instance',
      'resource-id': 'prod-db',
    });

    expect(report.status).toBe('success');
    expect(adapter.mutations()).toEqual(['create prod-db']);
    expect(report.warnings).toContain(
      'The snapshot quota in us-east-1 could not be read, so backups were started without checking it (AWS refuses one beyond the quota): Could not read the ManualSnapshots quota in us-east-1: Access denied.',
    );
  });

  it('still refuses a create beyond a quota it could read', async () => {
    const adapter = new FakeAdapter([], ['prod-db']);
    adapter.quota = () => Promise.resolve({ name: 'ManualSnapshots', used: 100, max: 100 });

    const report = await runIn([adapter], {
      'target-type': 'rds-instance',
      'resource-id': 'prod-db',
    });

    expect(report.status).toBe('failed');
    expect(adapter.mutations()).toEqual([]);
  });

  it('deletes, as a duplicate, the second backup that a retried create made, and keeps this run’s', async () => {
    const adapter = new FakeAdapter([backup('snap-old', DAY, { sourceId: A })], [A]);
    adapter.strayIds = ['snap-twin'];

    const report = await runIn([adapter], { 'resource-id': A, generations: '5' });

    expect(report.status).toBe('success');
    expect(adapter.calls).toContain('strays snap-new-1');
    expect(adapter.mutations()).toEqual([`create ${A}`, 'delete snap-twin']);
    expect(report.targets[0]?.backup?.id).toBe('snap-new-1');
    expect(report.targets[0]?.deleted).toMatchObject([
      {
        id: 'snap-twin',
        result: 'deleted',
        reasons: ['duplicate of snap-new-1 (the same backup made twice by a retried request)'],
      },
    ]);
    expect(report.targets[0]?.kept.map((k) => k.id)).toEqual(['snap-new-1', 'snap-old']);
  });

  it('only warns when the look for a twin fails: the backup it made stays an output and pruning goes on', async () => {
    const adapter = new FakeAdapter([backup('snap-old', 3 * DAY, { sourceId: A })], [A]);
    adapter.failStrays = true;

    const report = await runIn([adapter], { 'resource-id': A, generations: '1' });

    expect(report.status).toBe('success');
    expect(report.targets[0]).toMatchObject({ outcome: 'created', backup: { id: 'snap-new-1' } });
    expect(report.targets[0]?.warnings.join(' ')).toMatch(/Could not look for duplicates/);
    expect(adapter.mutations()).toEqual([`create ${A}`, 'delete snap-old']);
  });

  it('looks for duplicates of a reused backup too, and of none in a dry run', async () => {
    const mine = backup('snap-mine', 60_000, { sourceId: A, tags: { [TAGS.run]: '100' } });
    const reused = new FakeAdapter([mine], [A]);
    await runIn([reused], { 'resource-id': A });
    expect(reused.calls).toContain('strays snap-mine');

    const dry = new FakeAdapter([], [A]);
    await runIn([dry], { 'resource-id': A, 'dry-run': 'true' });
    expect(dry.calls.some((call) => call.startsWith('strays'))).toBe(false);
  });
});

describe('run with copies, AWS as it behaves', () => {
  it('fails an RDS instance with a non-default option group and no copy-option-group before creating anything', async () => {
    const home = new FakeAdapter([], ['prod-db']);
    home.optionGroup = 'og-prod-mysql';
    const eu = new FakeAdapter([], [], EU);
    const inputs = {
      'target-type': 'rds-instance',
      'resource-id': 'prod-db',
      'copy-to-regions': EU,
    };

    const report = await runIn([home, eu], inputs);

    expect(report.status).toBe('failed');
    expect([...home.mutations(), ...eu.mutations()]).toEqual([]);
    expect(report.targets[0]?.message).toContain(
      `prod-db uses the option group 'og-prod-mysql', which exists in its own region only`,
    );
    expect(report.targets[0]?.message).toContain(`set 'copy-option-group' for ${EU}`);
  });

  it('gives each copy the option group named for its destination', async () => {
    const home = new FakeAdapter([], ['prod-db']);
    home.optionGroup = 'og-prod-mysql';
    const eu = new FakeAdapter([], [], EU);

    const report = await runIn([home, eu], {
      'target-type': 'rds-instance',
      'resource-id': 'prod-db',
      'copy-to-regions': EU,
      'copy-option-group': `${EU}=og-dr-mysql`,
    });

    expect(report.status).toBe('success');
    expect(eu.copyRequests.map((request) => request.optionGroup)).toEqual(['og-dr-mysql']);
  });

  it('copies an instance with a default option group without copy-option-group, naming none', async () => {
    const home = new FakeAdapter([], ['prod-db']);
    home.optionGroup = 'default:mysql-8-0';
    const eu = new FakeAdapter([], [], EU);

    const report = await runIn([home, eu], {
      'target-type': 'rds-instance',
      'resource-id': 'prod-db',
      'copy-to-regions': EU,
    });

    expect(report.status).toBe('success');
    expect(eu.copyRequests).toHaveLength(1);
    expect(eu.copyRequests[0]).not.toHaveProperty('optionGroup');
  });

  /** Backup snap-1 of A at home, whose copy in EU ended failed. */
  function withFailedCopy(): { home: FakeAdapter; eu: FakeAdapter } {
    const home = new FakeAdapter([backup('snap-1', DAY, { sourceId: A })], [A]);
    const eu = new FakeAdapter(
      [copyIn(EU, 'copy-failed', 'snap-1', DAY, { state: 'failed' })],
      [],
      EU,
    );
    return { home, eu };
  }

  it('deletes the failed copy of a backup before copying it again, and reports the deletion in the destination', async () => {
    const { home, eu } = withFailedCopy();

    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '2',
    });

    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([
      `copy snap-new-1 to ${EU}`,
      'delete copy-failed',
      `copy snap-1 to ${EU}`,
    ]);
    const destination = report.targets[0]?.destinations[0];
    expect(destination?.deleted).toMatchObject([
      {
        id: 'copy-failed',
        result: 'deleted',
        reasons: ['failed copy of snap-1, replaced by a new copy'],
      },
    ]);
    expect(destination?.copies.map((c) => [c.of, c.result])).toEqual([
      ['snap-new-1', 'copied'],
      ['snap-1', 'copied'],
    ]);
    expect(JSON.parse(renderOutputs(report)['deleted-ids'] ?? '')).toEqual([
      { region: EU, id: 'copy-failed' },
    ]);
  });

  it.each([
    ['prune: false', { prune: 'false', generations: '' }],
    ['max-deletions below the failed copies', { 'max-deletions': '0' }],
  ])(
    'queues the copy of a backup whose failed copy it may not delete (%s), deleting nothing',
    async (_, extra) => {
      const { home, eu } = withFailedCopy();
      eu.copiesNamedAfterOriginal = true;

      const report = await runIn([home, eu], {
        'resource-id': A,
        'copy-to-regions': EU,
        'copy-generations': '2',
        ...extra,
      });

      expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
      const entry = report.targets[0]?.destinations[0]?.copies.find((c) => c.of === 'snap-1');
      expect(entry).toEqual({
        of: 'snap-1',
        result: 'queued',
        message: `snap-1 is copied again once its failed copy in ${EU} is deleted (this run deletes nothing: dry run, 'prune: false' or max-deletions).`,
      });
    },
  );

  it('queues the copy when its failed copy cannot be deleted, and reports that deletion as failed', async () => {
    const { home, eu } = withFailedCopy();
    eu.failDelete.add('copy-failed');
    eu.copiesNamedAfterOriginal = true;

    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '2',
    });

    expect(eu.mutations().slice(0, 2)).toEqual([`copy snap-new-1 to ${EU}`, 'delete copy-failed']);
    expect(eu.mutations()).not.toContain(`copy snap-1 to ${EU}`);
    const destination = report.targets[0]?.destinations[0];
    expect(destination?.copies.find((c) => c.of === 'snap-1')).toEqual({
      of: 'snap-1',
      result: 'queued',
      message: `snap-1 is copied again once its failed copy in ${EU} is deleted (that deletion failed; see the deletions).`,
    });
    expect(destination?.deleted[0]).toMatchObject({
      id: 'copy-failed',
      reasons: ['failed copy of snap-1, replaced by a new copy'],
      result: 'failed',
      message: 'Could not delete copy-failed: Access denied.',
    });
    expect(report.targets[0]?.ok).toBe(false);
  });

  it('deletes, as a duplicate, the second copy that a retried copy made in the destination', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    eu.strayIds = ['copy-twin'];

    const report = await runIn([home, eu], { 'resource-id': A, 'copy-to-regions': EU });

    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, 'delete copy-twin']);
    expect(report.targets[0]?.destinations[0]?.deleted).toMatchObject([
      { id: 'copy-twin', result: 'deleted', reasons: [expect.stringMatching(/^duplicate of /)] },
    ]);
  });

  it('copies beside a failed copy it may not delete when copies get ids of their own (EC2)', async () => {
    const { home, eu } = withFailedCopy();

    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '2',
      prune: 'false',
      generations: '',
    });

    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`, `copy snap-1 to ${EU}`]);
    const entry = report.targets[0]?.destinations[0]?.copies.find((c) => c.of === 'snap-1');
    expect(entry?.result).toBe('copied');
  });

  it('tries a failed copy it could not delete once in a run, not again when pruning', async () => {
    const { home, eu } = withFailedCopy();
    eu.failDelete.add('copy-failed');

    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '2',
    });

    expect(eu.mutations().filter((m) => m === 'delete copy-failed')).toHaveLength(1);
    const deleted = report.targets[0]?.destinations[0]?.deleted ?? [];
    expect(deleted.filter((entry) => entry.id === 'copy-failed')).toHaveLength(1);
  });

  it('counts the failed copies it replaced against max-deletions', async () => {
    const home = new FakeAdapter(
      [backup('snap-1', DAY, { sourceId: A }), backup('snap-2', 2 * DAY, { sourceId: A })],
      [A],
    );
    const eu = new FakeAdapter(
      [copyIn(EU, 'copy-failed', 'snap-1', DAY, { state: 'failed' })],
      [],
      EU,
    );

    // One failed copy replaced plus one backup beyond retention at home: 2 deletions.
    const report = await runIn([home, eu], {
      'resource-id': A,
      generations: '2',
      'copy-to-regions': EU,
      'max-deletions': '1',
    });

    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatch(/would delete 2 backups, more than max-deletions \(1\)/);
    expect(home.mutations()).toEqual([`create ${A}`]);
  });

  it('queues a copy that AWS defers (copy slots taken by other tools) without failing the target', async () => {
    const home = new FakeAdapter([], [A]);
    const eu = new FakeAdapter([], [], EU);
    eu.deferCopy.add(A);

    const report = await runIn([home, eu], { 'resource-id': A, 'copy-to-regions': EU });

    expect(report.status).toBe('success');
    expect(report.targets[0]?.ok).toBe(true);
    expect(report.targets[0]?.destinations[0]?.copies).toEqual([
      {
        of: 'snap-new-1',
        result: 'queued',
        message: `Could not copy snap-new-1 to ${EU}: too many copies in flight (ResourceLimitExceeded). A later run copies it.`,
      },
    ]);
    expect(renderOutputs(report).copies).toBe('[]');
  });

  it('copies no archived backup, says so, and copies the others as usual', async () => {
    const home = new FakeAdapter(
      [backup('snap-archived', DAY, { sourceId: A, archived: true })],
      [A],
    );
    const eu = new FakeAdapter([], [], EU);

    const report = await runIn([home, eu], {
      'resource-id': A,
      'copy-to-regions': EU,
      'copy-generations': '2',
    });

    expect(report.status).toBe('success');
    expect(eu.mutations()).toEqual([`copy snap-new-1 to ${EU}`]);
    expect(report.targets[0]?.destinations[0]?.copies).toEqual([
      {
        of: 'snap-archived',
        result: 'skipped',
        message:
          'snap-archived is archived, and AWS copies an archived snapshot only once it is restored; its newer backups are copied as usual.',
      },
      expect.objectContaining({ of: 'snap-new-1', result: 'copied' }),
    ]);
  });
});
