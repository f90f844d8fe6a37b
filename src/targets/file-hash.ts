/**
 * The content of a `files` backup's files on the runner: hashed, read for an upload and written back
 * by a restore, each checked against the file's size, modification time and SHA-256 so that a file
 * written meanwhile is reported, never stored (or restored) torn. Streams only: a file is never
 * held in memory whole.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import { chmod, mkdir, rm, stat, utimes } from 'node:fs/promises';
import * as path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import { INPUTS } from '../constants.js';
import { isAbort, messageOf, systemErrorCode, TargetError } from '../errors.js';

/**
 * A file that changed while it was read: its bytes, size or modification time are not those it had
 * when it was scanned. Reported, never stored (or restored) torn.
 */
export class FileChangedError extends TargetError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `The file '${path}' changed while it was read (${detail}); it was not stored. Back it up when nothing writes to it (a dump finished, a service stopped), or exclude it with a '!' pattern in '${INPUTS.path}'.`,
    );
    this.name = 'FileChangedError';
  }
}

/** What a file was when it was scanned. */
export interface ExpectedState {
  size: number;
  mtimeMs: number;
}

/** What went through a `HashingCounter`. */
interface Passed {
  bytes: number;
  sha256: string;
}

/**
 * A pass-through that counts and hashes (SHA-256) the bytes going through it. With `check`, its end
 * waits for `check(what passed)`: an error it gives errors the stream instead of ending it.
 */
class HashingCounter extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private sha256: string | undefined;

  constructor(private readonly check?: (passed: Passed) => Promise<Error | undefined>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.check) return callback();
    this.check(this.passed()).then(
      (error) => callback(error ?? null),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** What went through; once it has all gone through (it ends the hash). */
  passed(): Passed {
    this.sha256 ??= this.hash.digest('hex');
    return { bytes: this.bytes, sha256: this.sha256 };
  }
}

/**
 * The SHA-256 (hex) of a file, read as a stream. Throws `FileChangedError` when the bytes read are
 * not `expected.size`, or the file's size or modification time after the read are not `expected`.
 */
export async function hashFile(
  absolutePath: string,
  expected: ExpectedState,
  signal?: AbortSignal,
): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(absolutePath, signal ? { signal } : {});
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    throw readError(absolutePath, error);
  }
  const change = await changeOf(absolutePath, expected, bytes);
  if (change) throw new FileChangedError(absolutePath, change);
  return hash.digest('hex');
}

/**
 * The file's bytes, checked as they pass: at the end, the SHA-256 of what passed and the file's size
 * and modification time must be `expected`, else the stream errors with `FileChangedError` instead
 * of ending, so that an upload reading it fails and stores nothing. Consume or destroy it (it holds
 * the file open).
 */
export function verifiedStream(
  absolutePath: string,
  expected: ExpectedState & { sha256: string },
): Readable {
  const check = new HashingCounter(async ({ bytes, sha256 }) => {
    let change = await changeOf(absolutePath, expected, bytes);
    if (!change && sha256 !== expected.sha256) {
      change = `its SHA-256 is ${sha256}, not ${expected.sha256} as it was hashed`;
    }
    return change ? new FileChangedError(absolutePath, change) : undefined;
  });
  const source = createReadStream(absolutePath);
  // A failed read errors `check`; `check` destroyed (an upload aborted) closes the file.
  source.on('error', (error) => check.destroy(readError(absolutePath, error)));
  check.on('close', () => source.destroy());
  source.pipe(check);
  return check;
}

/** A failed read as a sentence: a file deleted since the scan changed; an abort stays one. */
function readError(absolutePath: string, error: unknown): Error {
  if (isAbort(error)) return error as Error;
  if (systemErrorCode(error) === 'ENOENT')
    return new FileChangedError(absolutePath, 'it was deleted');
  return new TargetError(`Reading '${absolutePath}' failed: ${messageOf(error)}.`, {
    cause: error,
  });
}

/** How the file differs from `expected` after `bytes` were read, or undefined. */
async function changeOf(
  absolutePath: string,
  expected: ExpectedState,
  bytes: number,
): Promise<string | undefined> {
  let after: Stats;
  try {
    after = await stat(absolutePath);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return 'it was deleted';
    throw error;
  }
  if (bytes !== expected.size) return `${bytes} bytes read, ${expected.size} expected`;
  if (after.size !== expected.size)
    return `its size went from ${expected.size} to ${after.size} bytes`;
  const mtimeMs = Math.floor(after.mtimeMs);
  if (mtimeMs !== expected.mtimeMs) {
    return `its modification time went from ${iso(expected.mtimeMs)} to ${iso(mtimeMs)}`;
  }
  return undefined;
}

/**
 * Restores one file: streams `source` into `destination` (parent directories created; a file or
 * link already there replaced, never written through), checks its size and SHA-256, then sets its
 * mode and modification time. On a mismatch or a failed read the partial file is deleted and a
 * `TargetError` names the path (a cancellation stays an abort).
 */
export async function writeVerified(
  source: Readable,
  destination: string,
  expected: { sha256: string; size: number; mode: number; mtimeMs: number },
): Promise<void> {
  await mkdir(path.dirname(destination), { recursive: true });
  // A link at the destination is replaced, not followed out of the restored tree; `wx` refuses
  // whatever appears there meanwhile.
  await rm(destination, { force: true });
  const count = new HashingCounter();
  try {
    await pipeline(source, count, createWriteStream(destination, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(destination, { force: true });
    if (isAbort(error)) throw error;
    throw new TargetError(
      `Restoring '${destination}' failed: ${messageOf(error)}; the partial file was deleted.`,
      {
        cause: error,
      },
    );
  }
  const { bytes, sha256 } = count.passed();
  if (bytes !== expected.size || sha256 !== expected.sha256) {
    await rm(destination, { force: true });
    throw new TargetError(
      `Restoring '${destination}' failed: the content read has ${bytes} bytes and SHA-256 ${sha256}, but the manifest says ${expected.size} bytes and ${expected.sha256}; the partial file was deleted.`,
    );
  }
  await chmod(destination, expected.mode & 0o7777);
  // The middle of the manifest's millisecond: seconds as a double are not exact, and the middle
  // reads back (floored) as that millisecond, where its start might read as the one before.
  const seconds = (expected.mtimeMs + 0.5) / 1000;
  await utimes(destination, seconds, seconds);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Hashes `files`, `concurrency` at a time; a file that changes while it is read is left out and
 * its path added to `changed`.
 */
export async function hashFiles<F extends ExpectedState & { path: string; absolutePath: string }>(
  files: readonly F[],
  concurrency: number,
  changed: string[],
): Promise<{ file: F; sha256: string }[]> {
  const limit = pLimit(concurrency);
  const results = await Promise.all(
    files.map((file) =>
      limit(async () => {
        try {
          return { file, sha256: await hashFile(file.absolutePath, file) };
        } catch (error) {
          if (!(error instanceof FileChangedError)) throw error;
          changed.push(file.path);
          return undefined;
        }
      }),
    ),
  );
  return results.filter((result) => result !== undefined);
}
