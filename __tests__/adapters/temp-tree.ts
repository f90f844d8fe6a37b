/** Temporary directories of the `files` tests on the runner: one a test, and trees written in it. */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export const IS_POSIX = process.platform !== 'win32';
/** A fixed time in the past (whole milliseconds), set on files by `utimes`. */
export const PAST_MS = Date.UTC(2024, 0, 15, 8, 30, 0, 125);

/**
 * A new temporary directory (named `prefix…`) before each test of the file, handed to `use`, and
 * removed after it.
 */
export function tempDirEachTest(prefix: string, use: (dir: string) => void): void {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
    use(dir);
  });
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
}

/** Writes files (path relative to `base` → content), creating their directories. */
export async function tree(
  base: string,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(base, file)), { recursive: true });
    await writeFile(path.join(base, file), content);
  }
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
