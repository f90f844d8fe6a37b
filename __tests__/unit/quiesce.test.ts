// Quiescing in the create phase (src/quiesce.ts) over the FakeAdapter and a fake quiescer: the
// order pre → create → post, the consistency tag, `quiesce-failure`, and the post command always
// sent once a pre command was: after a failed pre, a failed create, and on cancellation.
import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/model.js';
import { TAGS } from '../../src/constants.js';
import type { QuiesceCommand } from '../../src/quiesce-inputs.js';
import type { CommandOutcome } from '../../src/quiesce-report.js';
import { renderSummary } from '../../src/report.js';
import type { Quiescer } from '../../src/targets/target.js';
import { A } from './fixtures.js';
import { FakeAdapter, quietRuns, runWith } from './fake-adapter.js';

quietRuns();

const INSTANCE = 'i-0123456789abcdef0';
const QUIESCE = { 'pre-command': 'fsfreeze -f /data', 'post-command': 'fsfreeze -u /data' };

/** Records its calls in the adapter's log, so the order with the create shows. */
class FakeQuiescer implements Quiescer {
  unmanaged?: string;
  preStatus = 'Success';
  /** Never answers the pre command until the signal fires (a run cancelled mid-command). */
  preHangs = false;
  failSend = false;
  private sent = new Map<string, string>();

  constructor(private readonly calls: string[]) {}

  unavailable(instanceId: string): Promise<string | undefined> {
    this.calls.push(`check ${instanceId}`);
    return Promise.resolve(this.unmanaged);
  }

  send(instanceId: string, command: QuiesceCommand): Promise<string> {
    const which = command.parameters.commands?.[0]?.includes('-u') ? 'post' : 'pre';
    this.calls.push(`${which} ${instanceId}`);
    if (this.failSend) return Promise.reject(new Error('Access denied'));
    const id = `cmd-${this.sent.size + 1}`;
    this.sent.set(id, which);
    return Promise.resolve(id);
  }

  outcome(
    commandId: string,
    _i: string,
    _t: number,
    signal?: AbortSignal,
  ): Promise<CommandOutcome> {
    const which = this.sent.get(commandId);
    if (which === 'pre' && this.preHangs) {
      return new Promise((_, reject) =>
        signal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
        ),
      );
    }
    const status = which === 'pre' ? this.preStatus : 'Success';
    return Promise.resolve({
      status,
      exitCode: status === 'Success' ? 0 : 1,
      output: `${which} done`,
    });
  }
}

function world(): { adapter: FakeAdapter; quiescer: FakeQuiescer } {
  const adapter = new FakeAdapter([], [A]);
  adapter.attachments[A] = INSTANCE;
  const quiescer = new FakeQuiescer(adapter.calls);
  adapter.quiescer = quiescer;
  return { adapter, quiescer };
}

/** What a quiesced create sends and does, in order. */
const PRE_CREATE_POST = [`check ${INSTANCE}`, `pre ${INSTANCE}`, `create ${A}`, `post ${INSTANCE}`];

const order = (adapter: FakeAdapter) =>
  adapter.calls.filter((call) => /^(check|pre|post|create) /.test(call));

describe('quiescing around the create', () => {
  it('runs pre, then the create, then post; tags the backup application-consistent', async () => {
    const { adapter } = world();
    const report = await runWith(adapter, { 'resource-id': A, ...QUIESCE });
    expect(order(adapter)).toEqual(PRE_CREATE_POST);
    expect(adapter.backups[0]?.tags[TAGS.consistency]).toBe('application-consistent');
    const target = report?.targets[0];
    expect(target?.outcome).toBe('created');
    expect(target?.quiesce).toMatchObject({
      instanceId: INSTANCE,
      pre: { status: 'Success', exitCode: 0, output: 'pre done' },
      post: { status: 'Success', exitCode: 0 },
      consistency: 'application-consistent',
    });
    expect(target?.quiesce?.pausedMs).toBe(0); // the run's clock stands still in these tests
    const summary = renderSummary(report!);
    expect(summary).toContain('<h3>Quiescing</h3>');
    expect(summary).toContain('pre done');
  });

  it('ends quiescing only once the adapter says the point in time is fixed (an AMI: its snapshots exist)', async () => {
    const { adapter } = world();
    adapter.pointInTimeFixed = (backup: Backup) => {
      adapter.calls.push(`fixed ${backup.id}`);
      return Promise.resolve();
    };
    await runWith(adapter, { 'resource-id': A, ...QUIESCE });
    expect(adapter.calls.filter((call) => /^(pre|post|create|fixed) /.test(call))).toEqual([
      `pre ${INSTANCE}`,
      `create ${A}`,
      `fixed ${adapter.backups[0]?.id}`,
      `post ${INSTANCE}`,
    ]);
  });

  it('backs up crash-consistent after a failed pre command, and still sends the post command', async () => {
    const { adapter, quiescer } = world();
    quiescer.preStatus = 'Failed';
    const report = await runWith(adapter, { 'resource-id': A, ...QUIESCE });
    expect(order(adapter)).toEqual(PRE_CREATE_POST);
    expect(adapter.backups[0]?.tags[TAGS.consistency]).toBe('crash-consistent');
    expect(report?.targets[0]?.warnings.join(' ')).toContain('ended Failed (exit 1)');
  });

  it('makes no backup with quiesce-failure: skip, reports why, and sends the post command', async () => {
    const { adapter, quiescer } = world();
    quiescer.preStatus = 'TimedOut';
    const report = await runWith(adapter, {
      'resource-id': A,
      ...QUIESCE,
      'quiesce-failure': 'skip',
    });
    expect(order(adapter)).toEqual([`check ${INSTANCE}`, `pre ${INSTANCE}`, `post ${INSTANCE}`]);
    expect(report?.targets[0]?.outcome).toBe('skipped');
    expect(report?.targets[0]?.message).toContain('TimedOut');
  });

  it('sends no command to an instance that is not managed, and backs up crash-consistent', async () => {
    const { adapter, quiescer } = world();
    quiescer.unmanaged = `${INSTANCE} is not a managed instance`;
    await runWith(adapter, { 'resource-id': A, ...QUIESCE });
    expect(order(adapter)).toEqual([`check ${INSTANCE}`, `create ${A}`]);
    expect(adapter.backups[0]?.tags[TAGS.consistency]).toBe('crash-consistent');
  });

  it('sends the post command after a failed create', async () => {
    const { adapter } = world();
    adapter.failCreate.add(A);
    const report = await runWith(adapter, { 'resource-id': A, ...QUIESCE });
    expect(order(adapter)).toEqual(PRE_CREATE_POST);
    expect(report?.targets[0]?.ok).toBe(false);
  });

  it('sends the post command when the run is cancelled during the pre command', async () => {
    const { adapter, quiescer } = world();
    quiescer.preHangs = true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const report = await runWith(adapter, { 'resource-id': A, ...QUIESCE }, controller.signal);
    expect(order(adapter)).toEqual([`check ${INSTANCE}`, `pre ${INSTANCE}`, `post ${INSTANCE}`]);
    expect(report?.targets[0]?.quiesce?.post?.status).toBe('Success');
  });

  it('says a detached volume needs no quiescing, and sends nothing', async () => {
    const { adapter } = world();
    adapter.attachments = {};
    const report = await runWith(adapter, { 'resource-id': A, ...QUIESCE });
    expect(order(adapter)).toEqual([`create ${A}`]);
    expect(report?.targets[0]?.quiesce?.note).toContain('attached to no instance');
  });

  it('reports a post command that could not be sent as a warning', async () => {
    const { adapter, quiescer } = world();
    const send = quiescer.send.bind(quiescer);
    quiescer.send = (id, command) => {
      if (command.parameters.commands?.[0]?.includes('-u')) {
        adapter.calls.push(`post ${id}`);
        return Promise.reject(new Error('Throttled'));
      }
      return send(id, command);
    };
    const report = await runWith(adapter, { 'resource-id': A, ...QUIESCE });
    expect(report?.targets[0]?.quiesce?.post).toMatchObject({ status: 'NotSent' });
    expect(report?.targets[0]?.warnings.join(' ')).toContain('may still be frozen');
  });
});
