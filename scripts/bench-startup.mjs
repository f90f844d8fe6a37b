/**
 * (d) of `npm run bench`: the start-up of the bundled action (dist/index.js), whole process,
 * measured with GNU time (`/usr/bin/time -v`, Debian/Ubuntu package `time`):
 *
 * - a run that exits on a missing input (no `target-type`), as the runner would start it: the
 *   median wall time of `runs` runs and the largest peak resident memory;
 * - Node's own start (`node -e 0`) the same way, the floor under any action;
 * - the time to the first AWS call of a dry run (`ebs-volume`, volumes by tags): from the spawn to
 *   the arrival of the first request at a local HTTP server standing in for EC2, which answers
 *   every request with an empty listing so the run ends; with the run's wall time and peak memory.
 *
 * With `compare`, another bundle (e.g. aws-actions/configure-aws-credentials' dist/index.js) is
 * measured the same way, started without inputs. Figures only; nothing is asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_ENTRY, buildActionEnv, ROOT } from './action-runner.mjs';

export const GNU_TIME = '/usr/bin/time';

/**
 * The figures of configure-aws-credentials' bundle exiting on a missing input, as issue 18 measured
 * them on the machine where this action's figures are taken (Node 20): the target to meet.
 */
const REFERENCE = {
  label: "configure-aws-credentials (issue 18's figures)",
  wallS: 0.19,
  rssMiB: 67,
};

/**
 * @typedef {{ wallS: number, rssMiB: number, code: number | null }} Timed
 *   one process as GNU time saw it: wall seconds, peak resident memory, exit status
 */

/**
 * Runs `node args` under GNU time with `env`; resolves once it ended. `onSpawn` gets the moment
 * (performance.now) just before the spawn.
 *
 * @param {string[]} args @param {Record<string, string>} env @param {string} dir
 * @param {(startedAt: number) => void} [onSpawn]
 * @returns {Promise<Timed>}
 */
async function timed(args, env, dir, onSpawn) {
  const report = join(dir, 'time.txt');
  onSpawn?.(performance.now());
  const child = spawn(GNU_TIME, ['-v', '-o', report, process.execPath, ...args], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
    signal: AbortSignal.timeout(60_000),
  });
  /** @type {number | null} */
  const status = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const text = await readFile(report, 'utf8');
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(
    text,
  );
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const exit = /Exit status: (\d+)/.exec(text);
  if (!wall || !rss) throw new Error(`GNU time gave no wall time or peak memory:\n${text}`);
  const [, hours = '0', minutes = '0', seconds = '0'] = wall;
  return {
    wallS: Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds),
    rssMiB: Number(rss[1]) / 1024,
    code: exit ? Number(exit[1]) : status,
  };
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? /** @type {number} */ (sorted[middle])
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * `runs` runs of `node args`: the median wall time and the largest peak memory.
 *
 * @param {string[]} args @param {Record<string, string>} env @param {string} dir @param {number} runs
 */
async function measure(args, env, dir, runs) {
  /** @type {Timed[]} */
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await timed(args, env, dir));
  return {
    wallS: median(all.map((run) => run.wallS)),
    rssMiB: Math.max(...all.map((run) => run.rssMiB)),
    codes: [...new Set(all.map((run) => run.code))],
  };
}

/** @param {string} label @param {{ wallS: number, rssMiB: number }} figures @param {string} [note] */
function row(label, { wallS, rssMiB }, note = '') {
  return `${label.padEnd(54)} ${wallS.toFixed(2).padStart(5)} s  ${rssMiB.toFixed(0).padStart(4)} MiB${note ? `  ${note}` : ''}`;
}

/**
 * The environment of a step as the runner gives it (scripts/action-runner.mjs), fresh files in
 * `dir`, with `inputs`; `endpoint` is where AWS calls go.
 *
 * @param {string} dir @param {Record<string, string>} inputs @param {string} endpoint
 */
async function stepEnv(dir, inputs, endpoint) {
  const files = {
    outputFile: join(dir, 'output'),
    summaryFile: join(dir, 'summary.md'),
    stateFile: join(dir, 'state'),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  return buildActionEnv({
    inputs,
    endpoint,
    runId: '18',
    ...files,
    awsConfigFile: join(dir, 'no-aws-config'),
  });
}

/**
 * A local stand-in for EC2 that notes when each request arrives (performance.now) and answers
 * every query-protocol call with an empty answer of its action (DescribeVolumes: no volume).
 */
async function startEmptyEc2() {
  /** @type {number[]} */
  const arrivals = [];
  const server = createServer((request, response) => {
    arrivals.push(performance.now());
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? 'Unknown';
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>bench</requestId></${action}Response>`,
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The stand-in server has no port.');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    arrivals,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * (d) Start-up figures of the bundle; with `compare`, of another bundle too.
 *
 * @param {{ runs?: number, compare?: string }} [options]
 */
export async function benchStartup({ runs = 10, compare } = {}) {
  console.log(
    `\n(d) Start-up of the bundled action (GNU time; median wall of ${runs}, peak RSS)\n`,
  );
  if (!existsSync(GNU_TIME)) {
    console.log(
      `${GNU_TIME} (GNU time) is missing: install it (Debian/Ubuntu: \`sudo apt-get install time\`) to measure start-up.`,
    );
    return;
  }
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(`${ACTION_ENTRY} is missing: run \`npm run bench\`, which bundles first.`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'snapshot-rotation-bench-startup-'));
  const ec2 = await startEmptyEc2();
  try {
    const baseline = await measure(['-e', '0'], { PATH: process.env.PATH ?? '' }, dir, runs);
    console.log(row(`node -e 0 (Node ${process.versions.node}'s own start)`, baseline));

    // No target-type: the runner's environment with the declared defaults only.
    const missing = await measure([ACTION_ENTRY], await stepEnv(dir, {}, ec2.endpoint), dir, runs);
    console.log(
      row('dist/index.js, exits on a missing input', missing, `exit ${missing.codes.join(',')}`),
    );
    if (ec2.arrivals.length > 0) throw new Error('The run without inputs called AWS.');

    /** @type {number[]} */
    const firstCalls = [];
    /** @type {Timed[]} */
    const dryRuns = [];
    const inputs = {
      'target-type': 'ebs-volume',
      'resource-tags': 'backup=nightly',
      generations: '1',
      'dry-run': 'true',
    };
    for (let i = 0; i < Math.min(runs, 5); i++) {
      ec2.arrivals.length = 0;
      let spawnedAt = 0;
      const env = await stepEnv(dir, inputs, ec2.endpoint);
      dryRuns.push(await timed([ACTION_ENTRY], env, dir, (at) => (spawnedAt = at)));
      const first = ec2.arrivals[0];
      if (first === undefined) throw new Error('The dry run made no AWS call.');
      firstCalls.push((first - spawnedAt) / 1000);
    }
    console.log(
      row(
        'dist/index.js, dry run of ebs-volume (nothing found)',
        {
          wallS: median(dryRuns.map((run) => run.wallS)),
          rssMiB: Math.max(...dryRuns.map((run) => run.rssMiB)),
        },
        `first AWS call after ${median(firstCalls).toFixed(2)} s (median of ${firstCalls.length})`,
      ),
    );

    if (compare) {
      const other = await measure([compare], { PATH: process.env.PATH ?? '' }, dir, runs);
      console.log(row(`${compare}, no inputs`, other, `exit ${other.codes.join(',')}`));
    }
    console.log(row(REFERENCE.label, REFERENCE, 'reference, no inputs'));
  } finally {
    await ec2.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
