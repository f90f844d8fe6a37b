/**
 * A moto server for the integration tests, the demo and the benchmark (DESIGN.md §8).
 *
 * Uses the server named by MOTO_ENDPOINT_URL when set (GitHub CI's service container). Otherwise it
 * installs pinned `moto[server]` once into a virtual environment in the user's cache directory,
 * reused across runs, and starts a private server on a free loopback port.
 *
 * Only Node built-ins: this runs before (and without) anything else of the project.
 */
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const MOTO_VERSION = '5.2.5';
const REQUIREMENT = `moto[server]==${MOTO_VERSION}`;
/** Written last into a finished environment: a directory without it is never trusted as is. */
const MARKER = '.aws-snapshot-rotation-ready';
const START_TIMEOUT_MS = 60_000;
const INSTALL_LOCK_TIMEOUT_MS = 15 * 60_000;

/**
 * @typedef {(message: string) => void} Log
 * @typedef {{ endpoint: string, stop: () => Promise<void> }} Moto
 */

/**
 * @typedef {object} StartOptions
 * @property {Log} [log] receives progress lines (installation, start)
 * @property {Record<string, string>} [env] extra environment of a server started here (e.g.
 *   `INITIAL_NO_AUTH_ACTION_COUNT` for one that enforces IAM); a server named by `endpointVariable`
 *   must have been started with the same settings
 * @property {string} [endpointVariable] the variable that names a running server to use instead
 *   of starting one (default `MOTO_ENDPOINT_URL`)
 * @property {string} [endpoint] a running server to use, whatever the variable says (e.g. one of
 *   several named by the caller)
 */

/**
 * Starts (or connects to) a moto server.
 *
 * @param {StartOptions} [options]
 * @returns {Promise<Moto>} the endpoint URL without trailing slash, and `stop` (idempotent).
 */
export async function startMoto({
  log = () => {},
  env = {},
  endpointVariable = 'MOTO_ENDPOINT_URL',
  endpoint: given,
} = {}) {
  const external = given ?? process.env[endpointVariable];
  if (external) {
    const endpoint = external.replace(/\/+$/, '');
    log(`Using the moto server at ${endpoint}${given ? '' : ` (${endpointVariable})`}.`);
    await waitUntilAnswering(endpoint, { timeoutMs: START_TIMEOUT_MS });
    return { endpoint, stop: async () => {} };
  }
  const python = await ensureMotoEnvironment(log);
  // The free port may be taken between probing and binding: try a few ports before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServer(python, await freePort(), log, env);
    } catch (error) {
      if (attempt >= 3 || !/address already in use/i.test(String(error))) throw error;
    }
  }
}

/**
 * Wipes all state of the moto server (every region and service).
 *
 * @param {string} endpoint
 * @returns {Promise<void>}
 */
export async function resetMoto(endpoint) {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) {
    throw new Error(`Resetting moto at ${endpoint} failed: HTTP ${response.status}.`);
  }
  await response.body?.cancel();
}

/**
 * The directory of the cached virtual environment.
 *
 * @returns {string}
 */
export function motoEnvironmentDir() {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'aws-snapshot-rotation', `moto-${MOTO_VERSION}`);
}

/**
 * Makes sure the cached environment holds a working moto and returns its python.
 *
 * Safe when several processes race: one installs under a lock directory, into a temporary
 * directory renamed into place once complete; the others wait for it.
 *
 * @param {Log} log
 * @returns {Promise<string>} path of the environment's python executable
 */
async function ensureMotoEnvironment(log) {
  const dir = motoEnvironmentDir();
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, MARKER))) return python;

  const lock = `${dir}.lock`;
  await acquireLock(lock, log);
  try {
    if (existsSync(join(dir, MARKER))) return python;
    await removeLeftovers(dir);
    // An environment without the marker was made by hand or by an interrupted install: keep it only
    // when it proves complete, else build a new one.
    if (existsSync(dir)) {
      if (await isComplete(python)) {
        await writeMarker(dir);
        log(`Adopted the existing moto environment in ${dir}.`);
        return python;
      }
      log(`Removing the incomplete moto environment in ${dir}.`);
      await rm(dir, { recursive: true, force: true });
    }
    await install(dir, log);
    return python;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/**
 * Removes temporary directories of installs that were killed; only the lock holder makes them.
 *
 * @param {string} dir
 */
async function removeLeftovers(dir) {
  const parent = dirname(dir);
  const prefix = `${basename(dir)}.tmp-`;
  for (const name of await readdir(parent).catch(() => [])) {
    if (name.startsWith(prefix)) await rm(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Builds the environment in a temporary sibling directory and renames it into place when done, so
 * an interrupted install never leaves a half-made environment at the final path.
 *
 * @param {string} dir
 * @param {Log} log
 */
async function install(dir, log) {
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  log(`Installing ${REQUIREMENT} into ${dir} (first run only, about a minute)...`);
  try {
    await run('python3', ['-m', 'venv', temp]).catch((error) => {
      throw new Error(
        `Could not make a Python virtual environment for moto (needs python3 with the venv module, ` +
          `e.g. Debian's python3-venv), or set MOTO_ENDPOINT_URL to a running moto server. ${error}`,
      );
    });
    const python = join(temp, 'bin', 'python');
    await run(python, [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      REQUIREMENT,
    ]);
    if (!(await isComplete(python))) {
      throw new Error(`${REQUIREMENT} was installed into ${temp} but does not import.`);
    }
    await writeMarker(temp);
    await mkdir(dirname(dir), { recursive: true });
    // A venv's python finds its packages relative to itself, so the renamed environment works; we
    // never use its console scripts, whose shebangs name the temporary path.
    await rename(temp, dir);
    log(`Installed ${REQUIREMENT}.`);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * Whether the environment's python imports the pinned moto and its server.
 *
 * @param {string} python
 * @returns {Promise<boolean>}
 */
async function isComplete(python) {
  if (!existsSync(python)) return false;
  const check = [
    'import importlib.metadata as m',
    `assert m.version("moto") == "${MOTO_VERSION}", m.version("moto")`,
    'import moto.server, moto.ec2, flask, flask_cors',
  ].join('\n');
  try {
    await run(python, ['-c', check]);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} dir */
async function writeMarker(dir) {
  const temp = join(dir, `${MARKER}.${process.pid}`);
  await writeFile(temp, `${REQUIREMENT}\n`);
  await rename(temp, join(dir, MARKER));
}

/**
 * Takes a lock directory (mkdir is atomic). A lock whose owner process is gone, or that is older
 * than the longest install, is stale and broken.
 *
 * @param {string} lock
 * @param {Log} log
 */
async function acquireLock(lock, log) {
  await mkdir(dirname(lock), { recursive: true });
  const deadline = Date.now() + INSTALL_LOCK_TIMEOUT_MS;
  let told = false;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    if (await isStaleLock(lock)) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for another moto install to release ${lock}.`);
    }
    if (!told) log(`Waiting for another process that installs moto (${lock})...`);
    told = true;
    await sleep(1000);
  }
}

/**
 * @param {string} lock
 * @returns {Promise<boolean>}
 */
async function isStaleLock(lock) {
  try {
    const { mtimeMs } = await stat(lock);
    if (Date.now() - mtimeMs > INSTALL_LOCK_TIMEOUT_MS) return true;
    const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
    // No pid: the owner has just made the directory, or died right after.
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - mtimeMs > 10_000;
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return /** @type {NodeJS.ErrnoException} */ (error).code === 'ESRCH';
    }
  } catch {
    return false;
  }
}

/**
 * Starts moto_server on 127.0.0.1:port and waits until it answers.
 *
 * @param {string} python
 * @param {number} port
 * @param {Log} log
 * @param {Record<string, string>} extraEnv
 * @returns {Promise<Moto>}
 */
async function startServer(python, port, log, extraEnv) {
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      ...extraEnv,
      MOTO_EC2_LOAD_DEFAULT_AMIS: 'false',
      MOTO_PORT: String(port),
      PYTHONUNBUFFERED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // moto logs every request: keep reading (a full pipe would block it) and keep the tail for errors.
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  /** @type {Promise<void>} */
  const exited = new Promise((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswering(endpoint, {
      timeoutMs: START_TIMEOUT_MS,
      failed: () =>
        child.exitCode !== null || child.signalCode !== null
          ? `moto_server exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`
          : undefined,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  log(`moto ${MOTO_VERSION} is listening on ${endpoint} (pid ${child.pid}).`);
  return { endpoint, stop };
}

/**
 * Polls GET /moto-api/ until it answers 200.
 *
 * @param {string} endpoint
 * @param {{ timeoutMs: number, failed?: () => string | undefined }} options `failed` ends the wait
 *   early with its message (e.g. the server process has exited).
 */
async function waitUntilAnswering(endpoint, { timeoutMs, failed = () => undefined }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    let last;
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(/** @type {Error} */ (error).cause ?? error);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The moto server at ${endpoint} did not answer within ${timeoutMs / 1000} s (${last}).`,
      );
    }
    await sleep(200);
  }
}

/** @returns {Promise<number>} a port that was free on 127.0.0.1 a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a command to completion; rejects with its output when it fails.
 *
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<void>}
 */
function run(command, args) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`),
        );
      } else {
        resolve();
      }
    });
  });
}
