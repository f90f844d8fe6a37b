/**
 * `npm run bench`: the figures the README reports, measured, never asserted.
 *
 * (a) The pure core: retention and planning over 100,000 backups of 1,000 sources (bench/core.ts,
 *     bundled with ncc and run in a child process), in milliseconds.
 * (b) The bundled action against moto: N volumes (default 200) found by tags among untagged ones,
 *     backed up in one run, then backed up and pruned to one generation in a second run. Every AWS
 *     call is counted by a proxy between the action and moto (scripts/counting-proxy.mjs), outside
 *     the action, which also models AWS's per-action token buckets and counts any call they would
 *     throttle. The wall time includes the pacing of mutating calls (a bucket per action: 50 at
 *     once, then AWS's refill), which is the floor a real account imposes too.
 *
 * (c) One large file (default 1 GiB) backed up with `target-type: files`: time and the action's peak
 *     memory (scripts/bench-files.mjs).
 *
 * (d) Start-up: the bundle exiting on a missing input (median wall time of 10 and peak memory, by
 *     GNU time), Node's own start, and the time to the first AWS call of a dry run
 *     (scripts/bench-startup.mjs).
 *
 * Options: `--volumes N`, `--sources N --per-source M` (part a), `--file-mib N` (part c),
 * `--startup-compare FILE` (part d: another bundle measured alike, e.g. configure-aws-credentials'
 * dist/index.js), `--only core|moto|files|startup`.
 * Resets the moto server it uses (its own, or the one MOTO_ENDPOINT_URL names).
 */
import { CreateVolumeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ACTION_ENTRY, ROOT, runAction } from './action-runner.mjs';
import { awsBuckets, startCountingProxy } from './counting-proxy.mjs';
import { benchFiles } from './bench-files.mjs';
import { benchStartup } from './bench-startup.mjs';
import { resetMoto, startMoto } from './moto.mjs';

const REGION = 'us-east-1';

const { values: options } = parseArgs({
  options: {
    volumes: { type: 'string', default: '200' },
    sources: { type: 'string', default: '1000' },
    'per-source': { type: 'string', default: '100' },
    only: { type: 'string' },
    'file-mib': { type: 'string', default: '1024' },
    'startup-compare': { type: 'string' },
  },
});

/** @param {string} name @param {string | undefined} value */
function positive(name, value) {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new Error(`--${name} must be a positive whole number, not '${value}'.`);
  }
  return number;
}

/** (a) Bundles bench/core.ts and runs it; it prints its own figures. */
function benchCore() {
  console.log('\n(a) Retention and planning in the pure core\n');
  const out = mkdtempSync(join(tmpdir(), 'snapshot-rotation-bench-'));
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
        'build',
        'bench/core.ts',
        '-o',
        out,
        '-q',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    // Then the same listing with each target's records together in memory: what is left when
    // reading records spread over memory costs nothing.
    for (const layout of ['listing', 'by-source']) {
      execFileSync(
        process.execPath,
        [
          join(out, 'index.js'),
          '--sources',
          String(positive('sources', options.sources)),
          '--per-source',
          String(positive('per-source', options['per-source'])),
          '--layout',
          layout,
        ],
        { stdio: 'inherit' },
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Makes `count` volumes with `tags`, 20 requests at a time (straight to moto, not counted).
 *
 * @param {EC2Client} ec2 @param {number} count @param {Record<string, string>} tags
 */
async function makeVolumes(ec2, count, tags) {
  for (let i = 0; i < count; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, () =>
        ec2.send(
          new CreateVolumeCommand({
            AvailabilityZone: `${REGION}a`,
            Size: 1,
            TagSpecifications: [
              {
                ResourceType: 'volume',
                Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
              },
            ],
          }),
        ),
      ),
    );
  }
}

/** @param {Record<string, number>} counts */
function formatCounts(counts) {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, count]) => `${action} ${count}`)
    .join(', ');
}

/** (b) N volumes in one run against moto, calls counted outside the action. */
async function benchMoto() {
  const volumes = positive('volumes', options.volumes);
  console.log(`\n(b) ${volumes} volumes in one run of the bundled action against moto\n`);
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(`${ACTION_ENTRY} is missing: run \`npm run bench\`, which bundles first.`);
  }
  const moto = await startMoto({ log: (message) => console.log(`[moto] ${message}`) });
  // AWS's token buckets per action, as the proxy models them: a throttled call would show here.
  const buckets = awsBuckets();
  const proxy = await startCountingProxy(moto.endpoint, { before: buckets });
  try {
    await resetMoto(moto.endpoint);
    const ec2 = new EC2Client({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const untagged = Math.ceil(volumes / 4);
    await makeVolumes(ec2, volumes, { backup: 'nightly' });
    await makeVolumes(ec2, untagged, { team: 'other' });
    console.log(`Made ${volumes} volumes tagged backup=nightly and ${untagged} untagged ones.`);

    const steps = [
      { label: 'dry run', inputs: { generations: '1', 'dry-run': 'true' } },
      { label: 'run 1: create', inputs: { generations: '1' } },
      // Each volume's older snapshot goes: as many deletions as volumes, over the default budget.
      {
        label: 'run 2: create + prune to 1',
        inputs: { generations: '1', 'max-deletions': String(volumes) },
      },
    ];
    const rows = [];
    for (const [index, step] of steps.entries()) {
      proxy.reset();
      const throttledBefore = buckets.throttled();
      const started = performance.now();
      const run = await runAction({
        inputs: {
          'target-type': 'ebs-volume',
          'resource-tags': 'backup=nightly',
          'backup-set': 'bench',
          ...step.inputs,
        },
        endpoint: proxy.endpoint,
        runId: String(7000 + index),
        timeoutMs: 30 * 60_000,
      });
      const seconds = (performance.now() - started) / 1000;
      if (run.code !== 0) {
        const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
        throw new Error(
          `${step.label} failed (${run.outputs.status}):\n${errors.join('\n')}\n${run.stderr}`,
        );
      }
      const counts = proxy.byAction();
      const reads = proxy.count({ action: /^Describe/ });
      rows.push({ step, seconds, counts, reads, total: proxy.calls.length, run });
      console.log(
        `${step.label.padEnd(28)} ${seconds.toFixed(1).padStart(6)} s  ` +
          `${String(proxy.calls.length).padStart(4)} calls (${reads} describe)  ` +
          `targets ${JSON.parse(run.outputs.targets ?? '[]').length}, ` +
          `created ${JSON.parse(run.outputs['backup-ids'] ?? '[]').length}, ` +
          `deleted ${run.outputs['deleted-count']}, ` +
          `throttled ${buckets.throttled() - throttledBefore}`,
      );
      console.log(`${''.padEnd(28)} ${formatCounts(counts)}`);
    }
    // Each action's bucket of ours: 50 at once, then EC2's refill of 5 per second.
    const floor = Math.max(volumes - 50, 0) / 5;
    console.log(
      `\nPacing floor per action (${volumes} calls, 50 at once, then 5 per second): ${floor.toFixed(0)} s; ` +
        `run 2 takes it once when its deletions overlap its creates, twice when they follow them.`,
    );
  } finally {
    await proxy.stop();
    await moto.stop();
  }
}

if (!options.only || options.only === 'core') benchCore();
if (!options.only || options.only === 'moto') await benchMoto();
if (!options.only || options.only === 'files') {
  await benchFiles(positive('file-mib', options['file-mib']));
}
if (!options.only || options.only === 'startup') {
  await benchStartup({ runs: 10, compare: options['startup-compare'] });
}
