/**
 * Runs the bundled action (dist/index.js) as a child process the way the GitHub runner starts a
 * JavaScript action: declared defaults and given inputs as INPUT_* variables, fresh GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and GITHUB_STATE files, the state of an earlier run as STATE_* variables (the
 * action's post step), and AWS pointed at a moto server. Shared by the integration tests
 * and the demo so both exercise the action exactly alike.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const ACTION_ENTRY = join(ROOT, 'dist', 'index.js');
export const ACTION_YML = join(ROOT, 'action.yml');

/** Variables of the developer's shell that the action may see; everything else (AWS_*) stays out. */
const KEPT_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];

/**
 * @typedef {object} RunOptions
 * @property {Record<string, string>} inputs inputs as in a workflow's `with:`, by kebab-case name
 * @property {string} endpoint the moto endpoint (AWS_ENDPOINT_URL)
 * @property {string} [runId] GITHUB_RUN_ID; a random number when absent
 * @property {string} [region] AWS_REGION, default `us-east-1`
 * @property {Record<string, string | undefined>} [env] extra variables; `undefined` removes one
 * @property {AbortSignal} [signal] kills the action when aborted
 * @property {NodeJS.Signals} [killSignal] how `signal` kills it: `SIGTERM` (the runner's
 *   cancellation, the default) or `SIGKILL` (a crash)
 * @property {number} [timeoutMs] kills the action after this long (default 120 s)
 * @property {Record<string, string>} [state] the action's state saved by an earlier run (its
 *   `state`), given as STATE_* variables: the way the runner starts the action's post step
 */

/**
 * @typedef {object} ActionRun
 * @property {number | null} code exit code (null when killed)
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs step outputs parsed from GITHUB_OUTPUT
 * @property {string} summary contents of GITHUB_STEP_SUMMARY
 * @property {string} runId the GITHUB_RUN_ID used
 * @property {Record<string, string>} state the action's state saved to GITHUB_STATE (core.saveState),
 *   the last value of each name, as the runner keeps it for the post step
 */

/**
 * Defaults declared in action.yml, by input name (read once).
 *
 * @type {() => Record<string, string>}
 */
export const actionDefaults = (() => {
  /** @type {Record<string, string> | undefined} */
  let cached;
  return () => {
    if (!cached) {
      const action = parse(readFileSync(ACTION_YML, 'utf8'));
      cached = {};
      for (const [name, spec] of Object.entries(action.inputs ?? {})) {
        if (spec && spec.default !== undefined) cached[name] = String(spec.default);
      }
    }
    return cached;
  };
})();

/**
 * The name of the variable that @actions/core's getInput reads for an input.
 *
 * @param {string} name
 */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * The environment the runner would give the action.
 *
 * @param {RunOptions & { runId: string, outputFile: string, summaryFile: string, awsConfigFile: string, stateFile?: string }} options
 * @returns {Record<string, string>}
 */
export function buildActionEnv(options) {
  /** @type {Record<string, string | undefined>} */
  const env = {};
  for (const name of KEPT_VARIABLES) env[name] = process.env[name];
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...options.inputs })) {
    env[inputVariable(name)] = value;
  }
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_RUN_ID: options.runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_OUTPUT: options.outputFile,
    GITHUB_STEP_SUMMARY: options.summaryFile,
    ...(options.stateFile ? { GITHUB_STATE: options.stateFile } : {}),
    ...Object.fromEntries(
      Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value]),
    ),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: options.region ?? 'us-east-1',
    AWS_ENDPOINT_URL: options.endpoint,
    // Keep the developer's ~/.aws profiles and the instance metadata service out of the run.
    AWS_CONFIG_FILE: options.awsConfigFile,
    AWS_SHARED_CREDENTIALS_FILE: options.awsConfigFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env,
  });
  /** @type {Record<string, string>} */
  const clean = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) clean[name] = value;
  return clean;
}

/**
 * Parses a GITHUB_OUTPUT file: `name<<DELIMITER` blocks as @actions/core writes them, and the
 * single-line `name=value` form.
 *
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseOutputs(text) {
  /** @type {Record<string, string>} */
  const outputs = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i]);
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const [, name, delimiter] = /** @type {[string, string, string]} */ (block);
      const end = lines.indexOf(delimiter, i + 1);
      if (end === -1) throw new Error(`Output '${name}' has no closing delimiter ${delimiter}.`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

/**
 * Runs dist/index.js once and collects what a workflow would see.
 *
 * @param {RunOptions} options
 * @returns {Promise<ActionRun>}
 */
export async function runAction(options) {
  const dir = await mkdtemp(join(tmpdir(), 'snapshot-rotation-run-'));
  try {
    const outputFile = join(dir, 'output');
    const summaryFile = join(dir, 'summary.md');
    const stateFile = join(dir, 'state');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    await writeFile(stateFile, '');
    const runId = options.runId ?? String(randomInt(1, 2 ** 47));
    const env = buildActionEnv({
      ...options,
      runId,
      outputFile,
      summaryFile,
      stateFile,
      awsConfigFile: join(dir, 'no-aws-config'),
    });
    const { code, stdout, stderr } = await spawnNode(ACTION_ENTRY, env, options);
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputs(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8'),
      runId,
      // The same file format as GITHUB_OUTPUT; a later value of a name replaces the earlier one.
      state: parseOutputs(await readFile(stateFile, 'utf8')),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * @param {string} script
 * @param {Record<string, string>} env
 * @param {{ signal?: AbortSignal, timeoutMs?: number, killSignal?: NodeJS.Signals }} options
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
function spawnNode(script, env, { signal, timeoutMs = 120_000, killSignal = 'SIGTERM' }) {
  const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
  return new Promise((resolve, reject) => {
    // ACTION_NODE runs the bundle under another Node.js (e.g. 24, the action's declared runtime).
    const child = spawn(process.env.ACTION_NODE || process.execPath, [script], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: AbortSignal.any(signals),
      killSignal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // An abort kills the child and also emits 'error'; 'close' still reports what was printed.
    child.on('error', (error) => {
      if (error.name !== 'AbortError') reject(error);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
