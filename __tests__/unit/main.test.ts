import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { TAGS } from '../../src/constants.js';
import { TargetError } from '../../src/errors.js';
import { run } from '../../src/main.js';
import type { RunReport } from '../../src/report.js';
import type {
  Backup,
  CopyRequest,
  CreateRequest,
  DeleteOutcome,
  TargetAdapter,
  WaitOptions,
} from '../../src/targets/target.js';
import { backup, DAY, NOW } from './fixtures.js';

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
  waitForever = false;
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
        .map((id) => ({ id, tags: { Name: id } })),
      missing: ids.filter((id) => !this.volumes.includes(id)),
    });
  }

  listBackups(set: string) {
    this.calls.push('listBackups');
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
    if (this.failWait) return Promise.resolve({ ...made, state: 'failed', stateMessage: 'boom' });
    return Promise.resolve({ ...made, state: 'completed' });
  }

  copy({ original, tags }: CopyRequest): Promise<Backup> {
    this.calls.push(`copy ${original.id} to ${this.region}`);
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

  delete(target: Backup): Promise<DeleteOutcome> {
    this.calls.push(`delete ${target.id}`);
    this.backups = this.backups.filter((b) => b.id !== target.id);
    return Promise.resolve({ result: 'deleted' });
  }

  mutations(): string[] {
    return this.calls.filter((call) => /^(create|copy|delete) /.test(call));
  }
}

async function runWith(adapter: FakeAdapter, inputs: Record<string, string>, signal?: AbortSignal) {
  let captured: RunReport | undefined;
  const values: Record<string, string> = {
    'target-type': 'ebs-volume',
    generations: '2',
    ...inputs,
  };
  await run({
    input: (name) => values[name] ?? '',
    env: { AWS_REGION: 'us-east-1', GITHUB_RUN_ID: '100' },
    now: () => NOW,
    adapterFor: () => adapter,
    ...(signal ? { signal } : {}),
    report: (report) => {
      captured = report;
      return Promise.resolve();
    },
  });
  return captured;
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
